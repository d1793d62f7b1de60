"""Small text helpers shared by the readers: name normalisation, slugs, ordinal words,
and ISO dates as the reference tables and reports write them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path

from kg.errors import CyberkgError


def read_utf8(path: Path) -> str:
    """A data file's text (a query, a table): a one-line error naming the file when it
    cannot be read or is not UTF-8 (reports, which may come in other encodings, are read
    by kg.read.read_text)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        raise CyberkgError(f"{path}: not UTF-8 text (byte 0x{byte:02x} at offset {error.start})", exit_code=2) from None
    except OSError as error:
        raise CyberkgError(f"{path}: cannot be read ({error.strerror or error})", exit_code=2) from None


_APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"})
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f"})

ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
}


CARDINAL_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}
MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        1,
    )
}
# a month's name as documents write it, for patterns: 'January|February|...'
MONTH_NAMES = "(?:" + "|".join(m.capitalize() for m in MONTHS) + ")"


def number_word(word: str) -> int | None:
    """12 for '12' or 'twelve', None otherwise."""
    word = word.strip().lower()
    return int(word) if word.isdigit() else CARDINAL_WORDS.get(word)


@lru_cache(maxsize=1 << 16)  # the same few thousand names recur in every report
def normalise_name(name: str) -> str:
    """The key a name is matched on: case, diacritics, apostrophe and dash styles, a
    leading 'the', spacing and surrounding punctuation do not count."""
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES).translate(_DASHES).translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\s+", " ", text).strip(' \t.,;:*"')
    return re.sub(r"^the ", "", text)


def slug(text: str) -> str:
    """A readable, stable IRI segment: 'First session' -> 'first-session'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def ordinal(word: str) -> int | None:
    """1 for 'first' or '1st', None for a word that is not an ordinal."""
    word = word.strip().lower()
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    match = re.fullmatch(r"(\d+)(st|nd|rd|th)", word)
    return int(match.group(1)) if match else None


_DATE_CELL = re.compile(r"(\d{4}-\d{2}-\d{2})\s*(?:\((.*)\))?")


def date_cell(cell: str) -> tuple[date | None, str | None]:
    """Read a table cell holding a date: ('2004-07-01') -> (date, None);
    ('2004-06-18 (later rows cut off)') -> (date, 'later rows cut off');
    anything else -> (None, None). Never guesses a day the cell does not give."""
    match = _DATE_CELL.fullmatch(cell.strip())
    if not match:
        return None, None
    try:
        return date.fromisoformat(match.group(1)), match.group(2)
    except ValueError:
        return None, None
