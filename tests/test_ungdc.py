"""The General Debate speeches (../shared/ungdc) against the hand annotations (gold_dev.csv
there, tests/data/ungdc/gold_test.csv here), scored by tests/ungdc.py. The floors are where
the reader stands today, so a change that loses ground fails; issue 16's targets (0.9) are
not met yet, see the README. Skipped, saying so, where the corpus is not on this machine."""

from __future__ import annotations

import pytest

import ungdc

pytestmark = pytest.mark.skipif(not ungdc.available(), reason=f"{ungdc.CORPUS} is not on this machine")


@pytest.fixture(scope="module")
def dev():
    return ungdc.score("dev")


def test_positions_on_the_cybercrime_instruments_hold_their_ground(dev):
    result = dev["cybercrime instruments"]
    assert result["precision"] >= 0.75 and result["recall"] >= 0.75, (result["misses"], result["extras"])


def test_speeches_that_take_no_position_give_none(dev):
    assert dev["speeches with a position that should have none"] == []


def test_the_second_development_sample_gives_no_position_where_it_has_none():
    result = ungdc.score("dev2")
    assert result["speeches with a position that should have none"] == [] and result["all rows"]["precision"] >= 0.9


def test_the_test_sample_gives_few_positions_where_it_has_none():
    result = ungdc.score("test")
    assert len(result["speeches with a position that should have none"]) <= 1, result[
        "speeches with a position that should have none"
    ]


def test_the_reviewed_sample_is_right_and_still_found():
    """tests/data/ungdc/review_sample.csv: positions the reader found in the whole corpus,
    each judged by hand. Every row has a verdict, at least 0.9 of them are right, and the
    reader still finds every right one."""
    import csv

    from kg.extract import Extractor
    from kg.reference import load_reference

    with ungdc.REVIEW.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert rows and all(r["verdict"] in ("right", "wrong") for r in rows)
    assert sum(r["verdict"] == "right" for r in rows) >= 0.9 * len(rows)
    extractor = Extractor(load_reference())
    found = {speech: ungdc.positions_of(extractor, speech) for speech in {r["speech_id"] for r in rows}}
    for row in rows:
        if row["verdict"] == "right":
            assert (row["holder"], row["instrument"], row["stance"]) in found[row["speech_id"]], row
