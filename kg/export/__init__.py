"""Exports for linked-data portals: the graph in every standard format, deterministic,
with a VoID and DCAT description of itself (kg.export.description) and JSON-LD with its
context embedded, or naming a published one (kg.export.jsonld).

`export_files` is what `cyberkg export` runs: the graphs with their description in each
format asked for, and the description on its own beside them (NAME.void.ttl).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple
from rdflib import Graph
from rdflib.namespace import DCAT, RDF, XSD

from kg import resources
from kg.errors import UsageError
from kg.export.description import describe_dataset, distribution_iri
from kg.export.jsonld import build_context, to_jsonld
from kg.graphio import atomic_files, check_writable, serialize_dataset
from kg.ontology import load_ontology
from kg.rdf import Canonical, Statements, Terms, as_graphs

# the export formats by name, each with its suffix (JSON-LD is written by kg.export.jsonld)
FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}
SUFFIXES = {"ttl": ".ttl", "nt": ".nt", "nq": ".nq", "trig": ".trig", "jsonld": ".jsonld", "rdfxml": ".rdf"}


@cache
def context() -> dict:
    """The published JSON-LD context (ontology/context.jsonld)."""
    return json.loads((resources.resource_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))


def generated_context() -> dict:
    """The context as the vocabulary defines it (the shipped file must equal this)."""
    return build_context(load_ontology())


def serialize(
    graphs: Canonical | Mapping, fmt: str, base: str, context_url: str | None = None, where: str = "the export"
) -> bytes:
    """The graphs in one of FORMATS' keys, byte-identical for the same input. Pass a
    Canonical to write several formats from one conversion. JSON-LD embeds its context,
    or with `context_url` names the context published there; `where` names the file in
    errors (RDF/XML cannot hold some characters)."""
    canonical = graphs if isinstance(graphs, Canonical) else Canonical(graphs)
    if fmt == "jsonld":
        return to_jsonld(canonical.union, context(), base, context_url).encode("utf-8")
    return serialize_dataset(canonical, FORMATS[fmt], prefixes=_prefixes(base), where=where)


def _prefixes(base: str) -> dict[str, str]:
    from kg.namespaces import PREFIXES

    return {p: str(n) for p, n in PREFIXES.items()} | {"id": base}


def with_description(graphs: Mapping, description: Statements | Graph, base: str) -> dict:
    """The graphs and, in a named graph of its own, their description."""
    out = as_graphs(graphs)
    out[NamedNode(base + "graph/description")] = as_graphs(description)[None]
    return out


def format_of(path: Path) -> str:
    for key, suffix in SUFFIXES.items():
        if Path(path).suffix.lower() == suffix:
            return key
    return "ttl"


def export_targets(fmt: str | None, output: Path | None) -> dict[str, Path]:
    """{format: file} for an export: one format (by default the one `output`'s extension
    names, else Turtle) to `output` or out/cyberkg.SUFFIX, or "all" of them into the folder
    `output` (default out/)."""
    fmt = fmt or (format_of(output) if output else "ttl")
    if fmt != "all":
        return {fmt: output or Path("out") / f"cyberkg{SUFFIXES[fmt]}"}
    folder = output or Path("out")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {folder}: with --format all, -o names a folder")
    return {f: folder / f"cyberkg{suffix}" for f, suffix in SUFFIXES.items()}


def description_path(targets: dict[str, Path]) -> Path:
    """Where the description goes on its own: NAME.void.ttl beside a single export, or
    cyberkg.void.ttl in the folder of all of them."""
    first = next(iter(targets.values()))
    return first.with_name("cyberkg.void.ttl" if len(targets) > 1 else first.stem + ".void.ttl")


def export_files(
    graphs: Mapping, targets: dict[str, Path], base: str, endpoint: str | None = None, context_url: str | None = None
) -> list[tuple[Path, str]]:
    """Write the graphs with their description to each of `targets` ({format: file}), and
    the description alone beside them; (file, what it holds) for each file written, in order.

    The description on its own also records each file's size and SHA-256 digest
    (dcat:byteSize, spdx:checksum; the copy inside an export cannot hold its own). Every
    file is written in full to a temporary file first, then each replaces its target, the
    description last: a process killed between two renames leaves an export whose digest
    is not the one its description records, which is how a reader tells a stale pair
    (`sha256sum FILE` against the description's spdx:checksumValue)."""
    void_path = description_path(targets)
    check_writable([*targets.values(), void_path])
    description = describe_dataset(graphs, base, endpoint, [p.name for p in targets.values()])
    canonical = Canonical(with_description(graphs, description, base))
    with atomic_files([*targets.values(), void_path]) as temporaries:
        checksums = []
        for (key, path), temporary in zip(targets.items(), temporaries):
            data = serialize(canonical, key, base, context_url, where=str(path))
            temporary.write_bytes(data)
            checksums.append((path.name, len(data), hashlib.sha256(data).hexdigest()))
            del data
        standalone = Statements([*description, *file_checksums(checksums, base)])
        temporaries[-1].write_bytes(serialize_dataset(standalone, RdfFormat.TURTLE, prefixes=_void_prefixes(base)))
    return [*((path, key) for key, path in targets.items()), (void_path, "dataset description")]


SPDX = "http://spdx.org/rdf/terms#"
_SPDX, _DCAT, _XSD, _RDF = Terms(SPDX), Terms(str(DCAT)), Terms(str(XSD)), Terms(str(RDF))


def file_checksums(files: list[tuple[str, int, str]], base: str) -> list[Triple]:
    """The size and SHA-256 digest of each (file name, size, hex digest), on its distribution."""
    out = []
    for name, size, digest in files:
        distribution = NamedNode(distribution_iri(base, name))
        checksum = NamedNode(distribution.value + "/sha256")
        out += [
            Triple(distribution, _DCAT.byteSize, Literal(str(size), datatype=_XSD.nonNegativeInteger)),
            Triple(distribution, _SPDX.checksum, checksum),
            Triple(checksum, _RDF.type, _SPDX.Checksum),
            Triple(checksum, _SPDX.algorithm, _SPDX.checksumAlgorithm_sha256),
            Triple(checksum, _SPDX.checksumValue, Literal(digest, datatype=_XSD.hexBinary)),
        ]
    return out


def _void_prefixes(base: str) -> dict[str, str]:
    return _prefixes(base) | {"spdx": SPDX}
