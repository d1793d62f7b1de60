"""Statements: a file named as the UN General Debate Corpus names its speeches, or listed in
a statements.csv manifest, is read as one State's words in the first person; everything
else stays a report. The speeches here are written for the tests (the corpus's own files
stay in ../shared/ungdc)."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands import cyberkg
from kg.errors import CyberkgError
from kg.extract import Extractor
from kg.extract.statements import statement_paragraphs
from kg.extract.summary import summarise
from kg.reference import load_reference

# a speech as the older corpus files keep it: hard line breaks, a paragraph starting on an
# indented line, a word split at a line end, page furniture between the lines
HARD_WRAPPED = """I shall speak on two matters: climate and cyber-
crime.
 We also believe that it is important to start work on
a convention on cybercrime under the auspices of the
United Nations.
07-51234 14
 We call for the negotiation of a convention on the
prevention of crimes against humanity.
"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_reference())


def positions(extractor: Extractor, path: Path) -> set[tuple]:
    return {
        (p["holder_label"], p["stance"], p["target"])
        for p in summarise(extractor(path), extractor.iris)["positions"]
        if not p["on_topic"]
    }


def test_hard_wrapped_paragraphs_are_joined_and_furniture_left_out():
    paragraphs = [text for _, text in statement_paragraphs(HARD_WRAPPED)]
    assert paragraphs == [
        "I shall speak on two matters: climate and cybercrime.",
        "We also believe that it is important to start work on a convention on cybercrime under the auspices of the United Nations.",
        "We call for the negotiation of a convention on the prevention of crimes against humanity.",
    ]


def test_one_paragraph_per_line_is_kept_as_it_is():
    text = (
        "We support the Budapest Convention and call on all States to accede to it without delay, " * 3
        + "\n"
        + "Another paragraph. " * 10
    )
    assert len(statement_paragraphs(text)) == 2


def test_a_general_debate_file_is_the_named_states_statement(extractor, tmp_path):
    folder = tmp_path / "Session 73 - 2018"
    folder.mkdir()
    path = folder / "RUS_73_2018.txt"
    path.write_text(HARD_WRAPPED, encoding="utf-8")
    (tmp_path / "speakers.csv").write_text(
        'Year,Session,ISO Code,Country,Name of Person Speaking,Post\n2018,73,RUS,Russia,"Sergey\nLavrov ",Minister for Foreign Affairs\n',
        encoding="utf-8",
    )
    extraction = extractor(path)
    statement = extraction.metadata.statement
    assert statement.occasion == "General Debate of the seventy-third session of the General Assembly (2018)"
    assert (statement.person, statement.post) == ("Sergey Lavrov", "Minister for Foreign Affairs")
    assert extraction.metadata.document_type == "statement"
    assert [p.label for p in extraction.passages] == ["1", "2", "3"]
    # the speaker's own proposal counts; a convention on another subject in a speech on the
    # state of the world is not the cybercrime convention
    assert positions(extractor, path) == {("RUS", "proposes", "new-global-instrument-on-cybercrime")}


def test_a_manifest_names_the_speaker_of_other_statements(extractor, tmp_path):
    (tmp_path / "ghana.txt").write_text(
        "STATEMENT BY GHANA\n\nMadam Chair,\n\nGhana considers that the Budapest Convention has proved its value as a framework.\n",
        encoding="utf-8",
    )
    (tmp_path / "statements.csv").write_text(
        'file,speaker,occasion,date,symbol,on_behalf_of\nghana.txt,Ghana,"Ad Hoc Committee, first session",2022-03-01,,\n',
        encoding="utf-8",
    )
    extraction = extractor(tmp_path / "ghana.txt")
    assert extraction.metadata.statement.speaker_name == "Ghana"
    assert [p.text for p in extraction.passages] == [
        "Madam Chair,",
        "Ghana considers that the Budapest Convention has proved its value as a framework.",
    ]
    assert positions(extractor, tmp_path / "ghana.txt") == {("GHA", "supports", "budapest-convention")}


@pytest.mark.parametrize(
    "manifest, message",
    [
        ("file,speaker,date\nghana.txt,Ghana,2022-03-01\n", "statements.csv:1: missing column(s) occasion"),
        (
            "file,speaker,occasion,date\nghana.txt,Ghana,AHC,1 March 2022\n",
            "statements.csv:2: date '1 March 2022' is not a date",
        ),
        (
            "file,speaker,occasion,date\nghana.txt,Atlantis,AHC,2022-03-01\n",
            "statements.csv:2: speaker 'Atlantis' is no State",
        ),
        (
            "file,speaker,occasion,date\nghana.txt,Ghana,AHC,2022-03-01\nghana.txt,Ghana,AHC,2022-03-02\n",
            "statements.csv:3: ghana.txt is named twice",
        ),
    ],
)
def test_a_bad_manifest_is_a_one_line_error(extractor, tmp_path, manifest, message):
    (tmp_path / "ghana.txt").write_text("We support it.\n", encoding="utf-8")
    (tmp_path / "statements.csv").write_text(manifest, encoding="utf-8")
    with pytest.raises(CyberkgError, match=message.replace("(", r"\(").replace(")", r"\)")):
        extractor(tmp_path / "ghana.txt")
    result = cyberkg("build", str(tmp_path / "ghana.txt"), "-o", str(tmp_path / "out.trig"))
    assert result.returncode != 0 and "Traceback" not in result.stderr and message.split(":")[1] in result.stderr
    assert not (tmp_path / "out.trig").exists()


def test_a_statement_builds_with_its_occasion_and_speaker(tmp_path):
    path = tmp_path / "EST_62_2007.txt"
    path.write_text(
        "As a first step, we call upon all countries to accede to the Convention on Cybercrime of the Council of Europe.\n",
        encoding="utf-8",
    )
    out = tmp_path / "gd.nq"
    result = cyberkg("build", str(path), "-o", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert (
        "<https://w3id.org/cyberkg/id/doc/general-debate/62/EST> <https://w3id.org/cyberkg/ontology#documentType> <https://w3id.org/cyberkg/scheme/document-type/statement>"
        in text
    )
    assert '"General Debate of the sixty-second session of the General Assembly (2007)"@en' in text
    assert "<https://w3id.org/cyberkg/id/instrument/budapest-convention>" in text


def test_a_report_is_still_a_report(extractor, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "A/AC.291/99\n\nReport\n\n1. The Russian Federation supported a new global legal instrument on cybercrime.\n",
        encoding="utf-8",
    )
    extraction = extractor(path)
    assert extraction.metadata.statement is None and extraction.metadata.document_type != "statement"


def test_answers_use_general_debate_statements(tmp_path):
    """who-supported names the General Debate a statement was made in, stance-timeline runs
    by year, and vote-vs-statement finds a State whose speech and vote on 74/247 disagree
    (China voted yes; this invented speech opposes the convention the resolution decided to
    elaborate)."""
    speeches = tmp_path / "speeches"
    speeches.mkdir()
    (speeches / "EST_62_2007.txt").write_text(
        "As a first step, we call upon all countries to accede to the Convention on Cybercrime of the Council of Europe.\n",
        encoding="utf-8",
    )
    (speeches / "CHN_74_2019.txt").write_text(
        "We oppose the negotiation of a new convention on cybercrime, which would divide the international community.\n",
        encoding="utf-8",
    )
    (speeches / "RUS_73_2018.txt").write_text(
        "We believe that it is important to start work on a convention on cybercrime in the Third Committee.\n",
        encoding="utf-8",
    )
    graph = tmp_path / "gd.trig"
    assert cyberkg("build", str(speeches), "-o", str(graph), "--quiet").returncode == 0

    def query(name: str, *params: str) -> list[dict]:
        import csv
        import io

        result = cyberkg(
            "query", name, "--graph", str(graph), "--format", "csv", *[a for p in params for a in ("--param", p)]
        )
        assert result.returncode == 0, result.stderr
        return list(csv.DictReader(io.StringIO(result.stdout)))

    budapest = query("who-supported", "instrument=Budapest Convention")
    statement = next(r for r in budapest if r["basis"] == "statement")
    assert statement["holderLabel"] == "Estonia" and statement["date"] == "2007"
    assert statement["occasion"] == "General Debate of the sixty-second session of the General Assembly (2007)"
    timeline = query("stance-timeline", "instrument=new global legal instrument on cybercrime")
    said = [(r["year"], r["stance"]) for r in timeline if r["basis"] == "statement"]
    assert said == [("2018", "proposes"), ("2019", "opposes")]
    findings = query("vote-vs-statement", "resolution=A/RES/74/247")
    assert any(
        r["stateLabel"] == "China" and r["statementStance"] == "opposes" and r["vote"] == "yes" for r in findings
    )
    # the positions network drawn from the speeches alone
    out = tmp_path / "net"
    result = cyberkg(
        "network", "positions", "--graph", str(graph), "--basis", "statement", "--format", "csv", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    edges = (tmp_path / "net.edges.csv").read_text(encoding="utf-8")
    assert "state/EST" in edges and "instrument/budapest-convention" in edges and "state/CHN" in edges


@pytest.mark.parametrize(
    "sentence, acts",
    [
        (
            "A few minutes ago, the Dominican Republic signed the United Nations Convention against Cybercrime.",
            [("DOM", "signature", "un-convention-against-cybercrime", None)],
        ),
        (
            "Ghana acceded to the Council of Europe Convention on Cybercrime in December 2018.",
            [("GHA", "accession", "budapest-convention", "December 2018")],
        ),
        ("We ratified the Convention on Cybercrime in 2012.", [("NOR", "ratification", "budapest-convention", "2012")]),
        ("Norway has not yet ratified the Convention on Cybercrime.", []),
        ("Norway will sign the United Nations Convention against Cybercrime in Hanoi.", []),
        (
            "We congratulate Viet Nam, which became the first State to sign the United Nations Convention against Cybercrime.",
            [],
        ),
        ("Norway intends to accede to the Convention on Cybercrime.", []),
        (
            "The Convention on Cybercrime has served practitioners well. Norway acceded to the Convention in 2006.",
            [("NOR", "accession", "budapest-convention", "2006")],
        ),
    ],
)
def test_treaty_acts_told_in_a_statement(extractor, tmp_path, sentence, acts):
    (tmp_path / "statements.csv").write_text(
        'file,speaker,occasion,date\nnorway.txt,Norway,"Ad Hoc Committee, first session",2025-11-03\n', encoding="utf-8"
    )
    (tmp_path / "norway.txt").write_text(sentence + "\n", encoding="utf-8")
    described = summarise(extractor(tmp_path / "norway.txt"), extractor.iris)
    assert [(a["actor"], a["action"], a["treaty"], a["date"]) for a in described["treaty_actions"]] == acts
    # the act is the record; its sentence gives its actor no position of support on that treaty
    acted = {(a["actor"], a["treaty"], a["passage"], a["sentence"]) for a in described["treaty_actions"]}
    assert not any((p["holder"], p["target"], p["passage"], p["sentence"]) in acted for p in described["positions"])


def test_a_treaty_act_is_a_treaty_action_from_its_sentence(tmp_path):
    path = tmp_path / "EST_72_2017.txt"
    path.write_text(
        "Estonia ratified the Convention on Cybercrime of the Council of Europe in 2003 and supports it fully.\n",
        encoding="utf-8",
    )
    out = tmp_path / "gd.nq"
    result = cyberkg("build", str(path), "-o", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    act = "<https://w3id.org/cyberkg/id/doc/general-debate/72/EST/para/1/sentence/1/treaty-action/1>"
    assert (
        f"{act} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/cyberkg/ontology#TreatyAction>"
        in text
    )
    assert (
        f"{act} <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/cyberkg/id/doc/general-debate/72/EST/para/1/sentence/1>"
        in text
    )
    assert f'{act} <https://w3id.org/cyberkg/ontology#dateAsGiven> "2003"' in text


def test_a_speaker_that_leads_a_group_gives_its_position_too(extractor, tmp_path):
    path = tmp_path / "JAM_77_2022.txt"
    path.write_text(
        "As chair of the Caribbean Community, Jamaica supports the elaboration of a convention on cybercrime.\n"
        "We also support the Budapest Convention on Cybercrime as a model for the region.\n",
        encoding="utf-8",
    )
    found = {
        (p["holder"], p["voiced_by"], p["stance"], p["target"])
        for p in summarise(extractor(path), extractor.iris)["positions"]
    }
    assert ("JAM", None, "proposes", "new-global-instrument-on-cybercrime") in found
    assert ("caricom", "JAM", "proposes", "new-global-instrument-on-cybercrime") in found
    assert not any(holder == "caricom" and target == "budapest-convention" for holder, _, _, target in found)


def test_a_report_named_like_a_speech_but_not_by_the_corpus_sign_stays_a_report(extractor, tmp_path):
    path = tmp_path / "AHC_06_2023.txt"  # no session 6 in 2023
    path.write_text(
        "A/AC.291/99\n\nReport\n\n1. The Russian Federation supported a new global legal instrument on cybercrime.\n",
        encoding="utf-8",
    )
    assert extractor(path).metadata.statement is None


@pytest.mark.parametrize(
    "table, content, message",
    [
        (
            "statements.csv",
            "file,speaker,occasion,date\nghana.txt,C\xf4te,AHC,2022-03-01\n".encode("latin-1"),
            "statements.csv: not UTF-8 text",
        ),
        (
            "statements.csv",
            b"file,speaker,occasion,date\nghana.txt,Ghana,AHC\n",
            "statements.csv:2: 3 fields, expected 4",
        ),
        (
            "speakers.csv",
            b"Year,Session,ISO Code,Country,Name of Person Speaking,Post\n2022,seventy,GHA,Ghana,A B,President\n",
            "speakers.csv:2: Session 'seventy' is not a number",
        ),
    ],
)
def test_a_bad_table_beside_a_statement_is_a_one_line_error(tmp_path, table, content, message):
    (tmp_path / table).write_bytes(content)
    path = tmp_path / ("ghana.txt" if table == "statements.csv" else "GHA_77_2022.txt")
    path.write_text("We support the Budapest Convention.\n", encoding="utf-8")
    result = cyberkg("build", str(path), "-o", str(tmp_path / "out.trig"))
    assert result.returncode != 0 and "Traceback" not in result.stderr and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out.trig").exists()


def test_a_speech_on_the_state_of_the_world_has_topics_only_where_it_names_the_subject(extractor, tmp_path):
    """In a General Debate speech 'capacity-building' or 'human rights' may be about anything:
    topics and stances on topics count only where the subject is named (the sentence itself,
    for a stance), never in the paragraphs around it."""
    path = tmp_path / "EST_65_2010.txt"
    path.write_text(
        "Estonia has always supported human rights and the prevention of conflict. We welcome capacity-building in agriculture.\n"
        "Estonia urges broad capacity-building in protecting critical information infrastructure against cyberattacks. "
        "Estonia recognizes the work of the Human Rights Council.\n",
        encoding="utf-8",
    )
    extraction = extractor(path)
    assert extraction.topics["para/1"] == []
    assert "capacity-building" in {str(t).rsplit("/", 1)[1] for t in extraction.topics["para/2"]}
    on_topic = {
        (p.sentence, str(p.target).rsplit("/", 1)[1]) for p in extraction.positions if "scheme/topic" in str(p.target)
    }
    assert on_topic == {(1, "capacity-building")}  # not the second sentence of the paragraph, which names no subject


def test_the_convention_off_the_subject_of_a_speech_is_not_the_adopted_cybercrime_treaty(
    extractor, tmp_path, monkeypatch
):
    """'The Convention' with nothing named before it is the treaty adopted by the document's
    date only where a speech on the state of the world speaks of cybercrime; in a paragraph
    on the sea it is not. (A General Debate file gives only its year, so the statement here
    is a dated one from a manifest, read as a speech on the state of the world.)"""
    import dataclasses

    (tmp_path / "statements.csv").write_text(
        "file,speaker,occasion,date\n"
        "sea.txt,Norway,General Debate of the eightieth session of the General Assembly,2025-09-25\n"
        "cyber.txt,Norway,General Debate of the eightieth session of the General Assembly,2025-09-25\n",
        encoding="utf-8",
    )
    (tmp_path / "sea.txt").write_text(
        "The oceans sustain us all. We ratified the Convention and support it fully.\n", encoding="utf-8"
    )
    (tmp_path / "cyber.txt").write_text(
        "Cybercrime threatens us all. We support the Convention fully.\n", encoding="utf-8"
    )
    finder = extractor.statements
    monkeypatch.setattr(extractor, "statements", lambda path: dataclasses.replace(finder(path), broad=True))
    sea, cyber = extractor(tmp_path / "sea.txt"), extractor(tmp_path / "cyber.txt")
    assert sea.positions == [] and sea.acts == []
    assert [(p.stance, str(p.target).rsplit("/", 1)[1]) for p in cyber.positions] == [
        ("supports", "un-convention-against-cybercrime")
    ]


def test_a_corpus_reads_the_same_in_one_process_or_several(tmp_path):
    """A build of many speeches is read by worker processes; the graph is byte for byte that
    of one process."""
    speeches = tmp_path / "speeches"
    speeches.mkdir()
    lines = [
        "We support the Budapest Convention and the fight against cybercrime.",
        "We call for a new United Nations convention on cybercrime.",
        "Our region suffers from climate change and the rising sea.",
    ]
    for n, iso3 in enumerate(
        [
            "EST",
            "RUS",
            "FJI",
            "GHA",
            "CHN",
            "NOR",
            "JAM",
            "BRA",
            "IND",
            "USA",
            "FRA",
            "DEU",
            "JPN",
            "KEN",
            "MEX",
            "EGY",
            "ARG",
            "AUS",
        ]
    ):
        (speeches / f"{iso3}_74_2019.txt").write_text(lines[n % 3] + "\n" + lines[(n + 1) % 3] + "\n", encoding="utf-8")
    one, two = tmp_path / "one.trig", tmp_path / "two.trig"
    for out, jobs in ((one, "1"), (two, "2")):
        result = cyberkg("build", str(speeches), "-o", str(out), "--quiet", "--jobs", jobs, "--no-cache")
        assert result.returncode == 0, result.stderr
    assert one.read_bytes() == two.read_bytes()
    assert b"budapest-convention" in one.read_bytes()


def test_a_corpus_build_prints_totals_and_a_few_warnings(tmp_path, monkeypatch):
    """A corpus of speeches gets a table of totals, not a column per speech, and the first
    warnings with the count of the rest (all in the build report)."""
    from click.testing import CliRunner

    import kg.cli

    speeches = tmp_path / "speeches"
    speeches.mkdir()
    for iso3 in ["EST", "FJI", "GHA", "NOR", "JAM", "BRA", "IND", "KEN", "MEX", "EGY"]:
        # 'resolution 70/1' names no body: a warning each
        (speeches / f"{iso3}_70_2015.txt").write_text(
            "We welcome resolution 70/1 and support the Budapest Convention.\n", encoding="utf-8"
        )
    monkeypatch.setattr(kg.cli, "MAX_WARNINGS", 3)
    out = tmp_path / "gd.trig"
    result = CliRunner().invoke(kg.cli.cli, ["build", str(speeches), "-o", str(out), "--no-cache", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert (
        "in all" in result.output and "documents with any" in result.output and "NOR_70_2015.txt" not in result.output
    )
    assert result.output.count("warning") >= 3 and "... and 7 more warning(s)" in result.output
    import json

    report = json.loads(out.with_name("gd.report.json").read_text(encoding="utf-8"))
    assert sum(len(d["warnings"]) for d in report["documents"]) == 10
