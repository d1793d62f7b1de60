"""Turn one Extraction into RDF: the document, its sections and passages, the sentences a
position or treaty action rests on, the meeting and its agenda, participations,
attendance, mentions and citations, and the positions, every node pointing to the passage
(and, for positions and treaty actions, the sentence) it came from. A passage keeps its
whole text; its other sentences are not nodes (in a corpus of speeches they would be
three quarters of the graph, and nothing points to them). IRIs are minted by kg.iris.Iris
(its module docstring lists the scheme) from the symbol and the passage paths, so they
are stable.

Statements are made as pyoxigraph terms in a kg.rdf.Statements set (the rdflib terms
extraction hands over are converted once each); see kg.rdf for why."""

from __future__ import annotations

from functools import cache

from pyoxigraph import Literal, NamedNode
from rdflib import Graph, URIRef
from rdflib import Literal as RdflibLiteral
from rdflib import namespace as rdflib_namespace

from kg import namespaces, resources
from kg.extract.model import Extraction, Holder, Passage
from kg.extract.statements import Statement
from kg.graphio import parse_into
from kg.iris import Iris
from kg.rdf import Statements, Terms, ToOxigraph, day, text
from kg.reference import ReferenceData
from kg.symbols import document_type

CKG = Terms(namespaces.CKG)
RDF = Terms(str(rdflib_namespace.RDF))
RDFS = Terms(str(rdflib_namespace.RDFS))
DCTERMS = Terms(str(rdflib_namespace.DCTERMS))
PROV = Terms(str(rdflib_namespace.PROV))
DOCUMENT_TYPE = Terms(namespaces.DOCUMENT_TYPE)
MEETING_ROLE = Terms(namespaces.MEETING_ROLE)
QUANTIFIER = Terms(namespaces.QUANTIFIER)
SPEAKER_KIND = Terms(namespaces.SPEAKER_KIND)
STANCE = Terms(namespaces.STANCE)
XSD = Terms(str(rdflib_namespace.XSD))
TREATY_ACTION = Terms(namespaces.TREATY_ACTION)
TOPIC = str(namespaces.TOPIC)
SKOS_PREF_LABEL = rdflib_namespace.SKOS.prefLabel


class DocumentBuilder:
    def __init__(self, reference: ReferenceData, iris: Iris):
        self.reference = reference
        self.iris = iris
        self.labels = reference.graph
        self._converted = ToOxigraph()

    def node(self, term) -> NamedNode:
        """An rdflib term from extraction or the reference data, as a pyoxigraph term."""
        return self._converted[term]

    def document_iri(self, extraction: Extraction) -> URIRef:
        meta = extraction.metadata
        if meta.statement is not None and not meta.symbol:
            return self.iris(meta.statement.key)
        if meta.symbol:
            return self.iris.document(meta.symbol)
        meeting = meta.meeting if meta.meeting is not None else meta.ordinal
        if meta.body is not None and meeting:
            kinds = (
                "draft-report-addendum"
                if meta.document_type == "addendum" and "draft report" in (meta.title or "").lower()
                else meta.document_type
            )
            return self.iris.report_document(meta.body, meeting, kinds)
        return self.iris.file_document(extraction.path.stem)

    def build(self, extraction: Extraction) -> tuple[URIRef, Statements]:
        g = Statements()
        meta = extraction.metadata
        document = self.document_iri(extraction)
        doc = NamedNode(str(document))
        label = meta.symbol or meta.title or extraction.path.name
        add = g.add
        add((doc, RDF.type, CKG.Document))
        add((doc, RDFS.label, Literal(label)))
        if meta.title:
            add((doc, DCTERMS.title, text(meta.title, "en")))
        if meta.symbol:
            add((doc, CKG.symbol, Literal(meta.symbol)))
        if meta.date:
            add((doc, DCTERMS.date, day(meta.date)))
        add((doc, CKG.documentType, DOCUMENT_TYPE[meta.document_type]))
        add((doc, DCTERMS.source, Literal(extraction.path.name)))
        meeting = self._meeting(g, extraction)
        if meeting is not None:
            add((doc, CKG.meeting, meeting))

        agenda = {}
        for item in extraction.agenda:
            if meeting is None:
                break
            node = self.iris.agenda_item(meeting, item.number)
            agenda[item.number] = node
            add((node, RDF.type, CKG.AgendaItem))
            add((node, CKG.itemNumber, Literal(item.number)))
            if item.title:
                add((node, RDFS.label, text(item.title, "en")))
            add((node, CKG.agendaOf, meeting))
            if item.source is not None:
                add((node, PROV.wasDerivedFrom, self.iris.passage(doc, item.source.path)))

        for section in extraction.sections:
            node = self.iris.section(doc, section.path)
            add((node, RDF.type, CKG.Section))
            heading = (
                f"{section.number}. {section.title}"
                if section.number and not section.number.startswith(("Chapter", "Annex"))
                else section.title
            )
            add((node, RDFS.label, text(heading, "en")))
            add((node, DCTERMS.title, text(section.title, "en")))
            if section.number:
                add((node, CKG.sectionNumber, Literal(section.number)))
            add((node, CKG["index"], Literal(section.index)))
            add((node, CKG.line, Literal(section.line)))
            parent = self.iris.section(doc, section.parent.path) if section.parent else doc
            add((node, DCTERMS.isPartOf, parent))
            add((node, CKG.inDocument, doc))
            if section.agenda_item is not None and section.agenda_item.number in agenda:
                add((node, CKG.agendaItem, agenda[section.agenda_item.number]))

        cited = {(id(x.passage), x.sentence) for x in extraction.positions}
        cited.update((id(x.passage), x.sentence) for x in extraction.acts)
        for passage in extraction.passages:
            self._passage(g, doc, label, passage, agenda, extraction, cited)

        for organization, name in sorted(extraction.organizations.items()):
            node = self.node(organization)
            add((node, RDF.type, CKG.NonStateOrganization))
            add((node, RDFS.label, Literal(name)))
        self._participants(g, doc, extraction, meeting, agenda)
        self._mentions(g, doc, extraction)
        self._positions(g, doc, label, extraction, meeting)
        self._acts(g, doc, extraction)
        return document, g

    # -- pieces ---------------------------------------------------------------------------------

    def _meeting(self, g: Statements, extraction: Extraction) -> NamedNode | None:
        meta = extraction.metadata
        if meta.meeting is not None:
            return self.node(meta.meeting)
        if meta.statement is not None:
            # an occasion no body holds (a signing ceremony) is told in the title only
            return self._occasion(g, meta.statement) if meta.statement.body is not None else None
        if meta.body is None or not (meta.ordinal or meta.start):
            return None
        kind = "session" if "session" in (meta.title or "").lower() else "meeting"
        part = f"{kind}-{meta.ordinal}" if meta.ordinal else str(meta.start)
        node = self.node(self.iris.meeting(self.iris.key(meta.body), part))
        g.add((node, RDF.type, CKG.Session if kind == "session" else CKG.Meeting))
        body_label = self.labels.value(meta.body, rdflib_namespace.RDFS.label)
        g.add((node, RDFS.label, text(f"{kind.capitalize()} {meta.ordinal or meta.start} of the {body_label}", "en")))
        g.add((node, CKG.body, self.node(meta.body)))
        if meta.ordinal:
            g.add((node, CKG.ordinal, Literal(meta.ordinal)))
        if meta.venue:
            g.add((node, CKG.venue, Literal(meta.venue)))
        if meta.start:
            g.add((node, CKG.startDate, day(meta.start)))
        if meta.end:
            g.add((node, CKG.endDate, day(meta.end)))
        return node

    def _occasion(self, g: Statements, statement: Statement) -> NamedNode:
        """The occasion a statement was made on: 'General Debate of the sixty-second session
        of the General Assembly (2007)', one node for every statement made there."""
        node = NamedNode(str(self.iris(statement.meeting_key)))
        g.add((node, RDF.type, CKG.Meeting))
        g.add((node, RDFS.label, text(statement.occasion, "en")))
        if statement.body is not None:
            g.add((node, CKG.body, self.node(statement.body)))
        if statement.session is not None:
            g.add((node, CKG.ordinal, Literal(statement.session)))
        if statement.date is not None:
            g.add((node, CKG.startDate, day(statement.date)))
        elif statement.year is not None:
            g.add((node, CKG.year, Literal(f"{statement.year:04d}", datatype=XSD.gYear)))
        return node

    def _passage(
        self,
        g: Statements,
        doc: NamedNode,
        label: str,
        passage: Passage,
        agenda: dict,
        extraction: Extraction,
        cited: set[tuple[int, int]],
    ) -> None:
        node = self.iris.passage(doc, passage.path)
        add = g.add
        if passage.kind == "paragraph":
            cls = CKG.Paragraph
        elif passage.recommendation:
            cls = CKG.Recommendation if passage.kind == "item" else CKG.RecommendationPart
        else:
            cls = CKG.ListItem
        add((node, RDF.type, cls))
        add((node, RDFS.label, Literal(f"{label}, {passage.citation()}")))
        # a list item's text runs to its sub-items ('... authorizes: (i) ...; (ii) ...'), as a reader cites it
        whole = (
            " ".join([passage.text, *(f"({c.label}) {c.text}" for c in passage.children)])
            if passage.kind == "item"
            else passage.text
        )
        add((node, CKG.text, Literal(whole)))
        add((node, CKG["index"], Literal(passage.index)))
        add((node, CKG.line, Literal(passage.line)))
        add((node, CKG.inDocument, doc))
        if passage.parent is not None:
            add((node, DCTERMS.isPartOf, self.iris.passage(doc, passage.parent.path)))
        elif passage.section is not None:
            add((node, DCTERMS.isPartOf, self.iris.section(doc, passage.section.path)))
        else:
            add((node, DCTERMS.isPartOf, doc))
        if passage.number is not None:
            add((node, CKG.paragraphNumber, Literal(passage.number)))
        if passage.kind != "paragraph" and passage.label is not None:
            add((node, CKG.marker, Literal(passage.label)))
        if cls == CKG.Recommendation:
            if passage.parent is not None and passage.parent.kind == "paragraph":
                add((node, CKG.inParagraph, self.iris.passage(doc, passage.parent.path)))
            if passage.attribution:
                add((node, CKG.attribution, Literal(passage.attribution)))
        if passage.agenda_item is not None and passage.agenda_item.number in agenda:
            add((node, CKG.agendaItem, agenda[passage.agenda_item.number]))
        for topic in extraction.topics.get(passage.path, []):
            add((node, CKG.topic, self.node(topic)))
        for index, sentence in enumerate(passage.sentences, start=1):
            if (id(passage), index) not in cited:
                continue
            s = self.iris.sentence(node, index)
            add((s, RDF.type, CKG.Sentence))
            add((s, CKG.text, Literal(sentence)))
            add((s, CKG["index"], Literal(index)))
            add((s, DCTERMS.isPartOf, node))
            add((s, CKG.inDocument, doc))

    def _person(self, g: Statements, name: str, country: URIRef | None) -> URIRef:
        """A person, known by name and country: two people of one name from two States
        ('Beck') are two people."""
        iri = self.iris.person(name, country)
        person = self.node(iri)
        g.add((person, RDF.type, CKG.Person))
        g.add((person, RDFS.label, Literal(name)))
        if country is not None:
            g.add((person, CKG.country, self.node(country)))
        return iri

    def _participants(
        self, g: Statements, doc: NamedNode, extraction: Extraction, meeting: NamedNode | None, agenda: dict
    ) -> None:
        seen: dict[str, int] = {}
        for p in extraction.participations:
            actor = p.actor if p.actor is not None else self._person(g, p.name, p.country)
            # a panellist's participations on two agenda items are two participations
            item = p.agenda_item.number if p.agenda_item is not None and p.role == "panellist" else None
            node = self.iris.participation(doc, p.role, actor, p.on_behalf_of, item)
            n = seen[node.value] = seen.get(node.value, 0) + 1
            if n > 1:  # the same again: numbered from 2
                node = self.iris.participation(doc, p.role, actor, p.on_behalf_of, item, n)
            g.add((node, RDF.type, CKG.Participation))
            g.add((node, CKG.participant, self.node(actor)))
            g.add((node, CKG.role, MEETING_ROLE[p.role]))
            if meeting is not None:
                g.add((node, CKG.meeting, meeting))
            if p.on_behalf_of is not None:
                g.add((node, CKG.onBehalfOf, self.node(p.on_behalf_of)))
            if p.agenda_item is not None and p.agenda_item.number in agenda:
                g.add((node, CKG.agendaItem, agenda[p.agenda_item.number]))
            g.add((node, CKG.sourcePassage, self.iris.passage(doc, p.passage.path)))
            g.add((node, CKG.inDocument, doc))
        for record in extraction.attendance:
            node = self.iris.attendance(doc, record.category)
            g.add((node, RDF.type, CKG.AttendanceRecord))
            if meeting is not None:
                g.add((node, CKG.meeting, meeting))
            g.add((node, CKG.attendeeCategory, Literal(record.category)))
            g.add((node, CKG["count"], Literal(record.count)))
            g.add((node, CKG.sourcePassage, self.iris.passage(doc, record.passage.path)))
            g.add((node, CKG.inDocument, doc))

    def _resolution(self, g: Statements, body: URIRef | None, number: str, source: NamedNode) -> NamedNode:
        ref = self.reference.graph
        R = rdflib_namespace
        known = sorted(ref.subjects(namespaces.CKG.resolutionNumber, RdflibLiteral(number)), key=str)
        for resolution in known:
            if body is None or ref.value(resolution, namespaces.CKG.adoptingBody) == body:
                if body is not None or len(known) == 1:
                    return self.node(resolution)
        identifier = str(ref.value(body, R.DCTERMS.identifier)) if body is not None else None
        node = self.node(self.iris.resolution(identifier, number))
        g.add((node, RDF.type, CKG.Resolution))
        g.add((node, CKG.resolutionNumber, Literal(number)))
        body_label = ref.value(body, R.RDFS.label) if body is not None else None
        g.add(
            (
                node,
                RDFS.label,
                text(
                    f"{body_label} resolution {number}" if body_label else f"resolution {number} (body not stated)",
                    "en",
                ),
            )
        )
        if body is not None:
            g.add((node, CKG.adoptingBody, self.node(body)))
        g.add((node, PROV.wasDerivedFrom, source))
        return node

    def _mentions(self, g: Statements, doc: NamedNode, extraction: Extraction) -> None:
        for mention in extraction.mentions:
            g.add((self.iris.passage(doc, mention.passage.path), CKG.mentions, self.node(mention.node)))
            if mention.kind == "instrument":
                g.add((doc, CKG.cites, self.node(mention.node)))
        for citation in extraction.resolutions:
            source = self.iris.passage(doc, citation.passage.path)
            node = self._resolution(g, citation.body, citation.number, source)
            g.add((source, CKG.mentions, node))
            g.add((doc, CKG.cites, node))
        for symbol, passage in extraction.symbols:
            cited = self.node(self.iris.document(symbol))
            if cited == doc:
                continue
            g.add((cited, RDF.type, CKG.Document))
            g.add((cited, RDFS.label, Literal(symbol)))
            g.add((cited, CKG.symbol, Literal(symbol)))
            kind = document_type(symbol)
            if kind is not None:
                g.add((cited, CKG.documentType, self.node(kind)))
            g.add((self.iris.passage(doc, passage.path), CKG.mentions, cited))
            g.add((doc, CKG.cites, cited))

    def _holder(self, g: Statements, doc: NamedNode, label: str, holder: Holder) -> NamedNode:
        if holder.named:
            return self.node(holder.node)
        if holder.quantifier is None or holder.kind is None:
            raise ValueError(f"an anonymous holder needs a quantifier and a kind: {holder.phrase!r}")
        node = self.iris.collective(doc, holder.quantifier, holder.kind)
        if (node, RDF.type, CKG.AnonymousCollective) not in g:
            quantifier = namespaces.QUANTIFIER[holder.quantifier]
            kind = namespaces.SPEAKER_KIND[holder.kind]
            words = self._scheme_label(kind)
            phrase = words if holder.quantifier == "unspecified" else f"{self._scheme_label(quantifier)} {words}"
            if holder.quantifier == "one":
                phrase = f"one {words.rstrip('s') if not words.startswith('Member') else 'Member State'}"
            g.add((node, RDF.type, CKG.AnonymousCollective))
            g.add((node, RDFS.label, text(f"{phrase} ({label})", "en")))
            g.add((node, CKG.quantifier, QUANTIFIER[holder.quantifier]))
            g.add((node, CKG.collectiveOf, SPEAKER_KIND[holder.kind]))
            g.add((node, CKG.inDocument, doc))
        return node

    def _scheme_label(self, concept: URIRef) -> str:
        return str(_schemes().value(concept, SKOS_PREF_LABEL) or str(concept).rsplit("/", 1)[-1])

    def _positions(
        self, g: Statements, doc: NamedNode, label: str, extraction: Extraction, meeting: NamedNode | None
    ) -> None:
        counts: dict[str, int] = {}
        for position in extraction.positions:
            passage = self.iris.passage(doc, position.passage.path)
            sentence = self.iris.sentence(passage, position.sentence)
            counts[sentence.value] = counts.get(sentence.value, 0) + 1
            node = self.iris.position(sentence, counts[sentence.value])
            holder = self._holder(g, doc, label, position.holder)
            g.add((node, RDF.type, CKG.Position))
            g.add((node, CKG.holder, holder))
            if position.holder.voiced_by is not None:
                g.add((node, CKG.voicedBy, self.node(position.holder.voiced_by)))
            g.add((node, CKG.stance, STANCE[position.stance]))
            on_topic = str(position.target).startswith(TOPIC)
            g.add((node, CKG.onTopic if on_topic else CKG.target, self.node(position.target)))
            if meeting is not None:
                g.add((node, CKG.meeting, meeting))
            g.add((node, CKG.quote, Literal(position.quote)))
            g.add((node, CKG.extractionRule, Literal(position.rule)))
            g.add((node, CKG.sourcePassage, passage))
            g.add((node, CKG.sourceSentence, sentence))
            g.add((node, CKG.inDocument, doc))

    def _acts(self, g: Statements, doc: NamedNode, extraction: Extraction) -> None:
        """Treaty actions a document tells ('Ghana acceded to ... in 2018'), each derived from
        its sentence, beside those of the reference tables."""
        counts: dict[str, int] = {}
        for act in extraction.acts:
            sentence = self.iris.sentence(self.iris.passage(doc, act.passage.path), act.sentence)
            counts[sentence.value] = counts.get(sentence.value, 0) + 1
            node = self.iris.treaty_action_in(sentence, counts[sentence.value])
            actor, treaty = self.node(act.actor), self.node(act.treaty)
            g.add((node, RDF.type, CKG.TreatyAction))
            names = [self.labels.value(x, rdflib_namespace.RDFS.label) for x in (act.actor, act.treaty)]
            g.add((node, RDFS.label, text(f"{names[0]}: {act.action} of the {names[1]}", "en")))
            g.add((node, CKG.actor, actor))
            g.add((node, CKG.treaty, treaty))
            g.add((node, CKG.actionType, TREATY_ACTION[act.action]))
            if act.date:
                g.add((node, CKG.dateAsGiven, Literal(act.date)))
            g.add((node, CKG.quote, Literal(act.quote)))
            g.add((node, PROV.wasDerivedFrom, sentence))


@cache
def _schemes() -> Graph:
    """The concept schemes, for the labels of collectives."""
    graph = Graph()
    for name in ("schemes.ttl", "topics.ttl"):
        parse_into(graph, resources.resource_dir("ontology") / name)
    return graph
