"""How long building the sample corpus takes (issue 4 asks for under 2 seconds for both
samples with all reference data), and where the time goes.

Run: .venv/bin/python benchmarks/bench_build.py > benchmarks/results/build.txt
Medians of repeated runs in one process, and of the whole `cyberkg build` command in a
fresh process (Python start-up and imports included).
"""

from __future__ import annotations

import datetime
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pyoxigraph import RdfFormat  # noqa: E402

from kg.builder import build  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.graphio import serialize_dataset  # noqa: E402
from kg.reference import load_reference  # noqa: E402
from timing import machine, median_process_seconds, median_seconds  # noqa: E402


def main() -> None:
    result = build()
    reference = load_reference()
    extractor = Extractor(reference)
    files = [d.path for d in result.documents]
    out = Path(tempfile.mkdtemp()) / "graph.trig"
    rows = [
        ("reference data", median_seconds(load_reference, repeat=7)),
        ("extraction of both reports", median_seconds(lambda: [extractor(f) for f in files], repeat=7)),
        ("build(): reference + extraction + graphs", median_seconds(build, repeat=7)),
        ("serialise TriG", median_seconds(lambda: serialize_dataset(result.graphs, RdfFormat.TRIG), repeat=7)),
        (
            "cyberkg build (fresh process, TriG)",
            median_process_seconds(
                f"from kg.cli import main; import sys; sys.argv=['cyberkg','build','-q','-o',{str(out)!r}]; main()",
                repeat=5,
            ),
        ),
    ]
    print(f"# build of the sample corpus, {datetime.date.today()}, {machine()}")
    print(f"statements: {result.statements} in {len(result.graphs)} named graphs")
    print(f"{'measure':<45} {'median s':>9} {'min s':>8} {'max s':>8}")
    for name, (median, low, high) in rows:
        print(f"{name:<45} {median:>9.3f} {low:>8.3f} {high:>8.3f}")


if __name__ == "__main__":
    main()
