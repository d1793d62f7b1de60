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


def test_the_test_sample_gives_few_positions_where_it_has_none():
    result = ungdc.score("test")
    assert len(result["speeches with a position that should have none"]) <= 1, result["speeches with a position that should have none"]
