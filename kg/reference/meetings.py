"""Meetings of the Expert Group on Cybercrime and sessions of the Ad Hoc Committee,
with their dates, venues and the documents (by symbol) issued for them."""

from __future__ import annotations

import re
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.errors import CyberkgError
from kg.namespaces import CKG, DOCUMENT_TYPE
from kg.reference.context import Context
from kg.reference.tables import Table
from kg.symbols import SYMBOL, document_type
from kg.text import ORDINAL_WORDS, ordinal, slug

EXPERT_GROUP_COLUMNS = (
    "meeting_no",
    "start_date",
    "end_date",
    "venue",
    "report_symbol",
    "symbol_status",
    "other_symbols",
)
AD_HOC_COLUMNS = ("session", "start_date", "end_date", "venue", "notes")
_ORDINAL_NAMES = {n: w for w, n in ORDINAL_WORDS.items()}


def _dates(ctx: Context, meeting: URIRef, row: dict, where: str) -> None:
    try:
        start, end = date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"])
    except ValueError:
        raise CyberkgError(
            f"{where}: start_date and end_date must be YYYY-MM-DD, got {row['start_date']!r}, {row['end_date']!r}"
        ) from None
    if end < start:
        raise CyberkgError(f"{where}: end_date {end} is before start_date {start}")
    ctx.graph.add((meeting, CKG.startDate, Literal(start, datatype=XSD.date)))
    ctx.graph.add((meeting, CKG.endDate, Literal(end, datatype=XSD.date)))


def _document(
    ctx: Context, symbol: str, meeting: URIRef, source: URIRef, default_type: str | None, note: str | None
) -> None:
    g = ctx.graph
    document = ctx.iris.document(symbol)
    g.add((document, RDF.type, CKG.Document))
    g.add((document, RDFS.label, Literal(symbol)))
    g.add((document, CKG.symbol, Literal(symbol)))
    kind = document_type(symbol) or (DOCUMENT_TYPE[default_type] if default_type else None)
    if kind is not None and g.value(document, CKG.documentType) is None:
        g.add((document, CKG.documentType, kind))
    g.add((document, CKG.meeting, meeting))
    if note:
        g.add((document, RDFS.comment, Literal(note, lang="en")))
    g.add((document, PROV.wasDerivedFrom, source))


def load_expert_group_meetings(table: Table, ctx: Context, source: URIRef) -> None:
    g = ctx.graph
    body = ctx.organization("EG", str(table.path))
    body_label = g.value(body, RDFS.label)
    for line, row in table:
        where = f"{table.path}:{line}"
        if not row["meeting_no"].isdigit() or int(row["meeting_no"]) < 1:
            raise CyberkgError(f"{where}: meeting_no {row['meeting_no']!r} is not a positive number")
        number = int(row["meeting_no"])
        meeting = ctx.iris.meeting(ctx.iris.key(body), f"meeting-{number}")
        g.add((meeting, RDF.type, CKG.Meeting))
        name = _ORDINAL_NAMES.get(number, f"{number}th").capitalize()
        g.add((meeting, RDFS.label, Literal(f"{name} meeting of the {body_label}", lang="en")))
        g.add((meeting, CKG.body, body))
        g.add((meeting, CKG.ordinal, Literal(number)))
        g.add((meeting, CKG.venue, Literal(row["venue"])))
        _dates(ctx, meeting, row, where)
        for column, predicate in (("substantive_topics", RDFS.comment), ("facts", RDFS.comment)):
            if row.get(column):
                g.add((meeting, predicate, Literal(row[column], lang="en")))
        status = f"report symbol status: {row['symbol_status']}" if row["symbol_status"] else None
        for symbol in SYMBOL.findall(row["report_symbol"]):
            _document(ctx, symbol, meeting, source, "report", status)
        for part in filter(None, (p.strip() for p in re.split(r";(?![^()]*\))", row["other_symbols"]))):
            symbols = SYMBOL.findall(part)
            if not symbols:
                ctx.diagnostics.warn(
                    table.path, line, f"other_symbols entry {part!r} holds no document symbol; not loaded"
                )
            description = re.search(r"\((.*)\)", part)
            for symbol in symbols:
                _document(ctx, symbol, meeting, source, None, description.group(1) if description else None)
        g.add((meeting, PROV.wasDerivedFrom, source))


def load_ad_hoc_sessions(table: Table, ctx: Context, source: URIRef) -> None:
    g = ctx.graph
    body = ctx.organization("AHC", str(table.path))
    for line, row in table:
        where = f"{table.path}:{line}"
        name = row["session"]
        words = name.split()
        number = ordinal(words[0]) if words else None
        is_session = "session" in name.lower()
        if number is not None and words[1:] == ["session"]:
            part = f"session-{number}"
        else:
            part = slug(name)
        if not part:
            raise CyberkgError(f"{where}: empty session name")
        meeting = ctx.iris.meeting(ctx.iris.key(body), part)
        g.add((meeting, RDF.type, CKG.Session if is_session else CKG.Meeting))
        g.add((meeting, RDFS.label, Literal(f"{name} of the Ad Hoc Committee on Cybercrime", lang="en")))
        g.add((meeting, CKG.body, body))
        if number is not None and words[1:] == ["session"]:
            g.add((meeting, CKG.ordinal, Literal(number)))
        g.add((meeting, CKG.venue, Literal(row["venue"])))
        _dates(ctx, meeting, row, where)
        if row["notes"]:
            g.add((meeting, RDFS.comment, Literal(row["notes"], lang="en")))
        g.add((meeting, PROV.wasDerivedFrom, source))
