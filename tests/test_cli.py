"""The command line as a user meets it: help that documents, one-line errors with the
right exit status, and the ontology commands doing real work."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands import cyberkg
from kg import __version__


def test_help_lists_every_stage_in_data_flow_order():
    result = cyberkg("--help")
    assert result.returncode == 0
    commands = [
        line.split()[0]
        for line in result.stdout.split("Commands:")[1].splitlines()
        if line.startswith("  ") and not line.startswith("   ")
    ]
    assert commands == [
        "ontology",
        "reference",
        "extract",
        "build",
        "validate",
        "queries",
        "query",
        "sparql",
        "profile",
        "timeline",
        "export",
        "publish",
        "network",
    ]
    assert "--base IRI" in result.stdout
    assert "who supported which" in result.stdout.replace("\n", " ").replace("  ", " ")


def test_no_arguments_shows_the_help():
    result = cyberkg()
    assert result.returncode == 0
    assert "Usage: cyberkg" in result.stdout


def test_version():
    result = cyberkg("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"cyberkg {__version__}"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--bogus"], "No such option '--bogus'"),
        (["nonsense"], "No such command 'nonsense'"),
        (["ontology", "check", "--frobnicate"], "No such option '--frobnicate'"),
        (["--base", "not-an-iri", "ontology", "check"], "--base: 'not-an-iri' is not an absolute http(s) IRI"),
        (["--base", "https://example.org/data", "ontology", "check"], "must end with '/' or '#'"),
        (["ontology", "check", "no/such/file.ttl"], "'no/such/file.ttl' does not exist"),
    ],
)
def test_usage_errors_are_one_line_with_exit_status_2(args, expected):
    result = cyberkg(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cyberkg: error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_base_from_the_environment_names_the_variable():
    import os

    result = cyberkg("ontology", "check", env={**os.environ, "CYBERKG_BASE": "ftp://x/"})
    assert result.returncode == 2
    assert "CYBERKG_BASE: 'ftp://x/'" in result.stderr


def test_an_unknown_network_format_is_a_one_line_usage_error():
    result = cyberkg("network", "positions", "--format", "pdf")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "'pdf'" in result.stderr and "svg" in result.stderr


def test_ontology_check_passes_on_the_shipped_vocabulary():
    result = cyberkg("ontology", "check")
    assert result.returncode == 0, result.stderr
    assert "example.ttl: 2" in result.stdout and "consistent" in result.stdout
    assert "The vocabulary is well formed and consistent." in result.stdout


def test_ontology_check_reports_inconsistent_data_and_exits_1(tmp_path: Path):
    data = tmp_path / "bad.ttl"
    data.write_text(
        "@prefix ckg: <https://w3id.org/cyberkg/ontology#> .\n"
        "<https://example.org/p1> a ckg:Position ; ckg:holder <https://example.org/doc> .\n"
        "<https://example.org/doc> a ckg:Document .\n"
    )
    result = cyberkg("ontology", "check", "--no-example", str(data))
    assert result.returncode == 1
    assert "ckg:holder points to https://example.org/doc, which is not a ckg:Actor" in result.stdout
    assert result.stderr.strip() == "cyberkg: error: 1 problem(s) found"


def test_malformed_data_file_is_one_line_with_file_and_line(tmp_path: Path):
    data = tmp_path / "broken.ttl"
    data.write_text('@prefix ckg: <https://w3id.org/cyberkg/ontology#> .\n\n<a> ckg:holder "unterminated .\n')
    result = cyberkg("ontology", "check", "--no-example", str(data))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0] == f"cyberkg: error: {data}:3: not valid Turtle: newline found in string literal"


def test_ontology_docs_renders_every_class(tmp_path: Path):
    pytest.importorskip("pylode", reason="the docs extra is not installed: pip install 'cyberkg[docs]'")
    from kg.ontology import Vocabulary, load_ontology

    output = tmp_path / "docs" / "ontology.html"
    result = cyberkg("ontology", "docs", "-o", str(output))
    assert result.returncode == 0, result.stderr
    html = output.read_text(encoding="utf-8")
    vocabulary = Vocabulary(load_ontology())
    for cls in vocabulary.classes:
        assert vocabulary.label(cls) in html, cls
    assert not list(output.parent.glob("*.part"))  # nothing half-written left behind


def test_reference_command_summarises_sources_and_writes_the_graph(tmp_path: Path):
    from rdflib import Graph

    output = tmp_path / "reference.ttl"
    result = cyberkg("--base", "https://data.example.org/kg/", "reference", "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert "budapest_convention_ets185_partial.csv" in result.stdout and "partial" in result.stdout
    assert "warning budapest_convention_ets185_partial.csv:20: entry_into_force of Germany" in result.stdout
    graph = Graph().parse(output)
    assert len(graph) > 5000
    assert all(not str(s).startswith("https://w3id.org/cyberkg/id/") for s in graph.subjects())


def test_reference_command_refuses_an_unknown_output_format(tmp_path: Path):
    result = cyberkg("reference", "-o", str(tmp_path / "reference.xyz"))
    assert result.returncode == 2
    assert "unknown RDF file extension '.xyz'" in result.stderr
    assert not (tmp_path / "reference.xyz").exists()


def test_an_output_path_that_cannot_be_written_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    result = cyberkg("ontology", "docs", "-o", str(blocker / "ontology.html"))  # a folder under a file
    assert result.returncode == 1
    assert result.stderr.strip().startswith(f"cyberkg: error: {blocker / 'ontology.html'}: cannot write there")
    assert len(result.stderr.strip().splitlines()) == 1 and blocker.read_text() == "not a folder\n"


def test_text_from_documents_and_file_names_is_printed_as_it_is(root, tmp_path):
    """A title holding rich markup or an emoji code ("[/bold]", "[red]", ":smile:") and
    file names with brackets are printed as written: no crash, no colour, no emoji."""
    report = (root / "corpus" / "000_b95f14e4626b4bb8.txt").read_text(encoding="utf-8")
    title = "Report on the meeting of the Expert Group"
    assert title in report
    source = tmp_path / "r[x].txt"
    source.write_text(report.replace(title, "Report [/bold] [red]on :smile: the meeting of the Expert Group", 1))
    result = cyberkg("extract", str(source))
    assert result.returncode == 0, result.stderr
    assert "title: Report [/bold] [red]on :smile: the meeting" in result.stdout
    assert "\x1b[" not in result.stdout and "\U0001f604" not in result.stdout
    output = tmp_path / "[/x]out.trig"
    result = cyberkg("build", str(source), "-o", str(output), "--no-validate")
    assert result.returncode == 0, result.stderr
    assert f"wrote {output}" in result.stdout and output.exists()
