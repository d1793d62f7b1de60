"""Shared fixtures: the project's root, the loaded vocabulary, the example graph and the
sample graph built once and written as TriG."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg import resources
from kg.ontology import Vocabulary, load_ontology

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def validation_cache(tmp_path_factory) -> Path:
    """The validation cache of this test session: a folder of its own, never the user's."""
    import os

    folder = tmp_path_factory.mktemp("validation-cache")
    os.environ["CYBERKG_CACHE_DIR"] = str(folder)
    return folder


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


def read_union(path: Path, fmt: str) -> Graph:
    """A written file read back by rdflib alone (not our reader), its named graphs merged."""
    from rdflib import Dataset

    if fmt in ("nquads", "trig"):
        dataset = Dataset()
        dataset.parse(path, format=fmt)
        graph = Graph()
        for named in dataset.graphs():
            graph += named
        return graph
    return Graph().parse(path, format=fmt)


@pytest.fixture(scope="session")
def read_back():
    """`read_union` as a fixture, for the tests that read outputs back."""
    return read_union


@pytest.fixture(scope="session")
def graph_file(tmp_path_factory) -> Path:
    """The sample corpus built with the reference data and written once, as `cyberkg build` does."""
    from kg.builder import build
    from kg.graphio import write_dataset

    path = tmp_path_factory.mktemp("graph") / "cyberkg.trig"
    write_dataset(build().graphs, path)
    return path
