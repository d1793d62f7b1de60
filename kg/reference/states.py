"""States: the UN Member States and observer States with their codes, Wikidata links
and every name the reports or sources use for them."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.errors import CyberkgError
from kg.namespaces import CKG, WD, as_iri
from kg.reference.context import Context
from kg.reference.tables import Table

STATUS = {
    "member state": CKG.MemberState,
    "non-member observer state": CKG.ObserverState,
    "observer state": CKG.ObserverState,
}
STATE_COLUMNS = ("iso3", "m49", "wikidata_qid", "cow_ccode", "name_voeten", "name_iso", "un_status")
NAME_COLUMNS = ("iso3", "name", "name_type")


def load_states(table: Table, ctx: Context, source: URIRef) -> None:
    g = ctx.graph
    for line, row in table:
        iso3, qid = row["iso3"].upper(), row["wikidata_qid"]
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            raise CyberkgError(f"{table.path}:{line}: iso3 {iso3!r} is not three letters")
        if not re.fullmatch(r"Q[1-9]\d*", qid):
            raise CyberkgError(f"{table.path}:{line}: wikidata_qid {qid!r} is not a Wikidata entity id like Q142")
        kind = STATUS.get(row["un_status"].lower())
        if kind is None:
            raise CyberkgError(f"{table.path}:{line}: un_status {row['un_status']!r} is not one of {', '.join(STATUS)}")
        state = ctx.iris.state(iso3)
        g.add((state, RDF.type, kind))
        g.add((state, CKG.iso3, Literal(iso3)))
        g.add((state, CKG.m49, Literal(row["m49"].zfill(3))))
        if row["cow_ccode"]:
            g.add((state, CKG.cowCode, Literal(row["cow_ccode"])))
        g.add((state, OWL.sameAs, WD[qid]))
        for column in ("name_voeten", "name_iso"):
            if row[column]:
                g.add((state, SKOS.altLabel, Literal(row[column], lang="en")))
        if row.get("notes"):
            g.add((state, RDFS.comment, Literal(row["notes"], lang="en")))
        g.add((state, PROV.wasDerivedFrom, source))


def load_state_names(table: Table, ctx: Context, source: URIRef) -> None:
    g = ctx.graph
    for line, row in table:
        state = ctx.state(row["iso3"].upper())
        if state is None:
            raise CyberkgError(f"{table.path}:{line}: {row['iso3']!r} is not in the table of States")
        name = Literal(row["name"], lang="en")
        if row["name_type"] == "un_short":
            if g.value(state, RDFS.label) is not None:
                raise CyberkgError(f"{table.path}:{line}: a second un_short name for {row['iso3']}")
            g.add((state, RDFS.label, name))
            g.add((state, SKOS.prefLabel, name))
        else:
            g.add((state, SKOS.altLabel, name))
        g.add((state, PROV.wasDerivedFrom, source))
    for labelled, label in list(g.subject_objects(SKOS.prefLabel)):
        g.remove((labelled, SKOS.altLabel, label))  # SKOS: a label is preferred or alternative, not both
    unnamed = sorted(ctx.iris.key(as_iri(s)) for s in g.subjects(CKG.iso3, None) if g.value(s, RDFS.label) is None)
    if unnamed:
        raise CyberkgError(f"{table.path}: no un_short name for {', '.join(unnamed)}")
