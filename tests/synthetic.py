"""A deterministic synthetic corpus of UN cybercrime meeting reports, for scale benchmarks.

`generate(n, seed, out_dir)` writes `n` plain-text reports in the genre of the sample
reports: Expert Group meeting reports, Expert Group draft report addenda with numbered
recommendations, and Ad Hoc Committee session reports. Each report has its own meeting
(body, ordinal, venue, dates) and its own document symbols, so reports never share a
document or meeting IRI. The text carries the genre's variety and conversion artefacts:
lettered, numbered and roman lists, statements lists with "on behalf of" entries,
panellists and a chair, page breaks with page furniture, `**bold**` headings glued
together, `[74/247](#)` links and stray `- ` list prefixes.

Every sentence that takes a stance on an instrument is planted on purpose and recorded:
`build_corpus(n, seed)` returns the reports with what each plants (metadata, speakers,
cited resolutions and positions with holder, stance, instrument and the phrasing used),
which the CLI writes as `DIR/manifest.json` so a test can check extraction against it.

States, groups, organizations, instruments (with their aliases), resolutions and venues
come from the reference data in `reference/`. Output depends only on `n` and `seed`: one
`random.Random(seed)` drives every choice, and everything it chooses from is sorted.

    python tests/synthetic.py --reports 100 --seed 1 -o /tmp/corpus
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
BASE = "https://w3id.org/cyberkg/id/"
CKG = Namespace("https://w3id.org/cyberkg/ontology#")

EG_NAME = "Expert Group to Conduct a Comprehensive Study on Cybercrime"
AHC_NAME = (
    "Ad Hoc Committee to Elaborate a Comprehensive International Convention on Countering "
    "the Use of Information and Communications Technologies for Criminal Purposes"
)
EG_PREFIX = "UNODC/CCPCJ/EG.4"
AHC_PREFIX = "A/AC.291"
# Meetings the reference data already knows end at EG 7 and AHC session 6 (all before
# 2025): synthetic ones come after, so no report claims a real meeting's IRI or dates.
FIRST_ORDINAL = {"eg": 8, "ahc": 7}
FIRST_MONDAY = date(2026, 1, 5)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
)


# --- reference data -----------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    name: str
    key: str  # IRI path under the base: "state/BRA", "org/g77"


@dataclass(frozen=True)
class Instrument:
    key: str
    names: tuple[str, ...]
    proposed: bool  # only proposed (a new instrument), not one that exists or was tabled
    draft: bool  # tabled as a draft: it can be supported or criticised, not used
    regional: bool  # adopted by a regional organization


@dataclass(frozen=True)
class Resolution:
    number: str
    body: str  # IRI path of the adopting body
    names: tuple[str, ...]  # "General Assembly resolution 74/247", "Commission resolution 26/4"


@dataclass
class Reference:
    states: list[Actor]
    groups: list[Actor]  # groups of States a speaker speaks on behalf of
    members: dict[str, list[Actor]]  # group key -> its current member States
    organizations: list[Actor]  # intergovernmental organizations
    instruments: list[Instrument]
    resolutions: list[Resolution]
    venues: dict[str, list[str]]  # body -> venues its meetings were held in


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _key(node: URIRef) -> str:
    return str(node)[len(BASE) :]


def _names(graph: Graph, node: URIRef) -> tuple[str, ...]:
    """Label first, then aliases fit for running text (no treaty numbers or long titles)."""
    aliases = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
    usable = [a for a in aliases if "No." not in a and ";" not in a and len(a) < 120]
    return (str(graph.value(node, RDFS.label)), *usable)


def load_reference(folder: Path = REFERENCE) -> Reference:
    states = sorted(
        (
            Actor(row["name"], f"state/{row['iso3']}")
            for row in _rows(folder / "state_names.csv")
            if row["name_type"] == "un_short" and not row["valid_to"]
        ),
        key=lambda a: a.name,
    )
    graph = Graph()
    for name in ("organizations.ttl", "instruments.ttl"):
        graph.parse(folder / name, format="turtle", publicID=BASE)

    def actors(cls: URIRef) -> list[Actor]:
        return sorted(
            (Actor(str(graph.value(n, RDFS.label)), _key(n)) for n in graph.subjects(RDF.type, cls)),
            key=lambda a: a.key,
        )

    organizations = actors(CKG.IntergovernmentalOrganization)
    regional_bodies = {a.key for a in organizations}
    instruments = []
    for cls in (CKG.Treaty, CKG.Protocol, CKG.DraftInstrument, CKG.ProposedInstrument):
        for node in sorted(graph.subjects(RDF.type, cls)):
            body = graph.value(node, CKG.adoptingBody)
            instruments.append(
                Instrument(
                    _key(node),
                    _names(graph, node),
                    cls == CKG.ProposedInstrument,
                    cls == CKG.DraftInstrument,
                    body is not None and _key(body) in regional_bodies,
                )
            )
    resolutions = [
        Resolution(
            str(graph.value(n, CKG.resolutionNumber)),
            _key(graph.value(n, CKG.adoptingBody)),
            tuple(name for name in _names(graph, n) if not name.startswith("A/RES/")),
        )
        for n in sorted(graph.subjects(RDF.type, CKG.Resolution))
    ]
    venues = {
        "eg": sorted({row["venue"] for row in _rows(folder / "expert_group_meetings.csv")}),
        "ahc": sorted({row["venue"] for row in _rows(folder / "ahc_sessions.csv")}),
    }
    groups = actors(CKG.GroupOfStates) + actors(CKG.RegionalGroup)
    return Reference(
        states,
        groups,
        _members(folder, graph, groups, states),
        organizations,
        sorted(instruments, key=lambda i: i.key),
        resolutions,
        venues,
    )


def _members(folder: Path, graph: Graph, groups: list[Actor], states: list[Actor]) -> dict[str, list[Actor]]:
    """Current members of each group, from memberships.csv (keyed by dcterms:identifier)."""
    code = {str(graph.value(URIRef(BASE + g.key), DCTERMS.identifier)): g.key for g in groups}
    by_key = {s.key: s for s in states}
    members: dict[str, list[Actor]] = {g.key: [] for g in groups}
    for row in _rows(folder / "memberships.csv"):
        state = by_key.get(f"state/{row['member_iso3']}")
        if row["group"] in code and state is not None and not row["member_to"]:
            members[code[row["group"]]].append(state)
    return {key: sorted(found, key=lambda a: a.name) for key, found in members.items() if found}


# --- small text helpers ---------------------------------------------------------------------


def day_text(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def range_text(start: date, end: date, dash: bool = False) -> str:
    """'3 to 5 April 2031' (or '3–5 April 2031'); months and years only where they change."""
    first = str(start.day)
    if start.month != end.month or start.year != end.year:
        first += f" {MONTHS[start.month - 1]}"
    if start.year != end.year:
        first += f" {start.year}"
    return f"{first}{'–' if dash else ' to '}{day_text(end)}"


def ordinal_text(n: int) -> str:
    """'eighth' up to twenty, then '21st'. The extractor reads compound ordinal words
    wrongly ('twenty-first' as 'first', which names a real meeting), so the corpus writes
    larger ordinals in figures to keep every synthetic meeting distinct."""
    return ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}{_suffix(n)}"


def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def with_article(name: str, proposed: bool) -> str:
    """How running text names an instrument: 'the Budapest Convention', 'UNTOC',
    'a new global legal instrument', 'an additional protocol to ...'."""
    if name.isupper():
        return name
    if proposed:
        return ("an " if name[0] in "aeiou" else "a ") + name
    return "the " + name


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- planted facts ------------------------------------------------------------------------------


@dataclass
class Planted:
    """One position a sentence takes on purpose. `holder` is an actor's IRI path for a
    named holder, or '<quantifier>-<kind>' for an anonymous collective."""

    holder: str
    holder_name: str
    named: bool
    stance: str
    instrument: str
    form: str  # how the holder is introduced
    phrasing: str  # how the stance is worded
    sentence: str


@dataclass
class Meeting:
    body: str  # "eg" | "ahc"
    ordinal: int
    start: date
    end: date
    venue: str
    symbols: dict[str, str]  # role -> symbol: report, agenda, participants, draft
    previous: str | None  # symbol of the previous synthetic report of the same body


@dataclass
class Report:
    name: str
    kind: str  # "eg-report" | "eg-draft-addendum" | "ahc-report"
    text: str
    symbol: str | None
    meeting: Meeting
    positions: list[Planted] = field(default_factory=list)
    speakers: list[dict] = field(default_factory=list)
    resolutions: list[dict] = field(default_factory=list)

    def manifest(self) -> dict:
        meeting = asdict(self.meeting)
        meeting["start"], meeting["end"] = str(self.meeting.start), str(self.meeting.end)
        return {
            "file": self.name,
            "kind": self.kind,
            "symbol": self.symbol,
            "meeting": meeting,
            "positions": [asdict(p) for p in self.positions],
            "speakers": self.speakers,
            "resolutions": self.resolutions,
        }


# --- stances: how a holder's stance on an instrument is worded ------------------------------
# Each phrasing starts with a reporting verb, so it follows any holder ("China", "Some
# speakers", "The representative of Chile"). {i} is the instrument as running text names
# it. Phrasings apply to instruments that exist (or were tabled) or only to proposed ones.

EXISTING_STANCES = {
    "supports": [
        ("expressed-support", "expressed support for {i} as a framework for international cooperation"),
        ("greater-use", "stated that States should make greater use of {i} in cybercrime cases"),
        ("sound-basis", "said that {i} provided a sound legal basis for mutual legal assistance"),
        ("accede-not-yet", "encouraged all States that had not yet done so to accede to {i}"),
        ("used-successfully", "noted that {i} had been used successfully in recent investigations"),
    ],
    "criticises": [
        ("criticized-verb", "criticized {i} as an instrument of limited reach"),
        ("concerns-about", "expressed concerns about {i} and the way it had been drafted"),
        ("outdated", "said that {i} was outdated and did not reflect current threats"),
    ],
}
REGIONAL_CRITICISM = (
    "regional-instrument",
    "stated that {i} remained a regional instrument drafted by a limited group of States",
)
DRAFT_PHRASINGS = ("expressed-support", "concerns-about")  # a draft is not used, nor outdated
PROPOSED_STANCES = {
    "proposes": [
        ("called-for-negotiation", "called for the negotiation of {i} under the auspices of the United Nations"),
        ("proposed-elaboration", "proposed the elaboration of {i} open to all States"),
        ("should-be-negotiated", "stated that {i} should be negotiated within the United Nations"),
        ("was-needed", "considered that {i} was needed to address the concerns of developing countries"),
    ],
    "opposes": [
        ("not-necessary", "stated that {i} was not necessary"),
        ("opposed-negotiation", "opposed the negotiation of {i} at the present stage"),
        ("no-need", "said that there was no need for {i}"),
        ("premature", "considered it premature to negotiate {i}"),
    ],
    "conditions": [
        ("not-duplicate", "stressed that {i} should not duplicate existing instruments"),
        ("consistent-human-rights", "said that {i} must be consistent with international human rights law"),
        ("only-if", "stated that it could support {i} only if it contained strong procedural safeguards"),
    ],
}

# Anonymous holders as the genre words them, with the quantifier and kind of speaker the
# graph's concept schemes give them.
COLLECTIVES = [
    ("Some speakers", "some-speakers"),
    ("Several Member States", "several-member-states"),
    ("One speaker", "one-speakers"),
    ("Many delegations", "many-delegations"),
    ("A number of States", "several-member-states"),
    ("Most speakers", "most-speakers"),
    ("The vast majority of Member States", "vastMajority-member-states"),
    ("Other speakers", "other-speakers"),
    ("Some Member States", "some-member-states"),
    ("Several delegations", "several-delegations"),
]
PRONOUNS = ("He", "She")


# --- filler: the genre's sentences that take no stance on an instrument ----------------------

SUBJECTS = [
    "Speakers",
    "Several speakers",
    "Many speakers",
    "Participants",
    "Some delegations",
    "Experts",
    "A number of speakers",
]
REPORTS = [
    "described",
    "reported on",
    "shared experience with",
    "referred to",
    "drew attention to",
    "highlighted",
    "outlined",
]
TOPICS = [
    "the preservation of volatile electronic evidence held by service providers",
    "national legislation on illegal access to computer systems and data interference",
    "the role of 24/7 networks of contact points in urgent cases",
    "training programmes for prosecutors, judges and law enforcement officers",
    "the challenges posed by encryption and anonymization tools",
    "public-private partnerships with communication service providers",
    "the use of cryptocurrencies in the laundering of the proceeds of crime",
    "the protection of children from online sexual exploitation and abuse",
    "cooperation between computer emergency response teams and investigators",
    "the certification of digital forensic laboratories and tools",
    "ransomware attacks against hospitals and critical infrastructure",
    "the differences between cyber-dependent and cyber-enabled crime",
    "the requirement of dual criminality in requests for mutual legal assistance",
    "data protection safeguards in cross-border investigations",
    "the collection of statistics on reported cybercrime",
    "awareness-raising campaigns aimed at small and medium-sized enterprises",
]
REMARKS = [
    "It was noted that the speed at which data could be lost made expedited procedures essential.",
    "Reference was made to the value of regional networks of practitioners.",
    "The importance of adequate human and technical resources was underlined.",
    "Attention was drawn to the needs of developing countries in that regard.",
    "Several speakers indicated that their legislation had recently been amended.",
    "The need for sustained capacity-building was mentioned in that context.",
    "Speakers also noted the growing volume of data to be analysed in each case.",
    "Concerns were raised over the length of procedures for mutual legal assistance.",
]
RECOMMENDATIONS = [
    "States should {act} {topic}",
    "Member States should continue to {act} {topic}",
    "Countries are encouraged to {act} {topic}",
    "UNODC should continue to support efforts to {act} {topic}",
]
ACTS = [
    "strengthen",
    "review legislation on",
    "invest in",
    "promote cooperation on",
    "develop guidance on",
    "exchange good practices on",
    "allocate resources to",
]
THEMES = [
    "Legislation and frameworks",
    "Criminalization",
    "Law enforcement and investigations",
    "Electronic evidence and criminal justice",
    "International cooperation",
    "Prevention",
    "Technical assistance and capacity-building",
    "Procedural measures and law enforcement",
]
GIVEN = {
    "Ms.": ["Amina", "Ingrid", "Olga", "Nomvula", "Leila", "Aïssatou", "Priya", "Fatima", "Mei", "Sofía"],
    "Mr.": ["Carlos", "Kenji", "Rafael", "Diego", "Tomás", "Mikhail", "Jonas", "Hugo", "Kwame", "Erik"],
}
FAMILY = [
    "Okafor",
    "Halvorsen",
    "Ramírez",
    "Tanaka",
    "Petrova",
    "Costa",
    "Dlamini",
    "Salazar",
    "Haddad",
    "Novak",
    "Diallo",
    "Ivanov",
    "Sharma",
    "Berg",
    "Mansour",
    "Lefèvre",
    "Chen",
    "Mensah",
    "Ortiz",
    "Lund",
]


class Writer:
    """Writes one report's sentences with one random source, and records what it plants."""

    def __init__(self, rng: random.Random, reference: Reference, people: list[tuple[str, Actor]], markdown: bool):
        self.rng = rng
        self.ref = reference
        self.people = people
        self.markdown = markdown
        self.planted: list[Planted] = []
        self.speakers: dict[str, Actor] = {}  # states that spoke in their own name
        self.behalf: list[tuple[Actor, Actor]] = []  # (state, group) that spoke for a group
        self.resolutions: list[dict] = []
        self.speaker_manifest: list[dict] = []  # the statements list as planted

    # -- artefacts --

    def link(self, text: str) -> str:
        return f"[{text}](#)" if self.markdown and self.rng.random() < 0.6 else text

    def bullet(self, item: str) -> str:
        return f"- {item}" if self.markdown and self.rng.random() < 0.2 else item

    # -- positions --

    def _stance(self, instrument: Instrument) -> tuple[str, str, str]:
        table = PROPOSED_STANCES if instrument.proposed else EXISTING_STANCES
        stance = self.rng.choice(sorted(table))
        options = list(table[stance])
        if stance == "criticises" and instrument.regional:
            options.append(REGIONAL_CRITICISM)
        if instrument.draft:
            options = [o for o in options if o[0] in DRAFT_PHRASINGS]
        phrasing, words = self.rng.choice(options)
        name = with_article(self.rng.choice(instrument.names), instrument.proposed)
        return stance, phrasing, words.format(i=name)

    def _instrument(self) -> Instrument:
        return self.rng.choice(self.ref.instruments)

    def named_position(self) -> str:
        """A sentence (or two) in which a named State, group or organization takes a stance."""
        instrument = self._instrument()
        stance, phrasing, clause = self._stance(instrument)
        form = self.rng.choice(["state", "representative", "on-behalf", "group", "observer", "pronoun"])
        state = self.rng.choice(self.ref.states)
        holder = state
        if form == "state":
            text = f"{state.name} {clause}."
        elif form == "representative":
            text = f"The representative of {state.name} {clause}."
        elif form == "on-behalf":
            holder = self.rng.choice(self.ref.groups)
            state = self.rng.choice(self.ref.members[holder.key])
            text = f"{state.name}, speaking on behalf of the {holder.name}, {clause}."
            self.behalf.append((state, holder))
        elif form == "group":
            holder = self.rng.choice(self.ref.groups)
            text = f"The {holder.name} {clause}."
        elif form == "observer":
            holder = self.rng.choice(self.ref.organizations)
            text = f"The observer for the {holder.name}, speaking on behalf of its member States, {clause}."
        else:
            topic = self.rng.choice(TOPICS)
            lead = self.rng.choice(REPORTS)
            text = f"The representative of {state.name} {lead} {topic}. {self.rng.choice(PRONOUNS)} also {clause}."
        if form in ("state", "representative", "pronoun"):
            self.speakers[state.key] = state
        self.planted.append(Planted(holder.key, holder.name, True, stance, instrument.key, form, phrasing, text))
        return text

    def anonymous_position(self) -> str:
        instrument = self._instrument()
        stance, phrasing, clause = self._stance(instrument)
        phrase, holder = self.rng.choice(COLLECTIVES)
        text = f"{phrase} {clause}."
        self.planted.append(Planted(holder, phrase, False, stance, instrument.key, "collective", phrasing, text))
        return text

    def position(self, named_share: float = 0.6) -> str:
        return self.named_position() if self.rng.random() < named_share else self.anonymous_position()

    # -- filler --

    def remark(self) -> str:
        return f"{self.rng.choice(SUBJECTS)} {self.rng.choice(REPORTS)} {self.rng.choice(TOPICS)}."

    def deliberation(self, positions: int) -> str:
        sentences = [self.remark() for _ in range(self.rng.randint(1, 3))]
        sentences += [self.position() for _ in range(positions)]
        sentences += self.rng.sample(REMARKS, self.rng.randint(0, 2))
        return " ".join(sentences)

    def sub_item(self) -> str:
        topic = self.rng.choice(TOPICS)
        return f"{topic[0].upper()}{topic[1:]};"

    def recommendation(self) -> str:
        template = self.rng.choice(RECOMMENDATIONS)
        return template.format(act=self.rng.choice(ACTS), topic=self.rng.choice(TOPICS))

    def person(self) -> tuple[str, Actor]:
        return self.rng.choice(self.people)

    def panellists(self) -> str:
        people = self.rng.sample(self.people, self.rng.randint(2, 5))
        listed = [f"{name} ({state.name})" for name, state in people]
        return (
            "The discussion was facilitated by the following panellists: "
            + "; ".join(listed[:-1])
            + f"; and {listed[-1]}."
        )

    def resolution(self) -> str:
        """A resolution named with its body, recorded as cited."""
        resolution = self.rng.choice(self.ref.resolutions)
        name = self.rng.choice(resolution.names)
        self.resolutions.append({"number": resolution.number, "body": resolution.body})
        return name.replace(resolution.number, self.link(resolution.number))

    def statements(self, intro: str) -> str:
        """The statements list: every State that spoke, those that spoke for a group as
        'X on behalf of the Group', and others, in alphabetical order."""
        others = self.rng.sample(self.ref.states, self.rng.randint(8, 30))
        for state in others:
            self.speakers.setdefault(state.key, state)
        entries = [(s.name, s.name, s.key, None) for s in self.speakers.values()]
        entries += [(s.name, f"{s.name} on behalf of the {g.name}", s.key, g.key) for s, g in self.behalf]
        entries.sort(key=lambda e: e[1])
        names = [text for _, text, _, _ in entries]
        self.speaker_manifest = [{"name": n, "key": k, "on_behalf_of": g} for n, _, k, g in entries]
        return f"{intro} {join_names(names)}."


def roster(rng: random.Random, reference: Reference, size: int = 240) -> list[tuple[str, Actor]]:
    """The corpus's experts, each with one country: the graph gives a person one IRI
    from the name, so a name must keep its country from one report to the next."""
    names = [f"{title} {given} {family}" for title in sorted(GIVEN) for given in GIVEN[title] for family in FAMILY]
    return [(name, rng.choice(reference.states)) for name in rng.sample(names, min(size, len(names)))]


# --- meetings ---------------------------------------------------------------------------------------


class Timeline:
    """Hands out meetings in date order, each body numbering its own, with symbols that
    follow each body's series (per year for the Expert Group, running for the Committee)."""

    def __init__(self, rng: random.Random, reference: Reference):
        self.rng = rng
        self.ref = reference
        self.monday = FIRST_MONDAY
        self.ordinal = dict(FIRST_ORDINAL)
        self.eg_numbers: dict[int, int] = {}  # year -> last document number
        self.eg_infs: dict[int, int] = {}
        self.ahc_number = 30
        self.previous: dict[str, str] = {}

    def next(self, body: str) -> Meeting:
        self.monday += timedelta(weeks=self.rng.randint(3, 9))
        start = self.monday + timedelta(days=self.rng.choice([0, 1]))
        end = start + timedelta(days=2 if body == "eg" else 11)
        ordinal = self.ordinal[body]
        self.ordinal[body] += 1
        symbols = self._eg_symbols(start.year) if body == "eg" else self._ahc_symbols(ordinal)
        meeting = Meeting(
            body, ordinal, start, end, self.rng.choice(self.ref.venues[body]), symbols, self.previous.get(body)
        )
        self.previous[body] = symbols["report"]
        return meeting

    def _eg_symbols(self, year: int) -> dict[str, str]:
        number = self.eg_numbers.get(year, 0)
        self.eg_numbers[year] = number + 2
        inf = self.eg_infs[year] = self.eg_infs.get(year, 0) + 1
        return {
            "agenda": f"{EG_PREFIX}/{year}/{number + 1}",
            "report": f"{EG_PREFIX}/{year}/{number + 2}",
            "participants": f"{EG_PREFIX}/{year}/INF/{inf}",
            "draft": f"{EG_PREFIX}/{year}/L.{inf}",
        }

    def _ahc_symbols(self, ordinal: int) -> dict[str, str]:
        number = self.ahc_number
        self.ahc_number += 3
        return {
            "agenda": f"{AHC_PREFIX}/{number}",
            "report": f"{AHC_PREFIX}/{number + 2}",
            "participants": f"{AHC_PREFIX}/INF/{ordinal}",
            "draft": f"{AHC_PREFIX}/L.{ordinal}",
        }


# --- reports ------------------------------------------------------------------------------------------


def _bold(writer: Writer, text: str) -> str:
    return f"**{text}**" if writer.markdown else text


def _sitting(meeting: Meeting, first: int, count: int, day: date) -> str:
    """'At its 3rd and 4th meetings, on 4 April 2031': the plenary meetings of a day."""
    numbers = [f"{n}{_suffix(n)}" for n in range(first, first + count)]
    return f"At its {join_names(numbers)} meeting{'s' if count > 1 else ''}, on {day_text(day)}"


def _lettered(writer: Writer, count: int, anonymous: int) -> list[str]:
    """Items (a), (b), ...; some attributed to an anonymous collective, one other with
    roman sub-items."""
    rng = writer.rng
    planted = set(rng.sample(range(count), min(anonymous, count - 1)))
    with_subs = rng.choice([i for i in range(count) if i not in planted])
    lines = []
    for index in range(count):
        end = "." if index == count - 1 else ";"
        letter = chr(ord("a") + index)
        if index in planted:
            lines.append(writer.bullet(f"({letter}) {writer.anonymous_position()[:-1]}{end}"))
        elif index == with_subs:
            lines.append(writer.bullet(f"({letter}) {writer.recommendation()}, including by:"))
            subs = ["i", "ii", "iii", "iv"][: rng.randint(2, 4)]
            lines += [writer.bullet(f"({s}) {writer.sub_item()}") for s in subs]
        else:
            lines.append(writer.bullet(f"({letter}) {writer.recommendation()}{end}"))
    return lines


def _numbered(writer: Writer, count: int, positions: int) -> list[str]:
    items = [writer.recommendation() + "." for _ in range(count)]
    for index in writer.rng.sample(range(count), min(positions, count)):
        items[index] = writer.position(named_share=0.4)
    return [writer.bullet(f"({n}) {item}") for n, item in enumerate(items, start=1)]


def _agenda(themes: list[str], closing: str) -> list[str]:
    items = ["1. Organizational matters:", " - (a) Opening of the meeting;", " - (b) Adoption of the agenda."]
    items += [f"{n}. {theme}." for n, theme in enumerate(themes, start=2)]
    items += [f"{len(themes) + 2}. Other matters.", f"{len(themes) + 3}. {closing}"]
    return ["\n".join(items)]


def _title_page(writer: Writer, symbol: str | None, issued: date, lines: list[str]) -> list[str]:
    head = [symbol] if symbol else []
    distribution = "Distr.: Limited" if "/L." in (symbol or "") else "Distr.: General"
    head += [
        f"{distribution}\n{day_text(issued)}" if writer.rng.random() < 0.7 else day_text(issued),
        "Original: English",
    ]
    return head + lines


def eg_report(writer: Writer, meeting: Meeting) -> tuple[list[str], str | None]:
    rng = writer.rng
    where = f"in {meeting.venue} from {range_text(meeting.start, meeting.end)}"
    own = f"{ordinal_text(meeting.ordinal)} meeting of the Expert Group"
    symbol = meeting.symbols["report"]
    top_symbol = symbol if rng.random() < 0.8 else None
    issued = meeting.end + timedelta(days=rng.randint(5, 20))
    title = f"Report on the meeting of the {EG_NAME} held {where}"
    blocks = _title_page(writer, top_symbol, issued, [title])
    themes = rng.sample(THEMES, 2)
    history = (
        f"The report on the previous meeting of the Expert Group is contained in document {writer.link(meeting.previous)}."
        if meeting.previous
        else f"The Expert Group recalled {writer.resolution()}."
    )
    blocks += [
        "I. Introduction",
        f"1. The {own} was held {where}. In accordance with its workplan, the meeting addressed "
        f"{themes[0].lower()} and {themes[1].lower()}.",
        f"2. {history} The Expert Group recalled {writer.resolution()}, as well as its earlier exchanges of information on "
        "national legislation, best practices, technical assistance and international cooperation.",
        f"3. The Expert Group also took into account {writer.resolution()} and {writer.resolution()}.",
        "II. List of preliminary recommendations and conclusions",
    ]
    paragraph = 4
    for letter, theme in zip("AB", themes):
        blocks.append(f"{letter}. {theme}")
        blocks.append(
            f"{paragraph}. In line with the workplan, the present paragraph contains a compilation of suggestions "
            f"made by Member States at the meeting under agenda item {2 + 'AB'.index(letter)}, entitled “{theme}”. "
            "Their inclusion does not imply their endorsement by the Expert Group, nor are they listed in order of importance:"
        )
        blocks.append("\n".join(_lettered(writer, rng.randint(5, 9), rng.randint(1, 3))))
        paragraph += 1
    blocks.append("III. Summary of deliberations")
    sitting = 1
    for letter, theme in zip("AB", themes):
        day = meeting.start + timedelta(days="AB".index(letter))
        blocks.append(f"{letter}. {theme}")
        blocks.append(
            f"{paragraph}. {_sitting(meeting, sitting, 2, day)}, the Expert Group considered agenda item "
            f"{2 + 'AB'.index(letter)}, entitled “{theme}”."
        )
        blocks.append(f"{paragraph + 1}. {writer.panellists()}")
        paragraph += 2
        sitting += 2
        for _ in range(rng.randint(4, 8)):
            blocks.append(f"{paragraph}. {writer.deliberation(rng.randint(0, 2))}")
            paragraph += 1
    chair, country = writer.person()
    statements = writer.statements(
        rng.choice(
            [
                "Statements were made by experts from the following Member States:",
                "Statements were made by the representatives of",
            ]
        )
    )
    blocks += [
        "IV. Organization of the meeting",
        "A. Opening of the meeting",
        f"{paragraph}. The meeting was opened by the Chair, {_bold(writer, chair)} ({country.name}).",
        "B. Statements",
        f"{paragraph + 1}. {statements}",
        "C. Adoption of the agenda and other organizational matters",
        f"{paragraph + 2}. {_sitting(meeting, 1, 1, meeting.start)}, the Expert Group adopted the following provisional agenda:",
        *_agenda(themes, "Adoption of the report."),
        "D. Attendance",
        f"{paragraph + 3}. The meeting was attended by representatives of {rng.randint(60, 140)} Member States, "
        f"{rng.randint(2, 12)} intergovernmental organizations and {rng.randint(1, 9)} entities of the private sector and academia.",
        f"{paragraph + 4}. A list of participants is contained in document {writer.link(meeting.symbols['participants'])}.",
        "E. Documentation",
        f"{paragraph + 5}. The Expert Group had before it the following documents:",
        writer.bullet(f"(a) Annotated provisional agenda ({writer.link(meeting.symbols['agenda'])});"),
        writer.bullet(
            "(b) Compilation of the preliminary conclusions and recommendations of earlier meetings "
            f"({writer.link(EG_PREFIX + '/' + str(meeting.start.year) + '/CRP.1')})."
        ),
        "V. Adoption of the report",
        f"{paragraph + 6}. {_sitting(meeting, sitting, 1, meeting.end)}, the Expert Group adopted its report ({writer.link(symbol)}).",
    ]
    return blocks, symbol


def eg_draft_addendum(writer: Writer, meeting: Meeting) -> tuple[list[str], str | None]:
    """A draft report addendum like the 2020 sample: title lines in bold glued together,
    numbered recommendations attributed to Member States; some carry no symbol at all."""
    rng = writer.rng
    symbol = f"{meeting.symbols['draft']}/Add.1" if rng.random() < 0.7 else None
    blocks = _title_page(
        writer,
        symbol,
        meeting.end,
        [
            "**Expert Group to Conduct a\nComprehensive Study on Cybercrime**",
            f"{meeting.venue}, {range_text(meeting.start, meeting.end, dash=True)}",
        ],
    )
    themes = rng.sample(THEMES, 2)
    blocks.append(
        f"Draft report**Addendum****II. List of preliminary recommendations and conclusions**\n*(continued)***A. {themes[0]}**"
    )
    paragraph = 1
    for letter, theme in zip("AB", themes):
        if letter == "B":
            blocks.append(f"**B. {theme}**")
        blocks.append(
            f"{paragraph}. In line with the workplan of the Expert Group, the present paragraph contains a compilation "
            f"of suggestions made by Member States at the {ordinal_text(meeting.ordinal)} meeting of the Expert Group "
            f"under agenda item {paragraph + 1}, entitled “{theme}”. These preliminary recommendations and conclusions "
            "were made by Member States and their inclusion does not imply their endorsement by the Expert Group:"
        )
        blocks.append("\n\n".join(_numbered(writer, rng.randint(12, 22), rng.randint(3, 7))))
        paragraph += 1
    return blocks, symbol


def ahc_report(writer: Writer, meeting: Meeting) -> tuple[list[str], str | None]:
    rng = writer.rng
    session = ordinal_text(meeting.ordinal)
    symbol = meeting.symbols["report"]
    where = f"in {meeting.venue} from {range_text(meeting.start, meeting.end)}"
    issued = meeting.end + timedelta(days=rng.randint(7, 25))
    blocks = _title_page(
        writer,
        symbol,
        issued,
        [
            AHC_NAME,
            f"{session[0].upper()}{session[1:]} session",
            f"{meeting.venue}, {range_text(meeting.start, meeting.end, dash=True)}",
            f"Report of the {AHC_NAME} on its {session} session, held {where}",
        ],
    )
    history = (
        f"The report on its previous session is contained in document {writer.link(meeting.previous)}."
        if meeting.previous
        else f"The Committee recalled {writer.resolution()}."
    )
    blocks += [
        "I. Introduction",
        f"1. The {session} session of the Ad Hoc Committee was held {where}. {history}",
        f"2. The Ad Hoc Committee had regard to {writer.resolution()} and to {writer.resolution()}.",
        "II. Conclusions of the session",
        f"3. {_sitting(meeting, 20, 1, meeting.end)}, the Ad Hoc Committee agreed on the following conclusions:",
        "\n\n".join(_numbered(writer, rng.randint(6, 12), rng.randint(0, 2))),
        "III. Summary of deliberations",
    ]
    paragraph = 4
    themes = rng.sample(THEMES, 2)
    for letter, theme in zip("AB", themes):
        blocks.append(f"{letter}. {theme}")
        first, last = 1 + 8 * "AB".index(letter), 8 + 8 * "AB".index(letter)
        blocks.append(
            f"{paragraph}. At its {first}{_suffix(first)} to {last}{_suffix(last)} meetings, "
            f"the Ad Hoc Committee considered agenda item {3 + 'AB'.index(letter)}, entitled “{theme}”."
        )
        paragraph += 1
        if letter == "B":
            blocks.append(f"{paragraph}. {writer.panellists()}")
            paragraph += 1
        for _ in range(rng.randint(5, 9)):
            blocks.append(f"{paragraph}. {writer.deliberation(rng.randint(0, 2))}")
            paragraph += 1
    chair, country = writer.person()
    statements = writer.statements("General statements were made by the representatives of the following States:")
    igo = rng.choice(writer.ref.organizations)
    blocks += [
        "IV. Organization of the session",
        "A. Opening of the session",
        f"{paragraph}. The {session} session of the Ad Hoc Committee was opened on {day_text(meeting.start)} by the Chair, "
        f"{chair} ({country.name}).",
        "B. Statements",
        f"{paragraph + 1}. {statements}",
        f"{paragraph + 2}. A statement was also made by the observer for the {igo.name}.",
        "C. Attendance",
        f"{paragraph + 3}. The session was attended by representatives of {rng.randint(100, 170)} Member States, "
        f"{rng.randint(1, 2)} non-member observer States and {rng.randint(5, 40)} non-governmental organizations.",
        f"{paragraph + 4}. The list of participants is contained in document {writer.link(meeting.symbols['participants'])}.",
        "V. Adoption of the report",
        f"{paragraph + 5}. {_sitting(meeting, 20, 1, meeting.end)}, the Ad Hoc Committee adopted the report on its "
        f"{session} session ({writer.link(meeting.symbols['draft'])}), as orally amended.",
    ]
    writer.speaker_manifest.append({"name": igo.name, "key": igo.key, "on_behalf_of": None})
    return blocks, symbol


# --- page layout ------------------------------------------------------------------------------------


def paginate(rng: random.Random, blocks: list[str], header: str | None) -> str:
    """Join blocks into a file, breaking pages inside some long paragraphs the way PDF
    conversions do: the text stops mid-sentence, page furniture (a page number, the
    running symbol) follows, and the next page starts in lower case."""
    breakable = [i for i, b in enumerate(blocks) if len(b) > 400 and re.match(r"\d+\. ", b)]
    chosen = set(rng.sample(breakable, min(len(breakable), rng.randint(1, 4))))
    pages = len(chosen) + 1
    out, page = [], 1
    for index, block in enumerate(blocks):
        if index in chosen:
            cuts = [
                m.start() for m in re.finditer(r" (?=[a-z])", block) if 0.3 * len(block) < m.start() < 0.8 * len(block)
            ]
            if cuts:
                cut = rng.choice(cuts)
                page += 1
                furniture = f"{page - 1}/{pages}" + (f"\n\n{header}" if header else "")
                block = f"{block[:cut]}\n\n\n\n{furniture}\n\n\n\n{block[cut + 1 :]}"
        out.append(block)
    return "\n\n".join(out) + "\n"


# --- the corpus -----------------------------------------------------------------------------------------

KINDS = (
    ("eg-report", "eg", eg_report),
    ("eg-draft-addendum", "eg", eg_draft_addendum),
    ("ahc-report", "ahc", ahc_report),
)
KIND_WEIGHTS = (5, 2, 3)


def build_corpus(n: int, seed: int, reference: Reference | None = None) -> list[Report]:
    """The `n` reports of the corpus for `seed`, with what each plants."""
    reference = reference or load_reference()
    rng = random.Random(seed)
    # the kinds come from a generator of their own, so that they do not move when the
    # reference data grows, and the first reports are one of each kind
    kinds = random.Random(seed)
    timeline = Timeline(rng, reference)
    people = roster(rng, reference)
    reports = []
    for index in range(1, n + 1):
        kind, body, write = KINDS[index - 1] if index <= len(KINDS) else kinds.choices(KINDS, weights=KIND_WEIGHTS)[0]
        meeting = timeline.next(body)
        writer = Writer(rng, reference, people, markdown=rng.random() < 0.5)
        blocks, symbol = write(writer, meeting)
        text = paginate(rng, blocks, symbol if blocks[0] == symbol else None)
        reports.append(
            Report(
                f"{index:05d}_{kind}.txt",
                kind,
                text,
                symbol,
                meeting,
                writer.planted,
                writer.speaker_manifest,
                writer.resolutions,
            )
        )
    return reports


def generate(n: int, seed: int, out_dir: Path) -> list[Path]:
    """Write `n` reports for `seed` into `out_dir`; the same n and seed give the same bytes."""
    return write_reports(build_corpus(n, seed), Path(out_dir))


def write_reports(reports: list[Report], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for report in reports:
        path = out_dir / report.name
        path.write_bytes(report.text.encode("utf-8"))
        paths.append(path)
    return paths


def write_manifest(reports: list[Report], path: Path, seed: int) -> None:
    data = {"seed": seed, "reports": [r.manifest() for r in reports]}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python tests/synthetic.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, required=True, help="how many reports to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="folder to write the reports and manifest.json into"
    )
    args = parser.parse_args(argv)
    reports = build_corpus(args.reports, args.seed)
    paths = write_reports(reports, args.output)
    write_manifest(reports, args.output / "manifest.json", args.seed)
    print(f"wrote {len(paths)} reports and manifest.json to {args.output}")


if __name__ == "__main__":
    main()
