"""`cyberkg timeline`: the process in order, checked against the reference tables read
here (meeting dates, resolution dates and vote totals), not through the queries."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from commands import cyberkg
from kg.draw.timeline import render, steps
from kg.query.engines import LocalEngine

ROOT = Path(__file__).resolve().parent.parent


def table(name: str) -> list[dict[str, str]]:
    with open(ROOT / "reference" / name, encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@pytest.fixture(scope="module")
def found(graph_file):
    return steps(LocalEngine(graph_file))


def test_the_steps_are_in_order_and_hold_every_meeting_and_resolution(found):
    days = [s.day for s in found]
    assert days == sorted(days)
    meetings = {s.day for s in found if s.kind == "meeting"}
    assert {row["start_date"] for row in table("expert_group_meetings.csv")} <= meetings
    assert {row["start_date"] for row in table("ahc_sessions.csv")} <= meetings
    turtle = (ROOT / "reference" / "instruments.ttl").read_text(encoding="utf-8")
    adopted = dict(
        re.findall(r"<resolution/ga-(\d+-\d+)> a ckg:Resolution ;[^.]*?ckg:adoptionDate \"([\d-]+)\"", turtle, re.S)
    )
    resolutions = {s.day for s in found if s.kind == "resolution"}
    assert (
        set(adopted.values()) <= resolutions and {"2018-12-17", "2019-12-27", "2021-05-26", "2024-12-24"} <= resolutions
    )


def test_votes_and_positions_are_counted_at_their_step(found):
    votes = table("unga_recorded_votes.csv")
    column = next(c for c in votes[0] if c.startswith("vote_A_RES_74_247"))
    step = next(s for s in found if s.kind == "resolution" and s.label.endswith("74/247"))
    assert (step.yes, step.no, step.abstain) == tuple(
        sum(row[column] == o for row in votes) for o in ("Yes", "No", "Abstain")
    )
    fifth = next(s for s in found if s.kind == "meeting" and s.day == "2019-03-27")
    assert fifth.anonymous > 0  # the 2019 report's speakers are mostly anonymous
    hanoi = next(s for s in found if s.kind == "opened for signature" and s.day == "2025-10-25")
    assert hanoi.acts >= len(table("un_cybercrime_convention_signatories_partial.csv"))


def test_the_picture_is_the_same_twice_and_the_command_draws_it(found, tmp_path, graph_file):
    assert render(found, "svg") == render(found, "svg")
    picture = tmp_path / "timeline.svg"
    done = cyberkg("timeline", "--graph", str(graph_file), "--picture", str(picture))
    assert done.returncode == 0, done.stderr
    assert "General Assembly resolution 74/247" in done.stdout and picture.read_bytes().startswith(b"<?xml")
