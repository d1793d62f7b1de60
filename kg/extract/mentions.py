"""What each passage mentions: instruments (by any alias), States, groups and
organizations, resolutions with the body that adopted them, and document symbols.

A resolution's body is read from the words around it ('General Assembly resolution
74/247', 'Commission resolution 26/4', 'In its resolution 26/4, ... the Commission');
a bare 'resolution 74/247' takes the body of the one resolution with that number the
reference data knows; otherwise it is a warning, never a guess.
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.extract.model import Extraction, Mention, ResolutionCitation
from kg.extract.scan import Scanner
from kg.namespaces import CKG, as_iri
from kg.reference import ReferenceData
from kg.symbols import SYMBOL

RESOLUTION = re.compile(
    r"(?:(?P<body>General Assembly|Assembly|Commission on Crime Prevention and Criminal Justice|Commission|CCPCJ|"
    r"Human Rights Council|Economic and Social Council|Security Council|Council)(?:'s)?\s+)?"
    r"resolutions?\s+(?P<number>\d{1,3}/\d{1,3})"
    r"(?P<more>(?:\s*(?:,|and)\s*\d{1,3}/\d{1,3})*)"
)
IN_ITS = re.compile(
    r"^[^.]{0,200}?,\s*the\s+(?P<body>General Assembly|Assembly|Commission|Human Rights Council|Economic and Social Council|Council)\b"
)
BODY_KEYS = {
    "general assembly": "GA",
    "assembly": "GA",
    "commission on crime prevention and criminal justice": "CCPCJ",
    "commission": "CCPCJ",
    "ccpcj": "CCPCJ",
    "human rights council": "HRC",
    "economic and social council": "ECOSOC",
}


def _body(reference: ReferenceData, word: str | None) -> URIRef | None:
    key = BODY_KEYS.get((word or "").lower())
    if key is None:
        return None
    for node in reference.graph.subjects(DCTERMS.identifier, Literal(key)):
        if (node, RDF.type, CKG.UNBody) in reference.graph:
            return as_iri(node)
    return None


def _known_bodies(reference: ReferenceData, number: str) -> set[URIRef | None]:
    """The bodies that adopted a resolution of this number, None for one whose body is not known."""
    g = reference.graph
    bodies = (g.value(r, CKG.adoptingBody) for r in g.subjects(CKG.resolutionNumber, Literal(number)))
    return {None if b is None else as_iri(b) for b in bodies}


def extract_mentions(extraction: Extraction, reference: ReferenceData, instruments: Scanner, actors: Scanner) -> None:
    own = extraction.metadata.symbol
    for passage in extraction.passages:
        for index, sentence in enumerate(passage.sentences, start=1):
            for scanner, kind in ((instruments, "instrument"), (actors, "actor")):
                for start, end, node in scanner.find(sentence):
                    extraction.mentions.append(Mention(kind, node, sentence[start:end], passage, index))
            for match in SYMBOL.finditer(sentence):
                symbol = match.group().rstrip(".")
                if symbol != own and "/" in symbol:
                    extraction.symbols.append((symbol, passage))
            for match in RESOLUTION.finditer(sentence):
                numbers = [match.group("number")] + re.findall(r"\d{1,3}/\d{1,3}", match.group("more") or "")
                body = _body(reference, match.group("body"))
                if body is None and match.group("body") is None:
                    context = (
                        IN_ITS.match(sentence[match.end() :])
                        if sentence[: match.start()].strip().lower().endswith("in its")
                        else None
                    )
                    body = _body(reference, context.group("body")) if context else None
                for number in numbers:
                    found = body
                    if found is None:
                        known = _known_bodies(reference, number) - {None}
                        if len(known) == 1:
                            found = next(iter(known))
                        else:
                            extraction.warn(
                                passage.line, f"resolution {number}: the text does not say which body adopted it"
                            )
                    extraction.resolutions.append(ResolutionCitation(found, number, match.group(), passage, index))
