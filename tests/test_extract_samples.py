"""Extraction from the two sample reports, complete and exact. The expected values were
read off the reports by hand (see corpus/*.txt); none is produced by the extractor."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from kg import resources
from kg.extract import Extractor
from kg.extract.summary import summarise
from kg.reference import load_reference

CORPUS = resources.resource_dir("corpus")
REPORT_2019 = CORPUS / "000_b95f14e4626b4bb8.txt"
ADDENDUM_2020 = CORPUS / "002_0b2aa91680a90bc9.txt"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_reference())


@pytest.fixture(scope="module")
def found_2019(extractor) -> dict:
    return summarise(extractor(REPORT_2019), extractor.iris)


@pytest.fixture(scope="module")
def found_2020(extractor) -> dict:
    return summarise(extractor(ADDENDUM_2020), extractor.iris)


def letters(last: str) -> list[str]:
    out = list(string.ascii_lowercase)
    return out[: out.index(last) + 1] if len(last) == 1 else out + [c * 2 for c in out[: out.index(last[0]) + 1]]


ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi"]


# -- metadata -------------------------------------------------------------------------


def test_metadata_2019(found_2019):
    meta = found_2019["metadata"]
    assert meta["symbol"] == "UNODC/CCPCJ/EG.4/2019/2"
    assert meta["date"] == "2019-04-12"
    assert meta["document_type"] == "report"
    assert meta["body"] == "expert-group-on-cybercrime"
    assert meta["ordinal"] == 5
    assert (meta["venue"], meta["start_date"], meta["end_date"]) == ("Vienna", "2019-03-27", "2019-03-29")
    assert meta["meeting"].endswith("/meeting/expert-group-on-cybercrime/meeting-5")
    assert meta["title"].startswith("Report on the meeting of the Expert Group")


def test_metadata_2020(found_2020):
    meta = found_2020["metadata"]
    assert meta["symbol"] is None  # the addendum prints none: never invented
    assert meta["date"] == "2020-07-27"
    assert meta["document_type"] == "addendum"
    assert (meta["ordinal"], meta["venue"], meta["start_date"], meta["end_date"]) == (
        6,
        "Vienna",
        "2020-07-27",
        "2020-07-29",
    )


# -- structure ------------------------------------------------------------------------


def test_sections_and_agenda_2019(found_2019):
    headings = [(s["number"], s["title"]) for s in found_2019["sections"]]
    assert headings[:3] == [
        ("I", "Introduction"),
        ("II", "List of preliminary recommendations and conclusions"),
        ("A", "Law enforcement and investigations"),
    ]
    assert [n for n, _ in headings] == ["I", "II", "A", "B", "III", "A", "B", "C", "IV", "A", "B", "C", "D", "E", "V"]
    assert found_2019["agenda"] == [
        {"number": "1", "title": "Organizational matters"},
        {"number": "2", "title": "Law enforcement and investigations"},
        {"number": "3", "title": "Electronic evidence and criminal justice"},
        {"number": "4", "title": "Other matters"},
        {"number": "5", "title": "Adoption of the report"},
    ]


def test_recommendations_2019_exact(found_2019):
    recs = found_2019["recommendations"]
    para10 = [r for r in recs if r["paragraph"] == "10"]
    para11 = [r for r in recs if r["paragraph"] == "11"]
    assert len(recs) == len(para10) + len(para11) == 49
    assert [r["marker"] for r in para10] == letters("t")
    assert [r["marker"] for r in para11] == letters("z") + ["aa", "bb", "cc"]
    assert {r["agenda_item"] for r in para10} == {"2"} and {r["agenda_item"] for r in para11} == {"3"}
    subitems = {(r["paragraph"], r["marker"]): r["subitems"] for r in recs if r["subitems"]}
    assert subitems == {("10", "k"): ROMAN[:5], ("11", "a"): ROMAN[:7], ("11", "o"): ROMAN}
    # the letter (i) after (h), and (v) and (x) after (u) and (w), are items, not sub-items
    by_marker = {r["marker"]: r for r in para11}
    assert by_marker["i"]["text"].startswith("Member States are encouraged to increase their sharing")
    assert by_marker["v"]["text"].startswith("States are encouraged to strengthen capacity-building")
    assert by_marker["x"]["text"].startswith("States are encouraged to establish technical norms")
    # page breaks mended: 11 (d) runs on across the break, and the paragraph's lead-in too
    assert "procedures relating to mutual legal assistance" in by_marker["d"]["text"]
    assert "suggestions made by Member States" in para10[0]["attribution"]
    assert "do" in para10[0]["attribution"] and "not imply their endorsement" in para10[0]["attribution"]
    assert "[" not in "".join(r["text"] for r in recs) and "**" not in "".join(r["text"] for r in recs)


def test_recommendations_2020_exact(found_2020):
    recs = found_2020["recommendations"]
    assert [r["marker"] for r in recs] == [str(n) for n in range(1, 40)]
    assert {r["paragraph"] for r in recs} == {"1"} and {r["agenda_item"] for r in recs} == {"2"}
    assert not any(r["subitems"] for r in recs)
    two = recs[1]["text"]  # (2) is split by a page break in the middle of a sentence
    assert "new frameworks or instruments on cybercrime should not go against existing ones" in two
    assert (
        recs[38]["text"]
        == "It was recommended that any elaboration of a new Convention should be handled among the experts in UNODC in Vienna."
    )


# -- participants -----------------------------------------------------------------------

STATES_2019 = (
    "DZA ARG ARM AUS BLR BRA BFA CAN CHL CHN COL CRI DOM ECU EST FRA GEO DEU IND IDN IRN ITA JPN JOR KWT MYS MRT MEX "
    "MAR NLD NER NGA NOR PRY PER PHL RUS SRB SVK ZAF ESP LKA THA ARE GBR USA VNM"
).split()


def test_statements_2019_are_the_47_states_and_2_organizations(found_2019):
    speakers = [s["actor"] for s in found_2019["statements"]]
    assert len(STATES_2019) == 47
    assert speakers == STATES_2019 + ["council-of-europe", "european-union"]
    assert all(s["on_behalf_of"] is None for s in found_2019["statements"])


def test_statements_2020_keep_speaker_and_group(found_2020):
    statements = [(s["actor"], s["on_behalf_of"]) for s in found_2020["statements"]]
    assert len(statements) == 20
    assert ("PSE", None) in statements and ("PSE", "g77") in statements
    assert [
        a for a, _ in statements
    ] == "DZA ARG ARM BRA CAN CHL COL ECU EGY IND LBN MEX NLD NOR PRT ROU RUS PSE PSE USA".split()


def test_panellists_and_chair_2019(found_2019):
    assert found_2019["chair"] == {"name": "André Rypl", "country_iso3": "BRA"}
    panel = [(p["name"], p["country_iso3"], p["agenda_item"]) for p in found_2019["panellists"]]
    assert panel == [
        ("Shenkuo Wu", "CHN", "2"),
        ("Ioana Albani", "ROU", "2"),
        ("Martin Gershanik", "ARG", "2"),
        ("Pedro Verdelho", "PRT", "2"),
        ("Anton Kurdyukov", "RUS", "2"),
        ("Xiaoferi Zhai", "CHN", "3"),
        ("Markko Kunnapu", "EST", "3"),
        ("Camila Bosch", "CHL", "3"),
        ("Giuseppe Corasaniti", "ITA", "3"),
        ("Vadim Smekhnov", "RUS", "3"),
        ("Briony Daley Whitworth", "AUS", "3"),
    ]
    assert found_2019["attendance"] == [{"category": "Member States", "count": 105}]


# -- citations ----------------------------------------------------------------------------


def test_cited_resolutions_and_symbols_2019(found_2019):
    assert found_2019["cited_resolutions"] == [
        {"body": "ccpcj", "number": "26/4"},
        {"body": "general-assembly", "number": "65/230"},
        {"body": "general-assembly", "number": "68/167"},
        {"body": "general-assembly", "number": "70/174"},
        {"body": "general-assembly", "number": "73/187"},
    ]
    assert found_2019["cited_symbols"] == [
        "A/C.3/72/12",
        "A/HRC/27/37",
        "E/CN.15/2011/19",
        "UNODC/CCPCJ/EG.4/2013/3",
        "UNODC/CCPCJ/EG.4/2018/CRP.1",
        "UNODC/CCPCJ/EG.4/2019/1",
        "UNODC/CCPCJ/EG.4/2019/INF/1/Rev.1",
    ]
    assert {
        "budapest-convention",
        "untoc",
        "salvador-declaration",
        "doha-declaration",
        "new-global-instrument-on-cybercrime",
        "african-union-convention-cyber-security",
        "sco-code-of-conduct-information-security",
        "draft-un-convention-cooperation-cybercrime-2017",
        "practical-guide-electronic-evidence",
    } <= set(found_2019["instrument_mentions"])


def test_cited_resolutions_2020(found_2020):
    assert found_2020["cited_resolutions"] == [{"body": "general-assembly", "number": "74/247"}]
    assert found_2020["cited_symbols"] == []


# -- positions ------------------------------------------------------------------------------


def positions(found: dict) -> set[tuple]:
    out = set()
    for p in found["positions"]:
        holder = p["holder"] if p["holder_kind"] == "named" else (p["holder"]["quantifier"], p["holder"]["kind"])
        out.add((p["passage"], holder, p["stance"], p["target"]))
    return out


NEW = "new-global-instrument-on-cybercrime"


@pytest.mark.parametrize(
    "passage, holder, stance, target",
    [
        ("10(a)", ("some", "member-states"), "proposes", NEW),
        ("10(a)", ("some", "member-states"), "conditions", NEW),
        ("10(b)", ("other", "member-states"), "opposes", NEW),
        ("10(b)", ("other", "member-states"), "supports", "budapest-convention"),
        ("10(c)", ("unspecified", "member-states"), "supports", "untoc"),
        ("15", ("some", "speakers"), "opposes", NEW),
        ("15", ("some", "speakers"), "supports", "budapest-convention"),
        ("16", ("other", "speakers"), "proposes", NEW),
        ("16", ("unspecified", "speakers"), "criticises", "budapest-convention"),
        ("18", ("unspecified", "speakers"), "supports", "untoc"),
        ("18", ("unspecified", "speakers"), "proposes", "untoc-protocol-on-cybercrime-proposed"),
    ],
)
def test_positions_2019(found_2019, passage, holder, stance, target):
    assert (passage, holder, stance, target) in positions(found_2019)


@pytest.mark.parametrize(
    "passage, holder, stance, target",
    [
        ("1(2)", ("unspecified", "member-states"), "supports", "budapest-convention"),
        ("1(2)", ("unspecified", "member-states"), "supports", "untoc"),
        ("1(2)", ("one", "speakers"), "criticises", "budapest-convention"),
        ("1(2)", ("other", "speakers"), "conditions", NEW),
        ("1(34)", "g77", "supports", "international-cooperation"),
        ("1(34)", "g77", "supports", "electronic-evidence"),
        ("1(38)", ("some", "speakers"), "proposes", NEW),
        ("1(39)", ("unspecified", "member-states"), "conditions", NEW),
    ],
)
def test_positions_2020(found_2020, passage, holder, stance, target):
    assert (passage, holder, stance, target) in positions(found_2020)


def test_no_named_holder_is_invented(found_2019, found_2020):
    """Named holders appear only where the sentence names the speaker."""
    for found in (found_2019, found_2020):
        for p in found["positions"]:
            if p["holder_kind"] == "named":
                assert p["holder"] in ("g77", "expert-group-on-cybercrime"), p
                names = {"g77": ("Group of 77", "The Group"), "expert-group-on-cybercrime": ("Expert Group",)}[
                    p["holder"]
                ]
                assert any(n in p["quote"] for n in names), p


def test_every_position_quotes_its_sentence(found_2019, extractor):
    extraction = extractor(REPORT_2019)
    for position in extraction.positions:
        assert position.passage.sentences[position.sentence - 1] == position.quote
        assert position.quote in position.passage.text


def test_no_warnings_on_the_samples(found_2019, found_2020):
    assert found_2019["warnings"] == [] and found_2020["warnings"] == []


def test_extraction_is_repeatable(extractor, found_2019):
    assert summarise(extractor(Path(REPORT_2019)), extractor.iris) == found_2019
