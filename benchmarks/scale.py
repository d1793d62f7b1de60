"""The scale benchmark: cyberkg on synthetic corpora of N reports, each measurement set
beside its target.

For each N in --reports (default 10,100,1000) the harness writes a synthetic corpus
(`generate(N, seed)` of tests/synthetic.py) into a temporary folder and measures:

1. build, stage by stage in process (reference data, documents, writing TriG: the
   library pipeline `kg.pipeline.build_graph_file` without validation, which times its
   stages); and the whole `cyberkg build` command in a child process without and with validation:
   wall time and peak resident memory (ru_maxrss of that child, from os.wait4);
2. loading the built TriG into each store: rdflib's memory store (RdflibEngine, a
   Dataset parse), pyoxigraph (LocalEngine, as `cyberkg query` loads it, and
   Store.bulk_load beside it, and read_statements as `cyberkg validate`, `export` and
   `publish` read it) and an Oxigraph server over HTTP (what `cyberkg publish` does, in
   process: read the file, PUT every named graph);
3. SHACL validation (kg.validate.validate): by parts on an empty cache, after adding
   one report and with nothing changed, and as one pyshacl run over the union (N <=
   --whole-max);
4. every canned query with its example parameters on each store: rdflib's own engine
   (each run stopped after --rdflib-cap seconds; a query stopped at one N is not run at
   larger N), pyoxigraph and the server; every store must return the same rows;
5. every export format as `cyberkg export` builds it (the VoID/DCAT description added,
   then kg.export.serialize), and Turtle byte-identical across two runs;
6. every network (kg.draw.networks.build_network on pyoxigraph);
7. cold start: `cyberkg --help` and `cyberkg query who-supported --graph G`.

A measurement is repeated up to a count set per family and stops early once it has
spent --budget seconds (at least one run), so slow measurements at large N run once;
tables give the median, the min-max spread and the number of runs. Targets (from the
issue) apply at N=1000 and are shown at every N.

The results go to a markdown file (machine, date, command line, one section per
family), written atomically; progress goes to stderr. The exit status is 1 when a check
fails: stores disagree on the rows of a query, Turtle is not byte-identical, the in-process
build's TriG differs from `cyberkg build`'s, or a command exits non-zero. The Oxigraph
server comes with the dev extra (`pip install -e '.[dev]'`).

    .venv/bin/python benchmarks/scale.py --reports 10,100 -o benchmarks/results/scale.md
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from kg.builder import collect_sources
from kg.config import DEFAULT_BASE
from kg.draw.networks import KINDS, build_network
from kg.export import FORMATS, serialize, with_description
from kg.export.description import describe_dataset
from kg.graphio import atomic_write, read_statements
from kg.pipeline import build_graph_file
from kg.publish.graph_store import publish
from kg.query.catalogue import load_catalogue
from kg.query.engines import LocalEngine, RdflibEngine, RemoteEngine
from kg.query.params import NameResolver, bind
from kg.query.results import Results
from kg.validate import validate
from kg.validate.cache import Cache

ROOT = Path(__file__).resolve().parent.parent
# the synthetic corpus, the throwaway Oxigraph server and the row comparison are shared
# with the tests, and live with them
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from oxigraph_server import ServerError, oxigraph_server  # noqa: E402
from rows import differences  # noqa: E402
from synthetic import generate  # noqa: E402
from timing import Timing, measure, number, repeat  # noqa: E402

BIN = Path(sys.executable).parent
STORES = ("pyoxigraph", "Oxigraph server", "rdflib")  # the first is the reference for rows and ratios
STAGES = ("reference data", "documents", "writing")  # kg.pipeline.BuildOutcome.timings, without validation
COLD_QUERY = "who-supported"
MB = 1024 * 1024

# how many runs each family gets at most (--budget may stop it earlier)
REPEAT = {
    "build": 3,
    "command": 3,
    "load": 3,
    "validate": 3,
    "query": 5,
    "rdflib": 3,
    "export": 3,
    "network": 3,
    "cold": 5,
}


# -- targets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    what: str
    limit: float
    unit: str  # "s", "reports/s", "triples/s" or "MB"
    at_least: bool = False  # a throughput: higher is better

    def __str__(self) -> str:
        return f"{'>=' if self.at_least else '<'} {number(self.limit, self.unit)}"

    def verdict(self, value: float) -> str:
        if self.at_least:
            if value >= self.limit:
                return "met"
            return f"missed by {number(self.limit - value, self.unit)} ({value / self.limit:.0%} of target)"
        if value < self.limit:
            return "met"
        return f"missed by {number(value - self.limit, self.unit)} ({value / self.limit:.1f}x the target)"


TARGETS = {
    "build": Target("build, end to end", 20, "reports/s", at_least=True),
    "load": Target("loading the graph", 300_000, "triples/s", at_least=True),
    "query": Target("every canned query, median (pyoxigraph)", 1.0, "s"),
    "alignment": Target("alignment network", 2.0, "s"),
    "validate": Target("full validation", 60.0, "s"),
    "incremental": Target("validation after adding one report", 5.0, "s"),
    "turtle": Target("Turtle export of the whole graph", 5.0, "s"),
    "help": Target("`cyberkg --help`", 0.3, "s"),
    "memory": Target("peak memory of `cyberkg build`", 2048, "MB"),
}


class Capped(BaseException):
    """Raised into a query that runs past its cap (a BaseException, so that no
    `except Exception` in the engine swallows it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with Capped after `seconds` (rdflib's engine is pure Python,
    so the alarm's handler runs in it)."""

    def expire(signum, frame):
        raise Capped

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Runs a command and prints its wall time, peak resident memory (kB) and exit status. It
# is a small process of its own because on Linux a child's ru_maxrss starts at the RSS of
# the process that spawned it (subprocess uses vfork), so a command spawned by the
# benchmark itself would be charged the benchmark's memory.
SPAWN = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


@dataclass
class Child:
    seconds: float
    peak_mb: float
    status: int
    stderr: str


def run_child(argv: list[str]) -> Child:
    """Run a command (its output discarded) to its end: wall time, peak resident memory
    of that process with its waited-for children, exit status, last line of stderr."""
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", SPAWN, *argv], cwd=ROOT, capture_output=True, text=True, check=True
    )
    seconds, peak_kb, status = done.stdout.split()
    errors = done.stderr.strip().splitlines()
    return Child(float(seconds), int(peak_kb) / 1024, int(status), errors[-1] if errors else "")


@dataclass
class Command:
    what: str
    timing: Timing
    peak_mb: float
    status: int
    stderr: str


def measure_command(
    what: str, argv: list[str], times: int, budget: float, before: Callable[[], None] = lambda: None
) -> Command:
    """A command run as `repeat` says (`before` called ahead of each run): wall times, the
    highest peak memory, the first failure."""
    children = repeat(lambda: before() or run_child(argv), times, budget)
    failed = [c for c in children if c.status]
    return Command(
        what,
        Timing([c.seconds for c in children]),
        max(c.peak_mb for c in children),
        failed[0].status if failed else 0,
        failed[0].stderr if failed else "",
    )


def cyberkg(*args: str) -> list[str]:
    script = shutil.which("cyberkg", path=str(BIN))
    if script is None:
        raise SystemExit(f"benchmarks/scale.py: no cyberkg command beside {sys.executable} (pip install -e .)")
    return [script, *args]


_started = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - _started:7.1f} s] {message}", file=sys.stderr, flush=True)


# -- what one N gives --------------------------------------------------------------------------


@dataclass
class QueryResult:
    name: str
    rows: int
    cells: dict[str, Timing | str]  # store -> timing, or why there is none ("> 20 s")
    differences: list[str]


@dataclass
class Measured:
    n: int
    corpus_bytes: int
    statements: int = 0
    stages: dict[str, Timing] = field(default_factory=dict)
    same_as_command: bool = False
    commands: list[Command] = field(default_factory=list)
    loads: dict[str, Timing] = field(default_factory=dict)
    validation: dict[str, Validation] = field(default_factory=dict)  # how -> timing and what it found
    same_findings: bool | None = None  # by parts and whole (None: whole not run)
    queries: list[QueryResult] = field(default_factory=list)
    exports: dict[str, tuple[Timing, int]] = field(default_factory=dict)  # format -> timing, bytes
    turtle_identical: bool = False
    networks: dict[str, tuple[Timing, int, int]] = field(default_factory=dict)  # kind -> timing, nodes, edges
    cold: list[Command] = field(default_factory=list)

    @property
    def build_seconds(self) -> float:
        return sum(timing.median for timing in self.stages.values())

    def failures(self) -> list[str]:
        found = [f"N={self.n} {q.name}: {d}" for q in self.queries for d in q.differences]
        if not self.turtle_identical:
            found.append(f"N={self.n}: two Turtle exports of the same graph differ")
        if self.same_findings is False:
            found.append(f"N={self.n}: validation by parts and of the whole union found different things")
        if not self.same_as_command:
            found.append(f"N={self.n}: the in-process build's TriG differs from `cyberkg build`'s")
        found += [
            f"N={self.n}: `{c.what}` exited {c.status}: {c.stderr}" for c in self.commands + self.cold if c.status
        ]
        return found


# -- 1. build ----------------------------------------------------------------------------------


def in_process_build(files: list[Path], trig: Path) -> dict[str, float]:
    """One build without validation, as `cyberkg build --no-validate` runs it (the library
    pipeline, kg.pipeline), written as TriG; the seconds each stage took."""
    return build_graph_file(files, trig, validate=False, jobs=1).timings


def measure_build(m: Measured, files: list[Path], folder: Path, budget: float) -> Path:
    trig = folder / "in-process.trig"
    laps = repeat(lambda: in_process_build(files, trig), REPEAT["build"], budget)
    m.stages = {stage: Timing([run[stage] for run in laps]) for stage in STAGES}
    log(f"N={m.n}: in-process build {number(m.build_seconds, 's')} ({len(laps)} run{'s' if len(laps) > 1 else ''})")
    built = folder / "G.trig"
    cache = folder / "validation-cache"

    def empty_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    os.environ["CYBERKG_CACHE_DIR"] = str(cache)  # the children's validation cache
    for what, extra, before in (
        ("cyberkg build DIR -o G.trig --no-validate", ["--no-validate"], empty_cache),
        ("cyberkg build DIR -o G.trig", [], empty_cache),
        ("cyberkg build DIR -o G.trig, validation cached", [], lambda: None),
    ):
        argv = cyberkg("build", str(folder / "corpus"), "-o", str(built), "-q", *extra)
        m.commands.append(measure_command(what, argv, REPEAT["command"], budget, before))
        log(f"N={m.n}: {what}: {m.commands[-1].timing}, peak {number(m.commands[-1].peak_mb, 'MB')}")
    empty_cache()
    m.same_as_command = built.is_file() and built.read_bytes() == trig.read_bytes()
    return built


# -- 2. loading --------------------------------------------------------------------------------


def bulk_load(trig: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(trig), format=pyoxigraph.RdfFormat.TRIG)
    return store


def measure_loading(m: Measured, trig: Path, server: str, budget: float) -> tuple[RdflibEngine, LocalEngine, dict]:
    """Returns the three loaded forms: rdflib's, pyoxigraph's store, and the file as
    `cyberkg validate`, `export` and `publish` read it ({graph: Statements})."""
    m.loads["rdflib"], rdflib_engine = measure(lambda: RdflibEngine(trig), REPEAT["load"], budget)
    m.loads["pyoxigraph"], local = measure(lambda: LocalEngine(trig), REPEAT["load"], budget)
    m.loads["pyoxigraph (Store.bulk_load)"], _ = measure(lambda: bulk_load(trig), REPEAT["load"], budget)
    m.loads["pyoxigraph (read_statements)"], statements = measure(lambda: read_statements(trig), REPEAT["load"], budget)
    store = server + "/store"
    m.loads["Oxigraph server"], _ = measure(lambda: publish(read_statements(trig), store), REPEAT["load"], budget)
    m.loads["Oxigraph server (upload only)"], _ = measure(lambda: publish(statements, store), REPEAT["load"], budget)
    m.loads["Oxigraph server (--bulk)"], _ = measure(
        lambda: publish(read_statements(trig), store, bulk=True), REPEAT["load"], budget
    )
    m.loads["Oxigraph server (--bulk, upload only)"], _ = measure(
        lambda: publish(statements, store, bulk=True), REPEAT["load"], budget
    )
    m.statements = len(local.store)
    log(f"N={m.n}: loaded {m.statements} statements: " + ", ".join(f"{s} {t}" for s, t in m.loads.items()))
    return rdflib_engine, local, statements


# -- 3. validation -----------------------------------------------------------------------------


@dataclass
class Validation:
    what: str
    timing: Timing
    conforms: bool
    violations: int
    warnings: int
    passes: int
    checked: int


VALIDATIONS = {
    "whole": "one pyshacl run over the union (`--whole`)",
    "cold": "by parts, empty cache, N-1 reports",
    "added": "by parts, after adding the N-th report",
    "warm": "by parts, nothing changed",
}


def measure_validation(m: Measured, graphs: dict, budget: float, whole_max: int, jobs: int) -> None:
    """kg.validate.validate on the graphs read from G.trig: by parts with a cache of its
    own, first without the last report (cold), then with it (one report added), then
    again (all cached); and as one pyshacl run over the union where N <= whole_max."""
    last = max(name for name in graphs if "/graph/doc/" in str(name))
    before = {name: g for name, g in graphs.items() if name != last}
    reports = {}

    def record(how: str, timing: Timing, report) -> None:
        reports[how] = report
        m.validation[how] = Validation(
            VALIDATIONS[how],
            timing,
            report.conforms,
            len(report.violations),
            len(report.warnings),
            report.passes,
            report.checked,
        )
        log(f"N={m.n}: validation, {VALIDATIONS[how]}: {timing} ({report.checked} of {report.passes} checks run)")

    with tempfile.TemporaryDirectory(prefix="cyberkg-bench-cache-") as folder:

        def cold():
            shutil.rmtree(folder, ignore_errors=True)
            return validate(before, cache=Cache(Path(folder)), jobs=jobs)

        timing, report = measure(cold, REPEAT["validate"], budget)
        record("cold", timing, report)
        cached = Path(folder + "-filled")
        shutil.copytree(folder, cached)

        def added():
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(cached, folder)  # the cache as the cold run left it
            return validate(graphs, cache=Cache(Path(folder)), jobs=jobs)

        timing, report = measure(added, REPEAT["validate"], budget)
        record("added", timing, report)
        shutil.rmtree(cached, ignore_errors=True)
        timing, report = measure(
            lambda: validate(graphs, cache=Cache(Path(folder)), jobs=jobs), REPEAT["validate"], budget
        )
        record("warm", timing, report)
    if m.n <= whole_max:
        timing, report = measure(lambda: validate(graphs, split=False), REPEAT["validate"], budget)
        record("whole", timing, report)
        m.same_findings = report.findings == reports["warm"].findings


# -- 4. queries --------------------------------------------------------------------------------


def capped_run(run: Callable[[], Results], cap: float) -> Results:
    with time_limit(cap):
        return run()


def measure_queries(m: Measured, engines: dict, cap: float, capped: dict[str, int], budget: float) -> None:
    """Every canned query on every store; `capped` (query -> the N it was stopped at)
    carries over to larger N."""
    resolver = NameResolver(engines["pyoxigraph"], DEFAULT_BASE)
    for name, query in load_catalogue().items():
        bindings = bind(query, query.example_params, resolver)
        cells: dict[str, Timing | str] = {}
        results: dict[str, Results] = {}
        for store in STORES:
            engine = engines[store]

            def run(engine=engine):
                return engine.select(query.text, bindings)

            if store != "rdflib":
                cells[store], results[store] = measure(run, REPEAT["query"], budget)
            elif name in capped:
                cells[store] = f"> {cap:g} s at N={capped[name]}, not run"
            else:
                try:
                    cells[store], results[store] = measure(lambda: capped_run(run, cap), REPEAT["rdflib"], budget)
                except Capped:
                    capped[name] = m.n
                    cells[store] = f"> {cap:g} s"
        diff = differences(query.text, results)
        for line in diff:
            print(f"N={m.n} {name}: {line}", file=sys.stderr)
        m.queries.append(QueryResult(name, len(results["pyoxigraph"].rows), cells, diff))
        log(f"N={m.n}: query {name}: " + ", ".join(f"{s} {c}" for s, c in cells.items()))


# -- 5. exports --------------------------------------------------------------------------------


def export_bytes(graphs: dict, fmt: str) -> bytes:
    """The graph in one format as `cyberkg export --format FMT` writes it."""
    description = describe_dataset(graphs, DEFAULT_BASE, None, [f"cyberkg.{fmt}"])
    return serialize(with_description(graphs, description, DEFAULT_BASE), fmt, DEFAULT_BASE)


def measure_exports(m: Measured, graphs: dict, budget: float) -> None:
    for fmt in FORMATS:
        timing, data = measure(lambda: export_bytes(graphs, fmt), REPEAT["export"], budget)
        m.exports[fmt] = (timing, len(data))
        log(f"N={m.n}: export {fmt} {timing}")
    m.turtle_identical = export_bytes(graphs, "ttl") == export_bytes(graphs, "ttl")


# -- 6. networks -------------------------------------------------------------------------------


def measure_networks(m: Measured, local: LocalEngine, budget: float) -> None:
    for kind in KINDS:
        timing, network = measure(lambda: build_network(kind, local), REPEAT["network"], budget)
        m.networks[kind] = (timing, network.number_of_nodes(), network.number_of_edges())
        log(f"N={m.n}: network {kind} {timing}")


# -- 7. cold start -----------------------------------------------------------------------------


def measure_cold_start(m: Measured, trig: Path, budget: float) -> None:
    params = [
        arg
        for key, value in load_catalogue()[COLD_QUERY].example_params.items()
        for arg in ("--param", f"{key}={value}")
    ]
    for what, argv in (
        ("cyberkg --help", cyberkg("--help")),
        (
            f"cyberkg query {COLD_QUERY} --graph G {shlex.join(params)}",
            cyberkg("query", COLD_QUERY, "--graph", str(trig), *params),
        ),
    ):
        m.cold.append(measure_command(what, argv, REPEAT["cold"], budget))
        log(f"N={m.n}: {what}: {m.cold[-1].timing}")


# -- one N -------------------------------------------------------------------------------------


def benchmark(
    n: int, seed: int, cap: float, capped: dict[str, int], budget: float, whole_max: int, jobs: int
) -> Measured:
    with tempfile.TemporaryDirectory(prefix=f"cyberkg-bench-{n}-") as temporary:
        folder = Path(temporary)
        log(f"N={n}: writing the synthetic corpus (seed {seed})")
        paths = generate(n, seed, folder / "corpus")
        m = Measured(n, sum(p.stat().st_size for p in paths))
        trig = measure_build(m, collect_sources([folder / "corpus"]), folder, budget)
        with oxigraph_server(folder / "oxigraph") as running:
            server = running.url
            rdflib_engine, local, graphs = measure_loading(m, trig, server, budget)
            measure_validation(m, graphs, budget, whole_max, jobs)
            engines = {
                "pyoxigraph": local,
                "Oxigraph server": RemoteEngine(server, timeout=3600),
                "rdflib": rdflib_engine,
            }
            measure_queries(m, engines, cap, capped, budget)
            # rdflib's copy of the graph goes before the exports: `cyberkg export` holds none,
            # and millions of live rdflib objects slow every allocation (the garbage collector
            # walks them)
            del rdflib_engine, engines
        measure_exports(m, graphs, budget)
        del graphs
        measure_networks(m, local, budget)
        measure_cold_start(m, trig, budget)
    return m


# -- the report --------------------------------------------------------------------------------


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = next(
        (
            int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("cyberkg", "rdflib", "pyoxigraph", "oxigraph", "pyshacl", "networkx", "SPARQLWrapper")
    )
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores",
        f"- RAM: {memory / 1024**3:.1f} GB",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()} ({sys.executable})",
        f"- libraries: {versions}",
        f"- cyberkg source: git {commit or 'unknown'}",
    ]


def summary(runs: list[Measured]) -> str:
    """Each target beside what it is measured on, at every N."""
    rows = []
    for m in runs:
        slowest = max(m.queries, key=lambda q: q.cells["pyoxigraph"].median)
        measured = [("build", "in process (sum of stage medians)", m.n / m.build_seconds)]
        measured += [("build", f"`{c.what}`", m.n / c.timing.median) for c in m.commands]
        measured += [("load", store, m.statements / timing.median) for store, timing in m.loads.items()]
        measured += [
            ("query", f"slowest: {slowest.name}", slowest.cells["pyoxigraph"].median),
            ("alignment", "`build_network('alignment')`", m.networks["alignment"][0].median),
            *[
                ("incremental" if how == "added" else "validate", f"`kg.validate.validate`, {v.what}", v.timing.median)
                for how, v in m.validation.items()
            ],
            ("turtle", "`cyberkg export --format ttl`, in process", m.exports["ttl"][0].median),
            ("help", "fresh process", m.cold[0].timing.median),
        ]
        measured += [("memory", f"`{c.what}`", c.peak_mb) for c in m.commands]
        for key, what, value in measured:
            target = TARGETS[key]
            rows.append([target.what, str(target), str(m.n), what, number(value, target.unit), target.verdict(value)])
    return table(["target", "limit", "N", "measured on", "measured", "verdict"], rows)


def build_section(runs: list[Measured]) -> str:
    rows = []
    for m in runs:
        for stage, timing in m.stages.items():
            rows.append([str(m.n), stage, str(timing), f"{timing.median / m.build_seconds:.0%}", ""])
        rate = m.n / m.build_seconds
        rows.append(
            [
                str(m.n),
                "**end to end** (sum of medians)",
                number(m.build_seconds, "s"),
                number(rate, "reports/s"),
                TARGETS["build"].verdict(rate),
            ]
        )
    commands = []
    for m in runs:
        for c in m.commands:
            rate = m.n / c.timing.median
            commands.append(
                [
                    str(m.n),
                    f"`{c.what}`",
                    str(c.timing),
                    number(rate, "reports/s"),
                    number(c.peak_mb, "MB"),
                    TARGETS["memory"].verdict(c.peak_mb),
                    str(c.status),
                ]
            )
    same = ", ".join(f"N={m.n}: {'yes' if m.same_as_command else 'NO'}" for m in runs)
    corpora = ", ".join(
        f"N={m.n}: {m.corpus_bytes / MB:.2f} MB of text, {m.statements:,} statements built" for m in runs
    )
    return "\n\n".join(
        [
            "## 1. Build",
            f"Corpora: {corpora}. The build runs in process, in one worker, through the library pipeline "
            "`cyberkg build --no-validate` runs (`kg.pipeline.build_graph_file`, which times its stages): the "
            "reference data, the documents (read, extracted, built) and the writing of the TriG file. "
            f"Target: {TARGETS['build']} end to end.",
            table(["N", "stage", "median (min - max, runs)", "share / rate", "target"], rows),
            f"The whole command in a child process (peak memory is the child's maximum resident set size; "
            f"target {TARGETS['memory']}):",
            table(["N", "command", "wall time", "reports/s", "peak memory", "memory target", "exit"], commands),
            f"The in-process build's TriG is byte-identical to `cyberkg build`'s: {same}.",
        ]
    )


def loading_section(runs: list[Measured]) -> str:
    rows = []
    for m in runs:
        reference = m.loads["pyoxigraph"].median
        for store, timing in m.loads.items():
            rate = m.statements / timing.median
            rows.append(
                [
                    str(m.n),
                    store,
                    f"{m.statements:,}",
                    str(timing),
                    number(rate, "triples/s"),
                    f"{timing.median / reference:.1f}x",
                    TARGETS["load"].verdict(rate),
                ]
            )
    return "\n\n".join(
        [
            "## 2. Loading the built graph",
            "From the TriG file: rdflib is `RdflibEngine` (a `Dataset` parse), pyoxigraph is `LocalEngine` "
            "(`Store.load`, as `cyberkg query` loads it) with `Store.bulk_load` beside it, and `read_statements` (a "
            "pyoxigraph parse into one `Statements` set per named graph, as `cyberkg validate`, `export` and `publish` "
            "read the file); the Oxigraph server is what `cyberkg publish` does in process (read the file, then one HTTP "
            "PUT of N-Triples per named graph), and again without the read; `--bulk` is `cyberkg publish --bulk` (one "
            "DELETE per graph, then the whole file in one N-Quads POST that the server loads with its bulk loader). "
            f"Target: {TARGETS['load']}.",
            table(
                ["N", "store", "statements", "median (min - max, runs)", "rate", "time vs pyoxigraph", "target"], rows
            ),
        ]
    )


def validation_section(runs: list[Measured], jobs: int) -> str:
    rows = []
    for m in runs:
        whole = m.validation.get("whole")
        for how in ("whole", "cold", "added", "warm"):
            v = m.validation.get(how)
            if v is None:
                rows.append([str(m.n), VALIDATIONS[how], "not run (N above --whole-max)", "", "", "", "", "", ""])
                continue
            ratio = f"{v.timing.median / whole.timing.median:.2f}x" if whole else "n/a"
            target = TARGETS["incremental" if how == "added" else "validate"]
            rows.append(
                [
                    str(m.n),
                    v.what,
                    str(v.timing),
                    ratio,
                    f"{v.checked} of {v.passes}",
                    "yes" if v.conforms else "no",
                    str(v.violations),
                    str(v.warnings),
                    f"{target}: {target.verdict(v.timing.median)}",
                ]
            )
    same = ", ".join(
        f"N={m.n}: {'n/a' if m.same_findings is None else 'yes' if m.same_findings else 'NO'}" for m in runs
    )
    return "\n\n".join(
        [
            "## 3. Validation",
            "`kg.validate.validate` on the graphs read from G.trig (pyoxigraph; the conversion to rdflib for pyshacl is "
            f"included). By parts (the default): one pyshacl pass per named graph, passes over the nodes several graphs "
            f"describe and for the shapes that reach further, run in {jobs} forked processes and cached by content hash "
            "in a folder of the benchmark's own. *Cold* validates the graph without its last report on an empty cache; "
            "*added* then validates the whole graph on the cache the cold run left, as after adding one report; *warm* "
            "validates it again with nothing changed. *Whole* is one pyshacl run over the union, on one core. "
            f"Target: {TARGETS['validate']} for a full validation, or < 5 s after adding one report.",
            table(
                [
                    "N",
                    "how",
                    "median (min - max, runs)",
                    "time vs whole",
                    "checks run",
                    "conforms",
                    "violations",
                    "warnings",
                    "target",
                ],
                rows,
            ),
            f"Findings by parts identical to the whole union's: {same}.",
        ]
    )


def queries_section(runs: list[Measured], cap: float) -> str:
    rows = []
    for m in runs:
        for q in m.queries:
            ox = q.cells["pyoxigraph"]
            ratios = [
                f"{c.median / ox.median:.1f}x" if isinstance(c, Timing) else "n/a"
                for c in (q.cells["Oxigraph server"], q.cells["rdflib"])
            ]
            rows.append(
                [
                    q.name,
                    str(m.n),
                    str(q.rows),
                    *(str(q.cells[s]) for s in STORES),
                    *ratios,
                    "identical" if not q.differences else "DIFFER: " + "; ".join(q.differences),
                    TARGETS["query"].verdict(ox.median),
                ]
            )
    empty = sorted({q.name for m in runs for q in m.queries if q.rows == 0})
    differing = [q for m in runs for q in m.queries if q.differences]
    notes = [
        "## 4. Canned queries",
        f"Each query with the parameters of its header's example (bound once, by pyoxigraph's names), on every store. "
        f"rdflib runs are stopped after {cap:g} s; a query stopped at one N is not run at larger N. Rows are compared "
        f"as multisets of string values, and for ORDER BY queries also in the order of the ordering variables they "
        f"return; a store without rows (stopped) is left out of the comparison. Target: {TARGETS['query']} (pyoxigraph).",
        table(
            [
                "query",
                "N",
                "rows",
                *STORES,
                "server / pyoxigraph",
                "rdflib / pyoxigraph",
                "rows across stores",
                "target",
            ],
            rows,
        ),
        f"Identical rows across stores: {'passed' if not differing else 'FAILED'} "
        f"({sum(len(m.queries) for m in runs)} query runs compared, {len(differing)} differ).",
    ]
    if empty:
        notes.append(
            f"No rows at some N (the example's parameters name nothing in the synthetic corpus, so the "
            f"timing is of an empty answer): {', '.join(empty)}."
        )
    return "\n\n".join(notes)


def exports_section(runs: list[Measured]) -> str:
    rows = []
    for m in runs:
        for fmt, (timing, size) in m.exports.items():
            rows.append(
                [
                    str(m.n),
                    fmt,
                    f"{size / MB:.2f} MB",
                    str(timing),
                    TARGETS["turtle"].verdict(timing.median) if fmt == "ttl" else "",
                ]
            )
    same = ", ".join(f"N={m.n}: {'yes' if m.turtle_identical else 'NO'}" for m in runs)
    return "\n\n".join(
        [
            "## 5. Exports",
            "Each format as `cyberkg export --format FMT` builds it, in process (not writing the file): the VoID/DCAT "
            f"description computed, added, and the whole written by `kg.export.serialize`. Target: Turtle {TARGETS['turtle']}.",
            table(["N", "format", "size", "median (min - max, runs)", "target"], rows),
            f"Turtle byte-identical across two runs: {same}.",
        ]
    )


def networks_section(runs: list[Measured]) -> str:
    rows = [
        [
            str(m.n),
            kind,
            str(nodes),
            str(edges),
            str(timing),
            TARGETS["alignment"].verdict(timing.median) if kind == "alignment" else "",
        ]
        for m in runs
        for kind, (timing, nodes, edges) in m.networks.items()
    ]
    return "\n\n".join(
        [
            "## 6. Networks",
            f"`kg.draw.networks.build_network` on pyoxigraph (queries, networkx graph, measures; no files). "
            f"Target: alignment {TARGETS['alignment']}.",
            table(["N", "network", "nodes", "edges", "median (min - max, runs)", "target"], rows),
        ]
    )


def cold_start_section(runs: list[Measured]) -> str:
    rows = [
        [
            str(m.n),
            f"`{c.what}`",
            str(c.timing),
            number(c.peak_mb, "MB"),
            TARGETS["help"].verdict(c.timing.median) if i == 0 else "",
            str(c.status),
        ]
        for m in runs
        for i, c in enumerate(m.cold)
    ]
    return "\n\n".join(
        [
            "## 7. Cold start",
            f"Fresh processes (the query one loads G, the N-report graph, with pyoxigraph). Target: `cyberkg --help` {TARGETS['help']}.",
            table(["N", "command", "wall time", "peak memory", "target", "exit"], rows),
        ]
    )


def render(
    runs: list[Measured],
    argv: list[str],
    seed: int,
    cap: float,
    budget: float,
    started: datetime.datetime,
    failures: list[str],
    jobs: int,
) -> str:
    parts = [
        "# cyberkg scale benchmark",
        f"Run {started:%Y-%m-%d %H:%M} UTC, {time.perf_counter() - _started:.0f} s in all: "
        f"`python benchmarks/scale.py {shlex.join(argv)}`",
        "\n".join(machine()),
        f"Corpora from `generate(N, seed={seed})` of tests/synthetic.py. Each measurement is repeated up to a few times and no new "
        f"run starts once {budget:g} s are spent on it; medians are given with the min - max spread and the number of "
        f"runs. Targets apply at N=1000 and are shown at every N.",
        "## Targets",
        summary(runs),
        "## Checks",
        "\n".join(f"- FAILED: {f}" for f in failures)
        if failures
        else "All checks passed: identical rows across stores, Turtle byte-identical, in-process build equal to "
        "`cyberkg build`, every command exited 0.",
        build_section(runs),
        loading_section(runs),
        validation_section(runs, jobs),
        queries_section(runs, cap),
        exports_section(runs),
        networks_section(runs),
        cold_start_section(runs),
    ]
    return "\n\n".join(parts) + "\n"


# -- command line ------------------------------------------------------------------------------


def sizes(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of report counts") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("report counts must be positive")
    return values


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python benchmarks/scale.py", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reports", type=sizes, default=[10, 100, 1000], help="corpus sizes N, comma-separated (default 10,100,1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus (default 0)")
    parser.add_argument(
        "--rdflib-cap", type=float, default=20.0, help="seconds after which an rdflib query run is stopped (default 20)"
    )
    parser.add_argument(
        "--budget", type=float, default=10.0, help="seconds after which a measurement starts no new repeat (default 10)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="run each measurement at most this many times (default: 3 to 5, by family; 1 to check the "
        "harness, as its test does)",
    )
    parser.add_argument(
        "--whole-max",
        type=int,
        default=100,
        help="largest N at which validation also runs as one pyshacl pass over the union (default 100)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for validation by parts (default: one per core)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=ROOT / "benchmarks" / "results" / "scale.md",
        help="markdown file to write (default benchmarks/results/scale.md)",
    )
    args = parser.parse_args(argv)
    if args.repeat is not None:
        REPEAT.update({family: max(1, min(times, args.repeat)) for family, times in REPEAT.items()})
    started = datetime.datetime.now(datetime.timezone.utc)
    capped: dict[str, int] = {}
    try:
        runs = [
            benchmark(n, args.seed, args.rdflib_cap, capped, args.budget, args.whole_max, args.jobs)
            for n in sorted(set(args.reports))
        ]
    except ServerError as error:
        raise SystemExit(f"benchmarks/scale.py: {error}") from None
    failures = [f for m in runs for f in m.failures()]
    with atomic_write(args.output) as stream:
        stream.write(render(runs, argv, args.seed, args.rdflib_cap, args.budget, started, failures, args.jobs))
    log(f"wrote {args.output}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
