"""How long the networks take (issue 8: building and writing all four networks of the
sample graph in under 3 seconds), per network and file format, on the sample graph and
on a graph ten times larger. The query engine is opened once, as `cyberkg network`
does per command; the pictures and the interactive page are timed apart because they
are drawn, not written.

Run: .venv/bin/python benchmarks/bench_networks.py > benchmarks/results/networks.txt
"""

from __future__ import annotations

import datetime
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import repeated  # noqa: E402
from kg.builder import build  # noqa: E402
from kg.draw.files import write_network  # noqa: E402
from kg.draw.networks import KINDS, build_network  # noqa: E402
from kg.graphio import write_dataset  # noqa: E402
from kg.query.engines import LocalEngine  # noqa: E402
from timing import machine, median_seconds  # noqa: E402

FILES = ("graphml", "gexf", "cyjs", "csv")


def main() -> None:
    result = build()
    print(f"# networks, {datetime.date.today()}, {machine()}")
    print(
        f"{'graph':<5} {'network':<10} {'nodes':>6} {'edges':>6} {'build s':>8} {'files s':>8} "
        f"{'png s':>7} {'svg s':>7} {'html s':>7} {'html MB':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for size, graphs in (("1x", result.graphs), ("10x", repeated(result.graphs, result.base, 10))):
            path = out / f"{size}.trig"
            write_dataset(graphs, path)
            engine = LocalEngine(path)
            total = 0.0
            for kind in KINDS:
                built = median_seconds(lambda: build_network(kind, engine), repeat=5)[0]
                network = build_network(kind, engine)
                files = median_seconds(
                    lambda: [write_network(network, f, out / f"{kind}.{f}") for f in FILES], repeat=5
                )[0]
                png = median_seconds(lambda: write_network(network, "png", out / f"{kind}.png"), repeat=3)[0]
                svg = median_seconds(lambda: write_network(network, "svg", out / f"{kind}.svg"), repeat=3)[0]
                page = median_seconds(lambda: write_network(network, "html", out / f"{kind}.html"), repeat=3)[0]
                megabytes = (out / f"{kind}.html").stat().st_size / 1e6
                total += built + files
                print(
                    f"{size:<5} {kind:<10} {network.number_of_nodes():>6} {network.number_of_edges():>6} "
                    f"{built:>8.3f} {files:>8.3f} {png:>7.3f} {svg:>7.3f} {page:>7.3f} {megabytes:>8.2f}"
                )
            print(
                f"{size:<5} {'all four':<10} {'':>6} {'':>6} {total:>17.3f}   (build + GraphML, GEXF, cyjs and CSV for every network)"
            )


if __name__ == "__main__":
    main()
