"""UN document symbols: recognising them and telling a document's type from its symbol.

Symbols look like A/RES/74/247, A/C.3/72/12, E/CN.15/2011/19, A/HRC/27/37,
UNODC/CCPCJ/EG.4/2019/2, UNODC/CCPCJ/EG.4/2019/INF/1/Rev.1 or
UNODC/CCPCJ/EG.4/2018/CRP.1: an organ prefix, then slash-separated parts.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from kg.namespaces import DOCUMENT_TYPE

# An organ series (A, E, S, ST, UNODC, ...), then parts of letters, digits and dots.
SYMBOL = re.compile(r"\b(?:A|E|S|ST|UNODC|CTOC|CAC|TD|UNEP|UNW|DP|ECE|HRC)(?:/[A-Za-z0-9.]+)+")

_TYPE_MARKERS = (
    (re.compile(r"/RES/"), "resolution-text"),
    (re.compile(r"/CRP\.\d+"), "conference-room-paper"),
    (re.compile(r"/INF/"), "information-document"),
    (re.compile(r"/Add\.\d+"), "addendum"),
    (re.compile(r"/Corr\.\d+"), "corrigendum"),
)


def document_type(symbol: str) -> URIRef | None:
    """The document-type concept a symbol implies (addendum for /Add.1, ...), if any.
    An addendum's corrigendum is a corrigendum: the last marker wins."""
    found = None
    position = -1
    for pattern, code in _TYPE_MARKERS:
        for match in pattern.finditer(symbol):
            if match.start() > position:
                found, position = code, match.start()
    return DOCUMENT_TYPE[found] if found else None
