"""Holders: who speaks in a sentence, read in the forms UN records use.

A sentence's holders are found in this order, and the first form that names someone wins:

- a group spoken for: "Speaking on behalf of G, X said ..." and "X, speaking on behalf of
  G, said ..." (the holder is G, voiced by X);
- a frame before the clause: "In the view of X, ...", "According to X, ...";
- the subject of a reporting or stance verb: a named actor or a list of them ("X, Y and
  Z supported"; a subject that is nothing but names takes any word shaped like a verb,
  "X and Y applauded"), "The representative(s) / delegation(s) / observer(s) of X", an anonymous
  collective ("Some speakers"), a collective with named members ("Several delegations,
  including those of A and B, ..." gives A, B and the unnamed rest), a pronoun or
  anaphor ("They further stressed", "Those delegations also") that points back to the
  holders of an earlier sentence, or the first person ("We", "My delegation") of a
  statement's speaker;
- a named agent in the passive: "Support was expressed by A and B for ...";
- failing those (`holders_of`): a quantified collective elsewhere in the sentence ("In
  another intervention", "... by some speakers"), the speaker of a statement, an impersonal
  report ("It was noted"), the holders of the passage's earlier sentences, and last an
  unspecified collective of the kind the passage's list names ("suggestions made by
  Member States").

Organizations no list names are found where a speaker stands (`unknown_names`: "Human
Rights Watch considered ...") before the sentences are read, so they are names like any other.

Every word list is in rules/positions.toml ([holders]); this module only applies them.
A name counts only when the whole phrase is names, separators and the nouns the rules
allow, so a name inside a longer phrase ("the Budapest Convention of the Council of
Europe") is never taken for the speaker.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.extract.model import Holder, Passage
from kg.extract.rules import Rules
from kg.extract.scan import Scanner

_SEPARATORS = r"(?:,|;|\band\b|\bas well as\b|\bthe\b|\bthose of\b|\bthat of\b|\bby\b|\bboth\b|\balso\b)"


_WORD = re.compile(r"(?<![\w-])[A-Za-z]+")
# a word shaped like a finite verb: 'commended', 'considers' (not 'process', 'various', 'this')
_VERB_SHAPE = re.compile(r"(?<![\w'’-])[a-z]{2,}(?:ed|[^su'’]s)(?![\w'’-])")
# a proper name: capitalised words joined by 'of', 'for', 'and', with a bracketed acronym
_CAPITAL = r"(?:[A-Z][\w’'&.-]*|\d[\w-]*)"
_PROPER = re.compile(
    rf"^(?:the\s+)?{_CAPITAL}(?:\s+(?:(?:of|for|on|and|the|de|du|des|la|le|&)\s+)*{_CAPITAL})*(?:\s*\((?P<acronym>[A-Z][A-Za-z0-9&-]{{1,12}})\))?$"
)
# a time before a subject: 'A few minutes ago, ', 'In 2018, ', 'This morning, '
_WHEN = re.compile(r"^(?:[^,]{0,40}?\b(?:ago|morning|afternoon|today|yesterday|year|month|week|\d{4})\s*,\s*)", re.I)
_APPOSITIVE = re.compile(r"^(?P<np>[^,]+?)\s*,\s*(?P<aside>[^,]+?)\s*,?$")
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+|also\s+|further\s+|not\s+)*$", re.I)
# A speaker who spoke for a group says so, and says when it speaks for itself again.
_SPEAKS_FOR = re.compile(r"\bon\s+behalf\s+of\s+(?P<group>[^,.;]+)", re.I)
_NATIONAL = re.compile(
    r"\b(?:in\s+(?:my|our|its)\s+national\s+capacity|on\s+behalf\s+of\s+my\s+(?:own\s+)?(?:country|Government))\b", re.I
)


@dataclass
class Reading:
    """The holders of one sentence and how they were found."""

    holders: list[Holder] = field(default_factory=list)
    form: str = "none"  # the holder form, for the rule a position records
    explicit: bool = False  # the sentence itself names (or points back to) its holders

    @property
    def speaks(self) -> bool:
        """Does someone speak in the sentence (a named actor, a collective, a statement's
        speaker), so that its evaluative words are theirs? Not an impersonal report."""
        return self.form not in ("none", "impersonal", "default")


def _words(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


class HolderReader:
    """Reads holders with the rules of one rules folder and the names of one reference graph."""

    def __init__(self, rules: Rules, actors: Scanner):
        self.rules = rules
        self.actors = actors
        h = rules.holders
        quantifiers = _words([p for p, _ in rules.quantifiers])
        kinds = _words([w for w, _ in rules.kinds])
        verbs = _words(rules.reporting_verbs + h["stance_verbs"])
        self._quantifier_of = {p.lower(): q for p, q in rules.quantifiers}
        self._kind_of = {w.lower(): k for w, k in rules.kinds}
        self._openers = re.compile(rf"^(?:(?:{_words(h['openers'])})\s*,?\s*)+", re.I)
        self._verb = re.compile(rf"(?<![\w-])(?:{verbs})(?![\w-])", re.I)
        # the verbs' first words: the verb pattern is tried only where one stands (one pattern
        # of some 300 alternatives tried at every character took a third of extraction)
        self._verb_starts = {v.split()[0].lower() for v in rules.reporting_verbs + h["stance_verbs"]}
        self._auxiliaries = re.compile(rf"(?:[\s,]+|\b(?:{_words(h['auxiliaries'])})\b)+$", re.I)
        self._collective = re.compile(
            rf"^(?:the\s+)?(?:(?P<q>{quantifiers})\s+(?:of\s+(?:the\s+)?)?)?(?P<k>{kinds})\b(?P<rest>.*)$", re.I
        )
        self._others = re.compile(r"^(?:(?:still|yet)\s+)?others$", re.I)
        self._speaker_noun = re.compile(
            rf"^(?:the\s+|a\s+|an\s+)?(?:{_words(h['speaker_nouns'])})\s+(?:of|for|from)\s+(?:the\s+)?", re.I
        )
        self._inclusion = re.compile(rf",?\s+(?:{_words(h['inclusions'])})\s+", re.I)
        self._frame = re.compile(rf"^(?:{_words(h['frames'])})\s+(?P<np>[^,;]+?)\s*,\s*", re.I)
        self._behalf_prefix = re.compile(
            r"^(?:(?:also\s+)?speaking\s+|)on\s+behalf\s+of\s+(?P<group>[^,;]+?)\s*,\s*", re.I
        )
        self._behalf_inside = re.compile(
            r"^(?P<voice>.+?)\s*(?:,\s*|\(\s*|\s+)(?:(?:also\s+)?speaking\s+|who\s+spoke\s+)?on\s+behalf\s+of\s+(?P<group>[^,;()]+?)\s*\)?\s*,?$",
            re.I,
        )
        self._own_members = re.compile(h["own_members"], re.I)
        self._group_suffix = re.compile(h["group_suffix"], re.I)
        self._anaphora = re.compile(rf"^(?:{_words(h['anaphora'])})$", re.I)
        self._first_person = re.compile(rf"^(?:{_words(h['first_person'])})$", re.I)
        self._first_person_anywhere = re.compile(rf"(?<![\w-])(?:{_words(h['first_person'])})(?![\w-])")
        self._passive = re.compile(h["passive_agent"], re.I)
        self._leads = re.compile(h["leads_group"], re.I)
        self._agent_end = re.compile(h["agent_end"], re.I)
        self._separators = re.compile(rf"^(?:\s|{_SEPARATORS})*$", re.I)
        self._irregular = frozenset(h["irregular_verbs"])
        self._not_organizations = frozenset(w.lower() for w in h["not_organizations"])
        self._not_alone = frozenset(w.lower() for w in h["not_alone"])
        # a collective anywhere in the sentence (`anywhere`)
        reporting = _words(rules.reporting_verbs)
        self._quantified = re.compile(rf"(?<![\w-])(?P<q>{quantifiers})\s+(?P<k>{kinds})(?![\w-])", re.I)
        self._others_verb = re.compile(
            rf"(?<![\w-])(?P<q>(?:still |yet )?others)\s+(?:have\s+|had\s+|also\s+|,\s*)*(?:{reporting})\b", re.I
        )
        self._kind_verb = re.compile(
            rf"(?<![\w-])(?P<k>{kinds})\s+(?:have\s+|had\s+|also\s+|further\s+|however,\s+)*(?:{reporting})\b", re.I
        )
        self._verb_after = re.compile(
            r"^[\s,]*(?:(?:speaking\s+)?on behalf of [^,]+,\s*)?"
            rf"(?:have\s+|has\s+|had\s+|also\s+|further\s+|likewise\s+|again\s+|however,\s+)*(?:{reporting})\b",
            re.I,
        )
        self._opening = re.compile(
            rf"(?:(?:{_words(h['openers'])})\s*,?\s*)*(?:(?:for|according to|in the view of|in|from)\s+)?", re.I
        )

    def with_actors(self, actors: Scanner) -> HolderReader:
        """This reader with other names to find (a document's own organizations beside the
        reference actors); the patterns do not depend on the names, so they are shared."""
        reader = copy.copy(self)
        reader.actors = actors
        return reader

    # -- phrases ------------------------------------------------------------------------------

    def names(self, phrase: str) -> list[URIRef] | None:
        """The actors a phrase names when it is nothing but their names ('the Russian
        Federation', 'A, B and C', 'the representatives of A and B'), else None."""
        phrase = phrase.strip(" ,")
        phrase = self._speaker_noun.sub("", phrase)
        phrase = self._group_suffix.sub("", phrase)
        hits = self.actors.find(phrase)
        if not hits:
            return None
        residue, last = [], 0
        for start, end, _ in hits:
            residue.append(phrase[last:start])
            last = end
        residue.append(phrase[last:])
        if not all(self._separators.match(self._speaker_noun.sub("", r.strip(" ,")) or "") for r in residue):
            return None
        nodes: list[URIRef] = []
        for _, _, node in hits:
            if node not in nodes:
                nodes.append(node)
        return nodes

    def collective(self, phrase: str) -> Holder | None:
        """'Some speakers', 'the vast majority of Member States', 'Delegations', 'Others'."""
        phrase = phrase.strip(" ,")
        if self._others.match(phrase) or re.match(r"^(?:those|others)\s+(?:who|that)$", phrase, re.I):
            return Holder(quantifier="other", kind="speakers", phrase=phrase)
        match = self._collective.match(phrase)
        if not match:
            return None
        rest = match.group("rest").strip()
        if rest and not re.match(r"^(?:from|of|in|with|representing|that|who|which)\b", rest, re.I):
            return None
        quantifier = self._quantifier_of[match.group("q").lower()] if match.group("q") else "unspecified"
        return Holder(quantifier=quantifier, kind=self._kind_of[match.group("k").lower()], phrase=match.group(0))

    def subject(self, phrase: str, carried: list[Holder], speaker: list[Holder]) -> Reading | None:
        """The holders a subject phrase stands for, or None when it names no speaker."""
        phrase = phrase.strip(" ,")
        if not phrase:
            return None
        behalf = self._behalf_inside.match(phrase)
        if behalf:
            return self._on_behalf(behalf.group("group"), behalf.group("voice"), carried, speaker)
        for inclusion in self._inclusion.finditer(phrase):
            left, right = phrase[: inclusion.start()], phrase[inclusion.end() :]
            named = self.names(right)
            rest = self.collective(left)
            if named and rest:
                return Reading([Holder(node=n, phrase=right) for n in named] + [rest], "including", True)
        named = self.names(phrase)
        aside = _APPOSITIVE.match(phrase)
        if not named and aside and not self.actors.find(aside.group("aside")):
            named = self.names(aside.group("np"))  # 'The Organization of American States, through its observer,'
        if named:
            return Reading([Holder(node=n, phrase=phrase) for n in named], "list" if len(named) > 1 else "named", True)
        if self._first_person.match(phrase):
            return Reading(list(speaker), "first-person", True) if speaker else None
        if self._anaphora.match(phrase):
            return Reading(list(carried), "anaphor", True) if carried else None
        found = self.collective(phrase)
        if found is not None:
            return Reading([found], "collective", True)
        return None

    def _on_behalf(
        self, group_phrase: str, voice_phrase: str | None, carried: list[Holder], speaker: list[Holder]
    ) -> Reading | None:
        voice = self.subject(voice_phrase, carried, speaker) if voice_phrase else None
        voices = [h.node for h in voice.holders if h.named] if voice else []
        if self._own_members.match(group_phrase.strip()):
            return voice  # 'the European Union, speaking on behalf of its member States'
        groups = self.names(group_phrase)
        if not groups or len(groups) != 1:
            return voice
        by = voices[0] if len(voices) == 1 and voices[0] != groups[0] else None
        return Reading([Holder(node=groups[0], phrase=group_phrase, voiced_by=by)], "on-behalf", True)

    # -- sentences ----------------------------------------------------------------------------

    def read(self, sentence: str, carried: list[Holder], speaker: list[Holder]) -> Reading:
        """The holders of a sentence. `carried` are the holders of the passage's earlier
        sentences, `speaker` the speaker of a statement (empty in a report)."""
        text = self._after_opener(sentence)
        behalf = self._behalf_prefix.match(text)
        if behalf:
            rest = text[behalf.end() :]
            verb = next(iter(self._verbs(rest, 1)), None)
            voice = rest[: verb.start()] if verb else None
            voice = self._auxiliaries.sub("", voice) if voice else None
            reading = self._on_behalf(behalf.group("group"), voice, carried, speaker)
            if reading is not None:
                return reading
        for place, phrase in self._places(text):
            if place == "shape" and not (self.names(phrase) or _APPOSITIVE.match(phrase.strip(" ,"))):
                continue  # a word shaped like a verb counts only after a subject of names
            reading = self.subject(phrase, carried, speaker)
            if reading is None or not reading.holders:
                continue
            if (
                place == "shape"
                and reading.form not in ("named", "list")
                or place == "passive"
                and reading.form == "anaphor"
            ):
                continue
            reading.form = {"frame": "frame", "passive": "passive-agent"}.get(place, reading.form)
            return reading
        if speaker and self._first_person_anywhere.search(sentence):
            return Reading(list(speaker), "first-person", True)
        return Reading()

    def _verbs(self, text: str, limit: int) -> list[re.Match]:
        """The first `limit` reporting and stance verbs of a text, but for those inside a name
        ('States' in 'the Group of African States'; the names are looked up only for a verb
        written with a capital, which is how one inside a name is written)."""
        names: list[tuple[int, int]] | None = None
        found: list[re.Match] = []
        for word in _WORD.finditer(text):
            if word.group().lower() not in self._verb_starts:
                continue
            verb = self._verb.match(text, word.start())
            if verb is None:
                continue
            if verb.group()[0].isupper():
                if names is None:
                    names = [(start, end) for start, end, _ in self.actors.find(text)]
                if any(s < verb.end() and verb.start() < e for s, e in names):
                    continue
            found.append(verb)
            if len(found) == limit:
                break
        return found

    def _agent(self, text: str) -> str:
        """A passive agent: the text after 'by' to the first of `agent_end`, or past commas
        to a later one while the longer phrase is still all names ('by Japan, Australia and
        Canada for ...')."""
        ends = [m.start() for m in self._agent_end.finditer(text)] or [len(text)]
        agent = text[: ends[0]]
        for end in ends[1:]:
            if not self.names(text[:end]):
                break
            agent = text[:end]
        return agent

    def _verb_shapes(self, text: str, limit: int) -> list[re.Match]:
        """The first `limit` words shaped like a finite verb ('commended', 'considers', 'took')."""
        found = []
        for word in re.finditer(r"(?<![\w'’-])[a-z]+(?![\w'’-])", text):
            if word.group() in self._irregular or _VERB_SHAPE.fullmatch(word.group()):
                found.append(word)
                if len(found) == limit:
                    break
        return found

    def _after_opener(self, text: str) -> str:
        """A sentence without its opener ('However, ', 'In addition, ')."""
        text = text.strip()
        opener = self._openers.match(text)
        return text[opener.end() :] if opener else text

    def _places(self, text: str) -> Iterator[tuple[str, str]]:
        """Where a sentence (its opener off) names who speaks, in the order they are tried:
        after a frame ('According to X,'), before a reporting or stance verb (not a passive
        one: 'States are encouraged' names whom a text addresses), before a word shaped like
        a verb, as a passive agent ('... by X')."""
        frame = self._frame.match(text)
        if frame:
            yield "frame", frame.group("np")
        for verb in self._verbs(text, 3):
            if not _PASSIVE_BEFORE.search(text[: verb.start()]):
                yield "verb", self._auxiliaries.sub("", text[: verb.start()])
        for verb in self._verb_shapes(text, 3):
            yield "shape", self._auxiliaries.sub("", text[: verb.start()])
        for passive in self._passive.finditer(text):
            yield "passive", self._agent(text[passive.end() :])

    def speaking_phrases(self, sentence: str) -> list[str]:
        """The phrases that stand where a sentence names who speaks (`_places`, but for the
        words before a mere verb shape)."""
        return [
            p.strip(" ,")
            for place, p in self._places(self._after_opener(sentence))
            if place != "shape" and p.strip(" ,")
        ]

    def unknown_names(self, sentence: str) -> list[tuple[str, str | None]]:
        """Organizations the reference data does not know, named where a speaker stands
        ('Human Rights Watch considered ...', 'Cisco Systems and the International Chamber of
        Commerce (ICC) cautioned ...'): (name, acronym) pairs. Every part of the phrase must be
        a known name or a proper name with no word of `not_organizations`; a single word must
        look like a name even at the start of a sentence ('INTERPOL', 'Kaspersky said')."""
        found: list[tuple[str, str | None]] = []
        text = sentence.strip()
        for phrase in self.speaking_phrases(sentence):
            aside = _APPOSITIVE.match(phrase)
            if aside and not self.actors.find(aside.group("aside")) and _PROPER.match(aside.group("np").strip()):
                phrase = aside.group("np")
            pieces = [p.strip() for p in re.split(r",\s*|\s+and\s+(?=(?:the\s+)?[A-Z])", phrase) if p.strip()]
            unknown: list[tuple[str, str | None]] = []
            for index, piece in enumerate(pieces):
                piece = re.sub(r"^(?:and|the)\s+", "", piece, flags=re.I)
                if self.names(piece):
                    continue
                proper = _PROPER.match(piece)
                words = re.findall(r"[\w’'.&-]+", re.sub(r"\([^()]*\)", "", piece))
                capitals = [w for w in words if w[0].isupper()]
                refused = any(
                    w.lower() in self._not_organizations or w.lower().rstrip(".") in self._not_organizations
                    for w in words
                )
                # one capitalised word opening the sentence may be any word ('Ransomware ...')
                sentence_start = (
                    len(capitals) < 2
                    and not re.search(r"[A-Z].*[A-Z]", piece)
                    and index == 0
                    and text.startswith(piece)
                )
                alone = len(words) == 1 and words[0].lower() in self._not_alone
                if proper is None or refused or sentence_start or alone:
                    unknown = []
                    break
                unknown.append((re.sub(r"\s*\([^()]*\)$", "", piece), proper.group("acronym")))
            found += unknown
        return found

    def anywhere(self, sentence: str) -> Holder | None:
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
            if (
                not prefix.strip()
                or self._opening.fullmatch(prefix.strip() + " ")
                or self._verb_after.match(sentence[match.end() :])
            ):
                return holder
        others = self._others_verb.search(sentence)
        if others:
            return Holder(quantifier="other", kind="speakers", phrase=others.group("q"))
        bare = self._kind_verb.search(sentence)
        if bare and not re.search(r"\b(?:are|were|is|be|been)\s*$", sentence[: bare.start()], re.I):
            return Holder(quantifier="unspecified", kind=self._kind_of[bare.group("k").lower()], phrase=bare.group())
        return agent

    def act_subject(self, before: str, passage: Passage) -> URIRef | None:
        """Who did a treaty act, from the words before its verb ('A few minutes ago, the
        Dominican Republic', 'Ghana has formally', 'we'): one named actor, or the State whose
        statement it is for the first person; None when the words are anything else."""
        text = _WHEN.sub("", self._after_opener(before))  # 'A few minutes ago, ', 'In 2018, '
        reading = self.subject(self._auxiliaries.sub("", text), [], _speaker(passage))
        if reading is None or reading.form not in ("named", "first-person") or len(reading.holders) != 1:
            return None
        holder = reading.holders[0]
        return holder.voiced_by or holder.node  # in a group's statement, 'we signed' is the speaking State's act

    def _with_led_group(self, sentence: str, reading: Reading, speaker: list[Holder]) -> Reading:
        """A speaker's sentence that says it leads a group ('As chair of CARICOM, we ...')
        holds the group's position too, voiced by the speaker."""
        if not speaker or reading.holders != speaker or speaker[0].voiced_by is not None:
            return reading
        match = self._leads.search(sentence)
        groups = self.names(match.group("group")) if match else None
        if match is None or not groups or len(groups) != 1 or groups[0] == speaker[0].node:
            return reading
        led = Holder(node=groups[0], phrase=match.group("group"), voiced_by=speaker[0].node)
        return Reading([*reading.holders, led], reading.form, reading.explicit)

    def speaks_for(self, sentence: str) -> URIRef | None:
        """The group a statement's speaker says it speaks for ('I have the honour to speak on
        behalf of the Group of 77 and China'), or None."""
        match = _SPEAKS_FOR.search(sentence)
        if not match or not self._first_person_anywhere.search(sentence[: match.start()]):
            return None
        group = match.group("group")
        end = self._agent_end.search(group)
        groups = self.names(group[: end.start()] if end else group)
        return groups[0] if groups and len(groups) == 1 else None

    def holders_of(self, sentence: str, passage: Passage, carried: list[Holder]) -> Reading:
        """Who holds what a sentence of a passage says: the forms `read` knows, then the
        fallbacks (see the module's docstring). `explicit` is false for fallbacks, so they
        do not carry to the next sentence."""
        speech = passage.speech
        if speech is not None and speech.actor is not None:
            group = self.speaks_for(sentence)
            if group is not None and group != speech.actor:
                speech.speaks_for = group
            elif _NATIONAL.search(sentence):
                speech.speaks_for = None
        speaker = _speaker(passage)
        reading = self.read(sentence, carried, speaker)
        if reading.holders:
            return self._with_led_group(sentence, reading, speaker)
        found = self.anywhere(sentence)
        if found is not None:
            return Reading([found], "collective", True)
        if speaker:
            return self._with_led_group(sentence, Reading(speaker, "speaker", False), speaker)
        if any(p.search(sentence) for p in self.rules.impersonal):
            return Reading(
                [Holder(quantifier="unspecified", kind=_default_kind(passage), phrase="impersonal")],
                "impersonal",
                False,
            )
        if carried:
            return Reading(carried, "carried", False)
        return Reading(
            [Holder(quantifier="unspecified", kind=_default_kind(passage), phrase="default")], "default", False
        )


def _speaker(passage: Passage) -> list[Holder]:
    """The holder a statement's first person stands for: its speaker, or the group the
    speaker said it speaks for (voiced by the speaker)."""
    speech = passage.speech
    if speech is None or speech.actor is None:
        return []
    if speech.speaks_for is not None:
        return [Holder(node=speech.speaks_for, phrase=speech.name, voiced_by=speech.actor)]
    return [Holder(node=speech.actor, phrase=speech.name)]


def _default_kind(passage: Passage) -> str:
    """The kind of speaker a list's attribution names ('suggestions made by Member States')."""
    if passage.recommendation and passage.attribution:
        if re.search(r"\b(?:Member )?States\b", passage.attribution):
            return "member-states"
        if re.search(r"\bspeakers\b", passage.attribution, re.I):
            return "speakers"
    return "member-states" if passage.recommendation else "speakers"
