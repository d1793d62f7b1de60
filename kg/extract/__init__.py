"""Extraction: what one report or statement says, found by genre rules kept mostly as data.

`Extractor(reference)(path)` tells a statement from a report by its own signs
(statements); for a report it reads the file (kg.read) and finds its structure
(structure), its metadata (metadata) and who took part (participants); for both, what it
mentions (mentions), the topics of its passages (topics), the treaty acts it tells (acts)
and the positions its sentences take (positions). It returns an Extraction with every
warning.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.extract.acts import extract_acts
from kg.extract.mentions import extract_mentions
from kg.extract.metadata import extract_metadata
from kg.extract.model import Extraction, Metadata, Participation, Passage, Speech
from kg.extract.participants import extract_participants, find_organizations, known
from kg.extract.positions import PositionReader, extract_positions
from kg.extract.rules import Rules, load_rules
from kg.extract.scan import Scanner
from kg.extract.statements import Statement, StatementFinder, statement_paragraphs
from kg.extract.structure import build_structure, split_sentences
from kg.extract.topics import extract_topics
from kg.iris import Iris
from kg.namespaces import CKG, as_iri
from kg.read import REPORT_LIMIT_MB, Block, read_blocks, read_text
from kg.reference import ReferenceData
from kg.reference.context import ACTOR_CLASSES, INSTRUMENT_CLASSES
from kg.reference.names import NameIndex
from kg.text import slug

_BEHALF_NOTE = re.compile(r"\s*\((?:on behalf of|speaking for)[^()]*\)$")


class Extractor:
    """Everything extraction needs that does not change from one report to the next:
    the reference data, the name scanners built from it, and the rules. Build it once,
    then call it on each report."""

    def __init__(
        self,
        reference: ReferenceData,
        rules: Rules | None = None,
        base: str | None = None,
        report_limit_mb: float = REPORT_LIMIT_MB,
    ):
        self.reference = reference
        self.report_limit_mb = report_limit_mb  # larger reports are refused before they are read
        self.rules = rules or load_rules()
        self.iris = Iris(base) if base else Iris()
        graph = reference.graph
        self.instruments = Scanner.from_graph(graph, INSTRUMENT_CLASSES, case_sensitive=False)
        self.actors = Scanner.from_graph(graph, ACTOR_CLASSES, case_sensitive=True)
        self.bodies = Scanner.from_graph(graph, (CKG.UNBody,), case_sensitive=True)
        self.states = frozenset(
            as_iri(s) for cls in (CKG.MemberState, CKG.ObserverState) for s in graph.subjects(RDF.type, cls)
        )
        self.positions = PositionReader(self.rules, graph, self.instruments, self.actors, self.iris)
        self.statements = StatementFinder(reference, self.iris)

    def __call__(self, path: Path, blocks: list[Block] | None = None) -> Extraction:
        """Extract one report or statement (kg.extract.statements tells them apart by their
        own signs); `blocks` are a report's blocks when they were read already
        (kg.read.read_blocks(path)), else the file is read here."""
        path = Path(path)
        statement = self.statements(path) if blocks is None else None
        if statement is not None:
            # a statement's speaker is known; names where a speaker stands in it are people
            # and places more often than organizations ('Antonio Guterres said')
            extraction, actors = self._statement(path, statement), self.actors
        else:
            extraction, actors = self._report(path, blocks)
        extract_mentions(extraction, self.reference, self.instruments, actors)
        extract_topics(extraction, self.rules)
        reader = self.positions.for_document(actors)
        extract_acts(extraction, reader, self.rules)
        extract_positions(extraction, reader, self.rules)
        return extraction

    def _report(self, path: Path, blocks: list[Block] | None) -> tuple[Extraction, Scanner]:
        """A report's structure, metadata, speakers and participants, and the names it holds
        beside the reference actors: the organizations its lists name and those that stand
        where a speaker stands ('Human Rights Watch considered ...')."""
        extraction = Extraction(path, Metadata())
        header = build_structure(
            read_blocks(path, extraction.warn, self.report_limit_mb) if blocks is None else blocks,
            extraction,
            self._is_name,
        )
        if not extraction.passages:
            extraction.warn(
                None, "no numbered paragraphs, list items or text passages found: is this a UN meeting report?"
            )
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
            actors = self.actors.merged(Scanner(organizations + speaking))
        return extraction, actors

    def _statement(self, path: Path, statement: Statement) -> Extraction:
        """A statement's paragraphs, every one in the words of its speaker (the first person
        is the speaker, or the group the whole statement speaks for), and the speaker's turn
        as a participation in the occasion."""
        if statement.body is None:
            # the body the occasion names ('Ad Hoc Committee ..., sixth session'), if any
            bodies = [node for _, _, node in self.bodies.find(statement.occasion)]
            statement = dataclasses.replace(statement, body=bodies[0] if bodies else None)
        meta = Metadata(
            symbol=statement.symbol,
            date=statement.date,
            document_type="statement",
            title=f"Statement by {statement.speaker_name}: {statement.occasion}",
            body=statement.body,
            ordinal=statement.session,
            statement=statement,
        )
        meta.meeting = self._meeting_on(statement.body, statement.date)
        extraction = Extraction(path, meta)
        if statement.warning:
            extraction.warn(None, statement.warning)
        speech = Speech(statement.speaker_name, 1, statement.speaker, speaks_for=statement.on_behalf_of)
        for number, (line, text) in enumerate(
            statement_paragraphs(read_text(path, extraction.warn, limit_mb=self.report_limit_mb)), start=1
        ):
            passage = Passage("paragraph", str(number), text, line, number, f"para/{number}", None, speech=speech)
            passage.sentences = split_sentences(text)
            extraction.passages.append(passage)
        if not extraction.passages:
            extraction.warn(None, "the statement has no text")
        elif statement.speaker is not None:
            first = extraction.passages[0]
            extraction.participations.append(
                Participation("speaker", statement.speaker_name, statement.speaker, None, statement.on_behalf_of, first)
            )
            if statement.person:  # who delivered it, from the speakers table; a country only if a State
                country = statement.speaker if statement.speaker in self.states else None
                extraction.participations.append(Participation("speaker", statement.person, None, country, None, first))
        return extraction

    def _meeting_on(self, body: URIRef | None, day) -> URIRef | None:
        """The meeting or session of `body` the reference data knows to run over `day`."""
        if body is None or day is None:
            return None
        g = self.reference.graph
        for meeting in sorted(as_iri(m) for m in g.subjects(CKG.body, body)):
            start, end = g.value(meeting, CKG.startDate), g.value(meeting, CKG.endDate)
            if start is not None:
                last = end or start
                assert isinstance(start, Literal) and isinstance(last, Literal)  # a meeting's dates are xsd:dates
                if start.toPython() <= day <= last.toPython():
                    return meeting
        return None

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
