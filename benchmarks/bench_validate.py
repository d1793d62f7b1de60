"""How long SHACL validation takes (issue 5: the sample graph in under 3 seconds), on the
sample graph and on a graph ten times larger made by repeating the corpus under new IRIs,
as one pyshacl run over the union and by parts (kg.validate.parts, no cache), and what
the three SPARQL-based constraints cost. bench/run.py measures the cache at scale.

Run: .venv/bin/python benchmarks/bench_validate.py > benchmarks/results/validate.txt
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import repeated  # noqa: E402
from kg.builder import build  # noqa: E402
from kg.validate import load_shapes, validate  # noqa: E402
from timing import machine, median_seconds  # noqa: E402


def main() -> None:
    result = build()
    shapes = load_shapes()
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    big = repeated(result.graphs, result.base, 10)
    size = sum(len(g) for g in result.graphs.values())
    big_size = sum(len(g) for g in big.values())

    def whole(graphs, shapes_graph):
        return lambda: validate(graphs, shapes_graph, split=False)

    def parts(graphs, shapes_graph):
        return lambda: validate(graphs, shapes_graph, cache=False)

    rows = [
        (f"sample graph ({size} statements), all shapes", median_seconds(whole(result.graphs, shapes), repeat=5)),
        ("sample graph, SHACL Core shapes only", median_seconds(whole(result.graphs, core), repeat=5)),
        (f"10x graph ({big_size} statements), all shapes", median_seconds(whole(big, shapes), repeat=3, warmup=0)),
        ("sample graph, all shapes, by parts", median_seconds(parts(result.graphs, shapes), repeat=5)),
        ("10x graph, all shapes, by parts", median_seconds(parts(big, shapes), repeat=3, warmup=0)),
    ]
    print(f"# SHACL validation with pyshacl, {datetime.date.today()}, {machine()}")
    print(f"{'measure':<58} {'median s':>9} {'min s':>8} {'max s':>8}")
    for name, (median, low, high) in rows:
        print(f"{name:<58} {median:>9.3f} {low:>8.3f} {high:>8.3f}")
    print(f"SPARQL constraints' share on the sample: {rows[0][1][0] - rows[1][1][0]:.3f} s")
    print(f"10x / 1x time ratio: {rows[2][1][0] / rows[0][1][0]:.1f}")
    print(f"by parts / whole: sample {rows[3][1][0] / rows[0][1][0]:.2f}, 10x {rows[4][1][0] / rows[2][1][0]:.2f}")


if __name__ == "__main__":
    main()
