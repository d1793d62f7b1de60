"""Read a report file into clean text blocks, undoing conversion artefacts.

UN reports reach users as plain-text or markdown-ish conversions of PDFs. This module
turns one file into a list of blocks (a heading, a paragraph, a list item, a header
line), each with the line of the file it starts on, and undoes what the conversion did:
markdown links `[65/230](#)`, bold and italic markers, headings glued together in bold,
list items with stray `- ` prefixes, running page headers, and page breaks that split a
paragraph or a sentence (a block that starts in lower case continues the previous one).
"""

from __future__ import annotations

import re
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


def read_text(path: Path) -> str:
    """The file's text; a missing, empty, binary or non-UTF-8 file is a one-line error."""
    path = Path(path)
    if path.is_dir():
        raise CyberkgError(f"{path}: is a folder, expected a report file", exit_code=2)
    if not path.is_file():
        raise CyberkgError(f"{path}: no such file", exit_code=2)
    try:
        data = path.read_bytes()
    except OSError as error:  # unreadable: permissions, a device, an I/O error
        raise CyberkgError(f"{path}: cannot be read ({error.strerror or error})", exit_code=2) from None
    if b"\x00" in data[:8192]:
        raise CyberkgError(f"{path}: binary file, expected a plain-text report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CyberkgError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[error.start]:02x}); convert the file to UTF-8"
        ) from None
    if not text.strip():
        raise CyberkgError(f"{path}: empty file, expected a report")
    return text


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


def read_blocks(path: Path) -> list[Block]:
    """The report's blocks in reading order, artefacts undone, page breaks mended."""
    lines = read_text(path).splitlines()
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
        if blocks and _continues(blocks[-1].text, text):
            blocks[-1] = Block(f"{blocks[-1].text} {text}", blocks[-1].line)
            continue
        blocks.append(Block(text, block.line))
    return blocks


STRUCTURAL = re.compile(
    r"^(?:\([a-z]{1,3}\)|\([ivxlc]+\)|\(\d{1,3}\)|\d{1,3}\.\s|[IVXLC]+\.\s|[A-Z]\.\s|(?:Chapter|CHAPTER|Annex|ANNEX)\b)"
)
PASSAGE_START = re.compile(r"^(?:\([a-z]{1,3}\)|\([ivxlc]+\)|\(\d{1,3}\)|\d{1,3}\.\s)")
_CLOSED = re.compile(r"[.:;?!][\"”’)\]]*$")


def _continues(previous: str, text: str) -> bool:
    """Does `text` continue `previous` across a page break? Never when `text` opens a
    heading, paragraph or list item. It does when it starts in lower case (or with
    punctuation that cannot open a paragraph) after running text, and when a numbered
    paragraph or list item stopped mid-sentence and the next block is plain text."""
    if STRUCTURAL.match(text):
        return False
    open_ended = not _CLOSED.search(previous)
    if re.fullmatch(r"\([^()]{1,40}\)", text):  # "(continued)" after a heading
        return True
    if text[0].islower() or text[0] in ",;:)]":
        return open_ended or len(previous) > 40 and not previous.endswith(":")
    return open_ended and len(previous) > 40 and bool(PASSAGE_START.match(previous))
