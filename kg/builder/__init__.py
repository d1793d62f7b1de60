"""Building the graph: reference data, vocabulary and every report, one named graph each.

`build(sources)` reads the reference data once, extracts each report (showing progress
for long builds), turns each extraction into its own named graph, and returns the
dataset with a report of what was found and every warning. A corpus of many documents is
read by one worker process per core (forked, so the reference data and rules are loaded
once), and the graphs come back in the order of the files, so the result does not depend
on the number of processes. Nothing is written here; the
CLI writes the dataset atomically (kg.graphio.write_dataset).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import NamedNode

from kg import namespaces, resources
from kg.builder.document import DocumentBuilder
from kg.config import DEFAULT_BASE
from kg.diagnostics import Diagnostic
from kg.errors import CyberkgError
from kg.extract import Extraction, Extractor
from kg.extract.rules import load_rules
from kg.iris import Iris
from kg.namespaces import ONTOLOGY_IRI
from kg.ontology import load_ontology
from kg.rdf import Statements, ntriples
from kg.read import REPORT_LIMIT_MB, check_size
from kg.reference import load_reference

if TYPE_CHECKING:
    from kg.validate import Finding

REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


def collect_sources(sources: Iterable[Path]) -> list[Path]:
    """The report files named, with folders expanded to the reports they hold (sorted)."""
    files: list[Path] = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            reports = [
                p
                for p in sorted(source.rglob("*"))
                if p.suffix.lower() in REPORT_SUFFIXES and p.name.lower() != "readme.md"
            ]
            for entry in reports:  # a link to nothing is not skipped in silence
                if entry.is_symlink() and not entry.exists():
                    raise CyberkgError(
                        f"{entry}: a link to nothing (its target is missing, or it points back at itself); "
                        "remove it or point it at a report",
                        exit_code=2,
                    )
            found = [p for p in reports if p.is_file()]
            if not found:
                raise CyberkgError(
                    f"{source}: folder holds no report files ({', '.join(REPORT_SUFFIXES)})", exit_code=2
                )
            files.extend(found)
        elif source.is_file():
            files.append(source)
        else:
            raise CyberkgError(f"{source}: no such file or folder", exit_code=2)
    return list(dict.fromkeys(p.resolve() for p in files))  # each file once, in the order named


def default_sources() -> list[Path]:
    return collect_sources([resources.resource_dir("corpus")])


@dataclass
class DocumentReport:
    """What one document yielded: its node, its named graph, counts and warnings."""

    path: Path
    document: NamedNode
    graph: NamedNode
    counts: dict[str, int]
    warnings: list[Diagnostic]


@dataclass
class BuildResult:
    """The built dataset, {named graph: its statements} in the order built (the vocabulary,
    the reference data, then one graph per document), with what each document yielded."""

    graphs: dict[NamedNode, Statements]
    base: str
    documents: list[DocumentReport] = field(default_factory=list)
    reference_warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def statements(self) -> int:
        return sum(len(g) for g in self.graphs.values())

    @property
    def warnings(self) -> list[Diagnostic]:
        return self.reference_warnings + [w for d in self.documents for w in d.warnings]


def counts(extraction: Extraction) -> dict[str, int]:
    passages = extraction.passages
    positions = extraction.positions
    return {
        "sections": len(extraction.sections),
        "paragraphs": sum(p.kind == "paragraph" and p.number is not None for p in passages),
        "recommendations": len(extraction.recommendations()),
        "sub-items": sum(p.kind == "subitem" and p.recommendation for p in passages),
        "agenda items": len(extraction.agenda),
        "speakers": sum(p.role == "speaker" for p in extraction.participations),
        "panellists": sum(p.role == "panellist" for p in extraction.participations),
        "chairs": sum(p.role == "chair" for p in extraction.participations),
        "attendance figures": len(extraction.attendance),
        "instrument mentions": sum(m.kind == "instrument" for m in extraction.mentions),
        "actor mentions": sum(m.kind == "actor" for m in extraction.mentions),
        "cited resolutions": len({(r.body, r.number) for r in extraction.resolutions}),
        "cited documents": len({s for s, _ in extraction.symbols}),
        "positions (named holder)": sum(p.holder.named for p in positions),
        "positions (anonymous holder)": sum(not p.holder.named for p in positions),
        "warnings": len(extraction.diagnostics),
    }


def build(
    sources: list[Path] | None = None,
    base: str = DEFAULT_BASE,
    rules_folder: Path | None = None,
    progress: Callable[[Path, int], None] | None = None,
    jobs: int | None = None,
    timings: dict[str, float] | None = None,
    report_limit_mb: float = REPORT_LIMIT_MB,
) -> BuildResult:
    """Build the dataset from report files and folders (default: the bundled sample corpus);
    `progress(path, total)` is called as each of the `total` files is done; `jobs` is the
    number of processes that read them (default: one per core, one for a few files).
    `timings`, when given, receives the seconds each stage took: "reference data" (the
    reference data, rules and vocabulary loaded) and "documents" (read, extracted, built)."""
    started = time.perf_counter()
    files = collect_sources(sources) if sources else default_sources()
    for path in files:  # a report too large to read is refused before any is read
        check_size(path, report_limit_mb)
    iris = Iris(base)
    reference = load_reference(base)
    extractor = Extractor(reference, load_rules(rules_folder), base, report_limit_mb)
    builder = DocumentBuilder(reference, iris)

    result = BuildResult({}, base, reference_warnings=list(reference.diagnostics))
    result.graphs[NamedNode(ONTOLOGY_IRI)] = Statements.from_rdflib(load_ontology())
    result.graphs[NamedNode(iris("graph/reference"))] = Statements.from_rdflib(reference.graph)
    seen: dict[NamedNode, Path] = {}
    loaded = time.perf_counter()
    for path, document, graph, found, diagnostics in _documents(files, extractor, builder, jobs):
        if document in seen:
            raise CyberkgError(
                f"{path}: describes the same document ({document}) as {seen[document]}; build them separately"
            )
        seen[document] = path
        name = NamedNode(iris(f"graph/{iris.path(document.value)}"))
        result.graphs[name] = graph
        result.documents.append(DocumentReport(path, document, name, found, diagnostics))
        if progress is not None:
            progress(path, len(files))
    if timings is not None:
        timings["reference data"] = loaded - started
        timings["documents"] = time.perf_counter() - loaded
    return result


# Fewer files than this are read in the calling process: starting workers costs more.
PARALLEL_FROM = 16
_WORKER: dict = {}


def _documents(files: list[Path], extractor: Extractor, builder: DocumentBuilder, jobs: int | None):
    """(path, document, graph, counts, diagnostics) for each file, in the order of `files`."""
    jobs = min(jobs or os.cpu_count() or 1, len(files))
    if jobs < 2 or len(files) < PARALLEL_FROM or "fork" not in get_all_start_methods():
        for path in files:
            yield (path, *_one(extractor, builder, path))
        return
    _WORKER.update(extractor=extractor, builder=builder)
    try:
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
            for path, (document, data, found, diagnostics) in zip(files, pool.map(_in_worker, files, chunksize=8)):
                graph = Statements(
                    t.triple for t in pyoxigraph.parse(input=data, format=pyoxigraph.RdfFormat.N_TRIPLES)
                )
                yield path, NamedNode(document), graph, found, diagnostics
    finally:
        _WORKER.clear()


def _one(extractor: Extractor, builder: DocumentBuilder, path: Path) -> tuple:
    extraction = extractor(path)
    document, graph = builder.build(extraction)
    return NamedNode(document), graph, counts(extraction), list(extraction.diagnostics)


def _in_worker(path: Path) -> tuple:
    """One file in a worker: the graph travels as N-Triples (in the order it was built)."""
    document, graph, found, diagnostics = _one(_WORKER["extractor"], _WORKER["builder"], path)
    return document.value, ntriples(list(graph)), found, diagnostics


@dataclass
class Rejected:
    """A report left out of a build because its graph breaks the shapes: each violation with
    the line of the report the node came from, when the graph says."""

    document: DocumentReport
    violations: list[tuple[Finding, int | None]]  # each violation and the report's line, when known


def reject_failing(result: BuildResult, violations: list[Finding]) -> list[Rejected] | None:
    """Take the reports whose nodes carry the violations out of `result` and return them; None
    when a violation is on a node no report alone describes (reference data, vocabulary, a
    node two reports share), so that leaving reports out cannot help."""
    subjects: dict[str, list[DocumentReport]] = {}
    lines: dict[str, int] = {}
    line = NamedNode(str(namespaces.CKG.line))
    parts = (NamedNode(str(namespaces.CKG.sourcePassage)), NamedNode("http://purl.org/dc/terms/isPartOf"))
    held = NamedNode(str(namespaces.CKG.holder))
    wanted = {v.focus for v in violations}
    for document in result.documents:
        triples = result.graphs[document.graph]
        own_lines: dict[str, int] = {}
        links: dict[str, str] = {}  # node -> the passage it came from
        users: dict[str, str] = {}  # a collective -> a position it holds
        for s, p, o in triples:
            key = getattr(s, "value", str(s))
            if key in wanted:
                holders = subjects.setdefault(key, [])
                if not holders or holders[-1] is not document:
                    holders.append(document)
            if p == line:
                own_lines[key] = int(o.value)
            elif p in parts:
                links.setdefault(key, getattr(o, "value", str(o)))
            elif p == held:
                users.setdefault(getattr(o, "value", str(o)), key)
        for key in wanted:  # the node's own line, its passage's, or that of a position it holds
            for node in (key, links.get(key), links.get(users.get(key, ""))):
                if node in own_lines:
                    lines.setdefault(key, own_lines[node])
                    break
    rejected: dict[NamedNode, Rejected] = {}
    for violation in violations:
        holders = subjects.get(violation.focus, [])
        if len(holders) != 1:
            return None
        entry = rejected.setdefault(holders[0].graph, Rejected(holders[0], []))
        entry.violations.append((violation, lines.get(violation.focus)))
    for name in rejected:
        del result.graphs[name]
    result.documents = [d for d in result.documents if d.graph not in rejected]
    return list(rejected.values())
