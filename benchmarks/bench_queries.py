"""Every canned query on the sample graph and on a graph ten times larger, with the
default engine (pyoxigraph) and rdflib's own engine, medians side by side with the ratio.
rdflib runs in a child process with a time limit, since some queries do not finish.

Run: .venv/bin/python benchmarks/bench_queries.py > benchmarks/results/queries.txt
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pyoxigraph import NamedNode  # noqa: E402

from corpus import repeated  # noqa: E402
from kg.builder import build  # noqa: E402
from kg.graphio import write_dataset  # noqa: E402
from kg.query.catalogue import load_catalogue  # noqa: E402
from kg.query.engines import LocalEngine  # noqa: E402
from kg.query.params import NameResolver, bind  # noqa: E402
from timing import machine, median_seconds  # noqa: E402

LIMIT = 15.0  # seconds for one rdflib run
CHILD = """
import json, sys, time
from pyoxigraph import Literal, NamedNode
from kg.query.engines import RdflibEngine
engine = RdflibEngine(sys.argv[1])
text = open(sys.argv[2]).read()
bindings = {k: (NamedNode(v[1:-1]) if v.startswith('<') else Literal(v)) for k, v in json.loads(sys.argv[3]).items()}
engine.select(text, bindings)  # warm-up
times = []
for _ in range(int(sys.argv[4])):
    start = time.perf_counter(); engine.select(text, bindings); times.append(time.perf_counter() - start)
print(json.dumps(sorted(times)[len(times) // 2]))
"""


def rdflib_median(graph: Path, query_path: Path, bindings: dict, runs: int) -> float | None:
    encoded = {k: f"<{v.value}>" if isinstance(v, NamedNode) else v.value for k, v in bindings.items()}
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(graph), str(query_path), json.dumps(encoded), str(runs)],
            capture_output=True,
            text=True,
            timeout=LIMIT * (runs + 1) + 30,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:  # a failure is not a slow run: say so, never print it as "> 15 s"
        last = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise SystemExit(f"bench_queries: rdflib on {query_path.name} failed: {last[0]}")
    return float(done.stdout)


def main() -> None:
    result = build()
    folder = Path(tempfile.mkdtemp())
    graphs = {"1x": folder / "sample.trig", "10x": folder / "ten.trig"}
    write_dataset(result.graphs, graphs["1x"])
    write_dataset(repeated(result.graphs, result.base, 10), graphs["10x"])
    catalogue = load_catalogue()
    print(f"# canned queries, pyoxigraph vs rdflib, {datetime.date.today()}, {machine()}")
    print(f"# medians: pyoxigraph of 7 runs, rdflib of 3 (in a child process, stopped after {LIMIT:g} s a run)")
    print(f"{'query':<22} {'graph':<5} {'rows':>6} {'pyoxigraph s':>13} {'rdflib s':>10} {'rdflib/ox':>10}")
    for size, path in graphs.items():
        engine = LocalEngine(path)
        resolver = NameResolver(engine, result.base)
        for name, query in catalogue.items():
            params = dict(query.example_params)
            if size == "10x" and name == "speakers":  # the symbol names ten copies there: give the IRI
                params["document"] = f"<{result.base}copy-0/doc/UNODC-CCPCJ-EG.4-2019-2>"
            bindings = bind(query, params, resolver)
            rows = len(engine.select(query.text, bindings).rows)
            ox = median_seconds(lambda: engine.select(query.text, bindings), repeat=7)[0]
            rd = rdflib_median(path, query.path, bindings, 3)
            rd_text = f"{rd:.4f}" if rd is not None else f">{LIMIT:g}"
            ratio = f"{rd / ox:.0f}x" if rd is not None and ox > 0 else "n/a"
            print(f"{name:<22} {size:<5} {rows:>6} {ox:>13.4f} {rd_text:>10} {ratio:>10}", flush=True)


if __name__ == "__main__":
    main()
