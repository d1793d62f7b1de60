"""Bigger graphs for the benchmarks: the sample corpus repeated under new IRIs."""

from __future__ import annotations

from rdflib import Graph, URIRef


def repeated(graphs: dict, base: str, times: int) -> dict:
    """The corpus `times` over: every document graph copied under new document IRIs;
    reference data and vocabulary once."""
    out = {}
    for name, graph in graphs.items():
        if "/graph/doc/" not in str(name):
            out[name] = graph
            continue
        for k in range(times):

            def move(term, k=k):
                if isinstance(term, URIRef) and str(term).startswith(base + "doc/"):
                    return URIRef(f"{base}copy-{k}/doc/{str(term)[len(base) + 4 :]}")
                return term

            copy = Graph()
            for s, p, o in graph:
                copy.add((move(s), p, move(o)))
            out[URIRef(f"{name}/copy-{k}")] = copy
    return out
