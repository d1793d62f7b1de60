"""A report's metadata: symbol, date, title, document type, and the meeting it reports on
(body, ordinal, venue, dates), linked to the meeting the reference data knows when the
body and the first day agree."""

from __future__ import annotations

import re
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.extract.model import Extraction, Metadata
from kg.extract.scan import Scanner
from kg.namespaces import CKG, as_iri
from kg.read import META_LINE, Block
from kg.reference import ReferenceData
from kg.symbols import SYMBOL
from kg.text import MONTH_NAMES, MONTHS, ordinal

_MONTH = MONTH_NAMES
_DAY = r"\d{1,2}"
_RANGE = re.compile(
    rf"(?:\bin\s+(?P<venue1>[A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+)?)\s+)?"
    rf"(?:from\s+|on\s+)?(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>\d{{4}}))?"
    rf"\s*(?:to|[-–—])\s*(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})"
)
_VENUE_COMMA = re.compile(rf"(?P<venue>[A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+)?),\s+{_DAY}")
# '24 December 2024'; a verbatim record's 'Tuesday, 24 December 2024, 10 a.m.'
_DATE_LINE = re.compile(rf"^(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s+(?P<y>\d{{4}})$")
# a verbatim record's 'Tuesday, 24 December 2024, 10 a.m.' (a weekday before the date)
_MEETING_DAY = re.compile(
    rf"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s+(?P<y>\d{{4}})\b"
)
_OWN_REPORT = re.compile(r"adopted\s+(?:its|the)\s+(?:draft\s+)?report\b[^.]*?\((?P<symbol>[^)]+)\)")
_ORDINAL = re.compile(r"\b(?P<ord>[a-z]+|\d+(?:st|nd|rd|th))\s+(?P<kind>meeting|session)\s+of\s+the\b", re.I)


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), MONTHS[month.lower()], int(day))
    except (ValueError, KeyError):
        return None


def date_range(text: str) -> tuple[date | None, date | None, str | None]:
    """First and last day and venue of a meeting as the genre writes them:
    'held in Vienna from 27 to 29 March 2019', 'Vienna, 27–29 July 2020',
    'from 30 March to 2 April 2019'."""
    match = _RANGE.search(text)
    if not match:
        return None, None, None
    end = _date(match.group("d2"), match.group("m2"), match.group("y2"))
    start = _date(match.group("d1"), match.group("m1") or match.group("m2"), match.group("y1") or match.group("y2"))
    venue = match.group("venue1")
    if venue is None:
        comma = _VENUE_COMMA.search(text[: match.end()])
        venue = comma.group("venue") if comma else None
    if start and end and end < start:
        return None, None, venue
    return start, end, venue


def extract_metadata(
    header: list[Block], extraction: Extraction, reference: ReferenceData, bodies: Scanner
) -> Metadata:
    meta = extraction.metadata
    texts = [b.text for b in header]
    lines = {b.text: b.line for b in header}
    for text in texts:
        # 'United Nations A/74/130', and a masthead run together with the lines under it
        masthead = re.match(r"(?:United Nations\s+)?(?P<symbol>\S+)(?:\s|$)", text)
        if masthead and SYMBOL.fullmatch(masthead.group("symbol")) and meta.symbol is None:
            meta.symbol = masthead.group("symbol")
        match = _DATE_LINE.match(text) or _MEETING_DAY.search(text)
        if match and meta.date is None:
            meta.date = _date(match.group("d"), match.group("m"), match.group("y"))
    if meta.symbol is None:
        for passage in extraction.passages:
            own = _OWN_REPORT.search(passage.text)
            if own and SYMBOL.fullmatch(own.group("symbol").strip()):
                meta.symbol = own.group("symbol").strip()
                break
    title_parts = [t for t in texts if not META_LINE.match(t) and not SYMBOL.fullmatch(t)]
    meta.title = ". ".join(t.rstrip(".") for t in title_parts) or None
    joined = " ".join(title_parts).lower()
    if re.search(r"\baddendum\b", joined) or meta.symbol and "/Add." in meta.symbol:
        meta.document_type = "addendum"
    elif re.search(r"\bdraft report\b", joined):
        meta.document_type = "draft-report"
    else:
        meta.document_type = "report"

    # the body: named in the title, else the body the text names most often
    found = bodies.find(" ".join(title_parts))
    if not found:
        counts: dict[URIRef, int] = {}
        for passage in extraction.passages:
            for _, _, node in bodies.find(passage.text):
                counts[node] = counts.get(node, 0) + 1
        found = [(0, 0, max(sorted(counts), key=lambda n: counts[n]))] if counts else []
    meta.body = found[0][2] if found else None

    for part in title_parts:
        meta.start, meta.end, meta.venue = date_range(part)
        if meta.start:
            break
    # "the fifth meeting of the Expert Group": in the title, else in the opening paragraphs
    for text in (" ".join(title_parts), " ".join(p.text for p in extraction.passages[:12])):
        meta.ordinal = _ordinal(text, meta.body, bodies)
        if meta.ordinal:
            break
    meta.meeting = _known_meeting(reference, meta)
    if meta.meeting is not None:  # the reference data's ordinal wins over a history paragraph
        g = reference.graph
        known = g.value(meta.meeting, CKG.ordinal)
        if known is not None:
            assert isinstance(known, Literal)  # ckg:ordinal is a datatype property
            meta.ordinal = int(known)
        meta.venue = meta.venue or (str(g.value(meta.meeting, CKG.venue)) if g.value(meta.meeting, CKG.venue) else None)
        if not meta.end:
            end = g.value(meta.meeting, CKG.endDate)
            assert isinstance(end, Literal)  # the reference data gives every meeting its last day
            meta.end = end.toPython()
    if meta.body is None:
        extraction.warn(
            header[0].line if header else None, "could not tell which body's meeting this document reports on"
        )
    elif meta.start is None and meta.meeting is None:
        extraction.warn(
            lines.get(title_parts[0]) if title_parts else None, "could not find the meeting's dates in the title"
        )
    return meta


def _ordinal(text: str, body: URIRef | None, bodies: Scanner) -> int | None:
    for match in _ORDINAL.finditer(text):
        value = ordinal(match.group("ord"))
        following = bodies.find(text[match.end() : match.end() + 120])
        if value and body is not None and following and following[0][2] == body:
            return value
    return None


def _known_meeting(reference: ReferenceData, meta: Metadata) -> URIRef | None:
    """The reference meeting of the same body that starts the same day (or has the same ordinal)."""
    if meta.body is None:
        return None
    g = reference.graph
    candidates = [
        as_iri(m)
        for m in g.subjects(CKG.body, meta.body)
        if (m, RDF.type, CKG.Meeting) in g or (m, RDF.type, CKG.Session) in g
    ]
    if meta.start is not None:
        for meeting in sorted(candidates):
            if g.value(meeting, CKG.startDate) == Literal(meta.start, datatype=XSD.date):
                return meeting
        return None
    if meta.ordinal is not None:
        same = [m for m in candidates if g.value(m, CKG.ordinal) == Literal(meta.ordinal)]
        if len(same) == 1:
            return same[0]
    return None
