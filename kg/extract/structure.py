"""Structure of a report: header lines, headed sections, numbered paragraphs, lists of
lettered or numbered items with their roman sub-items, agenda items, and sentences.

The rules follow the UN report genre, not any one report: section headings are roman
numerals, capital letters, 'Chapter', 'Annex' or short title lines; paragraphs are
numbered '12.'; list items are '(a)', '(cc)', '(39)', sub-items '(i)'..'(xvi)'. Whether
'(i)' or '(v)' is a letter or a roman numeral is read from the sequence around it.
A list is a list of recommendations when its paragraph or section says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.extract.model import AgendaItem, Extraction, Passage, Section, Speech
from kg.read import Block
from kg.text import slug

ROMAN_HEADING = re.compile(r"^(?P<num>[IVXLC]+)\.\s+(?P<title>\S.{0,200})$")
LETTER_HEADING = re.compile(r"^(?P<num>[A-Z])\.\s+(?P<title>[A-Z\"“(].{0,200})$")
CHAPTER_HEADING = re.compile(
    r"^(?P<word>Chapter|CHAPTER|Annex|ANNEX)(?:\s+(?P<num>[IVXLC]+|\d+))?\.?(?:\s*[.:–—-]?\s+(?P<title>\S.{0,200}))?$"
)
PARAGRAPH = re.compile(r"^(?P<num>\d{1,3})\.\s+(?P<text>\S.*)$", re.S)
ITEM = re.compile(r"^\((?P<marker>[a-z]{1,4}|\d{1,3})\)\s*(?P<text>.*)$", re.S)
ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
RECOMMENDATION_WORDS = re.compile(
    r"\b(recommendations?|conclusions?|suggestions?|proposals?|points raised|endorsement)\b", re.I
)
ATTRIBUTION = re.compile(r"\b(suggest\w*|submitted|made|proposed|put forward)\s+by\b|\bendorsement\b", re.I)
AGENDA_MENTION = re.compile(
    r"agenda item (?P<num>\d{1,2}(?:\s?\([a-z]\))?)(?:,)?(?:\s+entitled\s+[\"“](?P<title>[^\"”]+)[\"”])?", re.I
)
# A speech in a verbatim record: 'Mr. Nebenzia (Russian Federation): ...', 'Ms. X (Canada) (spoke
# in French): ...'; the presiding officer's words ('The President: ...') belong to no State.
SPEAKER_HEADER = re.compile(
    r"^(?P<who>(?:(?:Mr|Ms|Mrs|Miss|Dr|Sir|Dame|Mme|Msgr|Archbishop|Cardinal|Sheikh|Prince|Princess|King|Queen|Lord|Baroness)\.?\s+)"
    r"[^():]{1,80}?)\s+\((?P<state>[^()]*(?:\([^()]*\)[^()]*)?)\)(?:\s*\((?:spoke|interpretation|speaking)[^()]*\))*\s*:\s*(?P<text>\S.*)$",
    re.S,
)
PRESIDING_HEADER = re.compile(
    r"^The\s+(?:Acting\s+)?(?:President|Vice-President|Chair|Chairperson|Chairman|Secretary|Secretary-General)(?:\s*\([^()]*\))*\s*:\s*(?P<text>\S.*)$",
    re.S,
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Ms|Mrs|Dr|Prof|No|Nos|para|paras|art|arts|Art|Vol|vol|p|pp|e\.g|i\.e|cf|St|Rev|Add|Corr|approx|ca|Jr|Sr)|\b[A-Z])\.$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])(?P<close>[\"”’)]*)\s+(?=[A-Z“\"(])")


def roman_value(text: str) -> int | None:
    """The value of a lower-case roman numeral, or None when `text` is not one."""
    if not text or any(c not in ROMAN_VALUES for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        value = ROMAN_VALUES[c]
        total += -value if i + 1 < len(text) and ROMAN_VALUES[text[i + 1]] > value else value
    return total if to_roman(total) == text else None


def to_roman(number: int) -> str:
    out = ""
    for value, letters in (
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while number >= value:
            out += letters
            number -= value
    return out


def letter_value(marker: str) -> int | None:
    """a=1 .. z=26, aa=27 .. zz=52, aaa=53 ...: the UN's doubled-letter sequence."""
    if marker and marker.isalpha() and marker.islower() and len(set(marker)) == 1:
        return (len(marker) - 1) * 26 + ord(marker[0]) - ord("a") + 1
    return None


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; abbreviations such as 'Mr.' or 'para.' do not end one."""
    text = text.strip()
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group("close"))
        # (the few characters before the full stop, not all since the last sentence: a run of
        # abbreviations was quadratic; the search still sees the character before its window)
        if _ABBREVIATION.search(text, max(start, match.start() - 16), match.start()):
            continue
        sentences.append(text[start:end].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


class _ListState:
    """Tracks one list: its top-level marker kind and the sub-list under the last item."""

    def __init__(self, holder: Passage | None, key: str):
        self.holder = holder
        self.key = key
        self.kind: str | None = None  # "letter" | "number"
        self.last_top: Passage | None = None
        self.last_value = 0
        self.last_sub = 0


def build_structure(
    blocks: list[Block], extraction: Extraction, is_name: Callable[[str], bool] | None = None
) -> list[Block]:
    """Fill sections, passages and agenda items; return the header blocks before the body.
    `is_name` tells a line that is an actor's name alone ('Australia', '1. Australia'): in a
    compilation of views it heads that actor's reply."""
    is_name = is_name or (lambda text: False)
    speech: Speech | None = None  # the speech a verbatim record's passages belong to
    header: list[Block] = []
    body_started = False
    section: Section | None = None
    top_section: Section | None = None
    paragraph: Passage | None = None  # the last numbered or plain paragraph
    lists: _ListState | None = None
    last_number = 0
    run = 1
    run_prefix = ""
    unnumbered = 0
    holderless_lists = 0
    paths: set[str] = set()

    def unique(path: str) -> str:
        candidate, n = path, 2
        while candidate in paths:
            candidate, n = f"{path}-{n}", n + 1
        paths.add(candidate)
        return candidate

    def open_section(number: str | None, title: str, level: int, line: int) -> Section:
        nonlocal section, top_section, paragraph, lists
        parent = top_section if level == 2 else None
        key = slug(number or title) or str(len(extraction.sections) + 1)
        new = Section(
            number,
            title.strip(),
            level,
            line,
            len(extraction.sections) + 1,
            parent,
            unique(f"section:{parent.path}/{key}" if parent else f"section:{key}").removeprefix("section:"),
        )
        extraction.sections.append(new)
        if level == 1:
            top_section = new
        section = new
        paragraph, lists = None, None
        return new

    last_roman = last_letter = 0
    for block in blocks:
        text = block.text
        speaker = SPEAKER_HEADER.match(text)
        presiding = PRESIDING_HEADER.match(text)
        opening = speaker or presiding
        if opening:
            body_started = True
            speech = (
                Speech(speaker.group("state").strip(), block.line)
                if speaker
                else Speech("the presiding officer", block.line, presiding=True)
            )
            unnumbered += 1
            paragraph = _passage(
                extraction,
                "paragraph",
                None,
                opening.group("text"),
                block,
                unique(f"{run_prefix}text/{unnumbered}"),
                section,
                None,
            )
            paragraph.speech = speech
            lists = None
            continue
        name_heading = PARAGRAPH.match(text)
        if name_heading and is_name(name_heading.group("text").strip()):
            body_started = True
            open_section(name_heading.group("num"), name_heading.group("text").strip(), 2, block.line)
            speech = None
            continue
        heading = _heading(text, last_roman, last_letter)
        if heading:
            speech = None
            heading_number, title, level = heading
            if level == 1 and heading_number and (value := roman_value(heading_number.lower())):
                last_roman, last_letter = value, 0
            elif level == 2 and heading_number and len(heading_number) == 1:
                last_letter = ord(heading_number) - ord("A") + 1
            body_started = True
            opened = open_section(heading_number, title, level, block.line)
            if heading_number and re.match(r"(?i)annex", heading_number) or re.match(r"(?i)annex", title):
                run += 1
                run_prefix = f"{opened.path}/"
                last_number = 0
            continue
        match = PARAGRAPH.match(text)
        if match and not _is_sublist_number(match, last_number, paragraph, lists):
            body_started = True
            number = int(match.group("num"))
            if number != last_number + 1 and last_number and number != 1:
                extraction.warn(block.line, f"paragraph {number} follows paragraph {last_number}")
            if number <= last_number and not run_prefix.endswith(f"run-{run}/"):
                run += 1
                run_prefix = f"{section.path if section else 'part'}/run-{run}/"
            last_number = number
            paragraph = _passage(
                extraction,
                "paragraph",
                str(number),
                match.group("text"),
                block,
                unique(f"{run_prefix}para/{number}"),
                section,
                None,
            )
            lists = None
            continue
        item = ITEM.match(text)
        if item is None and match is not None:  # a numbered line inside a list: "1. Organizational matters:"
            item_marker, item_text = match.group("num"), match.group("text")
        elif item is not None:
            item_marker, item_text = item.group("marker"), item.group("text")
        else:
            item_marker = None
        if item_marker is not None and (body_started or paragraph is not None):
            if lists is None or lists.holder is not paragraph:
                if paragraph is None:
                    holderless_lists += 1
                    key = f"{section.path + '/' if section else ''}list/{holderless_lists}"
                else:
                    key = paragraph.path
                lists = _ListState(paragraph, key)
            _add_item(extraction, lists, item_marker, item_text, block, section, unique)
            continue
        if not body_started:
            header.append(block)
            continue
        heading_like = _plain_heading(text) or is_name(text)
        if heading_like:
            segment = SEGMENT_HEADING.match(text) is not None
            open_section(None, text, 1 if text.isupper() or segment else 2, block.line)
            speech = None
            continue
        unnumbered += 1
        paragraph = _passage(
            extraction, "paragraph", None, text, block, unique(f"{run_prefix}text/{unnumbered}"), section, None
        )
        paragraph.speech = speech
        lists = None

    _assign_agenda(extraction)
    _mark_recommendations(extraction)
    return header


def _heading(text: str, last_roman: int, last_letter: int) -> tuple[str | None, str, int] | None:
    """(number, title, level) of a heading line, or None. 'C.' or 'V.' may be a roman
    numeral or a letter: the one that continues its sequence wins."""
    if len(text) > 220 or text.endswith((";", ",")):
        return None
    roman = ROMAN_HEADING.match(text)
    roman = roman if roman and (not roman.group("title").endswith(".") or len(roman.group("title")) < 80) else None
    letter = LETTER_HEADING.match(text)
    letter = (
        letter
        if letter and len(letter.group("title")) < 150 and not re.search(r"[.;:]\s", letter.group("title"))
        else None
    )
    if roman and letter:  # a single letter that is also a roman numeral
        value = roman_value(roman.group("num").lower())
        as_letter = ord(letter.group("num")) - ord("A") + 1
        if value == last_roman + 1 and as_letter != last_letter + 1:
            letter = None
        elif as_letter == last_letter + 1 or last_roman:
            roman = None
    if roman:
        return roman.group("num"), roman.group("title"), 1
    if letter:
        return letter.group("num"), letter.group("title"), 2
    m = CHAPTER_HEADING.match(text)
    if m:
        word = m.group("word").capitalize()
        number = f"{word} {m.group('num')}" if m.group("num") else word
        return number, m.group("title") or number, 1
    return None


SEGMENT_HEADING = re.compile(
    r"^(?:Session|Panel|Part|Segment|Theme|Topic|Cluster|Round|Day|Module)\s+(?:\d{1,2}|[IVX]{1,4}|[A-Z])\s*[:.–—-]\s+[A-Z\"“(].{0,150}$"
)


def _plain_heading(text: str) -> bool:
    """A short title line with no number: 'Recommendations', 'SUMMARY OF DELIBERATIONS'; or a
    segment of a meeting: 'Session 2: Procedural measures and law enforcement'."""
    if SEGMENT_HEADING.match(text) and not text.endswith((".", ";", ",")):
        return True
    words = text.split()
    return (
        0 < len(words) <= 10
        and text[0].isupper()
        and not text.endswith((".", ";", ",", ":"))
        and not any(c.isdigit() for c in text)
        and (
            text.isupper()
            or sum(w[0].isupper() for w in words if len(w) > 3) >= max(1, len([w for w in words if len(w) > 3]) // 2)
        )
    )


def _is_sublist_number(match: re.Match, last_number: int, paragraph: Passage | None, lists: _ListState | None) -> bool:
    """'1. Organizational matters:' after paragraph 52 that ended with a colon is a list
    item of paragraph 52 (an agenda), not paragraph 1: numbered paragraphs go up by one."""
    number = int(match.group("num"))
    if lists is not None and lists.kind == "number" and number == lists.last_value + 1:
        return True
    return paragraph is not None and paragraph.text.rstrip().endswith(":") and number != last_number + 1


def _passage(
    extraction: Extraction,
    kind: str,
    label: str | None,
    text: str,
    block: Block,
    path: str,
    section: Section | None,
    parent: Passage | None,
) -> Passage:
    passage = Passage(kind, label, text.strip(), block.line, len(extraction.passages) + 1, path, section, parent)
    passage.sentences = split_sentences(passage.text)
    extraction.passages.append(passage)
    if parent is not None:
        parent.children.append(passage)
    return passage


def _add_item(
    extraction: Extraction, state: _ListState, marker: str, text: str, block: Block, section: Section | None, unique
) -> None:
    number = int(marker) if marker.isdigit() else None
    letter = letter_value(marker)
    roman = roman_value(marker)
    if state.kind is None:
        state.kind = "number" if number is not None else "letter" if letter is not None and marker != "i" else "roman"
    top_kind = state.kind
    is_sub = False
    if top_kind == "number":
        is_sub = number is None
        if is_sub:
            value = roman if roman is not None and state.last_sub and roman == state.last_sub + 1 else letter
            if value is None:
                value = roman
        else:
            value = number
    elif top_kind == "letter":
        expected_letter = state.last_value + 1
        opens_sublist = state.last_top is not None and state.last_top.text.rstrip().endswith(":")
        expected_roman = state.last_sub + 1 if state.last_sub else (1 if opens_sublist else None)
        if roman is not None and roman == expected_roman:
            is_sub = True
        elif letter is not None and letter == expected_letter:
            is_sub = False
        elif roman is not None and state.last_sub:
            is_sub = True
        elif number is not None and state.last_top is not None:
            is_sub = True
        value = roman if is_sub else letter
    else:  # a list that starts at (i): roman numerals are the top level
        value = roman
    if value is None:
        extraction.warn(block.line, f"list marker ({marker}) does not fit the list it is in")
        value = 0
    if is_sub and state.last_top is not None:
        if roman is not None and value != state.last_sub + 1:
            extraction.warn(block.line, f"sub-item ({marker}) after ({to_roman(state.last_sub) or 'none'})")
        state.last_sub = value
        parent = state.last_top
        _passage(extraction, "subitem", marker, text, block, unique(f"{parent.path}/{marker}"), section, parent)
        return
    if state.last_top is not None and value != state.last_value + 1:
        previous = state.last_top.label
        extraction.warn(block.line, f"list marker ({marker}) after ({previous}): markers skip or repeat")
    elif state.last_top is None and value not in (1, 0):
        extraction.warn(block.line, f"list starts at ({marker})")
    state.last_value, state.last_sub = value, 0
    path = unique(f"{state.key}/item/{marker}")
    state.last_top = _passage(extraction, "item", marker, text, block, path, section, state.holder)


def _assign_agenda(extraction: Extraction) -> None:
    """Agenda items come from the agenda list (a paragraph about the agenda followed by
    numbered items) and from mentions ('agenda item 2, entitled "..."'); a section whose
    title is an item's title, or whose first paragraphs name an item, falls under it."""
    items: dict[str, AgendaItem] = {}
    for passage in extraction.passages:
        if (
            passage.kind == "item"
            and passage.parent is not None
            and re.search(r"\bagenda\b(?!\s+items?\b)", passage.parent.text, re.I)
            and passage.parent.text.rstrip().endswith(":")
            and passage.label
            and passage.label.isdigit()
        ):
            title = re.sub(r"[.:;]+$", "", passage.text).strip()
            items.setdefault(passage.label, AgendaItem(passage.label, title, passage.line, passage))
    for passage in extraction.passages:
        for m in AGENDA_MENTION.finditer(passage.text):
            number = re.sub(r"\s", "", m.group("num"))
            if number not in items:
                items[number] = AgendaItem(number, m.group("title"), passage.line, passage)
            elif items[number].title is None and m.group("title"):
                items[number].title = m.group("title")
    extraction.agenda = sorted(items.values(), key=_agenda_order)
    by_title = {slug(a.title): a for a in extraction.agenda if a.title}
    for part in extraction.sections:
        part.agenda_item = by_title.get(slug(re.sub(r"\(continued\)", "", part.title)))
    for passage in extraction.passages:
        if passage.kind != "paragraph" or passage.section is None:
            continue
        mention = AGENDA_MENTION.search(passage.text)
        if mention and passage.section.agenda_item is None:
            passage.section.agenda_item = items.get(re.sub(r"\s", "", mention.group("num")))
    for passage in extraction.passages:
        section = passage.section
        while section is not None and section.agenda_item is None:
            section = section.parent
        own = None
        if passage.kind == "paragraph":
            mention = AGENDA_MENTION.search(passage.text)
            own = items.get(re.sub(r"\s", "", mention.group("num"))) if mention else None
        holder = passage.parent.agenda_item if passage.parent is not None else None
        passage.agenda_item = own or holder or (section.agenda_item if section else None)


def _agenda_order(item: AgendaItem) -> tuple[int, str]:
    """Agenda items in the order of their numbers ('2' before '10'), then of their letters."""
    digits = re.match(r"\d+", item.number)
    assert digits is not None  # an agenda item's number begins with its digits
    return int(digits.group()), item.number


def _mark_recommendations(extraction: Extraction) -> None:
    """Items of a list whose paragraph or section speaks of recommendations or conclusions
    are recommendations; the paragraph's words on who made them are their attribution."""
    for passage in extraction.passages:
        if passage.kind not in ("item", "subitem"):
            continue
        top = passage if passage.kind == "item" else passage.parent
        assert top is not None  # a sub-item's parent is its item
        holder = top.parent
        context = holder.text if holder is not None else ""
        section = passage.section
        titles = []
        while section is not None:
            titles.append(section.title)
            section = section.parent
        # a list is introduced as recommendations by its own paragraph; only a list with no
        # paragraph of its own takes its section's title ('The topics discussed were:' under
        # a heading 'Conclusions and recommendations' is a list of topics)
        introduced = (
            RECOMMENDATION_WORDS.search(context)
            if holder is not None
            else any(RECOMMENDATION_WORDS.search(t) for t in titles)
        )
        if introduced:
            if (
                holder is not None
                and re.search(r"\bagenda\b(?!\s+items?\b)", holder.text, re.I)
                and holder.text.rstrip().endswith(":")
                and not RECOMMENDATION_WORDS.search(context)
            ):
                continue
            passage.recommendation = True
            if holder is not None:
                attribution = [s for s in holder.sentences if ATTRIBUTION.search(s)]
                passage.attribution = " ".join(attribution) or None
