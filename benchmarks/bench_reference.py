"""How long loading all reference data takes (issue 3 asks for well under a second).

Run: .venv/bin/python benchmarks/bench_reference.py > benchmarks/results/reference.txt
Reports medians of repeated runs: in one process (what `cyberkg build` pays), and in a
fresh process including Python start-up and imports (what one command pays).
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kg.reference import load_reference  # noqa: E402
from timing import machine, median_process_seconds, median_seconds  # noqa: E402


def main() -> None:
    data = load_reference()
    in_process = median_seconds(load_reference, repeat=9)
    fresh = median_process_seconds("from kg.reference import load_reference; load_reference()", repeat=5)
    imports = median_process_seconds("import kg.reference", repeat=5)
    print(f"# reference data load, {datetime.date.today()}, {machine()}")
    print(f"triples: {len(data.graph)}")
    print(f"{'measure':<40} {'median s':>9} {'min s':>8} {'max s':>8}")
    for name, (median, low, high) in (
        ("load_reference() in a warm process", in_process),
        ("fresh process: import + load", fresh),
        ("fresh process: import only", imports),
    ):
        print(f"{name:<40} {median:>9.3f} {low:>8.3f} {high:>8.3f}")
    print(f"load share of a fresh process: {(fresh[0] - imports[0]) / fresh[0]:.0%}")


if __name__ == "__main__":
    main()
