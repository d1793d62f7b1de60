"""`cyberkg profile`: the record of an actor or an instrument, checked against facts read
here from the reference tables and the text of the sample reports, not through the
extractor or the queries."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from commands import cyberkg
from kg.errors import UsageError
from kg.query.engines import LocalEngine
from kg.query.profile import profile, to_html, to_json, to_markdown

ID = "https://w3id.org/cyberkg/id/"
ROOT = Path(__file__).resolve().parent.parent


def table(name: str) -> list[dict[str, str]]:
    with open(ROOT / "reference" / name, encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def section(found, title: str):
    return next(s for s in found.sections if s.title == title)


@pytest.fixture(scope="module")
def local(graph_file) -> LocalEngine:
    return LocalEngine(graph_file)


@pytest.fixture(scope="module")
def russia(local):
    return profile(local, "Russian Federation", ID)


def test_an_actor_profile_holds_its_votes_acts_roles_and_groups(russia):
    assert russia.kind == "actor" and russia.label == "Russian Federation" and "MemberState" in russia.types
    record = next(row for row in table("unga_recorded_votes.csv") if row["iso3"] == "RUS")
    expected = {
        re.search(r"RES_(\d+)_(\d+)", column).expand(r"\1/\2"): option.lower()
        for column, option in record.items()
        if column.startswith("vote_") and option
    }
    voted = {row["targetLabel"].rsplit(" ", 1)[-1]: row["stance"] for row in section(russia, "How it voted").rows}
    assert voted == expected
    signed = [
        row
        for row in table("un_cybercrime_convention_signatories_partial.csv")
        if row["participant"] == "Russian Federation"
    ]
    acts = section(russia, "What it signed or ratified")
    assert len(signed) == 1 and ("United Nations Convention against Cybercrime", "signature") in {
        (row["targetLabel"], row["stance"]) for row in acts.rows
    }
    assert any("not known here" in note for note in acts.notes)  # the treaty tables are partial
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "corpus").glob("*.txt"))]
    panellists = sum(
        line.count("(Russian Federation)") for text in texts for line in text.splitlines() if "panellists:" in line
    )
    roles = [row["stance"] for row in section(russia, "Roles at meetings").rows]
    assert sum(role.startswith("panellist: ") for role in roles) == panellists == 2
    groups = {row["group"] for row in table("memberships.csv") if row["member_iso3"] == "RUS"}
    assert len(section(russia, "Groups and memberships").rows) == len(
        groups
    )  # EEG, and the Council of Europe until 2022
    council = next(
        row for row in section(russia, "Groups and memberships").rows if row["otherLabel"] == "Council of Europe"
    )
    assert council["to"] == "2022-03-16"


def test_an_instrument_profile_counts_votes_by_regional_group(local):
    found = profile(local, "new global legal instrument on cybercrime", ID)
    assert found.kind == "instrument"
    votes = table("unga_recorded_votes.csv")
    column = next(c for c in votes[0] if c.startswith("vote_A_RES_74_247"))
    expected = Counter(row[column].lower() for row in votes if row[column] in ("Yes", "No", "Abstain"))
    got = Counter(row["stance"] for row in section(found, "Votes").rows if "74/247" in row["occasion"])
    assert got == expected and expected["yes"] == 79
    regions = {
        row["member_iso3"]: row["group"]
        for row in table("memberships.csv")
        if row["group"] in ("AFRICAN", "ASIA_PACIFIC", "EEG", "GRULAC", "WEOG")
    }
    yes_by_region = Counter(regions.get(row["iso3"]) for row in votes if row[column] == "Yes")
    regional = {row["group"]: row for row in section(found, "States by regional group").rows}
    african = next(label for label in regional if "African" in label)
    assert int(regional[african].get("vote: for", "0")) == yes_by_region["AFRICAN"]


def test_the_writers_escape_and_cite(russia):
    markdown = to_markdown(russia)
    assert markdown.startswith("# Russian Federation\n") and "## How it voted" in markdown
    page = to_html(russia)
    assert "<h2>What it said</h2>" in page and "<script" not in page and "@media print" in page
    data = json.loads(to_json(russia))
    assert [s["title"] for s in data["sections"]][0] == "What it said"


def test_an_unknown_name_says_which_names_are_near_and_a_meeting_has_no_profile(local):
    with pytest.raises(UsageError, match="nearest names: Russian Federation"):
        profile(local, "Russian Federaton", ID)
    with pytest.raises(UsageError, match="is a Meeting .* a profile is of a State"):
        profile(local, "Fifth meeting of the Expert Group to Conduct a Comprehensive Study on Cybercrime", ID)


def test_the_command_writes_a_page(tmp_path, graph_file):
    output = tmp_path / "profile.html"
    done = cyberkg("profile", "Budapest Convention", "--graph", str(graph_file), "--format", "html", "-o", str(output))
    assert done.returncode == 0, done.stderr
    page = output.read_text(encoding="utf-8")
    assert "Council of Europe Convention on Cybercrime" in page and "not known here" in page
