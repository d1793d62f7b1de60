"""The main job in one call: read the reports, extract, build, validate, and write the graph
with its build report (NAME.report.json beside it).

`build_graph_file` is what `cyberkg build`, the benchmarks and the tests run; the CLI only
parses options and prints what the returned `BuildOutcome` holds. The graph is validated in
the canonical form it is written in (kg.rdf.Canonical), so `cyberkg validate` on the file
hits the same validation cache entries; a report whose graph breaks the shapes is left out
and the rest validated again (unless `strict`), and nothing is written while violations
remain.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.builder import BuildResult, Rejected, build, reject_failing
from kg.config import DEFAULT_BASE
from kg.graphio import atomic_files, check_writable, write
from kg.rdf import Canonical, rdf_format
from kg.read import REPORT_LIMIT_MB

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.validate import Report
    from kg.validate.cache import Cache


@dataclass
class BuildOutcome:
    """What a build did: the result, the validation (None when not validated), the reports
    left out for their violations, and whether the graph and its report were written."""

    result: BuildResult
    output: Path
    validation: Report | None = None
    rejected: list[Rejected] = field(default_factory=list)
    written: bool = False
    # seconds per stage: "reference data", "documents" (read, extracted, built), "validation",
    # "writing" (never in the build report, which stays the same from run to run)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def report_path(self) -> Path:
        """Where the build report goes: NAME.report.json beside the graph."""
        return report_path_of(self.output)


def report_path_of(output: Path) -> Path:
    """The build report of the graph `output`: NAME.report.json beside it."""
    return output.with_name(output.stem + ".report.json")


def build_graph_file(
    sources: list[Path] | None,
    output: Path,
    *,
    base: str = DEFAULT_BASE,
    rules_folder: Path | None = None,
    validate: bool = True,
    strict: bool = False,
    whole: bool = False,
    jobs: int | None = None,
    cache: Cache | None | bool = None,
    shapes: Graph | None = None,
    on_document: Callable[[Path, int], None] | None = None,
    on_validation: Callable[[int, int], None] | None = None,
    report_limit_mb: float = REPORT_LIMIT_MB,
) -> BuildOutcome:
    """Build the graph of `sources` (report files and folders; None: the bundled sample
    corpus) into `output`, whose extension picks the format. `validate` checks it against
    `shapes` (default: the bundled ones) by parts (`whole`: in one pyshacl run) with `cache`
    (see kg.validate.validate); `on_document(path, total)` is called as each of the `total`
    documents is read,
    `on_validation(done, total)` as validation passes finish. When violations remain, nothing
    is written and `written` is False."""
    output = Path(output)
    fmt = rdf_format(output)  # refuse an unknown extension before doing any work
    check_writable([output, report_path_of(output)])  # and a place the graph or its report cannot go
    timings: dict[str, float] = {}
    result = build(
        sources, base, rules_folder, progress=on_document, jobs=jobs, timings=timings, report_limit_mb=report_limit_mb
    )
    outcome = BuildOutcome(result, output, timings=timings)
    started = time.perf_counter()
    canonical = Canonical(result.graphs)
    if validate:
        from kg.validate import load_shapes
        from kg.validate import validate as check

        shapes = shapes if shapes is not None else load_shapes()

        def run() -> Report:
            return check(canonical, shapes, split=not whole, cache=cache, jobs=jobs, progress=on_validation)

        outcome.validation = run()
        if not outcome.validation.conforms and not strict:
            outcome.rejected = reject_failing(result, outcome.validation.violations) or []
            if outcome.rejected and result.documents:
                canonical = Canonical(result.graphs)
                outcome.validation = run()
        timings["validation"] = time.perf_counter() - started
        if not outcome.validation.conforms:
            return outcome
        started = time.perf_counter()
    # both written before either replaces its target: the graph is never written without its report
    with atomic_files([output, outcome.report_path]) as (graph_file, report_file):
        with open(graph_file, "wb") as graph_stream:
            write(canonical, fmt, graph_stream, where=str(output))
        with open(report_file, "w", encoding="utf-8") as report_stream:
            json.dump(build_report(outcome), report_stream, indent=2, ensure_ascii=False)
            report_stream.write("\n")
    timings["writing"] = time.perf_counter() - started
    outcome.written = True
    return outcome


def build_report(outcome: BuildOutcome) -> dict:
    """The build report: the graph file beside it (by name); per document its file, node, named graph, counts and warnings; the
    reference data's warnings; the reports left out with their violations (and the line of
    the report each comes from); the validation's verdict and findings."""
    result, validation = outcome.result, outcome.validation
    return {
        "graph": outcome.output.name,  # beside the report: its name alone, wherever the folder is
        "documents": [
            {
                "file": str(d.path),
                "document": d.document.value,
                "named_graph": d.graph.value,
                "counts": d.counts,
                "warnings": [str(w) for w in d.warnings],
            }
            for d in result.documents
        ],
        "reference_warnings": [str(w) for w in result.reference_warnings],
        "rejected": [
            {"file": str(r.document.path), "violations": [{**f.as_dict(), "line": line} for f, line in r.violations]}
            for r in outcome.rejected
        ],
        "validation": None
        if validation is None
        else {
            "conforms": validation.conforms,
            "violations": len(validation.violations),
            "warnings": len(validation.warnings),
            "findings": [f.as_dict() for f in validation.findings],
        },
    }
