"""Extraction: what one report says, found by genre rules kept mostly as data.

`extract_report(path, reference)` reads the file (kg.read), finds its structure
(structure), its metadata (metadata), who took part (participants), what it mentions
(mentions), the positions its sentences take (positions) and the topics of its passages
(topics), and returns an Extraction with every warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF

from kg.extract.mentions import extract_mentions
from kg.extract.metadata import extract_metadata
from kg.extract.model import Extraction, Metadata, Speech
from kg.extract.participants import extract_participants, find_organizations, known
from kg.extract.positions import PositionReader, extract_positions
from kg.extract.rules import Rules, load_rules
from kg.extract.scan import Scanner
from kg.extract.structure import build_structure
from kg.extract.topics import extract_topics
from kg.iris import Iris
from kg.namespaces import CKG
from kg.read import Block, read_blocks
from kg.text import slug
from kg.reference import ReferenceData
from kg.reference.context import ACTOR_CLASSES, INSTRUMENT_CLASSES
from kg.reference.names import NameIndex


_BEHALF_NOTE = re.compile(r"\s*\((?:on behalf of|speaking for)[^()]*\)$")


class Extractor:
    """Everything extraction needs that does not change from one report to the next:
    the reference data, the name scanners built from it, and the rules. Build it once,
    then call it on each report."""

    def __init__(self, reference: ReferenceData, rules: Rules | None = None, base: str | None = None):
        self.reference = reference
        self.rules = rules or load_rules()
        self.iris = Iris(base) if base else Iris()
        graph = reference.graph
        self.instruments = Scanner.from_graph(graph, INSTRUMENT_CLASSES, case_sensitive=False)
        self.actors = Scanner.from_graph(graph, ACTOR_CLASSES, case_sensitive=True)
        self.bodies = Scanner.from_graph(graph, (CKG.UNBody,), case_sensitive=True)
        self.states = frozenset(s for cls in (CKG.MemberState, CKG.ObserverState) for s in graph.subjects(RDF.type, cls))
        self.positions = PositionReader(self.rules, graph, self.instruments, self.actors, self.iris)

    def __call__(self, path: Path, blocks: list[Block] | None = None) -> Extraction:
        """Extract one report; `blocks` are its blocks when they were read already
        (kg.read.read_blocks(path)), else the file is read here."""
        path = Path(path)
        extraction = Extraction(path, Metadata())
        if blocks is None:
            blocks = read_blocks(path)
        header = build_structure(blocks, extraction, self._is_name)
        if not extraction.passages:
            extraction.warn(None, "no numbered paragraphs, list items or text passages found: is this a UN meeting report?")
        extract_metadata(header, extraction, self.reference, self.bodies)
        self._speeches(extraction)
        organizations = find_organizations(extraction, self.reference.actors, self.iris)
        own = NameIndex()
        for name, node in organizations:
            own.add(name, node)
        extract_participants(extraction, self.reference.actors, own, self.states)
        actors = self.actors.merged(Scanner(organizations)) if organizations else self.actors
        speaking = self._speaking_organizations(extraction, self.positions.for_document(actors))
        if speaking:
            organizations += speaking
            actors = self.actors.merged(Scanner(organizations))
        extract_mentions(extraction, self.reference, self.instruments, actors)
        extract_topics(extraction, self.rules)
        extract_positions(extraction, self.positions.for_document(actors), self.rules)
        return extraction

    def _speaking_organizations(self, extraction: Extraction, reader: PositionReader) -> list[tuple[str, URIRef]]:
        """Organizations no list and no reference names, found where a speaker stands
        ('Human Rights Watch considered ...'): each gets a node of its own, as listed ones do,
        unless it names an instrument or a UN body."""
        names: list[tuple[str, URIRef]] = []
        for passage in extraction.passages:
            for sentence in passage.sentences:
                for name, acronym in reader.holders.unknown_names(sentence):
                    if self.instruments.find(name) or self.bodies.find(name) or len(name) > 120:
                        continue
                    node = self.iris(f"org/stakeholder/{slug(name)}")
                    extraction.organizations.setdefault(node, name)
                    names += [(name, node)] + ([(f"{name} ({acronym})", node), (acronym, node)] if acronym else [])
        return names

    def _heading_actor(self, text: str) -> URIRef | None:
        """The State, group of States or intergovernmental organization a line names and
        nothing else ('Australia', 'European Union (on behalf of its member States)'): the
        heading of its reply in a compilation of views. A UN body's or office's name
        ('Commission on Crime Prevention and Criminal Justice') heads a topic, never a
        speaker's words."""
        if len(text) > 80:
            return None
        node = known(_BEHALF_NOTE.sub("", text), self.reference.actors)
        graph = self.reference.graph
        if node is None or any((node, RDF.type, cls) in graph for cls in (CKG.UNBody, CKG.UNOffice)):
            return None
        return node

    def _is_name(self, text: str) -> bool:
        return self._heading_actor(text) is not None

    def _speeches(self, extraction: Extraction) -> None:
        """Whose words each passage holds: the State in a verbatim record's speaker header,
        or the actor whose name heads a section of a compilation of views."""
        resolved: set[int] = set()
        headed: dict[int, Speech | None] = {}  # section index -> the reply it holds
        for passage in extraction.passages:
            speech = passage.speech
            if speech is not None:
                if id(speech) not in resolved and not speech.presiding:
                    resolved.add(id(speech))
                    speech.actor = known(speech.name, self.reference.actors)
                    if speech.actor is None:
                        extraction.warn(speech.line, f"speaker {speech.name!r} matches no known State or organization")
                continue
            section = passage.section
            while section is not None:
                if section.index not in headed:
                    actor = self._heading_actor(section.title)
                    headed[section.index] = Speech(section.title, section.line, actor) if actor is not None else None
                if headed[section.index] is not None:
                    passage.speech = headed[section.index]
                    break
                section = section.parent


__all__ = ["Extraction", "Extractor"]
