"""Bad input, found by a seeded fuzz and then fixed (issue 19): every run of the command on a
mutant of a sample report or of an RDF file ends in exit 0, or in a non-zero exit with one
line on stderr and no traceback, within 10 s, leaving no half-written file; then a focused
test for each fix.

The mutants are made with fixed seeds (random.Random(seed)), so a failure names a mutant
that can be made again: byte flips, truncation, control characters, NULs, huge lines, deep
nesting, repeated markup and other encodings of the reports in corpus/; truncated Turtle,
TriG and RDF/XML, bad IRIs, flipped bytes and a huge literal in RDF files.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import resource
import time
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT

from commands import cyberkg
from kg.errors import CyberkgError
from kg.graphio import TOKEN_LIMIT, atomic_files, read_statements, write_dataset
from kg.read import read_blocks, read_text

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "corpus").glob("*.txt"))
EXAMPLE = ROOT / "ontology" / "examples" / "example.ttl"
ID = "https://w3id.org/cyberkg/id/"
SECONDS = 10  # each run of the command


# -- the mutants --------------------------------------------------------------------------


def report_mutants() -> dict[str, bytes]:
    """{name: bytes} of reports made from the sample ones, each by a seeded change."""
    out: dict[str, bytes] = {}
    for seed in range(2):  # bytes flipped
        rng = random.Random(seed)
        data = bytearray(REPORTS[seed % 2].read_bytes())
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        out[f"flip-{seed}"] = bytes(data)
    for seed in range(2):  # cut anywhere, in a UTF-8 sequence too
        rng = random.Random(100 + seed)
        data = REPORTS[seed % 2].read_bytes()
        out[f"truncated-{seed}"] = data[: rng.randrange(1, len(data))]
    for seed in range(3):  # control characters (but tab and line breaks), one or many
        rng = random.Random(200 + seed)
        data = bytearray(REPORTS[0].read_bytes())
        for _ in range(rng.choice((1, 5, 500))):
            data.insert(rng.randrange(len(data)), rng.choice([c for c in range(32) if c not in (9, 10, 13)]))
        out[f"control-{seed}"] = bytes(data)
    for seed in range(2):  # a NUL after the first 8 KiB
        rng = random.Random(300 + seed)
        data = bytearray(REPORTS[0].read_bytes())
        data.insert(rng.randrange(9000, len(data)), 0)
        out[f"nul-{seed}"] = bytes(data)
    text = REPORTS[0].read_text(encoding="utf-8")
    rng = random.Random(400)
    words = text.split()
    out["huge-line"] = (text[:2000] + "\n\n" + " ".join(rng.choice(words) for _ in range(20_000)) + "\n").encode()
    out["huge-sentence"] = (text[:2000] + "\n\n5. " + " ".join(words * 3).replace(".", ",") + ".\n").encode()
    out["nested-parentheses"] = (text[:2000] + "\n\n" + "(" * 50_000 + "a" + ")" * 50_000 + "\n").encode()
    out["nested-brackets"] = (text[:2000] + "\n\n" + "[" * 30_000 + "x](#)" * 30_000 + "\n").encode()
    out["nested-lists"] = (
        text[:2000] + "\n\n" + "".join(f"({'i' * (n % 12 + 1)}) ({chr(97 + n % 26)}) item\n" for n in range(5_000))
    ).encode()
    out["repeated-bold"] = (text[:2000] + "\n\n" + "**A" * 60_000 + "\n" + "__b" * 60_000 + "\n").encode()
    out["repeated-bullets"] = (text[:2000] + "\n\n" + "- - • (a)\n" * 20_000).encode()
    out["continued-blocks"] = (text[:2000] + "\n\n1. Start\n\n" + "and so on\n\n" * 20_000).encode()
    out["abbreviations"] = (text[:2000] + "\n\n2. " + "Mr. A. para. e.g. " * 5_000 + "End.\n").encode()
    out["long-list"] = (
        text[:2000] + "\n\n1. The Group recommends:\n\n" + "".join(f"({n}) item {n};\n" for n in range(1, 10_001))
    ).encode()
    out["utf-16"] = text.encode("utf-16")
    out["utf-16-be"] = b"\xfe\xff" + text.encode("utf-16-be")
    out["utf-32"] = text.encode("utf-32")
    out["utf-8-bom"] = text.encode("utf-8-sig")
    out["utf-16-no-bom"] = text.encode("utf-16-le")
    out["latin-1"] = (
        text.replace("’", "'").replace("–", "-").replace("“", '"').replace("”", '"').encode("latin-1", "replace")
    )
    out["form-feeds"] = text.replace("\n\n", "\n\f", 20).encode()
    out["too-large"] = ((text + "\n\n") * 20).encode()  # 1.1 MB: refused before it is read
    out["empty"] = b" \n\t\n"
    return out


def rdf_mutants(folder: Path) -> dict[str, Path]:
    """{name: file} of RDF files made from the example graph, each by a seeded change."""
    graphs = read_statements(EXAMPLE)
    sources = {}
    for suffix in ("ttl", "trig", "rdf"):
        sources[suffix] = write_dataset(graphs, folder / f"source.{suffix}").read_bytes()
    out: dict[str, bytes] = {}
    for seed in range(6):
        rng = random.Random(500 + seed)
        suffix = ("ttl", "trig", "rdf")[seed % 3]
        data = sources[suffix]
        out[f"truncated-{seed}.{suffix}"] = data[: rng.randrange(len(data) // 4, len(data) - 2)]
    for seed in range(2):
        rng = random.Random(600 + seed)
        data = bytearray(sources["ttl"])
        for _ in range(5):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        out[f"flip-{seed}.ttl"] = bytes(data)
    out["bad-iri.ttl"] = sources["ttl"].replace(b"<http://www.wikidata.org/", b"<http://www.wiki data.org/", 1)
    out["bad-iri.rdf"] = sources["rdf"].replace(b'rdf:about="https://w3id.org/', b'rdf:about="https://w3id .org/', 1)
    out["control.rdf"] = sources["rdf"].replace(b"</rdfs:label>", b"\x01</rdfs:label>", 1)
    out["control.ttl"] = (
        sources["ttl"] + b'<https://w3id.org/cyberkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "a\\u0001b" .\n'
    )
    out["huge-literal.ttl"] = b'<http://example.org/a> <http://example.org/b> "' + b"x" * (TOKEN_LIMIT + 1) + b'" .\n'
    out["empty.trig"] = b""
    files = {}
    for name, data in out.items():
        path = folder / name
        path.write_bytes(data)
        files[name] = path
    return files


# -- running them ---------------------------------------------------------------------------


def _run(args: list[str]) -> tuple[int, str, float]:
    """(exit, stderr, CPU seconds): CPU time, not wall time, so that a busy machine (CI
    running other tests) does not fail a run; the wall time is capped at three times."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = cyberkg(*args, timeout=SECONDS * 3)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done.returncode, done.stderr, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[list[str], Path, tuple[int, str, float]]]:
    """Every mutant run through the command, one after another: {name: (args, output folder,
    (exit, stderr, CPU seconds))}."""
    folder = tmp_path_factory.mktemp("fuzz")
    jobs: dict[str, tuple[list[str], Path]] = {}
    for name, data in report_mutants().items():
        path = folder / f"{name}.txt"
        path.write_bytes(data)
        out = folder / f"out-{name}"
        out.mkdir()
        if name in ("control-0", "nul-0", "utf-16", "too-large"):  # some built whole, to see what is written
            jobs[f"report:{name}"] = (["build", str(path), "-q", "--no-validate", "-o", str(out / "g.trig")], out)
        else:
            jobs[f"report:{name}"] = (["extract", str(path), "--format", "json"], out)
    for name, path in rdf_mutants(folder).items():
        out = folder / f"out-{name}"
        out.mkdir()
        fmt = "rdfxml" if name.startswith("control") else "ttl"
        jobs[f"rdf:{name}"] = (["export", "--graph", str(path), "--format", fmt, "-o", str(out / f"e.{fmt[:3]}")], out)
    results = {name: _run(args) for name, (args, _) in jobs.items()}
    return {name: (args, out, results[name]) for name, (args, out) in jobs.items()}


NAMES = [f"report:{n}" for n in report_mutants()] + [
    f"rdf:{n}"
    for n in (
        *(f"truncated-{s}.{('ttl', 'trig', 'rdf')[s % 3]}" for s in range(6)),
        "flip-0.ttl",
        "flip-1.ttl",
        "bad-iri.ttl",
        "bad-iri.rdf",
        "control.rdf",
        "control.ttl",
        "huge-literal.ttl",
        "empty.trig",
    )
]


@pytest.mark.parametrize("name", NAMES)
def test_a_mutant_ends_well_or_in_one_line(runs, name):
    args, out, (code, stderr, seconds) = runs[name]
    assert "Traceback" not in stderr, stderr
    if code != 0:
        assert len(stderr.splitlines()) == 1 and stderr.startswith("cyberkg: error: "), (args, stderr)
        assert not list(out.iterdir()), f"{name} failed but left {list(out.iterdir())}"
    else:
        assert list(out.glob("*")) or args[0] == "extract"
    assert not list(out.glob(".*.part")), "a temporary file left behind"
    assert seconds < SECONDS, f"{name} took {seconds:.1f} s of CPU time"


def test_the_mutants_that_must_fail_fail_and_those_that_must_read_read(runs):
    def code(name: str) -> int:
        return runs[name][2][0]

    for name in ("utf-16", "utf-16-be", "utf-32", "utf-8-bom", "control-0", "control-2", "form-feeds"):
        assert code(f"report:{name}") == 0, runs[f"report:{name}"][2][1]
    for name in ("nul-0", "nul-1", "utf-16-no-bom", "too-large", "empty"):
        assert code(f"report:{name}") != 0
    assert "UTF-16 or UTF-32 text needs a byte-order mark" in runs["report:utf-16-no-bom"][2][1]
    assert "--max-report-size" in runs["report:too-large"][2][1]
    for name in ("truncated-2.rdf", "truncated-5.rdf", "control.rdf", "control.ttl", "huge-literal.ttl", "bad-iri.rdf"):
        assert code(f"rdf:{name}") != 0, name
    assert "16 MiB" in runs["rdf:huge-literal.ttl"][2][1]
    assert "U+0001" in runs["rdf:control.ttl"][2][1]  # read, but no RDF/XML can hold it
    assert ".rdf:" in runs["rdf:bad-iri.rdf"][2][1].split(": not valid")[0]  # file:line


# -- 1, 2: reading reports --------------------------------------------------------------------


def _write(tmp_path: Path, data: bytes, name: str = "r.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf16_utf32_and_utf8_with_a_bom_read_as_utf8(tmp_path):
    text = REPORTS[1].read_text(encoding="utf-8")
    expected = read_text(REPORTS[1])
    for codec in ("utf-16", "utf-32", "utf-8-sig"):
        assert read_text(_write(tmp_path, text.encode(codec), f"{codec}.txt")) == expected
    assert read_text(_write(tmp_path, b"\xfe\xff" + "1. Text.\n".encode("utf-16-be"))) == "1. Text.\n"


@pytest.mark.parametrize(
    "data, message",
    [
        (
            "1. Caf\u00e9\n".encode("latin-1"),
            ":1: not UTF-8 text (byte 0xe9); expected UTF-8, or UTF-16/UTF-32 with a byte-order mark",
        ),
        ("1. Text.\n2. More\n".encode("utf-16-le"), "binary file, expected a plain-text report"),
        ("1. Text.\n2. More\n".encode("utf-16")[:-1], ":2: not UTF-16 text, as its byte-order mark says"),
        (b"1. Text.\n" * 2000 + b"2. \x00\n", ":2001: binary file, expected a plain-text report (a NUL character"),
    ],
)
def test_undecodable_and_binary_reports_are_one_line_naming_the_line(tmp_path, data, message):
    with pytest.raises(CyberkgError) as caught:
        read_text(_write(tmp_path, data))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_control_characters_are_removed_with_a_warning_naming_the_line(tmp_path):
    warnings: list[tuple[int | None, str]] = []
    path = _write(tmp_path, b"1. First\x01 paragraph.\n\n2. Second\x1b\x0b one.\n")
    blocks = read_blocks(path, lambda line, message: warnings.append((line, message)))
    assert [b.text for b in blocks] == ["1. First paragraph.", "2. Second one."]
    assert [line for line, _ in warnings] == [1, 3]
    assert "U+000B, U+001B removed" in warnings[1][1]
    # many lines: five named, then one count
    warnings.clear()
    read_text(_write(tmp_path, b"1. a\x02\n" * 100), lambda line, message: warnings.append((line, message)))
    assert (
        len(warnings) == 6 and warnings[-1] == (None, warnings[-1][1]) and "100 control characters" in warnings[-1][1]
    )


def test_a_form_feed_is_a_page_break_and_lines_count_at_line_feeds_only(tmp_path):
    path = _write(tmp_path, b"1. First paragraph.\n\x0c2. Second.\n\x1c3. Third\xc2\x85still third.\n")
    assert [(b.line, b.text) for b in read_blocks(path)] == [
        (1, "1. First paragraph."),
        (2, "2. Second."),
        (3, "3. Third\x85still third."),
    ]
    assert "\f" not in read_text(path)


def test_a_report_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = _write(tmp_path, b"1. Text.\n" * 120_000)  # 1.08 MB
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read"))
    with pytest.raises(CyberkgError, match=r"r\.txt: 1\.1 MB of text, more than the 1 MB .* --max-report-size MB"):
        read_text(path)
    monkeypatch.undo()
    assert read_text(path, limit_mb=2).startswith("1. Text.")
    assert read_blocks(path, limit_mb=float("inf"))[0].text == "1. Text."


def test_the_size_limit_option_of_build_and_extract(tmp_path):
    path = _write(tmp_path, REPORTS[1].read_bytes() * 70)  # 1.04 MB
    refused = cyberkg("build", str(path), "-q", "-o", str(tmp_path / "g.trig"), timeout=60)
    assert refused.returncode == 2 and "--max-report-size" in refused.stderr and not (tmp_path / "g.trig").exists()
    small = _write(tmp_path, REPORTS[1].read_bytes(), "small.txt")
    done = cyberkg("extract", str(small), "--max-report-size", "0.01", timeout=60)
    assert done.returncode == 2 and "more than the 0.01 MB" in done.stderr
    for bad in ("nan", "0", "-1", "big"):
        refused = cyberkg("extract", str(small), "--max-report-size", bad, timeout=60)
        assert refused.returncode == 2 and "--max-report-size" in refused.stderr, bad
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr


# -- 5: no super-linear reading -----------------------------------------------------------


def test_long_runs_read_in_linear_time(tmp_path):
    """A run of continued blocks, of abbreviations, and a sentence with many clauses and
    instruments: each was quadratic (joining, searching from the start, clause breaks)."""
    from kg.extract.structure import split_sentences

    started = time.perf_counter()
    blocks = read_blocks(_write(tmp_path, b"1. Start\n\n" + b"and so on\n\n" * 50_000))
    assert len(blocks) == 1 and len(blocks[0].text) > 500_000
    assert split_sentences("Mr. A. " * 40_000 + "End. Next one.")[-1] == "Next one."
    assert time.perf_counter() - started < 5


def test_a_long_sentence_extracts_in_linear_time(tmp_path):
    clause = "the Budapest Convention, which some States supported; others opposed a new treaty, "
    path = _write(tmp_path, ("5. " + clause * 1_000 + "end.\n").encode())
    done = cyberkg("extract", str(path), "--format", "json", timeout=60)
    assert done.returncode == 0, done.stderr
    # (2 s here, mostly loading; 3 s with the clause breaks found once a target. Still
    # quadratic in the instruments one sentence names: 4,000 clauses take 26 s)


# -- 3, 4: RDF files ----------------------------------------------------------------------------


def test_a_literal_longer_than_the_parser_reads_is_one_line(tmp_path):
    path = _write(tmp_path, b'<http://a.org/s> <http://a.org/p> "' + b"x" * (TOKEN_LIMIT + 10) + b'" .\n', "big.nt")
    started = time.perf_counter()
    with pytest.raises(CyberkgError, match=r"big\.nt: not valid N-Triples: a literal or IRI longer than the 16 MiB"):
        read_statements(path)
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    "body, line, reason",
    [
        (
            '<rdf:Description rdf:about="http://a.org/s">\n<ex:p>x</ex:q>\n</rdf:Description>\n</rdf:RDF>\n',
            4,
            "mismatched tag",
        ),
        ('<rdf:Description rdf:about="http://a.org/s">\n<ex:p>x</ex:p>\n', 5, "no element found"),  # truncated
        (
            '<rdf:Description rdf:about="http://a.org/s">\n<ex:p>x\x01</ex:p>\n</rdf:Description>\n</rdf:RDF>\n',
            4,
            "invalid token",
        ),
        (
            '<rdf:Description rdf:about="http://a .org/s">\n<ex:p>x</ex:p>\n</rdf:Description>\n</rdf:RDF>\n',
            3,
            "Invalid IRI",
        ),
    ],
)
def test_rdfxml_errors_name_the_line(tmp_path, body, line, reason):
    head = '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://a.org/">\n'
    path = _write(tmp_path, (head + body).encode(), "bad.rdf")
    with pytest.raises(CyberkgError) as caught:
        read_statements(path)
    assert str(caught.value).startswith(f"{path}:{line}: not valid RDF/XML") and reason in str(caught.value)


def test_rdfxml_is_never_written_ill_formed(tmp_path):
    s, p = pyoxigraph.NamedNode("http://a.org/s"), pyoxigraph.NamedNode("http://a.org/p")
    for triple, message in (
        (
            pyoxigraph.Triple(s, p, pyoxigraph.Literal("a\x01b")),
            "the literal of <http://a.org/s> <http://a.org/p> holds U+0001",
        ),
        (pyoxigraph.Triple(s, p, pyoxigraph.Literal("a\ufffe")), "holds U+FFFE"),
        (
            pyoxigraph.Triple(s, pyoxigraph.NamedNode("http://a.org/123"), s),
            "the predicate <http://a.org/123> does not end in a name",
        ),
    ):
        target = tmp_path / "out.rdf"
        with pytest.raises(CyberkgError, match=r"out\.rdf: cannot be written as RDF/XML: .*" + re.escape(message)):
            write_dataset({None: _statements(triple)}, target)
        assert not list(tmp_path.iterdir())
    write_dataset({None: _statements(pyoxigraph.Triple(s, p, pyoxigraph.Literal("tab\tand\nbreak")))}, target)
    assert read_statements(target)


def _statements(*triples):
    from kg.rdf import Statements

    return Statements(triples)


# -- 6, 7, 8: writing ------------------------------------------------------------------------------


def test_a_build_whose_report_cannot_be_written_writes_nothing(tmp_path):
    (tmp_path / "g.report.json").mkdir()
    done = cyberkg("build", str(REPORTS[1]), "-q", "--no-validate", "-o", str(tmp_path / "g.trig"), timeout=60)
    assert done.returncode == 2 and done.stderr.strip().endswith(
        "g.report.json: is a folder; expected a file name to write"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.report.json"]


def test_atomic_files_replace_all_targets_or_none(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("old a")
    with pytest.raises(RuntimeError):
        with atomic_files([first, second]) as (a, b):
            a.write_text("new a")
            raise RuntimeError("killed")
    assert first.read_text() == "old a" and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    with atomic_files([first, second]) as (a, b):
        a.write_text("new a")
        b.write_text("new b")
    assert first.read_text() == "new a" and second.read_text() == "new b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory) -> Path:
    return write_dataset(read_statements(EXAMPLE), tmp_path_factory.mktemp("graph") / "g.trig")


def _recorded(void: Path, name: str) -> tuple[int, str]:
    from urllib.parse import quote

    graph = Graph().parse(void)
    distribution = URIRef(f"{ID}dataset/distribution/{quote(name, safe='')}")
    checksum = graph.value(distribution, URIRef("http://spdx.org/rdf/terms#checksum"))
    digest = graph.value(checksum, URIRef("http://spdx.org/rdf/terms#checksumValue"))
    return int(graph.value(distribution, DCAT.byteSize)), str(digest)


def test_an_export_named_with_a_space_and_a_percent_gets_a_valid_iri_and_its_digest(small_graph, tmp_path):
    target = tmp_path / "a b%.ttl"
    done = cyberkg("export", "--graph", str(small_graph), "-o", str(target), timeout=60)
    assert done.returncode == 0, done.stderr
    void = tmp_path / "a b%.void.ttl"
    assert "distribution/a%20b%25.ttl" in void.read_text().replace("\\", "")
    data = target.read_bytes()
    assert _recorded(void, "a b%.ttl") == (len(data), hashlib.sha256(data).hexdigest())


def test_an_export_killed_before_its_description_is_replaced_is_told_by_the_digest(small_graph, tmp_path, monkeypatch):
    from kg.export import export_files

    graphs = read_statements(small_graph)
    targets = {"nt": tmp_path / "e.nt"}
    export_files(graphs, targets, ID)
    void = tmp_path / "e.void.ttl"
    old_void = void.read_bytes()
    replace = os.replace

    def killed_at_the_description(source, target):
        if str(target).endswith(".void.ttl"):
            raise KeyboardInterrupt  # as a kill -9 between the two renames would leave them
        replace(source, target)

    monkeypatch.setattr(os, "replace", killed_at_the_description)
    with pytest.raises(KeyboardInterrupt):
        export_files({**graphs, None: _statements()}, targets, ID, endpoint="http://example.org/sparql")
    monkeypatch.undo()
    assert void.read_bytes() == old_void and not list(tmp_path.glob(".*.part"))
    # the new export beside the old description: the digest it records is not the file's
    data = targets["nt"].read_bytes()
    assert b"http://example.org/sparql" in data
    assert _recorded(void, "e.nt")[1] != hashlib.sha256(data).hexdigest()
