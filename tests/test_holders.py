"""Holders in the forms UN records use, and stances that follow the argument: one sentence
per form (each wording from issue 15 among them), read through the whole extractor, so the
rules in rules/positions.toml are what is tested, not a helper in isolation."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.extract.summary import summarise
from kg.reference import load_reference

REPORT = """A/AC.291/99

Report of the Ad Hoc Committee on its ninth session

III. Summary of deliberations

{body}
"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_reference())


def read(extractor: Extractor, tmp_path: Path, *paragraphs: str) -> list[tuple]:
    body = "\n\n".join(f"{n}. {text}" for n, text in enumerate(paragraphs, start=1))
    path = tmp_path / "report.txt"
    path.write_text(REPORT.format(body=body), encoding="utf-8")
    found = summarise(extractor(path), extractor.iris)["positions"]
    return sorted(
        (p["passage"], p["sentence"], p["holder_label"], p["voiced_by"], p["stance"], p["target"])
        for p in found
        if not p["on_topic"]
    )


NEW, BUDAPEST, UNTOC = "new-global-instrument-on-cybercrime", "budapest-convention", "untoc"

CASES = {
    "subject of a stance verb": (
        ["The Russian Federation supported a new global legal instrument on cybercrime."],
        [("1", 1, "RUS", None, "proposes", NEW)],
    ),
    "including, with the unnamed rest": (
        ["Several Member States, including Canada and Australia, opposed the negotiation of a new convention."],
        [
            ("1", 1, "AUS", None, "opposes", NEW),
            ("1", 1, "CAN", None, "opposes", NEW),
            ("1", 1, "several member-states", None, "opposes", NEW),
        ],
    ),
    "speaking on behalf of G, X": (
        [
            "Speaking on behalf of the European Union, France stated that the Budapest Convention remained the most relevant framework."
        ],
        [("1", 1, "european-union", "FRA", "supports", BUDAPEST)],
    ),
    "X, speaking on behalf of G, and a pronoun": (
        [
            "Egypt, speaking on behalf of the Group of African States, expressed support for a new convention. "
            "The representative of Brazil said that the Budapest Convention was not inclusive. "
            "She also called for the elaboration of a universal convention."
        ],
        [
            ("1", 1, "african-states", "EGY", "proposes", NEW),
            ("1", 2, "BRA", None, "criticises", BUDAPEST),
            ("1", 3, "BRA", None, "proposes", NEW),
        ],
    ),
    "passive agent": (
        ["Support was expressed by Cuba and Nicaragua for the elaboration of a new global legal instrument."],
        [("1", 1, "CUB", None, "proposes", NEW), ("1", 1, "NIC", None, "proposes", NEW)],
    ),
    "frames": (
        [
            "In the view of Japan, the Budapest Convention should be used more widely. "
            "According to the observer for the Council of Europe, States should accede to the Budapest Convention."
        ],
        [("1", 1, "JPN", None, "supports", BUDAPEST), ("1", 2, "council-of-europe", None, "supports", BUDAPEST)],
    ),
    "a list carried by 'They'": (
        [
            "China, Iran (Islamic Republic of) and Viet Nam expressed support for a new treaty on cybercrime. "
            "They further stressed that such a treaty should be adopted by consensus."
        ],
        [
            ("1", 1, "CHN", None, "proposes", NEW),
            ("1", 1, "IRN", None, "proposes", NEW),
            ("1", 1, "VNM", None, "proposes", NEW),
            ("1", 2, "CHN", None, "conditions", NEW),
            ("1", 2, "IRN", None, "conditions", NEW),
            ("1", 2, "VNM", None, "conditions", NEW),
        ],
    ),
    "was of the view": (
        ["The United Kingdom was of the view that a new convention was not necessary."],
        [("1", 1, "GBR", None, "opposes", NEW)],
    ),
    "an instrument named as a basis gets no stance": (
        [
            "Other speakers argued that a new global legal instrument should be elaborated building upon existing instruments "
            "such as the Budapest Convention."
        ],
        [("1", 1, "other speakers", None, "proposes", NEW)],
    ),
    "addressees are not holders": (
        ["States are encouraged to make greater use of the Organized Crime Convention."],
        [("1", 1, "unspecified speakers", None, "supports", UNTOC)],
    ),
    "a verb in no list, after a subject that is nothing but names": (
        ["Peru, Chile and the Dominican Republic applauded the Budapest Convention as a tested framework."],
        [
            ("1", 1, "CHL", None, "supports", BUDAPEST),
            ("1", 1, "DOM", None, "supports", BUDAPEST),
            ("1", 1, "PER", None, "supports", BUDAPEST),
        ],
    ),
    "a passive agent of three, and a formal name in running text": (
        [
            "Doubts were voiced by Ghana, the Islamic Republic of Iran and Kenya about the Budapest Convention, "
            "which they considered outdated."
        ],
        [
            ("1", 1, "GHA", None, "criticises", BUDAPEST),
            ("1", 1, "IRN", None, "criticises", BUDAPEST),
            ("1", 1, "KEN", None, "criticises", BUDAPEST),
        ],
    ),
    "an organization no list names, with its acronym later": (
        [
            "The Global Network Initiative (GNI) considered that a new convention would endanger online expression. "
            "GNI therefore recommended that the convention contain explicit safeguards."
        ],
        [
            ("1", 1, "global-network-initiative", None, "conditions", NEW),
            ("1", 2, "global-network-initiative", None, "conditions", NEW),
        ],
    ),
    "a State's formal name is never an organization": (
        ["The Argentine Republic underlined that the Budapest Convention had proved its worth."],
        [],
    ),
    "it was the view of X": (
        ["It was the view of Malaysia that the future convention had to cover cyber-enabled offences."],
        [("1", 1, "MYS", None, "conditions", NEW)],
    ),
    "the words of the clause when no cue reads it": (
        [
            "Norway expressed disappointment that the draft text of the new convention lacked safeguards. "
            "Thailand said that the Organized Crime Convention had shown its worth and was a valuable tool."
        ],
        [("1", 1, "NOR", None, "criticises", NEW), ("1", 2, "THA", None, "supports", UNTOC)],
    ),
    "the draft and the negotiations are the instrument being made, when one was named": (
        [
            "Some delegations called for a new convention on cybercrime.",
            "Mexico insisted that the negotiations be inclusive and that the draft text protect personal data.",
        ],
        [("1", 1, "some delegations", None, "proposes", NEW), ("2", 1, "MEX", None, "conditions", NEW)],
    ),
    "no instrument being made, no target": (
        ["Mexico insisted that the negotiations be inclusive and that the draft text protect personal data."],
        [],
    ),
}


@pytest.mark.parametrize("form", list(CASES))
def test_holder_forms(extractor, tmp_path, form):
    paragraphs, expected = CASES[form]
    assert read(extractor, tmp_path, *paragraphs) == sorted(expected)


def test_a_speech_under_a_speaker_header_is_the_speakers(extractor, tmp_path):
    text = (
        "A/74/PV.99\n\nGeneral Assembly\n\nThe President: I give the floor to the representative of Cuba.\n\n"
        "Mr. Pérez (Cuba): I have the honour to speak on behalf of the Group of 77 and China. "
        "We support the elaboration of a new convention on cybercrime.\n\n"
        "In my national capacity, my delegation considers the Budapest Convention to be a regional instrument.\n\n"
        "Ms. Smith (Australia): Some delegations claim that a new treaty is needed. We do not share that view; "
        "a new treaty is not necessary.\n"
    )
    path = tmp_path / "pv.txt"
    path.write_text(text, encoding="utf-8")
    found = {
        (p["holder_label"], p["voiced_by"], p["stance"], p["target"])
        for p in summarise(extractor(path), extractor.iris)["positions"]
    }
    assert ("g77", "CUB", "proposes", NEW) in found
    assert ("CUB", None, "criticises", BUDAPEST) in found
    assert ("AUS", None, "opposes", NEW) in found
    assert not any(holder == "AUS" and stance == "proposes" for holder, _, stance, _ in found)


def test_organizations_in_a_participants_list_are_never_states(extractor, tmp_path):
    text = REPORT.format(
        body=(
            "1. The following participants took the floor:\n\n(a) Member States: Brazil and India;\n\n"
            "(b) Private sector: Example Systems and Sample Corporation.\n\n"
            "2. The representative of Sample Corporation stressed that the future convention should be technologically neutral."
        )
    )
    path = tmp_path / "summary.txt"
    path.write_text(text, encoding="utf-8")
    extraction = extractor(path)
    described = summarise(extraction, extractor.iris)
    assert described["organizations"] == ["Example Systems", "Sample Corporation"]
    assert {s["actor"] for s in described["statements"]} == {"BRA", "IND", "example-systems", "sample-corporation"}
    [position] = [p for p in described["positions"] if not p["on_topic"]]
    assert (position["holder"], position["holder_class"], position["stance"]) == (
        "sample-corporation",
        "NonStateOrganization",
        "conditions",
    )
    assert extraction.organizations and not set(extraction.organizations) & extractor.states


def test_a_un_body_heading_is_a_topic_not_a_speaker(extractor, tmp_path):
    """A section headed by a State's name holds its reply; one headed by a UN body's name does
    not make the body the holder of every sentence in it (no named holder is invented)."""
    text = REPORT.format(
        body="Commission on Crime Prevention and Criminal Justice\n\n1. A new convention should be adopted by consensus.\n\n"
        "Australia\n\n2. We consider that a new convention is not necessary."
    )
    path = tmp_path / "headings.txt"
    path.write_text(text, encoding="utf-8")
    found = {
        (p["passage"], p["holder_label"], p["stance"])
        for p in summarise(extractor(path), extractor.iris)["positions"]
        if not p["on_topic"]
    }
    assert found == {("1", "unspecified speakers", "conditions"), ("2", "AUS", "opposes")}


def test_the_convention_after_its_adoption_is_the_adopted_treaty(extractor, tmp_path):
    """In a record dated after the UN convention was adopted, 'the Convention' with nothing
    named before it in the speech is that treaty; a speech that named the Budapest Convention
    first points back to it."""
    text = (
        "United Nations A/80/PV.7\n\nGeneral Assembly\n\nMonday, 29 September 2025, 3 p.m.\n\n"
        "Mr. Lee (Singapore): Singapore welcomes the Convention and will sign it in Hanoi.\n\n"
        "Mr. Roy (France): The Budapest Convention remains a valuable framework. The Convention has served us well.\n"
    )
    path = tmp_path / "pv.txt"
    path.write_text(text, encoding="utf-8")
    found = {
        (p["holder_label"], p["stance"], p["target"])
        for p in summarise(extractor(path), extractor.iris)["positions"]
        if not p["on_topic"]
    }
    assert ("SGP", "supports", "un-convention-against-cybercrime") in found
    assert ("FRA", "supports", BUDAPEST) in found
    assert not any(h == "FRA" and t == "un-convention-against-cybercrime" for h, _, t in found)
