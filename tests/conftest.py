"""Shared fixtures: the project's root, the loaded vocabulary and the example graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg import resources
from kg.ontology import Vocabulary, load_ontology

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    return Vocabulary(load_ontology())


@pytest.fixture
def example() -> Graph:
    """A fresh copy of the example graph, safe to mutate."""
    graph = Graph()
    graph.parse(resources.example_graph())
    return graph
