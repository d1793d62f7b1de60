"""Statements: documents in which one State, group or organization speaks in the first
person (a General Debate speech, a national statement to the Ad Hoc Committee, an
explanation of vote), told from reports by their own signs, never by a flag:

- a file named as the UN General Debate Corpus names its speeches, `ISO3_SESSION_YEAR.txt`
  (`EST_62_2007.txt`: Estonia in the General Debate of the sixty-second session, 2007; the
  session and its year must agree),
  with the speaker's name and post from a `speakers.csv` (the corpus's speakers table)
  in the file's folder or one of the two above it;
- a file named in a `statements.csv` manifest in its folder, whose row gives the speaker,
  the occasion and the date (columns `file,speaker,occasion,date,symbol,on_behalf_of`).

`StatementFinder(reference)(path)` says whether a file is a statement and whose;
`statement_paragraphs(text)` cuts a statement into its paragraphs, whether the text keeps
the hard line breaks of a PDF (a paragraph starts on an indented line, words are split at
line ends) or has one paragraph per line.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDFS

from kg.errors import CyberkgError
from kg.iris import Iris
from kg.reference import ReferenceData
from kg.reference.tables import read_table
from kg.text import slug

GENERAL_DEBATE_NAME = re.compile(r"^(?P<code>[A-Z]{2,3})_(?P<session>\d{1,2})_(?P<year>\d{4})$")
MANIFEST = "statements.csv"
MANIFEST_COLUMNS = ("file", "speaker", "occasion", "date")
SPEAKERS = "speakers.csv"
# codes of the General Debate Corpus that are not ISO3 codes of a State
CORPUS_CODES = {"EU": "org/european-union"}

_ORDINALS = (
    "",
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
)
_TENS = {2: "twent", 3: "thirt", 4: "fort", 5: "fift", 6: "sixt", 7: "sevent", 8: "eight", 9: "ninet"}
_UNIT_ORDINALS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def session_words(number: int) -> str:
    """'sixty-second' for 62: how the UN names a session of the General Assembly."""
    if number < 20:
        return _ORDINALS[number]
    tens, units = divmod(number, 10)
    return f"{_TENS[tens]}ieth" if units == 0 else f"{_TENS[tens]}y-{_UNIT_ORDINALS[units]}"


@dataclass(frozen=True)
class Statement:
    """Who speaks in a statement, on what occasion, and where it sits in the graph."""

    speaker: URIRef | None  # the State, group or organization; None when the reference data does not know it
    speaker_name: str
    occasion: str  # 'General Debate of the sixty-second session of the General Assembly (2007)'
    key: str  # the document's IRI path under the base: 'doc/general-debate/62/EST'
    meeting_key: str  # the occasion's IRI path: 'meeting/general-assembly/general-debate-62'
    date: datetime.date | None = None
    year: int | None = None
    session: int | None = None
    body: URIRef | None = None  # the body that met (the General Assembly for the General Debate)
    symbol: str | None = None
    on_behalf_of: URIRef | None = None  # the group the whole statement speaks for
    person: str | None = None  # who delivered it, from the speakers table
    post: str | None = None
    warning: str | None = None  # what could not be resolved, to warn about
    broad: bool = False  # about the state of the world (the General Debate), not about cybercrime throughout


class StatementFinder:
    """Tells statements from reports with one reference dataset; reads each folder's
    manifest and speakers table once."""

    def __init__(self, reference: ReferenceData, iris: Iris):
        self.reference = reference
        self.iris = iris
        self._manifests: dict[Path, dict[str, tuple[int, dict[str, str]]]] = {}
        self._speakers: dict[Path, dict[tuple[str, int], tuple[str, str]]] = {}

    def __call__(self, path: Path) -> Statement | None:
        path = Path(path)
        row = self._manifest(path.parent).get(path.name)
        if row is not None:
            return self._from_manifest(path, *row)
        match = GENERAL_DEBATE_NAME.match(path.stem)
        if match and path.suffix.lower() == ".txt":
            session, year = int(match.group("session")), int(match.group("year"))
            # the corpus's sign, whole: a session and its year (the 56th in 2001), and a
            # speaker the reference data knows; a report named 'AHC_06_2023.txt' stays a report
            if year == session + 1945:
                return self._general_debate(path, match.group("code"), session, year)
        return None

    # -- the General Debate ---------------------------------------------------------------

    def _general_debate(self, path: Path, code: str, session: int, year: int) -> Statement:
        iris = self.iris
        speaker: URIRef | None = iris(CORPUS_CODES[code]) if code in CORPUS_CODES else iris.state(code)
        graph = self.reference.graph
        warning = None
        if (speaker, None, None) not in graph:  # 'YUG': the corpus's code for Yugoslavia, 2001-2004
            warning = f"speaker code {code!r} in the file name is no State or organization the reference data knows"
            speaker, name = None, code
        else:
            name = str(graph.value(speaker, RDFS.label) or code)
        person, post = self._speakers_table(path).get((code, session), (None, None))
        return Statement(
            speaker=speaker,
            speaker_name=name,
            occasion=f"General Debate of the {session_words(session)} session of the General Assembly ({year})",
            key=f"doc/general-debate/{session}/{code}",
            meeting_key=f"meeting/general-assembly/general-debate-{session}",
            year=year,
            session=session,
            body=iris("org/general-assembly"),
            person=person,
            post=post,
            warning=warning,
            broad=True,
        )

    def _speakers_table(self, path: Path) -> dict[tuple[str, int], tuple[str, str]]:
        """The speakers table nearest the file: (code, session) -> (name, post)."""
        for folder in (path.parent, *list(path.parent.parents)[:2]):
            table = folder / SPEAKERS
            if table.is_file():
                if folder not in self._speakers:
                    self._speakers[folder] = _read_speakers(table)
                return self._speakers[folder]
        return {}

    # -- a manifest -------------------------------------------------------------------------

    def _manifest(self, folder: Path) -> dict[str, tuple[int, dict[str, str]]]:
        if folder not in self._manifests:
            table = folder / MANIFEST
            self._manifests[folder] = _read_manifest(table) if table.is_file() else {}
        return self._manifests[folder]

    def _from_manifest(self, path: Path, line: int, row: dict[str, str]) -> Statement:
        where = f"{path.parent / MANIFEST}:{line}"
        actors = self.reference.actors
        speaker = actors.lookup(row["speaker"])
        if speaker is None:
            raise CyberkgError(
                f"{where}: speaker {row['speaker']!r} is no State, group or organization the reference data knows"
            )
        behalf = None
        if row.get("on_behalf_of"):
            behalf = actors.lookup(row["on_behalf_of"])
            if behalf is None:
                raise CyberkgError(
                    f"{where}: on_behalf_of {row['on_behalf_of']!r} is no group the reference data knows"
                )
        try:
            date = datetime.date.fromisoformat(row["date"])
        except ValueError:
            raise CyberkgError(f"{where}: date {row['date']!r} is not a date like 2023-01-09") from None
        occasion = row["occasion"]
        symbol = row.get("symbol") or None
        key = f"doc/{slug(symbol)}" if symbol else f"doc/statement/{slug(path.stem)}"
        return Statement(
            speaker=speaker,
            speaker_name=row["speaker"],
            occasion=occasion,
            key=key,
            meeting_key=f"meeting/occasion/{slug(occasion)}-{date.isoformat()}",
            date=date,
            year=date.year,
            symbol=symbol,
            on_behalf_of=behalf,
        )


def _read_manifest(table: Path) -> dict[str, tuple[int, dict[str, str]]]:
    """file name -> (line, row) of a statements manifest; a bad manifest is a one-line error."""
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    for line, values in read_table(table, MANIFEST_COLUMNS):
        for column in MANIFEST_COLUMNS:
            if not values[column]:
                raise CyberkgError(f"{table}:{line}: empty {column}")
        if values["file"] in rows:
            raise CyberkgError(
                f"{table}:{line}: {values['file']} is named twice (first on line {rows[values['file']][0]})"
            )
        rows[values["file"]] = (line, values)
    return rows


def _read_speakers(table: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """The UN General Debate Corpus's speakers table (Year, Session, ISO Code, Country, Name of
    Person Speaking, Post): (code, session) -> (name, post), whitespace tidied."""
    people: dict[tuple[str, int], tuple[str, str]] = {}
    for line, row in read_table(table, ("Session", "ISO Code", "Name of Person Speaking", "Post")):
        try:
            session = int(float(row["Session"]))
        except ValueError:
            raise CyberkgError(f"{table}:{line}: Session {row['Session']!r} is not a number") from None
        name, post = " ".join(row["Name of Person Speaking"].split()), " ".join(row["Post"].split())
        if row["ISO Code"] and name:
            people.setdefault((row["ISO Code"], session), (name, post))
    return people


# -- paragraphs ---------------------------------------------------------------------------------

# page furniture of the verbatim records the corpus was made from: '06-53329 20', '20 06-53329'
_FURNITURE = re.compile(r"^\s*(?:\d{2}-\d{5}(?:\s+\d{1,3})?|\d{1,3}\s+\d{2}-\d{5}|A/\d+/PV\.\d+|-{3,}|\*{3,})\s*$")
_SPLIT_WORD = re.compile(r"(?<=[a-z])-$")
# a heading: a short line that does not end a sentence ('STATEMENT BY THE DELEGATION OF
# GHANA', 'Agenda item 4: General debate'); 'Madam Chair,' is the statement's first words
_HEADING = re.compile(r"[^\n]{1,300}?(?<![.!?;,:])(?<![.!?][\"”’)])")


def statement_paragraphs(text: str) -> list[tuple[int, str]]:
    """A statement's paragraphs as (first line, text): one per line when the text has long
    lines, else lines joined until an indented line or a blank line starts a new one, words
    split at a line end joined again, page furniture, headings and emphasis marks left out."""
    lines = text.splitlines()
    kept = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not _FURNITURE.match(line)]
    if not kept:
        return []
    lengths = sorted(len(line) for _, line in kept)
    one_per_line = lengths[len(lengths) // 2] > 150
    paragraphs: list[tuple[int, list[str]]] = []
    previous = 0
    for number, line in kept:
        starts = one_per_line or not paragraphs or number > previous + 1 or line[:1].isspace()
        if starts:
            paragraphs.append((number, [line.strip()]))
        else:
            words = paragraphs[-1][1]
            if _SPLIT_WORD.search(words[-1]) and line.strip()[:1].islower():
                words[-1] = words[-1][:-1] + line.strip()
            else:
                words.append(line.strip())
        previous = number
    out = []
    for number, parts in paragraphs:
        paragraph = " ".join(" ".join(parts).replace("**", "").split())
        if paragraph and not _HEADING.fullmatch(paragraph):
            out.append((number, paragraph))
    return out
