"""The extractor on documents of genres the samples lack (tests/data/devset/, scored by
tests/devset.py): named positions (holder, instrument, stance) against what a careful reader
expects. The floors are just under where the reader stands today, so a change that loses
ground fails; the issue's target (0.9 precision and recall) is not met yet, see the README."""

from __future__ import annotations

import pytest

from devset import documents, run


@pytest.fixture(scope="module")
def scores():
    return run("devset")


def test_the_development_set_covers_four_genres():
    assert {p.name.removesuffix(".expected.json") for p in documents("devset")} >= {
        "ahc_session_report",
        "ga_plenary_record",
        "chairs_summary",
        "compilation_of_views",
    }


def test_named_positions_are_precise(scores):
    total, per = scores
    assert total.precision() >= 0.8, (total.right, total.found, total.extras)


def test_named_positions_recall_does_not_fall(scores):
    total, per = scores
    assert total.recall() >= 0.65, total.misses
    for name, score in per.items():
        assert score.recall() >= 0.4, (name, score.misses)


def test_a_group_position_names_who_voiced_it(scores):
    total, _ = scores
    assert total.voiced["all"] >= 3 and total.voiced["right"] >= 0.8 * total.voiced["all"]


def test_the_held_out_set_does_not_lose_ground():
    """The held-out documents (tests/data/heldout/) were scored, never read while writing
    rules: where the reader stood when they arrived (precision 0.59, recall 0.43)."""
    if not documents("heldout"):
        pytest.skip("no held-out documents in tests/data/heldout/ (the last set was folded into the development set)")
    total, _ = run("heldout")
    assert total.found["named"] > 0 and total.precision() >= 0.55 and total.recall() >= 0.4, (
        total.precision(),
        total.recall(),
    )


def test_statements_in_the_first_person_hold_their_ground():
    """Statements other than the General Debate's (tests/data/statements/, with the manifest
    that names their speakers), written by a helper who did not read the reader."""
    total, per = run("statements")
    assert total.precision() >= 0.65 and total.recall() >= 0.5, (total.precision(), total.recall(), total.misses)
    assert per["no_position_nepal_2018"].found["named"] == 0
