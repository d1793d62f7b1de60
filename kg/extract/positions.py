"""Positions: for each sentence that takes a stance on an instrument (or on the proposal
of a new one), who holds it, what stance, on which instrument, with the rule that read it.

Every word list and pattern is in rules/positions.toml; this module only applies them:
find the targets of a sentence (instrument aliases, proposals of a new instrument,
anaphora), split the sentence into clauses, give each target the stance of the best cue
in its clause (negations turn support into opposition; neutral reports give nothing),
and give it to the sentence's holders (kg.extract.holders: a named actor only when the
text names one, otherwise an anonymous collective with its quantifier). A named or
quantified holder who takes a stance on no instrument takes it on the sentence's topics.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.extract.holders import HolderReader
from kg.extract.model import Extraction, Holder, Position
from kg.extract.rules import Cue, Rules
from kg.extract.scan import Scanner
from kg.extract.topics import topics_of
from kg.iris import Iris
from kg.namespaces import CKG


@dataclass
class _Target:
    node: URIRef
    start: int
    end: int
    proposed: bool


@dataclass
class _Reading:
    stance: str
    rule: str
    priority: int
    distance: int


class PositionReader:
    def __init__(self, rules: Rules, reference: Graph, instruments: Scanner, actors: Scanner, iris: Iris):
        self.rules = rules
        self.graph = reference
        self.instruments = instruments
        self.actors = actors
        self.iris = iris
        self.holders = HolderReader(rules, actors)

    def for_document(self, actors: Scanner) -> PositionReader:
        """This reader with a document's own names (its non-State organizations) beside the
        reference actors; the same reader when there are none."""
        if actors is self.actors:
            return self
        reader = copy.copy(self)
        reader.actors = actors
        reader.holders = self.holders.with_actors(actors)
        return reader

    # -- targets ----------------------------------------------------------------------------

    def _is_proposed(self, node: URIRef) -> bool:
        return (node, RDF.type, CKG.ProposedInstrument) in self.graph

    def targets(self, sentence: str, last: list[tuple[URIRef, str]]) -> list[_Target]:
        """The instruments a sentence speaks of: by name, as a proposal ('a new convention'),
        or pointing back ('such a treaty', 'the Convention') to the last instrument of the
        passage that was called so ('the Convention' after 'a new convention' is the new one)."""
        found = [_Target(n, s, e, self._is_proposed(n)) for s, e, n in self.instruments.find(sentence)]
        found = [t for t in found if not any((t.node, RDF.type, CKG[c]) in self.graph for c in self.rules.untargeted_classes)]
        taken = [(t.start, t.end) for t in found]

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        for pattern, path in self.rules.proposed:
            node = self.iris(path)
            for match in pattern.finditer(sentence):
                if free(match.start(), match.end()):
                    found.append(_Target(node, match.start(), match.end(), True))
                    taken.append((match.start(), match.end()))
        for pattern in self.rules.anaphora:
            for match in pattern.finditer(sentence):
                if not free(match.start(), match.end()):
                    continue
                word = match.group().split()[-1].lower()
                before = [*last, *((t.node, sentence[t.start : t.end]) for t in sorted(found, key=lambda t: t.start) if t.end <= match.start())]
                earlier = [n for n, said in before if word in ("instrument",) or word in said.lower()
                           or word in str(self.graph.value(n, RDFS.label) or "").lower()
                           or word in ("convention", "treaty") and self._is_proposed(n)]
                if earlier:
                    found.append(_Target(earlier[-1], match.start(), match.end(), self._is_proposed(earlier[-1])))
                    taken.append((match.start(), match.end()))
        return sorted(found, key=lambda t: t.start)

    # -- stances -------------------------------------------------------------------------------

    def _clause(self, sentence: str, start: int, end: int) -> tuple[int, int]:
        bounds = [0] + [m.end() for m in self.rules.clause_breaks.finditer(sentence)] + [len(sentence) + 1]
        clause_start = max(b for b in bounds if b <= start)
        clause_end = min((m.start() for m in self.rules.clause_breaks.finditer(sentence) if m.start() >= end), default=len(sentence))
        return clause_start, clause_end

    def _negated(self, text: str) -> bool:
        return any(n.search(text) for n in self.rules.negations)

    def is_basis(self, sentence: str, target: _Target, targets: list[_Target]) -> bool:
        """Is an existing instrument named only as the basis, model or comparison for another
        instrument of the sentence ('a new instrument building upon existing instruments such
        as the Budapest Convention')? Then the sentence gives it no stance of its own."""
        if target.proposed or not any(t.node != target.node for t in targets):
            return False
        window = " ".join(sentence[: target.start].split()[-self.rules.basis_window :])
        return any(p.search(window) for p in self.rules.basis)

    def stance(self, sentence: str, target: _Target, targets: list[_Target] | None = None) -> _Reading | None:
        if targets and self.is_basis(sentence, target, targets):
            return None
        start, end = self._clause(sentence, target.start, target.end)
        before, after = sentence[start : target.start], sentence[target.end : end]
        neutral = any(n.search(before) for n in self.rules.neutralisers)
        best: _Reading | None = None
        for cue in self.rules.cues:
            if cue.targets == "proposed" and not target.proposed or cue.targets == "existing" and target.proposed:
                continue
            reading = self._read(cue, before, after)
            if reading is None:
                continue
            if neutral:
                continue
            if best is None or (reading.priority, -reading.distance) > (best.priority, -best.distance):
                best = reading
        return best

    def _read(self, cue: Cue, before: str, after: str) -> _Reading | None:
        if cue.where == "after":
            match = cue.pattern.search(after)
            if not match:
                return None
            stance, rule = cue.stance, cue.id
            if stance in ("supports", "proposes") and self._negated(match.group()):
                stance, rule = "opposes", f"{cue.id}+negated"
            return _Reading(stance, rule, cue.priority, len(after[: match.start()].split()))
        matches = list(cue.pattern.finditer(before))
        if not matches:
            return None
        match = matches[-1]  # the cue nearest the target
        stance, rule = cue.stance, cue.id
        window = " ".join(before[: match.start()].split()[-self.rules.negation_window :])
        negation = max((m.end() for n in self.rules.negations for m in n.finditer(window)), default=None)
        blocked = negation is not None and any(b.search(window[negation:]) for b in self.rules.negation_blockers)
        if stance in ("supports", "proposes") and negation is not None and not blocked:
            stance, rule = "opposes", f"{cue.id}+negated"
        return _Reading(stance, rule, cue.priority, len(before[match.end() :].split()))


def extract_positions(extraction: Extraction, reader: PositionReader, rules: Rules) -> None:
    mentioned: list[tuple[URIRef, str]] = []  # instruments named so far in the section and how, for anaphora
    section = None
    for passage in extraction.passages:
        if passage.section is not section:
            section, mentioned = passage.section, []
        carried: list[Holder] = []  # the holders the passage's sentences last named
        for index, sentence in enumerate(passage.sentences, start=1):
            who = reader.holders.holders_of(sentence, passage, carried)
            if who.explicit:
                carried = who.holders
            holders, form = who.holders, who.form

            targets = reader.targets(sentence, mentioned)
            best: dict[URIRef, _Reading] = {}
            order: list[URIRef] = []
            for target in targets:
                mentioned.append((target.node, sentence[target.start : target.end]))
                if target.node not in order:
                    order.append(target.node)
                reading = reader.stance(sentence, target, targets)
                if reading and (target.node not in best or (reading.priority, -reading.distance) > (best[target.node].priority, -best[target.node].distance)):
                    best[target.node] = reading
            for node in order:
                if node in best:
                    for holder in holders:
                        extraction.positions.append(Position(holder, best[node].stance, node, passage, index, sentence, f"{best[node].rule}; holder: {form}"))
            if not targets and who.explicit:
                for stance, patterns in rules.topic_stances.items():
                    if any(p.search(sentence) for p in patterns):
                        for topic in topics_of(sentence, rules):
                            for holder in holders:
                                extraction.positions.append(Position(holder, stance, topic, passage, index, sentence, f"topic-{stance}; holder: {form}"))
                        break
