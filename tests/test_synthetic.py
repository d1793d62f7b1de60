"""The synthetic corpus generator (tests/synthetic.py): it is deterministic, its reports
build into a clean graph with one document each, and the extractor finds the positions
it plants.

Recall is checked per wording. Every wording the extractor reads is asserted in full;
the wordings it is known to misread are strict xfails, so fixing the extractor turns
them into failures to clean up here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from commands import cyberkg
from synthetic import build_corpus, generate

N = 10
SEED = 7
BASE = "https://w3id.org/cyberkg/id/"

POSITIONS = """
PREFIX ckg: <https://w3id.org/cyberkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?file ?holder ?stance ?target WHERE {
  ?position a ckg:Position ; ckg:holder ?holder ; ckg:stance ?stance ; ckg:target ?target ;
            ckg:inDocument ?document .
  ?document dcterms:source ?file .
}
"""
SPEAKERS = """
PREFIX ckg: <https://w3id.org/cyberkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?file ?actor ?group WHERE {
  ?participation a ckg:Participation ; ckg:role ?role ; ckg:participant ?actor ; ckg:inDocument ?document .
  ?document dcterms:source ?file .
  FILTER(STRENDS(STR(?role), "speaker"))
  OPTIONAL { ?participation ckg:onBehalfOf ?group }
}
"""
DOCUMENTS = """
PREFIX ckg: <https://w3id.org/cyberkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?document ?file ?symbol ?meeting WHERE {
  ?document a ckg:Document ; dcterms:source ?file ; ckg:meeting ?meeting .
  OPTIONAL { ?document ckg:symbol ?symbol }
}
"""

# Wordings the extractor misreads, left out of the recall tests (none today: a wording found
# misread goes here with a strict xfail test showing one example).
MISREAD_PHRASINGS: set[str] = set()
MISREAD_FORMS: set[str] = set()


def sparql(graph: Path, query: str) -> list[dict[str, str]]:
    done = cyberkg("sparql", "--graph", str(graph), "--format", "json", query)
    assert done.returncode == 0, done.stderr
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(done.stdout)["results"]["bindings"]]


@pytest.fixture(scope="module")
def corpus():
    return build_corpus(N, SEED)


@pytest.fixture(scope="module")
def built(tmp_path_factory, corpus):
    """The corpus written and built once with `cyberkg build`."""
    root = tmp_path_factory.mktemp("synthetic")
    generate(N, SEED, root / "reports")
    graph = root / "graph.trig"
    done = cyberkg("build", str(root / "reports"), "-o", str(graph), "-q")
    return done, graph


@pytest.fixture(scope="module")
def extracted(built) -> set[tuple[str, str, str, str]]:
    """(file, holder, stance, instrument) of every position in the graph; an anonymous
    holder is given as '<quantifier>-<kind>', as the manifest plants it."""
    _, graph = built
    found = set()
    for row in sparql(graph, POSITIONS):
        holder = row["holder"]
        holder = holder.rsplit("/collective/", 1)[1] if "/collective/" in holder else holder[len(BASE) :]
        found.add((row["file"], holder, row["stance"].rsplit("/", 1)[1], row["target"][len(BASE) :]))
    return found


def planted(corpus, named: bool):
    for report in corpus:
        for position in report.positions:
            if position.named == named:
                yield report.name, position


def found(extracted, name, position) -> bool:
    return (name, position.holder, position.stance, position.instrument) in extracted


# --- the generator ------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    first = generate(5, 11, tmp_path / "a")
    again = generate(5, 11, tmp_path / "b")
    other = generate(5, 12, tmp_path / "c")
    assert [p.name for p in first] == [p.name for p in again]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert all(p.read_bytes() != q.read_bytes() for p, q in zip(first, other))
    assert [r.manifest() for r in build_corpus(5, 11)] == [r.manifest() for r in build_corpus(5, 11)]


def test_the_folder_holds_only_the_reports(tmp_path):
    paths = generate(3, 1, tmp_path)
    assert sorted(tmp_path.iterdir()) == sorted(paths)
    assert all(p.suffix == ".txt" for p in paths)


def test_cli_writes_reports_and_manifest(tmp_path):
    done = subprocess.run(
        [sys.executable, "tests/synthetic.py", "--reports", "4", "--seed", "2", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote 4 reports and manifest.json to {tmp_path}"
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [r["file"] for r in manifest["reports"]] == sorted(p.name for p in tmp_path.glob("*.txt"))
    assert all(r["positions"] for r in manifest["reports"])


def test_corpus_covers_the_genre(corpus):
    """N=10 already holds every kind of report, holder form and stance."""
    assert {r.kind for r in corpus} == {"eg-report", "eg-draft-addendum", "ahc-report"}
    positions = [p for r in corpus for p in r.positions]
    assert {p.form for p in positions} == {
        "state",
        "representative",
        "on-behalf",
        "group",
        "observer",
        "pronoun",
        "collective",
    }
    assert {p.stance for p in positions} == {"supports", "opposes", "proposes", "conditions", "criticises"}
    assert len({p.instrument for p in positions}) >= 6
    texts = "".join(r.text for r in corpus)
    for artefact in ("**", "](#)", "\n- (", "\n(i) ", "(1) ", "/", " on behalf of the "):
        assert artefact in texts


def test_every_planted_sentence_is_in_its_report(corpus):
    for report in corpus:
        unbroken = re.sub(r"\n{4}.*?\n{4}", " ", report.text, flags=re.S)  # page furniture out
        flat = " ".join(unbroken.split())
        for position in report.positions:
            # a list item ends with ';' where the manifest keeps the sentence's '.'
            assert " ".join(position.sentence.split())[:-1] in flat


def test_reports_are_the_samples_size(corpus):
    sizes = [len(r.text.encode("utf-8")) for r in build_corpus(40, 3)]
    assert min(sizes) > 3_000 and max(sizes) < 16_000


def test_meetings_and_symbols_are_distinct(corpus):
    large = build_corpus(200, 5)
    meetings = [(r.meeting.body, r.meeting.ordinal) for r in large]
    assert len(set(meetings)) == len(meetings)
    symbols = [r.symbol for r in large if r.symbol]
    assert len(set(symbols)) == len(symbols)
    starts = [r.meeting.start for r in large]
    assert starts == sorted(starts)


# --- the build ------------------------------------------------------------------------------


def test_corpus_builds_without_violations(built):
    done, graph = built
    assert done.returncode == 0, done.stderr
    report = json.loads(graph.with_name("graph.report.json").read_text(encoding="utf-8"))
    assert report["validation"]["violations"] == 0
    assert len(report["documents"]) == N


def test_each_report_is_one_document_of_its_own_meeting(built, corpus):
    _, graph = built
    rows = sparql(graph, DOCUMENTS)
    by_file = {row["file"]: row for row in rows}
    assert len(rows) == N and len(by_file) == N
    assert len({row["document"] for row in rows}) == N
    assert len({row["meeting"] for row in rows}) == N
    for report in corpus:
        row = by_file[report.name]
        if report.symbol:
            assert row["symbol"] == report.symbol
        kind = "session" if report.meeting.body == "ahc" else "meeting"
        assert row["meeting"].endswith(f"/{kind}-{report.meeting.ordinal}")


def test_named_positions_in_plain_forms_are_all_found(corpus, extracted):
    """'China called for ...', 'The representative of Chile stated ...', 'The Group of 77
    and China expressed support for ...', 'The observer for the European Union, speaking
    on behalf of its member States, said ...'."""
    plain = [
        (n, p)
        for n, p in planted(corpus, named=True)
        if p.form not in MISREAD_FORMS and p.phrasing not in MISREAD_PHRASINGS
    ]
    assert len(plain) >= 15
    missed = [p.sentence for n, p in plain if not found(extracted, n, p)]
    assert missed == []


def test_anonymous_positions_are_all_found(corpus, extracted):
    plain = [(n, p) for n, p in planted(corpus, named=False) if p.phrasing not in MISREAD_PHRASINGS]
    assert len(plain) >= 30
    missed = [p.sentence for n, p in plain if not found(extracted, n, p)]
    assert missed == []


def test_recall_over_all_planted_positions(corpus, extracted):
    """Recall with the misread wordings included, as measured when this test was
    written (named holders 0.64 here and over 100 reports, anonymous ones 0.95 here and
    0.92 over 100 reports): a drop means the extractor got worse."""
    recall = {}
    for named in (True, False):
        hits = Counter(found(extracted, n, p) for n, p in planted(corpus, named))
        recall[named] = hits[True] / (hits[True] + hits[False])
    assert recall[True] >= 0.55
    assert recall[False] >= 0.9


def test_statements_lists_are_read(built, corpus):
    """Nearly every speaker is found. The misses: a list ending 'A and B on behalf of the
    Group of ...' is not split at 'and', so A and B are both lost."""
    _, graph = built
    rows = sparql(graph, SPEAKERS)
    found_speakers = {
        (r["file"], r["actor"][len(BASE) :], r["group"][len(BASE) :] if "group" in r else None) for r in rows
    }
    expected = [(r.name, s["key"], s["on_behalf_of"]) for r in corpus for s in r.speakers]
    hits = sum(e in found_speakers for e in expected)
    assert hits / len(expected) >= 0.9


# --- known misreadings: one planted example each ------------------------------------------------


def _example(corpus, what: str, test):
    """The first named position the corpus plants that passes `test`."""
    example = next(((n, p) for n, p in planted(corpus, named=True) if test(p)), None)
    if example is None:
        pytest.skip(f"the corpus plants no {what}")
    return example


def test_speaking_on_behalf_of_a_group_gives_the_group(corpus, extracted):
    assert found(extracted, *_example(corpus, "'on behalf of'", lambda p: p.form == "on-behalf"))


def test_encouraging_accession_is_support(corpus, extracted):
    assert found(
        extracted,
        *_example(corpus, "accession", lambda p: p.phrasing == "accede-not-yet" and p.form not in MISREAD_FORMS),
    )


def test_criticized_is_a_reporting_verb(corpus, extracted):
    assert found(
        extracted,
        *_example(corpus, "'criticized'", lambda p: p.phrasing == "criticized-verb" and p.form not in MISREAD_FORMS),
    )


def test_pronoun_after_described_keeps_the_speaker(corpus, extracted):
    assert found(
        extracted,
        *_example(corpus, "pronoun after 'described'", lambda p: p.form == "pronoun" and " described " in p.sentence),
    )
