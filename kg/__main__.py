"""Allow `python -m kg`, the same as the `cyberkg` command."""

from kg.cli import main

main()
