"""What extraction finds in one report, as plain Python objects.

The extractor fills these from the text; the builder turns them into RDF. Nothing here
knows about IRIs except `Passage.path`, the readable, stable address of a passage in its
document ('para/10', 'para/10/item/b', 'para/10/item/o/iv') from which IRIs are minted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg.diagnostics import Diagnostics

if TYPE_CHECKING:
    from kg.extract.statements import Statement


@dataclass
class Section:
    number: str | None
    title: str
    level: int
    line: int
    index: int
    parent: Section | None = None
    path: str = ""
    agenda_item: AgendaItem | None = None


@dataclass
class AgendaItem:
    number: str
    title: str | None
    line: int
    source: Passage | None = None  # the agenda list item or the paragraph that names it


@dataclass
class Speech:
    """Words one speaker says in the first person: a speech under 'Mr. X (Country):' in a
    verbatim record, or a section of a compilation of views headed by a State's name.
    `name` is the speaker as printed; the extractor resolves it to `actor`."""

    name: str
    line: int
    actor: URIRef | None = None
    speaks_for: URIRef | None = None  # a group the speaker says it speaks for
    presiding: bool = False  # the presiding officer ('The President:'), who speaks for no State


@dataclass
class Passage:
    """A numbered paragraph, an unnumbered paragraph, a list item or a sub-item."""

    kind: str  # "paragraph" | "item" | "subitem"
    label: str | None  # paragraph number or list marker without parentheses
    text: str
    line: int
    index: int
    path: str
    section: Section | None
    parent: Passage | None = None
    agenda_item: AgendaItem | None = None
    recommendation: bool = False
    attribution: str | None = None
    sentences: list[str] = field(default_factory=list)
    children: list[Passage] = field(default_factory=list)
    speech: Speech | None = None  # in a statement or a verbatim record: whose words these are

    @property
    def number(self) -> int | None:
        return int(self.label) if self.kind == "paragraph" and self.label and self.label.isdigit() else None

    def citation(self) -> str:
        """How a reader would cite it: 'para. 10', 'para. 10 (b)', '(38)', 'para. 11 (o) (iv)'."""
        parts = []
        node: Passage | None = self
        while node is not None:
            if node.kind == "paragraph":
                parts.append(f"para. {node.label}" if node.label else "unnumbered paragraph")
            else:
                parts.append(f"({node.label})")
            node = node.parent
        return " ".join(reversed(parts))


@dataclass
class Holder:
    """Who holds a position: a named actor, or an anonymous collective."""

    node: URIRef | None = None  # a named actor
    quantifier: str | None = None  # for a collective: one, some, other, unspecified...
    kind: str | None = None  # for a collective: member-states, speakers, ...
    phrase: str | None = None  # the words that gave the holder
    voiced_by: URIRef | None = None  # the named actor who spoke for the holder ('X, speaking on behalf of G')

    @property
    def named(self) -> bool:
        return self.node is not None


@dataclass
class Position:
    holder: Holder
    stance: str  # notation in the stance scheme
    target: URIRef
    passage: Passage
    sentence: int  # 1-based index of the sentence in the passage
    quote: str
    rule: str


@dataclass
class TreatyAct:
    """A treaty action a sentence tells: 'Ghana acceded to the Convention on Cybercrime in 2018'."""

    actor: URIRef
    treaty: URIRef
    action: str  # notation in the treaty-action scheme: signature, ratification, accession
    passage: Passage
    sentence: int  # 1-based index of the sentence in the passage
    quote: str
    date: str | None = None  # as the sentence gives it: 'December 2018', '2012'


@dataclass
class Participation:
    role: str  # notation in the meeting-role scheme
    name: str  # as printed
    actor: URIRef | None  # the State or organization, or None for a person
    country: URIRef | None  # for persons: the State in brackets
    on_behalf_of: URIRef | None
    passage: Passage
    agenda_item: AgendaItem | None = None


@dataclass
class Attendance:
    category: str
    count: int
    passage: Passage


@dataclass
class Mention:
    kind: str  # "instrument" | "actor" | "resolution" | "document"
    node: URIRef
    text: str
    passage: Passage
    sentence: int


@dataclass
class ResolutionCitation:
    body: URIRef | None  # None when the text does not tell
    number: str
    text: str
    passage: Passage
    sentence: int


@dataclass
class Metadata:
    symbol: str | None = None
    date: datetime.date | None = None
    title: str | None = None
    document_type: str = "report"  # notation in the document-type scheme
    body: URIRef | None = None
    ordinal: int | None = None
    venue: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    meeting: URIRef | None = None  # a meeting the reference data knows
    statement: Statement | None = None  # a statement: who speaks, on what occasion (kg.extract.statements)


@dataclass
class Extraction:
    path: Path
    metadata: Metadata
    sections: list[Section] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # every passage, in reading order
    agenda: list[AgendaItem] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    resolutions: list[ResolutionCitation] = field(default_factory=list)
    symbols: list[tuple[str, Passage]] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    acts: list[TreatyAct] = field(default_factory=list)
    organizations: dict[URIRef, str] = field(default_factory=dict)  # non-State organizations the document names
    topics: dict[str, list[URIRef]] = field(default_factory=dict)  # passage path -> topics
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    def recommendations(self) -> list[Passage]:
        return [p for p in self.passages if p.recommendation and p.kind == "item"]

    def warn(self, line: int | None, message: str) -> None:
        self.diagnostics.warn(self.path.name, line, message)
