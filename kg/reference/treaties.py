"""Treaty actions (signature, ratification, accession, entry into force...) from a
depositary's chart, one table per treaty. The table names the treaty in sources.ttl
(dcterms:subject); its columns are the actor ('state' or 'participant') and one column
per kind of action, named after the treaty-action concept ('ratification',
'signature_date', 'entry_into_force'). Any other column is kept as a comment."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg.errors import CyberkgError
from kg.namespaces import CKG, TREATY_ACTION, as_iri
from kg.reference.context import Context
from kg.reference.tables import Table
from kg.text import date_cell

ACTOR_COLUMNS = ("state", "participant")


def _action_column(ctx: Context, column: str) -> URIRef | None:
    name = re.sub(r"_date$", "", column).replace("_", "-")
    return ctx.concept(str(TREATY_ACTION), name)


def load_treaty_actions(table: Table, ctx: Context, source: URIRef) -> None:
    g = ctx.graph
    treaty = g.value(source, DCTERMS.subject)
    if (treaty, RDF.type, CKG.Treaty) not in g and (treaty, RDF.type, CKG.Protocol) not in g:
        raise CyberkgError(
            f"{table.path}: sources.ttl names {treaty} as its treaty, which is not a treaty in instruments.ttl"
        )
    treaty = as_iri(treaty)
    actor_column = next((c for c in ACTOR_COLUMNS if c in table.columns), None)
    if actor_column is None:
        raise CyberkgError(f"{table.path}: no actor column (expected one of {', '.join(ACTOR_COLUMNS)})")
    columns = {c: _action_column(ctx, c) for c in table.columns}
    actions = {c: a for c, a in columns.items() if a is not None}
    if not actions:
        raise CyberkgError(f"{table.path}: no column names a kind of treaty action (signature, ratification, ...)")
    as_of_column = next((c for c in table.columns if c.endswith("as_of")), None)
    evidence_column = "evidence" if "evidence" in table.columns else None
    others = [c for c in table.columns if c not in actions and c not in (actor_column, as_of_column, evidence_column)]
    names = ctx.actors()

    for line, row in table:
        name = row[actor_column]
        actor = names.lookup(name)
        if actor is None:
            candidates = sorted(ctx.iris.key(c) for c in names.candidates(name))
            why = f"could mean {', '.join(candidates)}" if candidates else "matches no known State or organization"
            ctx.diagnostics.warn(table.path, line, f"{actor_column} {name!r} {why}; its treaty actions are not loaded")
            continue
        as_of, as_of_note = date_cell(row[as_of_column]) if as_of_column and row[as_of_column] else (None, None)
        for column, action_type in actions.items():
            cell = row[column]
            if not cell:
                continue
            day, note = date_cell(cell)
            if day is None and not re.search(r"\d{4}", cell):
                ctx.diagnostics.warn(table.path, line, f"{column} of {name} is {cell!r}, not a date; not loaded")
                continue
            action = ctx.iris.treaty_action(treaty, actor, str(action_type).rsplit("/", 1)[-1])
            g.add((action, RDF.type, CKG.TreatyAction))
            action_label = ctx.concept_label(action_type)
            g.add(
                (
                    action,
                    RDFS.label,
                    Literal(
                        f"{g.value(actor, RDFS.label)}: {action_label} of the {g.value(treaty, RDFS.label)}", lang="en"
                    ),
                )
            )
            g.add((action, CKG.actor, actor))
            g.add((action, CKG.treaty, treaty))
            g.add((action, CKG.actionType, action_type))
            if day is not None:
                g.add((action, CKG.actionDate, Literal(day, datatype=XSD.date)))
                if note:
                    g.add((action, RDFS.comment, Literal(f"date note: {note}", lang="en")))
            else:
                g.add((action, CKG.dateAsGiven, Literal(cell)))
            if as_of is not None:
                g.add((action, CKG.asOf, Literal(as_of, datatype=XSD.date)))
            if as_of_note and as_of_column:  # a note only comes with the column
                g.add((action, RDFS.comment, Literal(f"{as_of_column}: {row[as_of_column]}", lang="en")))
            if evidence_column and row[evidence_column]:
                g.add((action, DCTERMS.source, Literal(row[evidence_column])))
            for other in others:
                if row[other]:
                    g.add((action, RDFS.comment, Literal(f"{other}: {row[other]}", lang="en")))
            g.add((action, PROV.wasDerivedFrom, source))
