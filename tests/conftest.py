"""Shared fixtures: the project's root, the loaded vocabulary, the example graph and the
sample graph built once and written as TriG."""

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


@pytest.fixture(scope="session")
def graph_file(tmp_path_factory) -> Path:
    """The sample corpus built with the reference data and written once, as `cyberkg build` does."""
    from kg.build import build
    from kg.graphio import write_dataset

    path = tmp_path_factory.mktemp("graph") / "cyberkg.trig"
    write_dataset(build().graphs, path)
    return path
