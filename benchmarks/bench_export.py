"""How long exporting takes (issue 7: every format of the sample graph in under 2
seconds), on the sample graph and on a graph ten times larger.

Run: .venv/bin/python benchmarks/bench_export.py > benchmarks/results/export.txt
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import repeated  # noqa: E402
from kg.builder import build  # noqa: E402
from kg.export import FORMATS, serialize, with_description  # noqa: E402
from kg.export.description import describe_dataset  # noqa: E402
from kg.rdf import Canonical  # noqa: E402
from timing import machine, median_seconds  # noqa: E402


def main() -> None:
    result = build()
    print(f"# export, {datetime.date.today()}, {machine()}")
    print(f"{'graph':<5} {'statements':>10} {'format':<7} {'median s':>9} {'min s':>8} {'max s':>8}")
    for size, graphs in (("1x", result.graphs), ("10x", repeated(result.graphs, result.base, 10))):
        statements = sum(len(g) for g in graphs.values())
        total = 0.0
        description = median_seconds(lambda: describe_dataset(graphs, result.base), repeat=5)
        print(
            f"{size:<5} {statements:>10} {'VoID':<7} {description[0]:>9.3f} {description[1]:>8.3f} {description[2]:>8.3f}"
        )
        total += description[0]
        full = with_description(graphs, describe_dataset(graphs, result.base), result.base)
        prepared = median_seconds(lambda: Canonical(full), repeat=5)
        print(
            f"{size:<5} {statements:>10} {'canonical':<7} {prepared[0]:>9.3f} {prepared[1]:>8.3f} {prepared[2]:>8.3f}"
        )
        total += prepared[0]
        ready = Canonical(full)
        for fmt in FORMATS:
            median, low, high = median_seconds(lambda: serialize(ready, fmt, result.base), repeat=5)
            total += median
            print(f"{size:<5} {statements:>10} {fmt:<7} {median:>9.3f} {low:>8.3f} {high:>8.3f}")
        print(
            f"{size:<5} {statements:>10} {'all':<7} {total:>9.3f}   "
            "(description + one conversion + every format, as 'cyberkg export --format all')"
        )
        alone = median_seconds(lambda: serialize(full, "ttl", result.base), repeat=3)
        print(
            f"{size:<5} {statements:>10} {'ttl':<7} {alone[0]:>9.3f}   (one format on its own, as 'cyberkg export -o x.ttl')"
        )


if __name__ == "__main__":
    main()
