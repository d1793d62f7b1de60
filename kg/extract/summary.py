"""An Extraction as plain JSON-able data: what `cyberkg extract --format json` prints,
and what the tests compare with the expected extraction of a report."""

from __future__ import annotations

from rdflib import URIRef

from kg.extract.model import Extraction, Passage
from kg.iris import Iris
from kg.namespaces import SCHEME_BASE


def passage_ref(passage: Passage) -> str:
    """'15' for paragraph 15, '10(b)' for item (b) of paragraph 10, '(38)' for an item of a
    list outside a numbered paragraph, '11(o)(iv)' for a sub-item."""
    parts: list[str] = []
    node: Passage | None = passage
    while node is not None:
        if node.kind == "paragraph":
            parts.append(node.label or "")
        else:
            parts.append(f"({node.label})")
        node = node.parent
    return "".join(reversed(parts))


def summarise(extraction: Extraction, iris: Iris) -> dict:
    def key(node: URIRef | None) -> str | None:
        if node is None:
            return None
        text = str(node)
        if text.startswith(SCHEME_BASE):
            return text.rsplit("/", 1)[-1]
        return iris.key(node) if text.startswith(iris.base) else text

    meta = extraction.metadata
    labels: dict[URIRef | None, str] = {}

    def label(node: URIRef | None) -> str | None:
        return labels.get(node, key(node))

    recommendations = [
        {
            "paragraph": p.parent.label if p.parent is not None and p.parent.kind == "paragraph" else None,
            "marker": p.label,
            "agenda_item": p.agenda_item.number if p.agenda_item else None,
            "subitems": [c.label for c in p.children],
            "text": p.text,
            "line": p.line,
            "attribution": p.attribution,
        }
        for p in extraction.recommendations()
    ]
    people = [p for p in extraction.participations if p.actor is None]
    chair = next(({"name": p.name, "country_iso3": key(p.country)} for p in people if p.role == "chair"), None)
    positions = []
    for position in extraction.positions:
        holder = position.holder
        holder_value = key(holder.node) if holder.named else {"quantifier": holder.quantifier, "kind": holder.kind}
        holder_label = key(holder.node) if holder.named else f"{holder.quantifier} {holder.kind}"
        positions.append(
            {
                "passage": passage_ref(position.passage),
                "sentence": position.sentence,
                "holder_kind": "named" if holder.named else "collective",
                "holder": holder_value,
                "holder_label": holder_label,
                "voiced_by": key(holder.voiced_by),
                "holder_class": "NonStateOrganization" if holder.node in extraction.organizations else None,
                "stance": position.stance,
                "target": key(position.target),
                "target_label": label(position.target),
                "on_topic": str(position.target).startswith(str(SCHEME_BASE) + "topic/"),
                "rule": position.rule,
                "quote": position.quote,
                "line": position.passage.line,
            }
        )
    return {
        "file": str(extraction.path),
        "metadata": {
            "symbol": meta.symbol,
            "date": meta.date.isoformat() if meta.date else None,
            "title": meta.title,
            "document_type": meta.document_type,
            "body": key(meta.body),
            "meeting": str(meta.meeting) if meta.meeting else None,
            "ordinal": meta.ordinal,
            "venue": meta.venue,
            "start_date": meta.start.isoformat() if meta.start else None,
            "end_date": meta.end.isoformat() if meta.end else None,
        },
        "sections": [
            {"number": s.number, "title": s.title, "level": s.level, "line": s.line} for s in extraction.sections
        ],
        "agenda": [{"number": a.number, "title": a.title} for a in extraction.agenda],
        "recommendations": recommendations,
        "organizations": sorted(extraction.organizations.values()),
        "statements": [
            {"name": p.name, "actor": key(p.actor), "on_behalf_of": key(p.on_behalf_of), "line": p.passage.line}
            for p in extraction.participations
            if p.role == "speaker"
        ],
        "chair": chair,
        "panellists": [
            {
                "name": p.name,
                "country_iso3": key(p.country),
                "agenda_item": p.agenda_item.number if p.agenda_item else None,
            }
            for p in people
            if p.role == "panellist"
        ],
        "attendance": [{"category": a.category, "count": a.count} for a in extraction.attendance],
        "cited_resolutions": sorted(
            (
                {"body": key(r.body), "number": r.number}
                for r in {(r.body, r.number): r for r in extraction.resolutions}.values()
            ),
            key=lambda r: (r["number"], r["body"] or ""),
        ),
        "cited_symbols": sorted({s for s, _ in extraction.symbols}),
        "instrument_mentions": sorted({key(m.node) for m in extraction.mentions if m.kind == "instrument"}),
        "positions": positions,
        "treaty_actions": [
            {
                "passage": passage_ref(a.passage),
                "sentence": a.sentence,
                "actor": key(a.actor),
                "treaty": key(a.treaty),
                "action": a.action,
                "date": a.date,
                "quote": a.quote,
                "line": a.passage.line,
            }
            for a in extraction.acts
        ],
        "warnings": [str(d) for d in extraction.diagnostics],
    }
