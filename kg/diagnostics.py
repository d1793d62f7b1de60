"""Warnings with a place: what the toolkit could not read or resolve, kept instead of
dropped silently. `cyberkg extract` prints them and the build report keeps them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One warning about one place in one input file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class Diagnostics:
    """An ordered collection of warnings, filled as inputs are read."""

    items: list[Diagnostic] = field(default_factory=list)

    def warn(self, file: str | Path, line: int | None, message: str) -> None:
        self.items.append(Diagnostic(Path(file).name if isinstance(file, Path) else file, line, message))

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
