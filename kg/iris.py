"""Stable, readable IRIs for the graph's own nodes, minted under the configured base.

The same paths appear as relative IRIs in the reference Turtle files (for example
<instrument/budapest-convention>), which the loader resolves against the same base, so
a node has one IRI whichever file mentions it. Building twice gives the same IRIs.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from kg.config import DEFAULT_BASE


def symbol_slug(symbol: str) -> str:
    """'UNODC/CCPCJ/EG.4/2019/INF/1/Rev.1' -> 'UNODC-CCPCJ-EG.4-2019-INF-1-Rev.1'."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", symbol.strip()).strip("-")


class Iris:
    """Mints the IRIs of one graph under one base."""

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

    def state(self, iso3: str) -> URIRef:
        return self(f"state/{iso3.upper()}")

    def source(self, key: str) -> URIRef:
        return self(f"source/{key}")

    def document(self, symbol: str) -> URIRef:
        return self(f"doc/{symbol_slug(symbol)}")

    def meeting(self, body_key: str, part: str) -> URIRef:
        return self(f"meeting/{body_key}/{part}")

    def membership(self, organization: URIRef, member: URIRef) -> URIRef:
        return self(f"membership/{self.key(organization)}/{self.key(member)}")

    def treaty_action(self, treaty: URIRef, actor: URIRef, action: str) -> URIRef:
        return self(f"treaty-action/{self.key(treaty)}/{self.key(actor)}/{action}")

    def vote(self, vote_event: URIRef, voter: URIRef) -> URIRef:
        return self(f"{self.path(vote_event)}/{self.key(voter)}")
