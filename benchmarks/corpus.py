"""Bigger graphs for the benchmarks: the sample corpus repeated under new IRIs."""

from __future__ import annotations

from pyoxigraph import NamedNode, Triple

from kg.rdf import Statements


def repeated(graphs: dict, base: str, times: int) -> dict:
    """The corpus `times` over ({graph name: Statements}, as kg.builder.build gives it):
    every document graph copied under new document IRIs; reference data and vocabulary once."""
    out = {}
    documents = base + "doc/"
    for name, graph in graphs.items():
        if "/graph/doc/" not in name.value:
            out[name] = graph
            continue
        for k in range(times):

            def move(term, k=k):
                if isinstance(term, NamedNode) and term.value.startswith(documents):
                    return NamedNode(f"{base}copy-{k}/doc/{term.value[len(documents) :]}")
                return term

            out[NamedNode(f"{name.value}/copy-{k}")] = Statements(
                Triple(move(t.subject), t.predicate, move(t.object)) for t in graph
            )
    return out
