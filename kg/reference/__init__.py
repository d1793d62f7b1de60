"""The reference layer: States, groups and organizations, instruments, meetings, treaty
actions and recorded votes, loaded from the data files in reference/ with the source of
every fact kept in the graph.

`load_reference()` reads reference/sources.ttl, which describes every file as a
ckg:SourceTable (coverage, as-of date); the Turtle files are parsed as they are and the
CSV tables by the loader for their kind. Every fact node points to its table with
prov:wasDerivedFrom, and the table node carries the file's own '# source:' lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg import resources
from kg.config import DEFAULT_BASE
from kg.diagnostics import Diagnostics
from kg.errors import CyberkgError
from kg.graphio import parse_into
from kg.iris import Iris
from kg.namespaces import CKG, as_iri, bind_prefixes
from kg.reference.context import ACTOR_CLASSES, INSTRUMENT_CLASSES, Context
from kg.reference.meetings import AD_HOC_COLUMNS, EXPERT_GROUP_COLUMNS, load_ad_hoc_sessions, load_expert_group_meetings
from kg.reference.memberships import COLUMNS as MEMBERSHIP_COLUMNS
from kg.reference.memberships import load_memberships
from kg.reference.names import NameIndex
from kg.reference.states import NAME_COLUMNS, STATE_COLUMNS, load_state_names, load_states
from kg.reference.tables import Table, read_table
from kg.reference.treaties import load_treaty_actions
from kg.reference.votes import load_votes

Loader = Callable[[Table, Context, URIRef], None]

# The CSV tables with a fixed layout, in the order they must load (names before the
# tables that look them up). Tables of treaty actions are recognised by the treaty
# sources.ttl names for them, so adding one needs no code.
TABLES: tuple[tuple[str, tuple[str, ...], Loader], ...] = (
    ("un_member_and_observer_states.csv", STATE_COLUMNS, load_states),
    ("state_names.csv", NAME_COLUMNS, load_state_names),
    ("memberships.csv", MEMBERSHIP_COLUMNS, load_memberships),
    ("expert_group_meetings.csv", EXPERT_GROUP_COLUMNS, load_expert_group_meetings),
    ("ahc_sessions.csv", AD_HOC_COLUMNS, load_ad_hoc_sessions),
    ("unga_recorded_votes.csv", ("iso3",), load_votes),
)
_URL = re.compile(r"https?://[^\s;,)]+")


@dataclass
class ReferenceData:
    """The reference graph, the name matchers built from it, and what could not be loaded."""

    graph: Graph
    actors: NameIndex
    instruments: NameIndex
    diagnostics: Diagnostics

    def source_tables(self) -> list[dict]:
        """Each source table (by file name): its coverage (complete or partial), as-of date
        and the number of facts derived from it, what `cyberkg reference` lists."""
        from rdflib.namespace import PROV

        g = self.graph
        rows = []
        for source in g.subjects(RDF.type, CKG.SourceTable):
            rows.append(
                {
                    "file": str(g.value(source, DCTERMS.identifier)),
                    "coverage": str(g.value(source, CKG.coverage)).rsplit("/", 1)[-1],
                    "as_of": str(g.value(source, CKG.asOf)),
                    "facts": len(set(g.subjects(PROV.wasDerivedFrom, source))),
                }
            )
        return sorted(rows, key=lambda row: row["file"])


def _add_source_notes(graph: Graph, source: URIRef, table: Table) -> None:
    """Copy a table's '# source:' / '# retrieved via:' header lines onto its node."""
    for line in table.header.get("source", []):
        graph.add((source, DCTERMS.bibliographicCitation, Literal(line)))
        for url in _URL.findall(line):
            graph.add((source, DCTERMS.source, URIRef(url)))
    for key, lines in table.header.items():
        if key != "source":
            for line in lines:
                graph.add((source, RDFS.comment, Literal(f"{key}: {line}", lang="en")))


def load_reference(base: str = DEFAULT_BASE, folder: Path | None = None) -> ReferenceData:
    """Load every reference file into one graph under `base`."""
    folder = folder or resources.resource_dir("reference")
    graph = bind_prefixes(Graph(), base)
    ctx = Context(graph, Iris(base), folder)
    _parse_turtle(graph, folder / "sources.ttl", base)
    sources = {str(graph.value(s, DCTERMS.identifier)): as_iri(s) for s in graph.subjects(RDF.type, CKG.SourceTable)}

    for name, source in sorted(sources.items()):
        if name.endswith(".ttl"):
            _parse_turtle(graph, folder / name, base)

    fixed = {name for name, _, _ in TABLES}
    for name, columns, loader in TABLES:
        if name not in sources:
            raise CyberkgError(f"{folder / 'sources.ttl'}: no ckg:SourceTable describes {name}")
        _load_csv(ctx, folder / name, columns, loader, sources[name])
    for name, source in sorted(sources.items()):
        if name.endswith(".csv") and name not in fixed:
            if graph.value(source, DCTERMS.subject) is None:
                raise CyberkgError(
                    f"{folder / 'sources.ttl'}: {name} is neither a known table nor a treaty's table (no dcterms:subject)"
                )
            _load_csv(ctx, folder / name, (), load_treaty_actions, source)

    return ReferenceData(
        graph=graph,
        actors=NameIndex.from_graph(graph, ACTOR_CLASSES),
        instruments=NameIndex.from_graph(graph, INSTRUMENT_CLASSES),
        diagnostics=ctx.diagnostics,
    )


def _parse_turtle(graph: Graph, path: Path, base: str) -> None:
    if not path.is_file():
        raise CyberkgError(f"{path}: reference file not found")
    parse_into(graph, path, base=base)


def _load_csv(ctx: Context, path: Path, columns: tuple[str, ...], loader: Loader, source: URIRef) -> None:
    table = read_table(path, columns)
    _add_source_notes(ctx.graph, source, table)
    loader(table, ctx, source)
