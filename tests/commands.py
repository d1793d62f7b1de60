"""Running the `cyberkg` command as a user does, in a process of its own, for the tests
of what it prints and how it exits."""

from __future__ import annotations

import subprocess
import sys


def cyberkg(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`cyberkg ARGS` with this Python (`python -m kg`), its output captured as text."""
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env, timeout=timeout)
