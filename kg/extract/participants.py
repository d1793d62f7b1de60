"""Who took part: the chair, the panellists with their country and agenda item, the
States and organizations that made statements ('X on behalf of Y' keeps both), and
attendance figures. Names resolve through the reference name matcher; a name that
resolves to nothing is a warning with its line, never dropped silently or guessed."""

from __future__ import annotations

import re
from typing import Protocol

from rdflib import URIRef

from kg.extract.model import Attendance, Extraction, Participation, Passage
from kg.iris import Iris
from kg.reference.names import NameIndex
from kg.text import CARDINAL_WORDS, number_word, slug

STATEMENTS = re.compile(
    r"\bstatements?\s+(?:were|was)\s+(?:also\s+)?(?:made|delivered)\s+by\b|\bmade\s+statements\b|\btook\s+the\s+floor\b",
    re.I,
)
# A list of non-State participants: 'Non-governmental organizations: A, B and C', '... and by
# the representatives of the following private sector entities: D and E'. Names there that
# match no State or known organization are organizations of their own, never States.
NON_STATE = re.compile(
    r"\b(?:non-governmental|civil society|private[- ]sector|academi[ac]\w*|industry|business\w*|compan(?:y|ies)|stakeholders?|"
    r"non-State|technical communit\w*|research institut\w*|think tanks?|foundations?|entities)\b[^:]{0,80}:",
    re.I,
)
PANEL = re.compile(r"\bpanel+ists?\b|\bpanel\b", re.I)
TITLED_PERSON = re.compile(
    r"(?:\b(?:Mr|Ms|Mrs|Dr|Prof|H\.E)\.?\s+)(?P<name>[A-ZÀ-Þ][^();:,]*?)\s*\((?P<country>[^()]+)\)"
)
PERSON = re.compile(r"(?P<name>[A-ZÀ-Þ][\w.'’-]+(?:\s+[A-ZÀ-Þa-z][\w.'’-]+){0,4})\s*\((?P<country>[^()]+)\)")
CHAIR = re.compile(r"\b(?:opened|chaired|presided\s+over)\s+by\b|\belected\b.*\bChair\b|\bChair(?:person)?\b", re.I)
ATTENDED = re.compile(r"\battended\s+by\b", re.I)
BEHALF = re.compile(
    r"^(?P<speaker>.+?)\s*(?:,\s*|\(\s*|\s+)(?:speaking\s+)?on\s+behalf\s+of\s+(?P<group>.+?)\)?$", re.I
)


class Names(Protocol):
    """What resolving a name needs: a NameIndex, or the reference data's and a document's
    own together (_Both)."""

    def lookup(self, name: str) -> URIRef | None: ...

    def candidates(self, name: str) -> set[URIRef]: ...


def _names_after_colon(text: str) -> list[str]:
    """'... the following Member States: A, B, C and D.' -> ['A', 'B', 'C', 'D']."""
    _, _, tail = text.partition(":")
    tail = re.sub(r"\.\s*$", "", tail.strip())
    return [piece.strip() for piece in re.split(r",\s*|;\s*", tail) if piece.strip()]


def _split_and(piece: str, actors: Names) -> list[str]:
    """'Council of Europe and European Union' -> two names, but 'Trinidad and Tobago' or
    'Group of 77 and China' stay whole: a name the matcher knows is never split."""
    piece = re.sub(r"^and\s+", "", piece)
    if known(piece, actors) or BEHALF.match(piece) or " and " not in piece:
        return [piece]
    parts = piece.split(" and ")
    cuts = [(" and ".join(parts[:c]), " and ".join(parts[c:])) for c in range(1, len(parts))]
    for left, right in cuts:  # both sides known: 'Council of Europe and European Union'
        if known(left, actors) and (known(right, actors) or BEHALF.match(right)):
            return [left, right]
    for left, right in cuts:  # one side known: the other is reported on its own, never lost
        if known(left, actors) or known(right, actors) or BEHALF.match(right):
            return [left, right]
    return [piece]


def known(name: str, actors: Names) -> URIRef | None:
    """The actor a name means; 'International Criminal Police Organization (INTERPOL)'
    is tried without its bracketed acronym too."""
    node = actors.lookup(name)
    if node is None and re.search(r"\s*\([^()]*\)$", name):
        node = actors.lookup(re.sub(r"\s*\([^()]*\)$", "", name))
    return node


def find_organizations(extraction: Extraction, actors: Names, iris: Iris) -> list[tuple[str, URIRef]]:
    """The non-State organizations a document lists ('Private sector: A, B and C'), as (name,
    node) pairs, the bare name and a bracketed acronym too; each organization gets a node of
    its own, kept in extraction.organizations."""
    names: list[tuple[str, URIRef]] = []
    for passage in extraction.passages:
        for match in NON_STATE.finditer(passage.text):
            tail = passage.text[match.end() :]
            tail = re.split(r"\.\s|\.$|;\s*(?:\([a-z]\)|and\b)|\n", tail, maxsplit=1)[0]
            for piece in re.split(r",\s*|;\s*", tail):
                names_here = _split_and(piece.strip(), actors)
                if len(names_here) == 1 and " and " in piece and known(piece.strip(), actors) is None:
                    names_here = list(piece.strip().rsplit(" and ", 1))  # the last two of a list: 'A and B'
                for name in names_here:
                    name = re.sub(r"^(?:and|the)\s+|[.;:]+$", "", name.strip()).strip()
                    if not name or known(name, actors) is not None or not name[0].isupper() or len(name) > 120:
                        continue
                    bare = re.sub(r"\s*\([^()]*\)$", "", name)
                    node = iris(f"org/stakeholder/{slug(bare)}")
                    extraction.organizations.setdefault(node, bare)
                    names += [(name, node), (bare, node)]
                    acronym = re.search(r"\(([A-Z][A-Za-z0-9&-]{1,10})\)$", name)
                    if acronym:
                        names.append((acronym.group(1), node))
    return names


def extract_participants(
    extraction: Extraction, actors: Names, organizations: NameIndex | None, states: frozenset[URIRef]
) -> None:
    """`organizations` are the document's own (find_organizations); `states` tells a person's
    country in brackets from the organization the person speaks for."""
    actors = _Both(actors, organizations) if organizations is not None and len(organizations) else actors
    for passage in extraction.passages:
        text = passage.text
        if STATEMENTS.search(text):
            if text.rstrip().endswith(":"):  # 'The following participants took the floor:' and a list
                for item in passage.children:
                    _statements(extraction, item, actors)
            else:
                _statements(extraction, passage, actors)
        if PANEL.search(text):
            _people(extraction, passage, actors, states, "panellist")
        elif CHAIR.search(text) and re.search(r"\bChair\b", text):
            _people(extraction, passage, actors, states, "chair", first_only=True)
        if ATTENDED.search(text):
            _attendance(extraction, passage)


def _attendance(extraction: Extraction, passage: Passage) -> None:
    """'attended by representatives of 105 Member States, 1 non-member observer State and
    4 entities of the private sector and academia' -> (105, 'Member States'), ..."""
    sentence = next(s for s in passage.sentences if ATTENDED.search(s))
    attended = ATTENDED.search(sentence)
    assert attended is not None  # the sentence was chosen for it
    tail = re.sub(r"\.\s*$", "", sentence[attended.end() :])
    numbers = "|".join(CARDINAL_WORDS)
    for piece in re.split(rf",\s*(?:and\s+)?|\s+and\s+(?=(?:\d+|{numbers})\b)", tail):
        match = re.match(
            rf"^\s*(?:representatives of\s+|delegations of\s+|the\s+)?(?P<n>\d{{1,4}}|{numbers})\s+(?P<category>\S.*)$",
            piece.strip(),
        )
        if match:
            count = number_word(match.group("n"))
            assert count is not None  # the pattern reads digits or a word of CARDINAL_WORDS
            extraction.attendance.append(Attendance(match.group("category").strip(), count, passage))


class _Both:
    """The reference data's actors, then a document's own organizations."""

    def __init__(self, first: Names, second: Names):
        self.first, self.second = first, second

    def lookup(self, name: str) -> URIRef | None:
        return self.first.lookup(name) or self.second.lookup(name)

    def candidates(self, name: str) -> set[URIRef]:
        return self.first.candidates(name) | self.second.candidates(name)


def _statements(extraction: Extraction, passage: Passage, actors: Names) -> None:
    if ":" not in passage.text:  # 'Statements were also made by representatives of the European Union.'
        for sentence in passage.sentences:
            found = STATEMENTS.search(sentence)
            if found:
                for name in _actor_names(sentence[found.end() :], actors):
                    node = actors.lookup(name)
                    extraction.participations.append(
                        Participation("speaker", name, node, None, None, passage, passage.agenda_item)
                    )
        return
    for piece in _names_after_colon(passage.text):
        for name in _split_and(piece, actors):
            behalf = BEHALF.match(name)
            speaker_name, group_name = (behalf.group("speaker"), behalf.group("group")) if behalf else (name, None)
            speaker = _resolve(extraction, passage, actors, speaker_name, "statements list")
            group = (
                _resolve(extraction, passage, actors, group_name, "statements list ('on behalf of')")
                if group_name
                else None
            )
            if speaker is not None:
                extraction.participations.append(
                    Participation("speaker", speaker_name, speaker, None, group, passage, passage.agenda_item)
                )


def _people(
    extraction: Extraction,
    passage: Passage,
    actors: Names,
    states: frozenset[URIRef],
    role: str,
    first_only: bool = False,
) -> None:
    text = passage.text
    matches = list(TITLED_PERSON.finditer(text)) or list(PERSON.finditer(text))
    for match in matches:
        country_name = match.group("country").strip()
        country = actors.lookup(country_name)
        if country is not None and country not in states:
            # 'Ms. A (INTERPOL)', 'Mr. B (Microsoft Corporation)': the person speaks for an
            # organization, which has no country
            extraction.participations.append(
                Participation(role, match.group("name").strip(), None, None, country, passage, passage.agenda_item)
            )
            if first_only:
                break
            continue
        if country is None:
            if not re.fullmatch(r"[A-Z][\w'’ -]+", country_name) or len(country_name.split()) > 8:
                continue  # not a country in brackets: '(A/C.3/72/12, annex)', '(Budapest Convention)'
            extraction.warn(
                passage.line, f"{role} {match.group('name').strip()}: country {country_name!r} matches no known State"
            )
        extraction.participations.append(
            Participation(role, match.group("name").strip(), None, country, None, passage, passage.agenda_item)
        )
        if first_only:
            break


def _actor_names(text: str, actors: Names) -> list[str]:
    """Known actor names in running text, longest first ('the European Union and the
    Council of Europe' -> both)."""
    words = re.split(
        r",\s*|\s+and\s+|\s+as well as\s+",
        re.sub(r"^\s*(?:the\s+)?(?:representatives?|observers?|experts?|delegations?)\s+(?:of|for|from)\s+", "", text),
    )
    out = []
    for word in words:
        word = re.sub(
            r"\.$",
            "",
            re.sub(r"^(?:the\s+)?(?:representatives?|observers?|experts?)\s+(?:of|for|from)\s+", "", word.strip()),
        )
        if actors.lookup(word):
            out.append(word)
    return out


def _resolve(extraction: Extraction, passage: Passage, actors: Names, name: str, where: str) -> URIRef | None:
    node = known(name, actors)
    if node is None:
        candidates = actors.candidates(name)
        why = f"could be any of {len(candidates)} actors" if candidates else "matches no known State or organization"
        extraction.warn(passage.line, f"{where}: {name!r} {why}; not recorded as a speaker")
    return node
