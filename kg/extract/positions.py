"""Positions: for each sentence that takes a stance on an instrument (or on the proposal
of a new one), who holds it, what stance, on which instrument, with the rule that read it.

Every word list and pattern is in rules/positions.toml; this module only applies them:
find the targets of a sentence (instrument aliases, proposals of a new instrument,
anaphora, and where someone speaks the work on the instrument being made: its draft, its
negotiations, its chapters), split the sentence into clauses, give each target the stance
of the best cue in its clause (negations turn support into opposition; neutral reports give
nothing) or, failing a cue where someone speaks, of the clause's evaluative words, and give
it to the sentence's holders (kg.extract.holders: a named actor only when the
text names one, otherwise an anonymous collective with its quantifier). A named or
quantified holder who takes a stance on no instrument takes it on the sentence's topics.
"""

from __future__ import annotations

import copy
import datetime
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.extract.holders import HolderReader
from kg.extract.model import Extraction, Holder, Passage, Position
from kg.extract.rules import Cue, Rules
from kg.extract.scan import Scanner
from kg.extract.topics import topics_of
from kg.iris import Iris
from kg.namespaces import CKG, as_iri

# a proposal on another subject ('a convention on the rights of youth'), which 'the
# convention' of the next sentence may point back to
ELSEWHERE = URIRef("urn:cyberkg:elsewhere")
_DEFINITE = re.compile(r"(?:the|this|that|such)\b", re.I)
_COORDINATED = re.compile(r"\s*(?:,\s*)?(?:and|or|as well as)\s+(?:(?:its|their|the)\s+)?", re.I)


@dataclass
class _Target:
    node: URIRef
    start: int
    end: int
    proposed: bool
    part: bool = False  # a part of an instrument being made ('the chapter on ...'): a view on it is a condition
    work: bool = False  # found as the work on an instrument being made ('the draft text', 'the negotiations')


@dataclass
class _Reading:
    stance: str
    rule: str
    priority: int
    distance: int
    between: str | None = None  # the words between a cue before the target and the target


class PositionReader:
    def __init__(self, rules: Rules, reference: Graph, instruments: Scanner, actors: Scanner, iris: Iris):
        self.rules = rules
        self.graph = reference
        self.instruments = instruments
        self.actors = actors
        self.iris = iris
        self.holders = HolderReader(rules, actors)
        self._named_on_subject: dict[URIRef, bool] = {}
        # the clause breaks of the last sentence asked about: (sentence, their ends, their starts)
        self._breaks: tuple[str, list[int], list[int]] = ("", [], [])

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

    def is_proposed(self, node: URIRef) -> bool:
        return (node, RDF.type, CKG.ProposedInstrument) in self.graph

    def instruments_named(self, sentence: str) -> list[_Target]:
        """The instruments a sentence names by name, and nothing else (cheap: for following
        what 'the Convention' of a later sentence points back to)."""
        return [_Target(n, s, e, self.is_proposed(n)) for s, e, n in self.instruments.find(sentence)]

    def adopted_by(self, date: datetime.date | None) -> URIRef | None:
        """The treaty that realised a proposed instrument and was adopted on or before `date`
        (the latest one): what 'the Convention' means in a record of its adoption or after it,
        when the speaker has named no other convention."""
        if date is None:
            return None
        adopted: list[tuple[datetime.date, str, URIRef]] = []
        for proposed in self.graph.subjects(RDF.type, CKG.ProposedInstrument):
            for treaty in self.graph.objects(proposed, CKG.realisedAs):
                when = self.graph.value(treaty, CKG.adoptionDate)
                # (an IRI's or a blank node's toPython() is a string: only a literal gives a date)
                if isinstance(when, Literal) and isinstance(when.toPython(), datetime.date) and when.toPython() <= date:
                    adopted.append((when.toPython(), str(treaty), as_iri(treaty)))
        return max(adopted)[2] if adopted else None

    def targets(
        self,
        sentence: str,
        last: list[tuple[URIRef, str]],
        adopted: URIRef | None = None,
        making: URIRef | None = None,
        subject: str = "anywhere",
    ) -> list[_Target]:
        """The instruments a sentence speaks of: by name, as a proposal ('a new convention'),
        or pointing back ('such a treaty', 'the Convention') to the last instrument of the
        passage that was called so ('the Convention' after 'a new convention' is the new one).
        'The Convention' with nothing to point back to is the `adopted` treaty, if any. The
        draft, the text, the negotiations and the parts of an instrument ('the chapter on
        ...') are the instrument being made, `making`. A proposal on another subject is added
        to `last`, so that 'the convention' of a later sentence is not taken for this one.
        `subject` says where a proposal may be
        read: "anywhere" (a document about cybercrime throughout), "checked" (a passage of a
        broader document that names the subject: a proposal followed by another subject, 'a
        convention on crimes against humanity', is not this one), "nowhere" (a passage that
        does not name it: only instruments named by names that name the subject)."""
        found = [_Target(n, s, e, self.is_proposed(n)) for s, e, n in self.instruments.find(sentence)]
        found = [
            t for t in found if not any((t.node, RDF.type, CKG[c]) in self.graph for c in self.rules.untargeted_classes)
        ]
        if subject == "nowhere":  # off the subject, only an instrument whose name there is on it
            found = [t for t in found if self._on_subject(t.node, sentence[t.start : t.end])]
        taken = [(t.start, t.end) for t in found]

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        for pattern, path in self.rules.proposed:
            node = self.iris(path)
            # once adopted, 'the new convention', 'a universal treaty' is the treaty
            realised = adopted is not None and (node, CKG.realisedAs, adopted) in self.graph
            for match in pattern.finditer(sentence) if subject != "nowhere" else ():
                if subject == "checked" and self._other_subject(sentence[match.end() :]):
                    last.append((ELSEWHERE, match.group()))  # 'the convention' after it is that one
                    continue
                if subject == "checked" and _DEFINITE.match(match.group()) and last and last[-1][0] == ELSEWHERE:
                    continue
                if free(match.start(), match.end()):
                    found.append(
                        _Target(adopted, match.start(), match.end(), False)
                        if realised and adopted is not None  # (realised says adopted is not None)
                        else _Target(node, match.start(), match.end(), True)
                    )
                    taken.append((match.start(), match.end()))
        for pattern in self.rules.anaphora:
            for match in pattern.finditer(sentence):
                if not free(match.start(), match.end()):
                    continue
                word = match.group().split()[-1].lower()
                before = [
                    *last,
                    *(
                        (t.node, sentence[t.start : t.end])
                        for t in sorted(found, key=lambda t: t.start)
                        if t.end <= match.start()
                    ),
                ]
                earlier = [
                    n
                    for n, said in before
                    if word in ("instrument",)
                    or word in said.lower()
                    or word in str(self.graph.value(n, RDFS.label) or "").lower()
                    or word in ("convention", "treaty")
                    and self.is_proposed(n)
                ]
                if match.group().split()[-1] in ("Convention", "Treaty", "Protocol"):
                    # capitalised, it points back to a named instrument (UN editors' style)
                    earlier = [n for n in earlier if not self.is_proposed(n)] or earlier
                if earlier and earlier[-1] == ELSEWHERE:
                    continue  # it points back to a proposal on another subject
                if not earlier and adopted is not None and match.group() == "the Convention" and subject != "nowhere":
                    earlier = [adopted]
                if earlier and not (subject == "nowhere" and self.is_proposed(earlier[-1])):
                    found.append(_Target(earlier[-1], match.start(), match.end(), self.is_proposed(earlier[-1])))
                    taken.append((match.start(), match.end()))
        if making is not None and subject != "nowhere":
            named = any(not t.proposed for t in found)
            for part, patterns in ((False, self.rules.work), (True, [] if named else self.rules.parts)):
                for match in (m for p in patterns for m in p.finditer(sentence)):
                    if free(match.start(), match.end()):
                        found.append(_Target(making, match.start(), match.end(), self.is_proposed(making), part, True))
                        taken.append((match.start(), match.end()))
        return sorted(found, key=lambda t: t.start)

    def _on_subject(self, node: URIRef, said: str) -> bool:
        """Does an instrument's name name the subject: as written ('Convention on Cybercrime'),
        or, for a proper name ('Budapest Convention', 'Paris Call'), in the instrument's own
        title? A common phrase ('rules for responsible behaviour', which may be in outer
        space) and the Organized Crime Convention do not."""
        if self.rules.topic_anchor.search(said):
            return True
        if not said[:1].isupper():
            return False
        if node not in self._named_on_subject:
            self._named_on_subject[node] = bool(
                self.rules.topic_anchor.search(str(self.graph.value(node, RDFS.label) or ""))
            )
        return self._named_on_subject[node]

    def _other_subject(self, after: str) -> bool:
        """Do the words after a proposal give it a subject other than this one ('on the
        prevention and punishment of crimes against humanity')?"""
        said = self.rules.proposal_subject.match(after)
        return said is not None and not self.rules.topic_anchor.search(said.group())

    # -- stances -------------------------------------------------------------------------------

    def clause(self, sentence: str, start: int, end: int) -> tuple[int, int]:
        """The clause around sentence[start:end]: from the last clause break before it to the
        first after it. (The breaks are found once a sentence, not once a target: that was
        quadratic in a long sentence.)"""
        if self._breaks[0] is not sentence and self._breaks[0] != sentence:
            found = list(self.rules.clause_breaks.finditer(sentence))
            self._breaks = (sentence, [m.end() for m in found], [m.start() for m in found])
        _, ends, starts = self._breaks
        before = bisect_right(ends, start)
        after = bisect_left(starts, end)
        return (ends[before - 1] if before else 0), (starts[after] if after < len(starts) else len(sentence))

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

    def stance(
        self, sentence: str, target: _Target, targets: list[_Target] | None = None, lexical: bool = False
    ) -> _Reading | None:
        """The stance a sentence takes on one of its targets: the best cue of the target's
        clause; failing a cue, and when `lexical` (the sentence has a holder that speaks), the
        evaluative words of the clause (`_lexical`)."""
        if targets and self.is_basis(sentence, target, targets):
            return None
        start, end = self.clause(sentence, target.start, target.end)
        before, after = sentence[start : target.start], sentence[target.end : end]
        neutral = any(n.search(before) for n in self.rules.neutralisers)
        best: _Reading | None = None
        for cue in () if neutral else self.rules.cues:
            if cue.targets == "proposed" and not target.proposed or cue.targets == "existing" and target.proposed:
                continue
            reading = self._read(cue, before, after)
            if reading is None or self._governs_another(sentence, target, targets or [], reading):
                continue
            if best is None or (reading.priority, -reading.distance) > (best.priority, -best.distance):
                best = reading
        if best is None and lexical and not neutral:
            best = self._lexical(sentence, target, targets or [target], start, end)
        if (
            best is not None
            and best.stance in ("proposes", "supports")
            and any(d.search(before) for d in self.rules.denials)
        ):
            best = _Reading("opposes", f"{best.rule}+denied", best.priority, best.distance)
        if (
            best is not None
            and best.stance == "proposes"
            and best.between is not None
            and not self.rules.proposal_object.match((" ".join(best.between.split()) + " ").lstrip())
        ):
            best = _Reading("conditions", f"{best.rule}+object", best.priority, best.distance)
        if best is not None and target.part and best.stance in ("proposes", "supports"):
            best = _Reading("conditions", f"{best.rule}+part", best.priority, best.distance)
        return best

    @staticmethod
    def _governs_another(sentence: str, target: _Target, targets: list[_Target], reading: _Reading) -> bool:
        """Does another instrument stand between a cue and the target, not joined to it by
        'and' ('to elaborate norms of responsible State behaviour ... and to prepare a
        convention': the cue is the norms'; 'welcomes the work in the Ad Hoc Committee to
        Elaborate a ... Convention': the nearer mention takes it)? Then the cue is not this one's."""
        if not reading.between:
            return False
        start = target.start - len(reading.between)
        between = [t for t in targets if t is not target and t.start >= start and t.end <= target.start]
        if not between:
            return False
        last = max(between, key=lambda t: t.end)
        return not _COORDINATED.fullmatch(sentence[last.end : target.start])

    def _lexical(self, sentence: str, target: _Target, targets: list[_Target], start: int, end: int) -> _Reading | None:
        """The stance the evaluative words of a target's clause give it ([stances.lexicon]):
        each word counts for the nearest target of the clause."""
        lex = self.rules.lexicon
        spans = sorted((t.start, t.end) for t in targets if t.start >= start and t.end <= end) or [
            (target.start, target.end)
        ]
        # instruments joined by 'and' ('the Convention and its Second Additional Protocol ...
        # provide a tested framework') share the words said of them
        mine_span = [target.start, target.end]
        for s, e in spans:
            if s >= mine_span[1] and _COORDINATED.fullmatch(sentence[mine_span[1] : s]):
                mine_span[1] = e
        for s, e in reversed(spans):
            if e <= mine_span[0] and _COORDINATED.fullmatch(sentence[e : mine_span[0]]):
                mine_span[0] = s

        def mine(m: re.Match) -> bool:
            if any(m.start() < e and s < m.end() for s, e in spans):
                return False  # a word of an instrument's name ('draft' in 'the draft convention')
            gap = [max(s - m.end(), m.start() - e, 0) for s, e in spans]
            return max(mine_span[0] - m.end(), m.start() - mine_span[1], 0) <= min(gap)

        clause = sentence[:end]

        def hits(pattern: re.Pattern) -> list[re.Match]:
            return [m for m in pattern.finditer(clause, start) if mine(m)]

        positive, negative = 0, len(hits(lex.negative))
        for m in hits(lex.positive):
            window = " ".join(sentence[start : m.start()].split()[-lex.flip_window :])
            if lex.flip.search(window):
                negative += 1
            else:
                positive += 1
        distance = len(sentence[start : target.start].split())
        if hits(lex.condition):
            return _Reading("conditions", "lexicon-condition", 0, distance)
        if not target.proposed:
            if positive == negative:
                return None
            return _Reading("supports" if positive > negative else "criticises", "lexicon", 0, distance)
        concrete = bool(lex.concrete.search(sentence[target.start : target.end]))
        hypothetical = bool(lex.hypothetical.search(sentence[start:end]))
        if hits(lex.opposition):
            return _Reading("opposes", "lexicon-opposition", 0, distance)
        if negative and concrete and not hypothetical:
            return _Reading("criticises", "lexicon", 0, distance)
        if hits(lex.requirement):
            return _Reading("conditions", "lexicon-requirement", 0, distance)
        if negative > positive:
            return _Reading("criticises" if concrete and not hypothetical else "conditions", "lexicon", 0, distance)
        if positive:
            return _Reading("proposes", "lexicon", 0, distance)
        return None

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
        return _Reading(stance, rule, cue.priority, len(before[match.end() :].split()), before[match.end() :])


def _stronger(one: _Reading, other: _Reading) -> _Reading:
    """One sentence's stance on an instrument it names twice: the higher priority, then the
    nearer cue; but support and a condition in one sentence are support with a condition, and
    a criticism of the text outweighs what it should hold."""
    best = max(one, other, key=lambda r: (r.priority, -r.distance))
    rest = other if best is one else one
    if best.stance in ("proposes", "supports") and rest.stance == "conditions":
        return rest
    if best.stance == "conditions" and rest.stance == "criticises":
        return rest  # a text on the table found wanting, whatever it should also hold
    return best


def _off_subject(passage: Passage, reader: PositionReader, rules: Rules, mentioned: list) -> bool:
    """Does a passage of a broad statement name neither the subject nor an instrument, nor
    point back to one named before? Then no sentence of it can hold a position (each is
    read with subject "nowhere", and there only instruments named on the subject count),
    and the reader skips it: most paragraphs of a General Debate speech."""
    text = passage.text
    return not (
        rules.topic_anchor.search(text)
        or reader.instruments.find(text)
        or (mentioned and any(p.search(text) for p in rules.anaphora))
    )


def extract_positions(extraction: Extraction, reader: PositionReader, rules: Rules) -> None:
    mentioned: list[
        tuple[URIRef, str]
    ] = []  # instruments named so far in the section (or speech) and how, for anaphora
    scope: tuple = ()
    adopted = reader.adopted_by(extraction.metadata.date)
    # the instrument being made that 'the draft', 'the negotiations' are about: the treaty
    # adopted by the document's date, else the proposed instrument the document names most
    proposed: dict[URIRef, int] = {}
    order_of: dict[URIRef, int] = {}
    anchor = rules.topic_anchor
    # a report or a statement made on an occasion about cybercrime (about it throughout), or a
    # statement on the state of the world (a General Debate speech), where only a sentence that
    # names the subject, or one next to it, may speak of it
    statement = extraction.metadata.statement
    broad = statement is not None and statement.broad
    told = {(id(a.passage), a.sentence, a.actor, a.treaty) for a in extraction.acts}  # treaty acts the sentences tell
    for passage in extraction.passages:
        if (passage.section, passage.speech) != scope:
            scope, mentioned = (passage.section, passage.speech), []
        if broad and _off_subject(passage, reader, rules, mentioned):
            continue  # most of a speech on the state of the world: nothing in it can be read as a position here
        carried: list[Holder] = []  # the holders the passage's sentences last named
        for index, sentence in enumerate(passage.sentences, start=1):
            # in a broad statement the subject must be named in the sentence or next to it
            near = passage.sentences[max(index - 2, 0) : index + 1]
            subject = "anywhere" if not broad else "checked" if any(anchor.search(s) for s in near) else "nowhere"
            who = reader.holders.holders_of(sentence, passage, carried)
            if who.explicit:
                carried = who.holders
            holders, form = who.holders, who.form

            making = adopted or (max(proposed, key=lambda n: (proposed[n], -order_of[n])) if proposed else None)
            # the work on an instrument is a target only where someone speaks: an impersonal
            # 'the draft text was circulated' or 'report of the Ad Hoc Committee' is procedure
            targets = reader.targets(sentence, mentioned, adopted, making if who.speaks else None, subject)
            if making is None and who.speaks and any(t.proposed for t in targets):
                # 'the draft text of the new convention': the sentence names what is being made
                targets = reader.targets(
                    sentence, mentioned, adopted, next(t.node for t in targets if t.proposed), subject
                )
            for target in targets:
                if target.proposed and not target.work:
                    proposed[target.node] = proposed.get(target.node, 0) + 1
                    order_of.setdefault(target.node, len(order_of))
            best: dict[URIRef, _Reading] = {}
            order: list[URIRef] = []
            for target in targets:
                mentioned.append((target.node, sentence[target.start : target.end]))
                if target.node not in order:
                    order.append(target.node)
                reading = reader.stance(sentence, target, targets, lexical=who.speaks)
                if reading is None:
                    continue
                if target.node in best:
                    reading = _stronger(best[target.node], reading)
                best[target.node] = reading
            for node in order:
                if node in best:
                    for holder in holders:
                        if (id(passage), index, holder.voiced_by or holder.node, node) in told:
                            continue  # the sentence tells the holder's act on it: a treaty action, not a position
                        extraction.positions.append(
                            Position(
                                holder,
                                best[node].stance,
                                node,
                                passage,
                                index,
                                sentence,
                                f"{best[node].rule}; holder: {form}",
                            )
                        )
            # a stance on a topic ('urges capacity-building in protecting critical information
            # infrastructure'); in a broad statement only where the sentence itself names the subject
            if not targets and who.explicit and (not broad or anchor.search(sentence)):
                for stance, patterns in rules.topic_stances.items():
                    if any(p.search(sentence) for p in patterns):
                        for topic in topics_of(sentence, rules):
                            for holder in holders:
                                extraction.positions.append(
                                    Position(
                                        holder,
                                        stance,
                                        topic,
                                        passage,
                                        index,
                                        sentence,
                                        f"topic-{stance}; holder: {form}",
                                    )
                                )
                        break
