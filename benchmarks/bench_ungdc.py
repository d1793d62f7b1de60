"""The whole UN General Debate corpus in one build (issue 16): `cyberkg build` of every
speech with validation, timed beside a plain Python pass that reads every file and
searches it for the instruments' names, in the same run; the peak memory of the build;
and every canned query on the graph it writes.

Run: .venv/bin/python benchmarks/bench_ungdc.py > benchmarks/results/ungdc.txt
(about 15 minutes; `--quick` runs everything once). The corpus is read from
../shared/ungdc/speeches (or the folder given as the first argument); where it is absent
the script says so and stops.

The plain pass is the least a script can do and still find the names: read each file,
lower-case it and count every alias of every instrument the reference data knows
(str.count, no word boundaries). A second plain pass with one compiled regular expression
of all the aliases (case-insensitive, whole words), as a careful script would search, is
printed beside it; the ratio the issue asks for is taken against the faster one.

The build runs as the command a user types, in a fresh process: cold (`--no-cache`:
every SHACL check is run) and warm (the validation cache of a cold run in place, as when
a corpus is rebuilt after a change to a few speeches). Peak memory is the largest resident
set of the build's processes (the worker processes are forked and share the parent's
pages, so their sum would count those pages twice). Each canned query is timed on the
graph loaded once into pyoxigraph, as `cyberkg query` runs it, with the load timed apart.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rdflib.namespace import RDF  # noqa: E402

from timing import machine, median_seconds  # noqa: E402

RDF_TYPE = RDF.type

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "ungdc" / "speeches"
# a fresh process runs the build and prints its wall time and the peak memory of the
# largest of its processes (itself and the workers it forked), in kB
CHILD = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "status": done.returncode, "error": done.stderr[-2000:] if done.returncode else ""}))
"""


def instrument_names() -> list[str]:
    """Every name and alias of every instrument the reference data knows (what the
    extractor looks for)."""
    from kg.reference import load_reference
    from kg.reference.context import INSTRUMENT_CLASSES
    from kg.reference.names import LABELS

    graph = load_reference().graph
    return sorted(
        {
            str(name)
            for cls in INSTRUMENT_CLASSES
            for node in graph.subjects(RDF_TYPE, cls)
            for p in LABELS
            for name in graph.objects(node, p)
        }
    )


def plain_count(files: list[Path], names: list[str]) -> int:
    lowered = [n.lower() for n in names]
    found = 0
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        found += sum(text.count(name) for name in lowered)
    return found


def plain_regex(files: list[Path], pattern: re.Pattern) -> int:
    return sum(len(pattern.findall(path.read_text(encoding="utf-8"))) for path in files)


def run_build(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=True)
    outcome = json.loads(done.stdout)
    if outcome["status"] != 0:
        raise SystemExit(f"the build failed ({outcome['status']}): {outcome['error']}")
    return outcome


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    folders = [a for a in argv if not a.startswith("--")]
    corpus = Path(folders[0]) if folders else CORPUS
    if not corpus.is_dir():
        print(f"# {corpus} is absent: the General Debate corpus is not on this machine, nothing to measure")
        return 0
    repeat = 1 if quick else 3
    files = sorted(corpus.rglob("*.txt"))
    names = instrument_names()
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)", re.I
    )
    print(f"# the UN General Debate corpus in one build, {datetime.date.today()}, {machine()}")
    print(
        f"# {len(files)} speeches, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB of text, "
        f"{len(names)} instrument names; medians of {repeat} run(s) (min, max)"
    )
    rows = []
    count = median_seconds(lambda: plain_count(files, names), repeat=repeat + 2)
    regex = median_seconds(lambda: plain_regex(files, pattern), repeat=repeat)
    rows += [
        ("plain pass: read, lower-case, str.count every name", count),
        ("plain pass: read, one regex of every name", regex),
    ]
    baseline = min(count[0], regex[0])
    out = Path(tempfile.mkdtemp(prefix="ungdc-bench-"))
    graph, cache = out / "ungdc.trig", out / "cache"
    command = [sys.executable, "-m", "kg", "build", str(corpus), "-q", "-o", str(graph)]
    cold, warm = [], []
    for _ in range(repeat):
        cold.append(run_build([*command, "--no-cache"]))
    run_build([*command, "--cache-dir", str(cache)])  # fills the cache
    for _ in range(repeat):
        warm.append(run_build([*command, "--cache-dir", str(cache)]))

    def summary(runs: list[dict]) -> tuple[float, float, float]:
        seconds = sorted(r["seconds"] for r in runs)
        return seconds[len(seconds) // 2], seconds[0], seconds[-1]

    rows += [
        ("cyberkg build, with validation, cold (--no-cache)", summary(cold)),
        ("cyberkg build, with validation, warm (cache)", summary(warm)),
    ]
    print(f"{'measure':<55} {'median s':>9} {'min s':>8} {'max s':>8} {'x plain':>8}")
    for label, (median, low, high) in rows:
        print(f"{label:<55} {median:>9.2f} {low:>8.2f} {high:>8.2f} {median / baseline:>8.1f}")
    peak = max(r["peak_kb"] for r in cold + warm) / 1024
    print(
        f"peak memory of the build (largest process): {peak:,.0f} MB; graph {graph.stat().st_size / 1e6:.0f} MB (TriG)"
    )
    print(
        f"target: build at most 25 x the plain pass ({25 * baseline:.1f} s here), peak memory under 2 GB, "
        "every canned query under 1 s"
    )

    from kg.query.catalogue import load_catalogue
    from kg.query.engines import LocalEngine
    from kg.query.params import NameResolver, bind

    start = time.perf_counter()
    engine = LocalEngine(graph)
    print(f"\nloading the graph into pyoxigraph (once per 'cyberkg query'): {time.perf_counter() - start:.2f} s")
    resolver = NameResolver(engine, "https://w3id.org/cyberkg/")
    speech = next(iter(sorted(files)))
    examples = {"speakers": {"document": _document_of(speech)}}
    print(f"{'query':<22} {'rows':>6} {'median s':>9} {'max s':>8}")
    for name, query in load_catalogue().items():
        bindings = bind(query, examples.get(name, dict(query.example_params)), resolver)
        rows_found = len(engine.select(query.text, bindings).rows)
        median, _low, high = median_seconds(lambda: engine.select(query.text, bindings), repeat=repeat + 2)
        print(f"{name:<22} {rows_found:>6} {median:>9.4f} {high:>8.4f}", flush=True)
    return 0


def _document_of(speech: Path) -> str:
    """The IRI of the document a speech file became (the speakers query's parameter)."""
    iso3, session, _year = speech.stem.split("_")
    return f"<https://w3id.org/cyberkg/id/doc/general-debate/{session}/{iso3}>"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
