"""Positions: for each sentence that takes a stance on an instrument (or on the proposal
of a new one), who holds it, what stance, on which instrument, with the rule that read it.

Every word list and pattern is in rules/positions.toml; this module only applies them:
find the targets of a sentence (instrument aliases, proposals of a new instrument,
anaphora), split the sentence into clauses, give each target the stance of the best cue
in its clause (negations turn support into opposition; neutral reports give nothing),
and find the holder: a named actor only when the text names one, otherwise an anonymous
collective with its quantifier. A named or quantified holder who takes a stance on no
instrument takes it on the sentence's topics.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.extract.holders import HolderReader
from kg.extract.model import Extraction, Holder, Passage, Position
from kg.extract.rules import Cue, Rules
from kg.extract.scan import Scanner
from kg.extract.topics import topics_of
from kg.iris import Iris
from kg.namespaces import CKG

_OPENERS = r"(?:(?:However|Moreover|Furthermore|In addition|Also|Similarly|Likewise|Nevertheless|In this regard|In that regard|In that context|In this context),?\s+)?"


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
        quantifiers = "|".join(re.escape(p) for p, _ in rules.quantifiers)
        kinds = "|".join(re.escape(w) for w, _ in rules.kinds)
        verbs = "|".join(re.escape(v) for v in rules.reporting_verbs)
        self._quantified = re.compile(rf"(?<![\w-])(?P<q>{quantifiers})\s+(?P<k>{kinds})(?![\w-])", re.I)
        self._others = re.compile(rf"(?<![\w-])(?P<q>(?:still |yet )?others)\s+(?:have\s+|had\s+|also\s+|,\s*)*(?:{verbs})\b", re.I)
        self._kind_verb = re.compile(rf"(?<![\w-])(?P<k>{kinds})\s+(?:have\s+|had\s+|also\s+|further\s+|however,\s+)*(?:{verbs})\b", re.I)
        self._verb_after = re.compile(rf"^[\s,]*(?:(?:speaking\s+)?on behalf of [^,]+,\s*)?(?:have\s+|has\s+|had\s+|also\s+|further\s+|likewise\s+|again\s+|however,\s+)*(?:{verbs})\b", re.I)
        self._quantifier_of = {p.lower(): q for p, q in rules.quantifiers}
        self._kind_of = {w.lower(): k for w, k in rules.kinds}

    def for_document(self, actors: Scanner) -> PositionReader:
        """This reader with a document's own names (its non-State organizations) beside the
        reference actors; the same reader when there are none."""
        if actors is self.actors:
            return self
        reader = copy.copy(self)
        reader.actors = actors
        reader.holders = HolderReader(self.rules, actors)
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

    # -- holders ---------------------------------------------------------------------------------

    def collective(self, sentence: str) -> Holder | None:
        """A quantified collective anywhere in the sentence that holds its stance ('In
        another intervention ...', '... by some speakers'), when no subject named one."""
        agent = None
        for match in self._quantified.finditer(sentence):
            prefix = sentence[: match.start()]
            quantifier = self._quantifier_of[match.group("q").lower()]
            kind = self._kind_of[match.group("k").lower()]
            holder = Holder(quantifier=quantifier, kind=kind, phrase=match.group())
            if re.search(r"\bby\s*$", prefix, re.I):
                agent = agent or holder  # a passive agent: '... by some speakers'
                continue
            opens = not prefix.strip() or re.fullmatch(rf"{_OPENERS}(?:(?:for|according to|in the view of|in|from)\s+)?", prefix.strip() + " ", re.I)
            speaks = self._verb_after.match(sentence[match.end() :])
            if opens or speaks:
                return holder
        others = self._others.search(sentence)
        if others:
            return Holder(quantifier="other", kind="speakers", phrase=others.group("q"))
        bare = self._kind_verb.search(sentence)
        if bare and not re.search(r"\b(?:are|were|is|be|been)\s*$", sentence[: bare.start()], re.I):
            return Holder(quantifier="unspecified", kind=self._kind_of[bare.group("k").lower()], phrase=bare.group())
        return agent

    def impersonal(self, sentence: str) -> bool:
        return any(p.search(sentence) for p in self.rules.impersonal)


def _default_kind(passage: Passage) -> str:
    """The kind of speaker a list's attribution names ('suggestions made by Member States')."""
    if passage.recommendation and passage.attribution:
        if re.search(r"\b(?:Member )?States\b", passage.attribution):
            return "member-states"
        if re.search(r"\bspeakers\b", passage.attribution, re.I):
            return "speakers"
    return "member-states" if passage.recommendation else "speakers"


_NATIONAL = re.compile(r"\b(?:in\s+(?:my|our|its)\s+national\s+capacity|on\s+behalf\s+of\s+my\s+(?:own\s+)?(?:country|Government))\b", re.I)


def _speaker(passage: Passage) -> list[Holder]:
    """The holder a statement's first person stands for: its speaker, or the group the
    speaker said it speaks for (voiced by the speaker)."""
    speech = passage.speech
    if speech is None or speech.actor is None:
        return []
    if speech.speaks_for is not None:
        return [Holder(node=speech.speaks_for, phrase=speech.name, voiced_by=speech.actor)]
    return [Holder(node=speech.actor, phrase=speech.name)]


def extract_positions(extraction: Extraction, reader: PositionReader, rules: Rules) -> None:
    mentioned: list[tuple[URIRef, str]] = []  # instruments named so far in the section and how, for anaphora
    section = None
    for passage in extraction.passages:
        if passage.section is not section:
            section, mentioned = passage.section, []
        carried: list[Holder] = []  # the holders the passage's sentences last named
        for index, sentence in enumerate(passage.sentences, start=1):
            speech = passage.speech
            if speech is not None and speech.actor is not None:
                group = reader.holders.speaks_for(sentence)
                if group is not None and group != speech.actor:
                    speech.speaks_for = group
                elif _NATIONAL.search(sentence):
                    speech.speaks_for = None
            speaker = _speaker(passage)
            reading = reader.holders.read(sentence, carried, speaker)
            holders, form, explicit = reading.holders, reading.form, reading.explicit
            if not holders:
                found = reader.collective(sentence)
                if found is not None:
                    holders, form, explicit = [found], "collective", True
                elif speaker:
                    holders, form, explicit = speaker, "speaker", False
                elif reader.impersonal(sentence):
                    holders, form, explicit = [Holder(quantifier="unspecified", kind=_default_kind(passage), phrase="impersonal")], "impersonal", False
                elif carried:
                    holders, form, explicit = carried, "carried", False
                else:
                    holders, form, explicit = [Holder(quantifier="unspecified", kind=_default_kind(passage), phrase="default")], "default", False
            if explicit:
                carried = holders

            targets = reader.targets(sentence, mentioned)
            best: dict[URIRef, _Reading] = {}
            order: list[URIRef] = []
            for target in targets:
                mentioned.append((target.node, sentence[target.start : target.end]))
                if target.node not in order:
                    order.append(target.node)
                reading_ = reader.stance(sentence, target, targets)
                if reading_ and (target.node not in best or (reading_.priority, -reading_.distance) > (best[target.node].priority, -best[target.node].distance)):
                    best[target.node] = reading_
            for node in order:
                if node in best:
                    for holder in holders:
                        extraction.positions.append(Position(holder, best[node].stance, node, passage, index, sentence, f"{best[node].rule}; holder: {form}"))
            if not targets and explicit:
                for stance, patterns in rules.topic_stances.items():
                    if any(p.search(sentence) for p in patterns):
                        for topic in topics_of(sentence, rules):
                            for holder in holders:
                                extraction.positions.append(Position(holder, stance, topic, passage, index, sentence, f"topic-{stance}; holder: {form}"))
                        break
