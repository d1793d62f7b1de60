"""Recorded votes: each State's option in each vote event. The table has one column per
vote event, named 'vote_' + the resolution symbol with '_' for '/' + '_' + the date
(vote_A_RES_74_247_2019-12-27); the event itself, with its announced totals, is in
votes.ttl. Options are matched to the vote-option scheme by notation or label."""

from __future__ import annotations

import re
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.errors import CyberkgError
from kg.namespaces import CKG, VOTE_OPTION, as_iri
from kg.reference.context import Context
from kg.reference.tables import Table

COLUMN = re.compile(r"vote_(?P<symbol>.+)_(?P<date>\d{4}-\d{2}-\d{2})")


def _vote_event(ctx: Context, table: Table, column: str) -> URIRef:
    match = COLUMN.fullmatch(column)
    assert match is not None, column  # called on vote columns only
    symbol, day = match.group("symbol").replace("_", "/"), date.fromisoformat(match.group("date"))
    g = ctx.graph
    for resolution in g.subjects(CKG.symbol, Literal(symbol)):
        for event in g.subjects(CKG.onResolution, resolution):
            if g.value(event, CKG.voteDate) == Literal(day, datatype=XSD.date):
                return as_iri(event)
    raise CyberkgError(f"{table.path}: column {column}: no vote event on {symbol} of {day} in votes.ttl")


def load_votes(table: Table, ctx: Context, source: URIRef) -> None:
    g = ctx.graph
    if "iso3" not in table.columns:
        raise CyberkgError(f"{table.path}: missing column iso3")
    events = {c: _vote_event(ctx, table, c) for c in table.columns if COLUMN.fullmatch(c)}
    if not events:
        raise CyberkgError(f"{table.path}: no vote column (expected names like vote_A_RES_74_247_2019-12-27)")
    for line, row in table:
        state = ctx.state(row["iso3"].upper())
        if state is None:
            name = row.get("country_name", "")
            ctx.diagnostics.warn(
                table.path,
                line,
                f"{row['iso3']} ({name}) is not a UN Member or observer State in the table of States; its votes are not loaded",
            )
            continue
        for column, event in events.items():
            option = ctx.concept(str(VOTE_OPTION), row[column])
            if option is None:
                raise CyberkgError(
                    f"{table.path}:{line}: {column} is {row[column]!r}, not a vote option (yes, no, abstain, absent)"
                )
            vote = ctx.iris.vote(event, state)
            g.add((vote, RDF.type, CKG.Vote))
            resolution = g.value(event, CKG.onResolution)
            g.add(
                (
                    vote,
                    RDFS.label,
                    Literal(
                        f"{g.value(state, RDFS.label)}: {ctx.concept_label(option)} on {g.value(resolution, RDFS.label)}",
                        lang="en",
                    ),
                )
            )
            g.add((vote, CKG.voteEvent, event))
            g.add((vote, CKG.voter, state))
            g.add((vote, CKG.voteOption, option))
            g.add((vote, PROV.wasDerivedFrom, source))
