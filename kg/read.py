"""Read a report file into clean text blocks, undoing conversion artefacts.

UN reports reach users as plain-text or markdown-ish conversions of PDFs. This module
turns one file into a list of blocks (a heading, a paragraph, a list item, a header
line), each with the line of the file it starts on, and undoes what the conversion did:
markdown links `[65/230](#)`, bold and italic markers, headings glued together in bold,
list items with stray `- ` prefixes, running page headers, and page breaks that split a
paragraph or a sentence (a block that starts in lower case continues the previous one).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import CyberkgError
from kg.symbols import SYMBOL


@dataclass
class Block:
    """A piece of text as the reader sees it: one paragraph, heading, list item or line."""

    text: str
    line: int


MARKER_LINE = re.compile(r"^\s*(?:[-–•]\s+)?(\([a-z]{1,3}\)|\([ivxlc]+\)|\(\d{1,3}\)|\d{1,3}\.\s)")
META_LINE = re.compile(
    r"^(?:Distr\.?:?\s.*|Original:\s.*|(?:General|Limited|Restricted)$|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}$)"
)
HEADER_LINE = re.compile(
    r"^(?:Distr\.?:?\s.*|Original:\s.*|(?:General|Limited|Restricted)$|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}$"
    r"|[A-Z][\w .'’-]{1,40},\s+\d{1,2}(?:\s*[-–—]\s*\d{1,2})?(?:\s+[A-Z][a-z]+)?(?:\s*[-–—]\s*\d{1,2})?\s+[A-Z][a-z]+\s+\d{4}$"
    r"|[A-Z][a-z]+(?:-[a-z]+)?\s+(?:session|meeting)$"
    r"|\[[^\[\]]{1,60}\](?:\s*\[[^\[\]]{1,60}\])*$)"  # '[Original: Spanish]', '[30 May 2019]' under a reply's heading
)
_BRACKETED_NOTE = re.compile(
    r"^\[(?:Original:?\s[^\]]*|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},?\s+\d{4})\](?:\s*\[[^\[\]]{1,60}\])*$"
)
# a Markdown link "[text](target)": neither part may hold a bracket, so a scan that fails
# stops at the next bracket ("[x](" repeated was quadratic: 8 s for 80 kB)
_LINK = re.compile(r"\[([^\[\]]+)\]\([^()\[\]\s]*\)")
_GLUED_BOLD = re.compile(r"[^\s*]\*{2,}[A-Z(]")
_BOLD_SPLIT = re.compile(r"\*{2,}")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_STRAY_BULLET = re.compile(r"^\s*[-–•]\s+(?=\(|[A-Z0-9])")
_PAGE_FURNITURE = (
    re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$"),  # "3/16"
    re.compile(r"^[A-Z]{1,2}\.\d{2}-\d{4,6}(\s*\(E\))?(\s+.*)?$"),  # job numbers "V.19-02345 (E)"
    re.compile(r"^\*\d{7}\*$"),  # bar codes
)


# A report larger than this is refused before it is read: extraction takes about 10 s a MB
# of text on one core (every sentence meets every genre rule, so it is linear but slow) and
# validating its graph (pyshacl, one named graph a report) longer still, while UN reports
# run to a few hundred kB. `--max-report-size MB` (build, extract) raises it.
REPORT_LIMIT_MB = 1.0


# byte-order marks, longest first (UTF-32 LE's begins with UTF-16 LE's): (mark, codec, name, width)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32", 4),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32", 4),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8", 1),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16", 2),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16", 2),
)
# characters XML 1.0 cannot hold, not even as a reference (so no RDF/XML export could), but
# for the form feed, which PDF converters write at page breaks and read_blocks reads as one
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff]")
_WARNED_LINES = 5  # lines with control characters named one by one, then a count

Warn = Callable[[int | None, str], None]


def _encoding(head: bytes) -> tuple[str, str, int]:
    """(codec, name, bytes per character at least) of a file starting with `head`."""
    for mark, codec, name, width in _BOMS:
        if head.startswith(mark):
            return codec, name, width
    return "utf-8", "UTF-8", 1


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def check_size(path: Path, limit_mb: float = REPORT_LIMIT_MB) -> tuple[str, str, int]:
    """Refuse a report above `limit_mb` MB of text before it is read; the (codec, name,
    bytes a character at least) it is to be read with, by its byte-order mark."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as stream:
            head = stream.read(4)
    except OSError as error:  # unreadable: permissions, a device, an I/O error
        raise CyberkgError(f"{path}: cannot be read ({error.strerror or error})", exit_code=2) from None
    codec, name, width = _encoding(head)
    if size / width > limit_mb * 1e6:
        raise CyberkgError(
            f"{path}: {size / width / 1e6:.1f} MB of text, more than the {limit_mb:g} MB a report may "
            "have (extraction takes about 10 s a MB); raise the limit with --max-report-size MB",
            exit_code=2,
        )
    return codec, name, width


def read_text(
    path: Path, warn: Warn | None = None, page_breaks: bool = False, limit_mb: float = REPORT_LIMIT_MB
) -> str:
    """The file's text, line breaks as "\n". UTF-8 (with or without a byte-order mark), or
    UTF-16 or UTF-32 with one. A missing, empty, binary (a NUL anywhere), undecodable or
    too large (over `limit_mb` MB) file is a one-line error; control characters XML cannot
    hold are removed, each line that held one named through `warn(line, message)`. Form
    feeds (page breaks) become spaces, or are kept with `page_breaks` (for read_blocks)."""
    path = Path(path)
    if path.is_dir():
        raise CyberkgError(f"{path}: is a folder, expected a report file", exit_code=2)
    if not path.is_file():
        raise CyberkgError(f"{path}: no such file", exit_code=2)
    codec, name, width = check_size(path, limit_mb)
    try:
        data = path.read_bytes()
    except OSError as error:  # unreadable: permissions, a device, an I/O error
        raise CyberkgError(f"{path}: cannot be read ({error.strerror or error})", exit_code=2) from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(codec, "replace").count("\n") + 1
        if codec == "utf-8":
            if b"\x00" in data:  # UTF-16 or UTF-32 without a byte-order mark, or not text at all
                raise CyberkgError(
                    f"{path}:{line}: binary file, expected a plain-text report (NUL bytes: UTF-16 or UTF-32 "
                    "text needs a byte-order mark)"
                ) from None
            raise CyberkgError(
                f"{path}:{line}: not UTF-8 text (byte 0x{data[error.start]:02x}); expected UTF-8, "
                "or UTF-16/UTF-32 with a byte-order mark: convert the file to UTF-8"
            ) from None
        raise CyberkgError(
            f"{path}:{line}: not {name} text, as its byte-order mark says (byte 0x{data[error.start]:02x} "
            f"at offset {error.start}); convert the file to UTF-8"
        ) from None
    del data
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\x00")
    if nul >= 0:
        raise CyberkgError(
            f"{path}:{_line_at(text, nul)}: binary file, expected a plain-text report (a NUL character on this line; UTF-16 "
            "or UTF-32 text needs a byte-order mark)"
        )
    if not text.strip():
        raise CyberkgError(f"{path}: empty file, expected a report")
    text = _without_controls(text, warn)
    return text if page_breaks else text.replace("\f", " ")


def _without_controls(text: str, warn: Warn | None) -> str:
    """`text` without the characters XML cannot hold, each line that held one named."""
    first = _CONTROL.search(text)
    if first is None:
        return text
    lines: dict[int, set[str]] = {}
    position, line, count = 0, 1, 0
    for match in _CONTROL.finditer(text, first.start()):
        count += 1
        if len(lines) <= _WARNED_LINES:
            line += text.count("\n", position, match.start())
            position = match.start()
            lines.setdefault(line, set()).add(f"U+{ord(match.group()):04X}")
    if warn is not None:
        for line, chars in list(lines.items())[:_WARNED_LINES]:
            warn(line, f"control character {', '.join(sorted(chars))} removed (not text; XML cannot hold it)")
        if len(lines) > _WARNED_LINES:
            warn(None, f"{count} control characters removed in all, on more lines than the {_WARNED_LINES} named")
    return _CONTROL.sub("", text)


def clean_inline(text: str) -> str:
    """Undo inline markdown: links keep their text, emphasis markers go."""
    text = _LINK.sub(r"\1", text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ITALIC.sub(r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"^\*(?=\S)|(?<=\S)\*$", "", text.strip())  # an emphasis marker left unpaired by a split
    return re.sub(r"[ \t]+", " ", text).strip()


def _split_glued(line: str) -> list[str]:
    """'Draft report**Addendum****II. List ...**' -> ['Draft report', 'Addendum', 'II. List ...']:
    bold markers touching text on both sides separate headings that lost their line breaks."""
    if not _GLUED_BOLD.search(line):
        return [line]
    return [part for part in (p.strip() for p in _BOLD_SPLIT.split(line)) if part]


def _is_furniture(text: str) -> bool:
    return any(p.match(text) for p in _PAGE_FURNITURE) or bool(_BRACKETED_NOTE.match(text))


def read_blocks(path: Path, warn: Warn | None = None, limit_mb: float = REPORT_LIMIT_MB) -> list[Block]:
    """The report's blocks in reading order, artefacts undone, page breaks mended; `warn` and
    `limit_mb` as for read_text. Lines are counted as editors count them, at each line feed."""
    lines = read_text(path, warn, page_breaks=True, limit_mb=limit_mb).split("\n")
    raw: list[Block] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        if not current:
            return
        # a block whose lines each start with a list marker is a list: one block per line
        if len(current) > 1 and sum(bool(MARKER_LINE.match(t)) for _, t in current) >= 2:
            group: list[tuple[int, str]] = []
            for number, text in current:
                if MARKER_LINE.match(text) and group:
                    raw.append(Block(" ".join(t for _, t in group), group[0][0]))
                    group = []
                group.append((number, text))
            raw.append(Block(" ".join(t for _, t in group), group[0][0]))
        else:
            raw.append(Block(" ".join(t for _, t in current), current[0][0]))
        current.clear()

    for number, line in enumerate(lines, start=1):
        if "\f" in line:  # a page break (a form feed, as pdftotext writes) ends a block
            page, _, line = line.rpartition("\f")
            if page.replace("\f", "").strip():
                current.append((number, page.replace("\f", " ").strip()))
            flush()
        if not line.strip():
            flush()
            continue
        if HEADER_LINE.match(line.strip()) or SYMBOL.fullmatch(line.strip()):
            flush()
            current.append((number, line.strip()))
            flush()
            continue
        parts = _split_glued(line)
        if len(parts) > 1:
            flush()
            for part in parts:
                current.append((number, part))
                flush()
            continue
        current.append((number, line.strip()))
    flush()

    blocks: list[Block] = []
    # the texts of the last block and its length, joined when it is complete (joining them
    # one at a time was quadratic in a run of continued blocks)
    joined: list[str] = []
    length = 0
    seen_symbol_lines: set[str] = set()
    for block in raw:
        text = clean_inline(_STRAY_BULLET.sub("", block.text))
        text = _STRAY_BULLET.sub("", text)
        if not text or _is_furniture(text):
            continue
        if SYMBOL.fullmatch(text):  # a symbol alone on a line: the header, then running page headers
            if text in seen_symbol_lines:
                continue
            seen_symbol_lines.add(text)
        if blocks and _continues(joined, length, text):
            joined.append(text)
            length += 1 + len(text)
            continue
        if len(joined) > 1:
            blocks[-1].text = " ".join(joined)
        joined, length = [text], len(text)
        blocks.append(Block(text, block.line))
    if len(joined) > 1:
        blocks[-1].text = " ".join(joined)
    return blocks


STRUCTURAL = re.compile(
    r"^(?:\([a-z]{1,3}\)|\([ivxlc]+\)|\(\d{1,3}\)|\d{1,3}\.\s|[IVXLC]+\.\s|[A-Z]\.\s|(?:Chapter|CHAPTER|Annex|ANNEX)\b)"
)
PASSAGE_START = re.compile(r"^(?:\([a-z]{1,3}\)|\([ivxlc]+\)|\(\d{1,3}\)|\d{1,3}\.\s)")
_CLOSED = re.compile(r"[.:;?!][\"”’)\]]*$")


def _continues(parts: list[str], length: int, text: str) -> bool:
    """Does `text` continue the block made of `parts` across a page break? Never when `text`
    opens a heading, paragraph or list item. It does when it starts in lower case (or with
    punctuation that cannot open a paragraph) after running text, and when a numbered
    paragraph or list item stopped mid-sentence and the next block is plain text. `length`
    is the block's, joined."""
    if STRUCTURAL.match(text):
        return False
    # (the block's length and its last characters, not the whole text: a search anchored at
    # the end of a growing block was quadratic)
    tail = parts[-1][-40:] if len(parts) == 1 else f"{parts[-2][-40:]} {parts[-1][-40:]}"[-40:]
    open_ended = not _CLOSED.search(tail)
    if re.fullmatch(r"\([^()]{1,40}\)", text):  # "(continued)" after a heading
        return True
    if text[0].islower() or text[0] in ",;:)]":
        return open_ended or length > 40 and not tail.endswith(":")
    return open_ended and length > 40 and bool(PASSAGE_START.match(parts[0]))
