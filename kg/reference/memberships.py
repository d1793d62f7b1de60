"""Memberships of States in groups and organizations (W3C ORG), with their dates where
a source gives them, as OWL-Time intervals."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, TIME, XSD

from kg.errors import CyberkgError
from kg.reference.context import Context
from kg.reference.tables import Table

COLUMNS = ("group", "member_iso3", "member_from", "member_to", "source")
_PRECISION = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), TIME.inXSDDate, XSD.date),
    (re.compile(r"\d{4}-\d{2}"), TIME.inXSDgYearMonth, XSD.gYearMonth),
    (re.compile(r"\d{4}"), TIME.inXSDgYear, XSD.gYear),
)


def _instant(ctx: Context, iri: URIRef, value: str, where: str) -> URIRef:
    for pattern, predicate, datatype in _PRECISION:
        if pattern.fullmatch(value):
            ctx.graph.add((iri, RDF.type, TIME.Instant))
            ctx.graph.add((iri, predicate, Literal(value, datatype=datatype)))
            return iri
    raise CyberkgError(f"{where}: {value!r} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)")


def load_memberships(table: Table, ctx: Context, source: URIRef) -> None:
    g = ctx.graph
    for line, row in table:
        where = f"{table.path}:{line}"
        organization = ctx.organization(row["group"], where)
        member = ctx.state(row["member_iso3"].upper())
        if member is None:
            raise CyberkgError(f"{where}: {row['member_iso3']!r} is not in the table of States")
        membership = ctx.iris.membership(organization, member)
        g.add((membership, RDF.type, ORG.Membership))
        g.add((membership, ORG.member, member))
        g.add((membership, ORG.organization, organization))
        if row["member_from"] or row["member_to"]:
            interval = URIRef(f"{membership}/during")
            g.add((membership, ORG.memberDuring, interval))
            g.add((interval, RDF.type, TIME.Interval))
            if row["member_from"]:
                g.add(
                    (
                        interval,
                        TIME.hasBeginning,
                        _instant(ctx, URIRef(f"{interval}/beginning"), row["member_from"], where),
                    )
                )
            if row["member_to"]:
                g.add((interval, TIME.hasEnd, _instant(ctx, URIRef(f"{interval}/end"), row["member_to"], where)))
        if not row["member_to"]:  # the shortcut holds only for current members
            g.add((member, ORG.memberOf, organization))
        if row["source"]:
            g.add((membership, DCTERMS.source, Literal(row["source"])))
        g.add((membership, PROV.wasDerivedFrom, source))
