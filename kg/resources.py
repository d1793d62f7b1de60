"""Where the toolkit's data files are: the ontology, shapes, queries and sample corpus.

They live at the top of the source repository (so they can be read and reused without
Python) and inside the installed wheel under kg/_data/ (see pyproject.toml). This module
is the one place that knows both layouts.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import CyberkgError

_PACKAGE = Path(__file__).resolve().parent
RESOURCE_NAMES = ("ontology", "shapes", "queries", "corpus", "reference", "rules")


def resource_dir(name: str) -> Path:
    """The folder holding one kind of data file, in a wheel install or a source checkout."""
    if name not in RESOURCE_NAMES:
        raise ValueError(f"unknown resource folder {name!r}; expected one of {RESOURCE_NAMES}")
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise CyberkgError(
        f"the {name}/ folder is missing from this installation (looked in "
        f"{_PACKAGE / '_data'} and {_PACKAGE.parent}); reinstall cyberkg"
    )


def ontology_files() -> list[Path]:
    """The Turtle files of the vocabulary: classes and properties, concept schemes, topics."""
    return sorted(resource_dir("ontology").glob("*.ttl"))


def example_graph() -> Path:
    """The small example graph that shows the vocabulary in use."""
    return resource_dir("ontology") / "examples" / "example.ttl"
