"""Holders: who speaks in a sentence, read in the forms UN records use.

A sentence's holders are found in this order, and the first form that names someone wins:

- a group spoken for: "Speaking on behalf of G, X said ..." and "X, speaking on behalf of
  G, said ..." (the holder is G, voiced by X);
- a frame before the clause: "In the view of X, ...", "According to X, ...";
- the subject of a reporting or stance verb: a named actor or a list of them ("X, Y and
  Z supported"), "The representative(s) / delegation(s) / observer(s) of X", an anonymous
  collective ("Some speakers"), a collective with named members ("Several delegations,
  including those of A and B, ..." gives A, B and the unnamed rest), a pronoun or
  anaphor ("They further stressed", "Those delegations also") that points back to the
  holders of an earlier sentence, or the first person ("We", "My delegation") of a
  statement's speaker;
- a named agent in the passive: "Support was expressed by A and B for ...".

Every word list is in rules/positions.toml ([holders]); this module only applies them.
A name counts only when the whole phrase is names, separators and the nouns the rules
allow, so a name inside a longer phrase ("the Budapest Convention of the Council of
Europe") is never taken for the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.extract.model import Holder
from kg.extract.rules import Rules
from kg.extract.scan import Scanner

_SEPARATORS = r"(?:,|;|\band\b|\bas well as\b|\bthe\b|\bthose of\b|\bthat of\b|\bby\b|\bboth\b|\balso\b)"


_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+|also\s+|further\s+|not\s+)*$", re.I)


@dataclass
class Reading:
    """The holders of one sentence and how they were found."""

    holders: list[Holder] = field(default_factory=list)
    form: str = "none"  # the holder form, for the rule a position records
    explicit: bool = False  # the sentence itself names (or points back to) its holders


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
        self._auxiliaries = re.compile(rf"(?:[\s,]+|\b(?:{_words(h['auxiliaries'])})\b)+$", re.I)
        self._collective = re.compile(rf"^(?:the\s+)?(?:(?P<q>{quantifiers})\s+(?:of\s+(?:the\s+)?)?)?(?P<k>{kinds})\b(?P<rest>.*)$", re.I)
        self._others = re.compile(r"^(?:(?:still|yet)\s+)?others$", re.I)
        self._speaker_noun = re.compile(rf"^(?:the\s+|a\s+|an\s+)?(?:{_words(h['speaker_nouns'])})\s+(?:of|for|from)\s+(?:the\s+)?", re.I)
        self._inclusion = re.compile(rf",?\s+(?:{_words(h['inclusions'])})\s+", re.I)
        self._frame = re.compile(rf"^(?:{_words(h['frames'])})\s+(?P<np>[^,;]+?)\s*,\s*", re.I)
        self._behalf_prefix = re.compile(r"^(?:(?:also\s+)?speaking\s+|)on\s+behalf\s+of\s+(?P<group>[^,;]+?)\s*,\s*", re.I)
        self._behalf_inside = re.compile(r"^(?P<voice>.+?)\s*(?:,\s*|\(\s*|\s+)(?:(?:also\s+)?speaking\s+|who\s+spoke\s+)?on\s+behalf\s+of\s+(?P<group>[^,;()]+?)\s*\)?\s*,?$", re.I)
        self._own_members = re.compile(h["own_members"], re.I)
        self._group_suffix = re.compile(h["group_suffix"], re.I)
        self._anaphora = re.compile(rf"^(?:{_words(h['anaphora'])})$", re.I)
        self._first_person = re.compile(rf"^(?:{_words(h['first_person'])})$", re.I)
        self._first_person_anywhere = re.compile(rf"(?<![\w-])(?:{_words(h['first_person'])})(?![\w-])")
        self._passive = re.compile(h["passive_agent"], re.I)
        self._agent_end = re.compile(h["agent_end"], re.I)
        self._separators = re.compile(rf"^(?:\s|{_SEPARATORS})*$", re.I)

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

    def _on_behalf(self, group_phrase: str, voice_phrase: str | None, carried: list[Holder], speaker: list[Holder]) -> Reading | None:
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
        text = sentence.strip()
        opener = self._openers.match(text)
        if opener:
            text = text[opener.end() :]
        behalf = self._behalf_prefix.match(text)
        if behalf:
            rest = text[behalf.end() :]
            names = [(start, end) for start, end, _ in self.actors.find(rest)]
            verb = next((v for v in self._verb.finditer(rest) if not any(s < v.end() and v.start() < e for s, e in names)), None)
            voice = rest[: verb.start()] if verb else None
            voice = self._auxiliaries.sub("", voice) if voice else None
            reading = self._on_behalf(behalf.group("group"), voice, carried, speaker)
            if reading is not None:
                return reading
        frame = self._frame.match(text)
        if frame:
            reading = self.subject(frame.group("np"), carried, speaker)
            if reading is not None and reading.holders:
                reading.form = "frame"
                return reading
        names = [(start, end) for start, end, _ in self.actors.find(text)]
        verbs = [v for v in self._verb.finditer(text) if not any(s < v.end() and v.start() < e for s, e in names)]
        for verb in verbs[:3]:  # a verb inside a name ('the Group of African States') is no verb
            if _PASSIVE_BEFORE.search(text[: verb.start()]):
                continue  # 'States are encouraged to ...': whom a text addresses, not who speaks
            phrase = self._auxiliaries.sub("", text[: verb.start()])
            reading = self.subject(phrase, carried, speaker)
            if reading is not None and reading.holders:
                return reading
        for passive in self._passive.finditer(text):
            agent = text[passive.end() :]
            end = self._agent_end.search(agent)
            agent = agent[: end.start()] if end else agent
            reading = self.subject(agent, carried, speaker)
            if reading is not None and reading.holders and reading.form != "anaphor":
                reading.form = "passive-agent"
                return reading
        if speaker and self._first_person_anywhere.search(sentence):
            return Reading(list(speaker), "first-person", True)
        return Reading()

    def speaks_for(self, sentence: str) -> URIRef | None:
        """The group a statement's speaker says it speaks for ('I have the honour to speak on
        behalf of the Group of 77 and China'), or None."""
        match = re.search(r"\bon\s+behalf\s+of\s+(?P<group>[^,.;]+)", sentence, re.I)
        if not match or not self._first_person_anywhere.search(sentence[: match.start()]):
            return None
        group = match.group("group")
        end = self._agent_end.search(group)
        groups = self.names(group[: end.start()] if end else group)
        return groups[0] if groups and len(groups) == 1 else None
