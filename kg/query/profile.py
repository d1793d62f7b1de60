"""Profiles: what the graph holds on one actor or one instrument, as a brief reads it.

`profile(engine, name, base)` resolves the name (any name, symbol or label the graph
holds), runs the canned queries that answer for it (queries/positions-of.rq,
memberships.rq and source-tables.rq for an actor; stances-on.rq, regional-groups.rq and
source-tables.rq for an instrument) and arranges the rows into sections, each row with
the document and paragraph, vote or table it rests on. `to_markdown`, `to_html` and
`to_json` write it. A section with nothing in it says so, and a partial reference table
is named with what its coverage means: a State missing there is "not known here".
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from kg.errors import UsageError
from kg.query.catalogue import canned_rows
from kg.query.params import NameResolver
from kg.query.results import plain

CKG = "https://w3id.org/cyberkg/ontology#"
ACTOR_TYPES = {
    "MemberState": "Member State",
    "ObserverState": "non-member observer State",
    "GroupOfStates": "group of States",
    "RegionalGroup": "UN regional group",
    "IntergovernmentalOrganization": "intergovernmental organization",
    "UNBody": "UN body",
    "UNOffice": "UN office",
    "Person": "person",
    "AnonymousCollective": "anonymous collective (speakers a report does not name)",
    "Stakeholder": "stakeholder",
}
INSTRUMENT_TYPES = {
    "Treaty": "treaty",
    "Resolution": "resolution",
    "DraftInstrument": "draft instrument",
    "ProposedInstrument": "proposed instrument",
    "Instrument": "instrument",
}


@dataclass
class Section:
    """A titled table: its columns (key, heading), its rows, and notes printed under it."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    empty: str = "Nothing on record here."


@dataclass
class Profile:
    node: str
    label: str
    kind: str  # "actor" or "instrument"
    types: list[str]
    sections: list[Section]


def _types(engine, node: NamedNode) -> list[str]:
    results = engine.select("SELECT DISTINCT ?type WHERE { ?node a ?type }", {"node": node})
    return sorted(t for row in results.rows if (t := plain(row.get("type"))).startswith(CKG))


def profile(engine, name: str, base: str) -> Profile:
    """The profile of the actor or instrument `name` names (a UsageError, with the nearest
    names, when nothing does)."""
    resolver = NameResolver(engine, base)
    node = resolver.node(name, "NAME")
    types = [t[len(CKG) :] for t in _types(engine, node)]
    labels = engine.select(
        "SELECT ?label WHERE { ?node <http://www.w3.org/2000/01/rdf-schema#label> ?label }", {"node": node}
    )
    label = min((plain(row.get("label")) for row in labels.rows), default=node.value)
    if any(t in ACTOR_TYPES for t in types):
        return Profile(node.value, label, "actor", types, _actor_sections(engine, node))
    if any(t in INSTRUMENT_TYPES for t in types):
        return Profile(node.value, label, "instrument", types, _instrument_sections(engine, node))
    what = ", ".join(types) or "node of no type"
    raise UsageError(
        f"NAME: {name!r} is a {what} ({node.value}); a profile is of a State, group, organization, person, "
        "anonymous collective or instrument"
    )


def _tables(engine) -> dict[str, dict[str, str]]:
    return {row["table"]: row for row in canned_rows(engine, "source-tables")}


def _coverage_note(table: dict[str, str]) -> str:
    name = table.get("tableLabel") or table.get("file")
    note = " ".join((table.get("note") or "").split()).rstrip(".")
    return f"{name} is a partial table{f' ({note})' if note else ''}: a State missing there is not known here."


def _actor_sections(engine, node: NamedNode) -> list[Section]:
    record = canned_rows(engine, "positions-of", {"actor": node})
    by_basis: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in record:
        by_basis[row["basis"]].append(row)
    said = Section(
        "What it said",
        [
            ("date", "date"),
            ("occasion", "where"),
            ("stance", "stance"),
            ("targetLabel", "on"),
            ("quote", "words"),
            ("sourceLabel", "source"),
        ],
        by_basis["statement"],
        empty="No statement of its own on record here (most report speakers are anonymous).",
    )
    voted = Section(
        "How it voted",
        [
            ("date", "date"),
            ("targetLabel", "resolution"),
            ("stance", "vote"),
            ("quote", "the resolution"),
            ("occasion", "recorded vote"),
        ],
        by_basis["vote"],
        empty="No recorded vote on record here.",
    )
    tables = _tables(engine)
    acted = Section(
        "What it signed or ratified",
        [("targetLabel", "treaty"), ("stance", "action"), ("date", "date"), ("sourceLabel", "table")],
        by_basis["treaty action"],
        empty="No treaty action on record here.",
    )
    for table in tables.values():
        if table.get("coverage") == "partial" and table.get("treatyActions") == "true":
            acted.notes.append(_coverage_note(table))
    roles = Section(
        "Roles at meetings",
        [
            ("date", "date"),
            ("occasion", "meeting"),
            ("stance", "role"),
            ("targetLabel", "agenda item"),
            ("sourceLabel", "document"),
        ],
        by_basis["role"],
        empty="No role at a meeting on record here.",
    )
    groups = Section(
        "Groups and memberships",
        [
            ("relation", "relation"),
            ("otherLabel", "group or organization"),
            ("otherKind", "kind"),
            ("from", "from"),
            ("to", "to"),
        ],
        canned_rows(engine, "memberships", {"actor": node}),
        empty="No group or organization on record here.",
    )
    return [said, voted, acted, roles, groups]


def _instrument_sections(engine, node: NamedNode) -> list[Section]:
    rows: list[dict] = list(canned_rows(engine, "stances-on", {"instrument": node}))
    groups: dict[str, list[str]] = defaultdict(list)
    for member in canned_rows(engine, "regional-groups"):
        groups[member["state"]].append(member["groupLabel"])
    for row in rows:
        row["side"] = {"1": "for", "-1": "against", "0": "conditions or abstains"}.get(row["polarity"], "")
        row["groups"] = sorted(groups.get(row["holder"], [])) or (
            ["(not a State)"] if row["holderKind"] != "state" else ["(no regional group)"]
        )
        row["group"] = "; ".join(row["groups"])
        row["year"] = row["date"][:4]
    counts = Counter((row["basis"], row["stance"]) for row in rows)
    summary = Section(
        "On record",
        [("basis", "basis"), ("stance", "stance"), ("count", "actors and acts")],
        [{"basis": basis, "stance": stance, "count": str(n)} for (basis, stance), n in sorted(counts.items())],
    )
    statements = Section(
        "Statements",
        [
            ("date", "date"),
            ("holderLabel", "who"),
            ("stance", "stance"),
            ("quote", "words"),
            ("sourceLabel", "source"),
            ("occasion", "where"),
        ],
        [row for row in rows if row["basis"] == "statement"],
        empty="No statement on this instrument on record here.",
    )
    by_group: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if row["holderKind"] == "state":
            for group in row["groups"]:  # a State in two regional groups counts in each
                by_group[group][f"{row['basis']}: {row['side']}"] += 1
    sides = sorted({key for counter in by_group.values() for key in counter})
    regional = Section(
        "States by regional group",
        [("group", "regional group")] + [(side, side) for side in sides],
        [
            {"group": group, **{side: str(counter.get(side, 0)) for side in sides}}
            for group, counter in sorted(by_group.items())
        ],
        empty="No State on record here.",
    )
    regional.notes.append("A State in two regional groups (Türkiye) counts in each.")
    over_time: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        over_time[row["year"] or "(no date)"][f"{row['basis']}: {row['side']}"] += 1
    kinds = sorted({key for counter in over_time.values() for key in counter})
    years = Section(
        "Over time (every actor, named or anonymous)",
        [("year", "year")] + [(kind, kind) for kind in kinds],
        [
            {"year": year, **{kind: str(counter.get(kind, 0)) for kind in kinds}}
            for year, counter in sorted(over_time.items())
        ],
    )
    votes = Section(
        "Votes",
        [
            ("date", "date"),
            ("holderLabel", "State"),
            ("stance", "vote"),
            ("group", "regional group"),
            ("occasion", "recorded vote"),
        ],
        [row for row in rows if row["basis"] == "vote"],
        empty="No recorded vote on this instrument on record here.",
    )
    acts = Section(
        "Treaty actions",
        [
            ("holderLabel", "State"),
            ("stance", "action"),
            ("date", "date"),
            ("group", "regional group"),
            ("sourceLabel", "table"),
        ],
        [row for row in rows if row["basis"] == "treaty action"],
        empty="No treaty action on this instrument on record here.",
    )
    tables = _tables(engine)
    for source in sorted({row["source"] for row in acts.rows if row.get("coverage") == "partial"}):
        acts.notes.append(_coverage_note(tables.get(source, {"file": source})))
    return [summary, statements, regional, years, votes, acts]


# -- writing -------------------------------------------------------------------------------


def to_json(profile: Profile) -> str:
    return (
        json.dumps(
            {
                "node": profile.node,
                "label": profile.label,
                "kind": profile.kind,
                "types": profile.types,
                "sections": [
                    {"title": s.title, "columns": [key for key, _ in s.columns], "rows": s.rows, "notes": s.notes}
                    for s in profile.sections
                ],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _cell_md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(profile: Profile) -> str:
    kinds = ", ".join(ACTOR_TYPES.get(t) or INSTRUMENT_TYPES.get(t) or t for t in profile.types)
    out = [f"# {profile.label}", "", f"{kinds} — <{profile.node}>", ""]
    for section in profile.sections:
        out += [f"## {section.title}", ""]
        if not section.rows:
            out += [section.empty, ""]
        else:
            out.append("| " + " | ".join(heading for _, heading in section.columns) + " |")
            out.append("|" + " --- |" * len(section.columns))
            for row in section.rows:
                out.append("| " + " | ".join(_cell_md(row.get(key, "")) for key, _ in section.columns) + " |")
            out.append("")
        for note in section.notes:
            out += [f"*{_cell_md(note)}*", ""]
    return "\n".join(out)


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #111; line-height: 1.4 }
h1 { font-size: 1.6rem; margin-bottom: 0 } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #999 }
p.kind { color: #555; margin-top: .2rem } table { border-collapse: collapse; width: 100%; font-size: .9rem }
th, td { border: 1px solid #ccc; padding: .25rem .4rem; vertical-align: top; text-align: left }
th { background: #eee } p.note { font-style: italic; color: #444 }
@media print { body { margin: 0; max-width: none } h2 { break-after: avoid } tr { break-inside: avoid } }
"""


def to_html(profile: Profile) -> str:
    e = html.escape
    kinds = ", ".join(ACTOR_TYPES.get(t) or INSTRUMENT_TYPES.get(t) or t for t in profile.types)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(profile.label)}: cyberkg profile</title><style>{STYLE}</style></head><body>",
        f"<h1>{e(profile.label)}</h1>",
        f'<p class="kind">{e(kinds)} &mdash; <code>{e(profile.node)}</code></p>',
    ]
    for section in profile.sections:
        out.append(f"<h2>{e(section.title)}</h2>")
        if not section.rows:
            out.append(f"<p>{e(section.empty)}</p>")
        else:
            out.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for _, h in section.columns) + "</tr></thead>")
            out.append("<tbody>")
            for row in section.rows:
                out.append("<tr>" + "".join(f"<td>{e(row.get(key, ''))}</td>" for key, _ in section.columns) + "</tr>")
            out.append("</tbody></table>")
        for note in section.notes:
            out.append(f'<p class="note">{e(note)}</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
