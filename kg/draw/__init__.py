"""Drawing: networks of positions, alignment, citations and speakers (networks), and the
files analysts open them in (files)."""
