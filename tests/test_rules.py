"""The extraction rules are data: a user extends them without code, and a broken rule
is a one-line error that names the file and the rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commands import cyberkg
from kg import resources
from kg.errors import CyberkgError
from kg.extract import Extractor
from kg.extract.rules import load_rules
from kg.extract.summary import summarise
from kg.reference import load_reference

REPORT = """Report on the meeting of the Expert Group to Conduct a Comprehensive Study on Cybercrime held in Vienna from 6 to 8 April 2021

I. Summary of deliberations

1. Some speakers hailed the Budapest Convention as a landmark.

2. One delegation opposed the Organized Crime Convention.
"""


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(resources.resource_dir("rules"), folder)
    return folder


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def positions(reference, rules_folder: Path | None, report: Path) -> set[tuple]:
    extractor = Extractor(reference, load_rules(rules_folder))
    found = summarise(extractor(report), extractor.iris)
    return {(p["passage"], p["stance"], p["target"]) for p in found["positions"]}


def test_a_new_stance_cue_is_one_entry_of_data(tmp_path, rules_copy, reference):
    report = tmp_path / "report.txt"
    report.write_text(REPORT)
    assert ("1", "supports", "budapest-convention") not in positions(reference, None, report)
    with (rules_copy / "positions.toml").open("a") as stream:
        stream.write(
            '\n[[stances.cues]]\nid = "hailed"\nstance = "supports"\nwhere = "before"\ntargets = "existing"\n'
            'priority = 1\npattern = "\\\\bhail(?:ed|s)?\\\\b"\n'
        )
    found = positions(reference, rules_copy, report)
    assert ("1", "supports", "budapest-convention") in found
    assert ("2", "opposes", "untoc") in found  # the bundled rules still apply


def test_removing_a_cue_removes_what_it_found(tmp_path, rules_copy, reference):
    report = tmp_path / "report.txt"
    report.write_text(REPORT)
    assert ("2", "opposes", "untoc") in positions(reference, None, report)
    text = (rules_copy / "positions.toml").read_text()
    text = text.replace("oppos(?:e|ed|es|ing)(?: to)?|", "")
    (rules_copy / "positions.toml").write_text(text)
    assert ("2", "opposes", "untoc") not in positions(reference, rules_copy, report)


def test_a_broken_pattern_is_a_one_line_error(rules_copy):
    text = (
        (rules_copy / "positions.toml").read_text().replace('id = "join-or-use"', 'id = "join-or-use"\nbroken = 1', 1)
    )
    text = text.replace('pattern = "^\\\\W*(?:should|must|could|can|may|would)', 'pattern = "(?:unclosed', 1)
    (rules_copy / "positions.toml").write_text(text)
    with pytest.raises(CyberkgError) as caught:
        load_rules(rules_copy)
    assert "positions.toml: cue should-be-used: bad pattern" in str(caught.value)


def test_cli_reports_a_broken_rules_file(tmp_path, rules_copy):
    (rules_copy / "topics.toml").write_text("[topics.x\ncues = [")
    report = tmp_path / "report.txt"
    report.write_text(REPORT)
    result = cyberkg("extract", str(report), "--rules", str(rules_copy))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "topics.toml: not valid TOML" in lines[0]


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("basis_window = 12", 'basis_window = "twelve"', "stances.basis_window: expected a whole number"),
        ("negation_window = 6", "negation_window = 6.5", "stances.negation_window: expected a whole number"),
        ('own_members = "', 'own_members = 3\nunused = "', "holders.own_members: expected a pattern as a string"),
        ("inclusions = [", "inclusions = [3, ", "holders.inclusions must be a list of non-empty strings"),
        ("stance_verbs = [", "stance_verbz = [", "missing key 'stance_verbs'"),
    ],
)
def test_a_wrong_value_in_the_holder_and_basis_rules_is_a_one_line_error(rules_copy, old, new, words):
    text = (rules_copy / "positions.toml").read_text()
    assert old in text
    (rules_copy / "positions.toml").write_text(text.replace(old, new, 1))
    with pytest.raises(CyberkgError) as caught:
        load_rules(rules_copy)
    assert words in str(caught.value)
