"""Loading the extraction rules (rules/positions.toml, rules/topics.toml): word lists and
patterns kept as data, checked on load so a bad pattern is one line naming the file
and the rule, not a traceback in the middle of a build."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kg import resources
from kg.errors import CyberkgError

STANCES = ("supports", "proposes", "opposes", "criticises", "conditions")
TREATY_ACTIONS = ("signature", "ratification", "accession", "acceptance", "approval", "succession")


@dataclass(frozen=True)
class Cue:
    id: str
    stance: str
    where: str
    targets: str
    priority: int
    pattern: re.Pattern


@dataclass(frozen=True)
class Lexicon:
    """The evaluative words that read a stance when no cue does ([stances.lexicon])."""

    positive: re.Pattern
    negative: re.Pattern
    requirement: re.Pattern
    condition: re.Pattern
    opposition: re.Pattern
    hypothetical: re.Pattern
    flip: re.Pattern
    flip_window: int
    concrete: re.Pattern


@dataclass
class Rules:
    quantifiers: list[tuple[str, str]]  # (phrase, quantifier), longest phrase first
    kinds: list[tuple[str, str]]  # (word, kind), longest first
    reporting_verbs: list[str]
    impersonal: list[re.Pattern]
    holders: dict  # the [holders] word lists and patterns kg.extract.holders applies
    proposed: list[tuple[re.Pattern, str]]  # (pattern, instrument path under the base)
    anaphora: list[re.Pattern]
    topic_anchor: re.Pattern  # words that name the subject (cybercrime, ICTs)
    proposal_subject: re.Pattern
    work: list[re.Pattern]  # the draft, the text, the negotiations of an instrument being made
    parts: list[re.Pattern]  # its chapters, provisions, scope
    clause_breaks: re.Pattern
    negations: list[re.Pattern]
    negation_blockers: list[re.Pattern]
    negation_window: int
    denials: list[re.Pattern]
    untargeted_classes: list[str]
    neutralisers: list[re.Pattern]
    basis: list[re.Pattern]
    basis_window: int
    proposal_object: re.Pattern
    cues: list[Cue]
    lexicon: Lexicon
    acts: list[tuple[str, re.Pattern]]  # (treaty-action notation, verb pattern)
    act_blockers: re.Pattern
    topic_stances: dict[str, list[re.Pattern]]
    topics: dict[str, list[re.Pattern]] = field(default_factory=dict)
    unbis: dict[str, str] = field(default_factory=dict)

    @cached_property
    def topic_patterns(self) -> list[tuple[str, list[re.Pattern]]]:
        """Each topic's cues joined into one alternation: one regex scan per topic instead of
        one per cue (a fifth of the extraction time on a large corpus went to those scans).
        Cues that cannot be joined (a global inline flag) are kept apart."""
        patterns = []
        for name, cues in self.topics.items():
            try:
                patterns.append((name, [re.compile("|".join(f"(?:{c.pattern})" for c in cues), re.IGNORECASE)]))
            except re.error:
                patterns.append((name, list(cues)))
        return patterns


def _compile(pattern: str, where: str) -> re.Pattern:
    if not isinstance(pattern, str):
        raise CyberkgError(f"{where}: expected a pattern as a string, found {pattern!r}")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise CyberkgError(f"{where}: bad pattern {pattern!r}: {error}") from None


def _count(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise CyberkgError(f"{where}: expected a whole number from 1, found {value!r}")
    return value


def _load(path: Path) -> dict:
    if not path.is_file():
        raise CyberkgError(f"{path}: rules file not found")
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        raise CyberkgError(f"{path}: not valid TOML: {error}") from None


HOLDER_LISTS = (
    "stance_verbs",
    "openers",
    "auxiliaries",
    "speaker_nouns",
    "inclusions",
    "frames",
    "anaphora",
    "first_person",
    "irregular_verbs",
    "not_organizations",
    "not_alone",
)
HOLDER_PATTERNS = ("own_members", "group_suffix", "passive_agent", "agent_end", "leads_group")


def _holder_rules(holders: dict, path: Path) -> dict:
    """The [holders] lists and patterns, checked: each list a list of words, each pattern valid."""
    out = {}
    for key in HOLDER_LISTS:
        words = holders[key]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise CyberkgError(f"{path}: holders.{key} must be a list of non-empty strings")
        out[key] = words
    for key in HOLDER_PATTERNS:
        _compile(holders[key], f"{path}: holders.{key}")
        out[key] = holders[key]
    return out


def _alternation(words: object, where: str) -> re.Pattern:
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise CyberkgError(f"{where}: expected a list of patterns as strings")
    for word in words:
        _compile(word, where)
    return _compile("|".join(f"(?:{w})" for w in words), where)


def _lexicon(lexicon: dict, path: Path) -> Lexicon:
    where = f"{path}: stances.lexicon"
    return Lexicon(
        **{
            key: _alternation(lexicon[key], f"{where}.{key}")
            for key in ("positive", "negative", "requirement", "condition", "opposition", "hypothetical", "flip")
        },
        flip_window=_count(lexicon["flip_window"], f"{where}.flip_window"),
        concrete=_compile(lexicon["concrete"], f"{where}.concrete"),
    )


def load_rules(folder: Path | None = None) -> Rules:
    folder = Path(folder) if folder else resources.resource_dir("rules")
    positions_path, topics_path = folder / "positions.toml", folder / "topics.toml"
    data, topic_data = _load(positions_path), _load(topics_path)
    try:
        holders, stances = data["holders"], data["stances"]
        quantifiers = sorted(
            ((p, q) for q, phrases in holders["quantifiers"].items() for p in phrases), key=lambda x: -len(x[0])
        )
        kinds = sorted(((w, k) for k, words in holders["kinds"].items() for w in words), key=lambda x: -len(x[0]))
        cues = []
        for i, cue in enumerate(data["stances"]["cues"], start=1):
            where = f"{positions_path}: cue {cue.get('id', i)}"
            if cue["stance"] not in STANCES:
                raise CyberkgError(f"{where}: stance {cue['stance']!r} is not one of {', '.join(STANCES)}")
            if cue["where"] not in ("before", "after") or cue["targets"] not in ("existing", "proposed", "any"):
                raise CyberkgError(f"{where}: where must be before/after and targets existing/proposed/any")
            cues.append(
                Cue(
                    cue["id"],
                    cue["stance"],
                    cue["where"],
                    cue["targets"],
                    _count(cue["priority"], f"{where}: priority"),
                    _compile(cue["pattern"], where),
                )
            )
        rules = Rules(
            quantifiers=quantifiers,
            kinds=kinds,
            reporting_verbs=sorted(holders["reporting_verbs"], key=len, reverse=True),
            impersonal=[_compile(p, f"{positions_path}: impersonal") for p in holders["impersonal"]],
            holders=_holder_rules(holders, positions_path),
            proposed=[
                (_compile(p, f"{positions_path}: proposed_instruments"), entry["instrument"])
                for entry in data["targets"]["proposed"]
                for p in entry["patterns"]
            ],
            anaphora=[_compile(p, f"{positions_path}: anaphora") for p in data["targets"]["anaphora"]],
            topic_anchor=_alternation(data["targets"]["topic_anchor"], f"{positions_path}: targets.topic_anchor"),
            proposal_subject=_compile(
                data["targets"]["proposal_subject"], f"{positions_path}: targets.proposal_subject"
            ),
            work=[_compile(p, f"{positions_path}: targets.work") for p in data["targets"]["work"]],
            parts=[_compile(p, f"{positions_path}: targets.parts") for p in data["targets"]["parts"]],
            clause_breaks=_compile(
                "|".join(f"(?:{p})" for p in stances["clause_breaks"]), f"{positions_path}: clause_breaks"
            ),
            negations=[_compile(p, f"{positions_path}: negations") for p in stances["negations"]],
            negation_blockers=[
                _compile(p, f"{positions_path}: negation_blockers") for p in stances.get("negation_blockers", [])
            ],
            negation_window=_count(stances["negation_window"], f"{positions_path}: stances.negation_window"),
            denials=[_compile(p, f"{positions_path}: denials") for p in stances["denials"]],
            untargeted_classes=list(stances.get("untargeted_classes", [])),
            neutralisers=[_compile(p, f"{positions_path}: neutralisers") for p in stances["neutralisers"]],
            basis=[_compile(p, f"{positions_path}: basis") for p in stances["basis"]],
            basis_window=_count(stances["basis_window"], f"{positions_path}: stances.basis_window"),
            proposal_object=_compile(stances["proposal_object"], f"{positions_path}: stances.proposal_object"),
            cues=cues,
            lexicon=_lexicon(stances["lexicon"], positions_path),
            acts=[
                (action, _compile(p, f"{positions_path}: acts.types.{action}"))
                for action, patterns in data["acts"]["types"].items()
                for p in patterns
            ],
            act_blockers=_compile(data["acts"]["blockers"], f"{positions_path}: acts.blockers"),
            topic_stances={
                s: [_compile(p, f"{positions_path}: topic_stances.{s}") for p in ps]
                for s, ps in data["topic_stances"].items()
            },
        )
        for action, _ in rules.acts:
            if action not in TREATY_ACTIONS:
                raise CyberkgError(
                    f"{positions_path}: acts.types: {action!r} is not one of {', '.join(TREATY_ACTIONS)}"
                )
        for stance in rules.topic_stances:
            if stance not in STANCES:
                raise CyberkgError(f"{positions_path}: topic_stances: {stance!r} is not a stance")
        for name, topic in topic_data["topics"].items():
            rules.topics[name] = [_compile(p, f"{topics_path}: topics.{name}") for p in topic["cues"]]
            rules.unbis[name] = topic.get("unbis", "")
    except KeyError as error:
        raise CyberkgError(f"{positions_path}: missing key {error}") from None
    return rules
