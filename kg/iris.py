"""Stable, readable IRIs for the graph's own nodes, minted under the configured base.

The same paths appear as relative IRIs in the reference Turtle files (for example
<instrument/budapest-convention>), which the loader resolves against the same base, so
a node has one IRI whichever file mentions it. Building twice gives the same IRIs.

The IRI scheme
--------------

`{base}` is the configured base (https://w3id.org/cyberkg/id/ unless --base or
CYBERKG_BASE says otherwise). A `{... slug}` is kg.text.slug of the words ('First
session' -> 'first-session'); a `{... key}` is the last segment of another of our IRIs
(`Iris.key`: 'FRA' for state/FRA). The examples are paths after the default base.

Nodes under the base; the methods return rdflib URIRefs:

=============================================  ===============  ====================================================
path after {base}                              Iris method      example
=============================================  ===============  ====================================================
state/{ISO3}                                   state            state/FRA
source/{key}                                   source           source/states
doc/{symbol slug}                              document         doc/A-AC.291-22-Rev.3 (symbol_slug of the symbol)
doc/{body key}-{meeting}-{document type}       report_document  doc/ad-hoc-committee-on-cybercrime-session-3-report
doc/file-{file stem slug}                      file_document    doc/file-corpus-summary
meeting/{body key}/{part}                      meeting          meeting/ad-hoc-committee-on-cybercrime/session-2
membership/{organization key}/{member key}     membership       membership/g77/AGO
treaty-action/{treaty key}/{actor key}/{act}   treaty_action    treaty-action/budapest-convention/ALB/ratification
{vote event path}/{voter key}                  vote             vote-event/ga-73-187/FRA
person/{name slug}[-{country key slug}]        person           person/aiko-tanaka-jpn
resolution/{body identifier, lower}-{number}   resolution       resolution/ga-79-243 (the number's '/' as '-')
=============================================  ===============  ====================================================

Nodes under a node of one document; the methods take the parent as a pyoxigraph
NamedNode and return pyoxigraph NamedNodes. Only kg.builder.document mints these, over
a thousand a report, as pyoxigraph terms (no rdflib term on that path); the base is
already in the parent. {doc} is a document's IRI, {meeting} a meeting's, {passage} and
{sentence} what `passage` and `sentence` return:

===================================================  ================  =============================================
IRI                                                  Iris method       example
===================================================  ================  =============================================
{doc}/section/{section path}                         section           {doc}/section/iii/a
{doc}/{passage path}                                 passage           {doc}/para/10, {doc}/para/10/item/b
{passage}/sentence/{index from 1}                    sentence          {doc}/para/10/sentence/2
{meeting}/agenda/{item number slug}                  agenda_item       {meeting}/agenda/4-a
{doc}/participation/{role}/{actor key}{qualifiers}   participation     {doc}/participation/panellist/FRA-item-3
{doc}/attendance/{category slug}                     attendance        {doc}/attendance/member-states
{doc}/collective/{quantifier}-{speaker kind}         collective        {doc}/collective/some-member-states
{sentence}/position/{n from 1}                       position          {doc}/para/10/sentence/2/position/1
{sentence}/treaty-action/{n from 1}                  treaty_action_in  {doc}/para/21/sentence/1/treaty-action/1
===================================================  ================  =============================================

A participation's {qualifiers} are, in this order and each only where it applies:
-for-{group key} (on behalf of a group), -item-{item number slug} (a panellist's agenda
item) and -{n} (the n-th of the same, from 2).

Minted elsewhere from the same base, named here so the scheme reads in one place:
doc/general-debate/{session}/{ISO3}, doc/statement/{file stem slug},
meeting/general-assembly/general-debate-{session} and
meeting/occasion/{occasion slug}-{date} (statements, kg.extract.statements);
org/stakeholder/{name slug} (organizations a report names, kg.extract);
{membership}/during, {membership}/during/beginning and {membership}/during/end
(kg.reference.memberships); graph/{document path} and graph/reference (the named
graphs, kg.builder); instrument/..., org/..., resolution/..., source/... and
vote-event/... (relative IRIs in the reference Turtle files).
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode
from rdflib import URIRef

from kg.config import DEFAULT_BASE
from kg.text import slug


def symbol_slug(symbol: str) -> str:
    """'UNODC/CCPCJ/EG.4/2019/INF/1/Rev.1' -> 'UNODC-CCPCJ-EG.4-2019-INF-1-Rev.1'."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", symbol.strip()).strip("-")


class Iris:
    """Mints the IRIs of one graph under one base (the table in the module docstring).

    Nodes under the base (`state`, `source`, `document`, `report_document`,
    `file_document`, `meeting`, `membership`, `treaty_action`, `vote`, `person`,
    `resolution`, and calling the object with a path) come back as rdflib URIRefs, as
    extraction and the reference loader use them. Nodes under a node of a document
    (`section`, `passage`, `sentence`, `agenda_item`, `participation`, `attendance`,
    `collective`, `position`, `treaty_action_in`) take their parent as a pyoxigraph
    NamedNode and come back as pyoxigraph NamedNodes, as the document builder uses them.
    """

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base

    def __call__(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def path(self, iri: URIRef) -> str:
        """The part of one of our IRIs after the base ('state/FRA')."""
        text = str(iri)
        if not text.startswith(self.base):
            raise ValueError(f"{iri} is not under the base {self.base}")
        return text[len(self.base) :]

    def key(self, iri: URIRef) -> str:
        """The last segment of one of our IRIs ('FRA' for state/FRA)."""
        return self.path(iri).rsplit("/", 1)[-1]

    # -- under the base: rdflib URIRefs ---------------------------------------------------------

    def state(self, iso3: str) -> URIRef:
        """state/{ISO3}: a State or observer by its ISO 3166 alpha-3 code."""
        return self(f"state/{iso3.upper()}")

    def source(self, key: str) -> URIRef:
        """source/{key}: a reference table or file the graph was built from."""
        return self(f"source/{key}")

    def document(self, symbol: str) -> URIRef:
        """doc/{symbol slug}: a UN document by its symbol ('A/AC.291/22' -> doc/A-AC.291-22)."""
        return self(f"doc/{symbol_slug(symbol)}")

    def report_document(self, body: URIRef, meeting: URIRef | int, kind: str) -> URIRef:
        """doc/{body key}-{meeting}-{kind}: a report without a symbol, named by the body, the
        meeting (the key of a meeting the reference data knows, else 'meeting-{ordinal}')
        and the document type ('report', 'draft-report-addendum')."""
        part = self.key(meeting) if isinstance(meeting, URIRef) else f"meeting-{meeting}"
        return self(f"doc/{self.key(body)}-{part}-{kind}")

    def file_document(self, stem: str) -> URIRef:
        """doc/file-{slug}: a document known only by its file name (without the extension)."""
        return self(f"doc/file-{slug(stem)}")

    def meeting(self, body_key: str, part: str) -> URIRef:
        """meeting/{body key}/{part}: a meeting or session of a body, the part naming it among the
        body's ('session-3', 'meeting-6', 'organizational-session', or its first day '2024-01-29')."""
        return self(f"meeting/{body_key}/{part}")

    def membership(self, organization: URIRef, member: URIRef) -> URIRef:
        """membership/{organization key}/{member key}."""
        return self(f"membership/{self.key(organization)}/{self.key(member)}")

    def treaty_action(self, treaty: URIRef, actor: URIRef, action: str) -> URIRef:
        """treaty-action/{treaty key}/{actor key}/{action}: a treaty action of the reference tables
        (a document's own are `treaty_action_in` a sentence)."""
        return self(f"treaty-action/{self.key(treaty)}/{self.key(actor)}/{action}")

    def vote(self, vote_event: URIRef, voter: URIRef) -> URIRef:
        """{vote event path}/{voter key}: one voter's vote in a recorded vote."""
        return self(f"{self.path(vote_event)}/{self.key(voter)}")

    def person(self, name: str, country: URIRef | None = None) -> URIRef:
        """person/{slug of name}[-{slug of country key}]: a person known by name and country, so
        two people of one name from two States are two people."""
        return self(f"person/{slug(name)}" + (f"-{slug(self.key(country))}" if country is not None else ""))

    def resolution(self, body_identifier: str | None, number: str) -> URIRef:
        """resolution/{body identifier, lower case}-{number with '/' as '-'}: a resolution cited
        but not in the reference data ('GA', '79/243' -> resolution/ga-79-243); without a
        body, 'unknown-body'."""
        body = body_identifier.lower() if body_identifier is not None else "unknown-body"
        return self(f"resolution/{body}-{number.replace('/', '-')}")

    # -- under a node of a document: pyoxigraph NamedNodes -------------------------------------

    def section(self, doc: NamedNode, path: str) -> NamedNode:
        """{doc}/section/{path}: a section by its path ('iii/a')."""
        return NamedNode(f"{doc.value}/section/{path}")

    def passage(self, doc: NamedNode, path: str) -> NamedNode:
        """{doc}/{path}: a paragraph, list item or sub-item by its path ('para/10/item/b')."""
        return NamedNode(f"{doc.value}/{path}")

    def sentence(self, passage: NamedNode, index: int) -> NamedNode:
        """{passage}/sentence/{index}: the index-th sentence of a passage, from 1."""
        return NamedNode(f"{passage.value}/sentence/{index}")

    def agenda_item(self, meeting: NamedNode, number: str) -> NamedNode:
        """{meeting}/agenda/{slug of number}: an item of a meeting's agenda ('4 (a)' -> agenda/4-a)."""
        return NamedNode(f"{meeting.value}/agenda/{slug(number)}")

    def participation(
        self,
        doc: NamedNode,
        role: str,
        actor: URIRef,
        on_behalf_of: URIRef | None = None,
        item: str | None = None,
        n: int = 1,
    ) -> NamedNode:
        """{doc}/participation/{role}/{actor key}[-for-{group key}][-item-{slug of item}][-{n}]:
        an actor's participation in the meeting a document reports, in a role, perhaps on
        behalf of a group and on an agenda item; the n-th of the same from 2 on."""
        key = f"{role}/{self.key(actor)}"
        if on_behalf_of is not None:
            key += f"-for-{self.key(on_behalf_of)}"
        if item is not None:
            key += f"-item-{slug(item)}"
        if n > 1:
            key += f"-{n}"
        return NamedNode(f"{doc.value}/participation/{key}")

    def attendance(self, doc: NamedNode, category: str) -> NamedNode:
        """{doc}/attendance/{slug of category}: how many of a category attended."""
        return NamedNode(f"{doc.value}/attendance/{slug(category)}")

    def collective(self, doc: NamedNode, quantifier: str, kind: str) -> NamedNode:
        """{doc}/collective/{quantifier}-{kind}: an anonymous holder of positions in one
        document ('some', 'member-states' -> collective/some-member-states)."""
        return NamedNode(f"{doc.value}/collective/{quantifier}-{kind}")

    def position(self, sentence: NamedNode, n: int) -> NamedNode:
        """{sentence}/position/{n}: the n-th position a sentence states, from 1."""
        return NamedNode(f"{sentence.value}/position/{n}")

    def treaty_action_in(self, sentence: NamedNode, n: int) -> NamedNode:
        """{sentence}/treaty-action/{n}: the n-th treaty action a sentence tells, from 1."""
        return NamedNode(f"{sentence.value}/treaty-action/{n}")
