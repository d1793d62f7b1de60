"""How fast `cyberkg publish` loads a graph into an Oxigraph server (issue 19: at least
100,000 statements/s in bulk), beside what the same machine does without HTTP.

For each size, a synthetic corpus (tests/synthetic.py) is built into TriG and read as
`cyberkg publish` reads it; then, interleaved run by run so machine noise falls on all
alike, each way is timed on its own fresh server:
- PUT per graph: `publish(graphs, URL)`, one HTTP PUT of N-Triples per named graph;
- bulk: `publish(graphs, URL, bulk=True, read_from=TRIG)` as `cyberkg publish --bulk`
  runs it, a DELETE per graph, then the TriG file in one POST the server loads with its
  bulk loader;
- bulk, server in memory: the same into `oxigraph serve` with no --location;
- pyoxigraph bulk_load: the same N-Quads loaded by pyoxigraph into an on-disk store in
  this process, the ceiling for a store on this disk; and into a store in memory.
Medians of the runs, rates and ratios side by side. The bulk upload cannot beat the
server's own loader on the same store: the pyoxigraph lines are that loader, in process.

Run: .venv/bin/python benchmarks/bench_publish.py > benchmarks/results/publish.txt
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import pyoxigraph  # noqa: E402

import oxigraph_server as oxigraph  # noqa: E402
from kg.graphio import read_statements  # noqa: E402
from kg.publish.graph_store import publish  # noqa: E402
from synthetic import generate  # noqa: E402
from timing import machine  # noqa: E402


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def on_fresh_server(folder: Path | None, upload: Callable[[str], object]) -> float:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    with oxigraph.oxigraph_server(folder) as running:
        return timed(lambda: upload(running.url + "/store"))


def local_bulk_load(folder: Path | None, quads: Path) -> float:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)

    def load() -> None:
        store = pyoxigraph.Store(str(folder) if folder is not None else None)
        store.bulk_load(path=str(quads), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()

    return timed(load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", default="100,400", help="corpus sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if oxigraph.binary() is None:
        sys.exit(oxigraph.MISSING)
    print(f"# publish into an Oxigraph server, {datetime.date.today()}, {machine()}")
    print(f"# {args.repeat} runs per way, interleaved; median (min - max); rate = statements / median")
    header = f"{'reports':>7} {'graphs':>6} {'statements':>10}  {'way':<22} {'median s':>9} {'min - max s':>14} {'st/s':>9} {'vs PUT':>7}"
    print(header)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for n in (int(x) for x in args.reports.split(",")):
            corpus, trig = work / f"corpus{n}", work / f"g{n}.trig"
            generate(n, 19, corpus)
            subprocess.run(
                [sys.executable, "-m", "kg", "build", str(corpus), "-o", str(trig), "--no-validate"],
                check=True,
                capture_output=True,
            )
            graphs = read_statements(trig)
            statements = sum(len(g) for g in graphs.values())
            quads = work / f"g{n}.nq"
            quads.write_bytes(
                pyoxigraph.serialize(
                    (pyoxigraph.Quad(t.subject, t.predicate, t.object, name) for name, g in graphs.items() for t in g),
                    format=pyoxigraph.RdfFormat.N_QUADS,
                )
                or b""
            )
            runs: dict[str, list[float]] = {
                "PUT per graph": [],
                "bulk (--bulk)": [],
                "bulk, server in memory": [],
                "pyoxigraph bulk_load": [],
                "same, in memory": [],
            }
            for _ in range(args.repeat):
                runs["PUT per graph"].append(on_fresh_server(work / "db", lambda url: publish(graphs, url)))
                runs["bulk (--bulk)"].append(
                    on_fresh_server(work / "db", lambda url: publish(graphs, url, bulk=True, read_from=trig))
                )
                runs["bulk, server in memory"].append(
                    on_fresh_server(None, lambda url: publish(graphs, url, bulk=True, read_from=trig))
                )
                runs["pyoxigraph bulk_load"].append(local_bulk_load(work / "local", quads))
                runs["same, in memory"].append(local_bulk_load(None, quads))
            put = statistics.median(runs["PUT per graph"])
            for way, times in runs.items():
                median = statistics.median(times)
                print(
                    f"{n:>7} {len(graphs):>6} {statements:>10}  {way:<22} {median:>9.2f} "
                    f"{min(times):>6.2f} - {max(times):<6.2f} {statements / median:>9,.0f} {put / median:>6.1f}x"
                )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
