"""The ontology is OWL 2 DL by a real profile checker, and a real reasoner finds it, and the
sample graph with it, consistent.

- OWLAPI 5 (Debian's libowlapi-java) runs our own checker, tests/owl/ProfileCheck.java, which
  loads one file offline (no owl:imports is ever fetched) and prints every violation of
  OWLAPI's OWL2DLProfile. The classpath is OWLAPI's jars and those of the Debian packages it
  depends on, worked out from dpkg at test time (or given in CYBERKG_OWLAPI_CLASSPATH).
- HermiT is the jar owlready2 ships (the dev extra), run on its command line. It supports
  only the OWL 2 datatype map, which has no xsd:date or xsd:gYear: the vocabulary gives its
  dates the range rdfs:Literal and leaves their datatype to the SHACL shapes (see the
  comment on dates in ontology/cyberkg.ttl), so HermiT loads and classifies it with no
  flag. Instance data holds xsd:date literals, which HermiT refuses without
  --ignoreUnsupportedDatatypes (they become opaque values); the sample graph is checked
  with that flag, and a test pins that this is the only thing it is for.

Each test is skipped, saying why, where Java, OWLAPI or owlready2 is absent.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from commands import cyberkg
from kg import resources
from kg.namespaces import CKG
from kg.ontology import load_ontology, without_external_declarations

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT / "tests" / "owl" / "ProfileCheck.java"
JAVA_DIR = Path("/usr/share/java")
OWLAPI_JAR = JAVA_DIR / "owlapi-distribution.jar"
# SLF4J 1.7 logging back-ends among the dependencies' jars: one binding (slf4j-nop) is
# enough, and several on one classpath make SLF4J warn.
OTHER_SLF4J_BINDINGS = re.compile(r"slf4j-(jcl|jdk14|log4j12|simple|reload4j|migrator)|over-slf4j|slf4j-provider")
TIMEOUT = 600
THING_SATISFIABLE = "http://www.w3.org/2002/07/owl#Thing is satisfiable."


# -- finding the tools ------------------------------------------------------------------


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on PATH: install a JDK (Debian: default-jdk-headless)")
    return java


def _dpkg_jars(package: str) -> tuple[list[Path], list[str]]:
    """The jars /usr/share/java holds for one installed Debian package, and the Java
    library packages it depends on."""
    status = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status}\t${Depends}", "--", package], capture_output=True, text=True
    )
    if status.returncode != 0 or "\t" not in status.stdout or " installed" not in status.stdout.split("\t")[0]:
        return [], []
    depends = []
    for clause in status.stdout.split("\t", 1)[1].split(","):
        name = clause.split("|")[0].split("(")[0].strip().split(":")[0]
        if name.endswith("-java"):
            depends.append(name)
    listed = subprocess.run(["dpkg-query", "-L", "--", package], capture_output=True, text=True).stdout.split()
    jars = [
        Path(f)
        for f in listed
        if f.endswith(".jar") and Path(f).parent == JAVA_DIR and not Path(f).is_symlink() and Path(f).is_file()
    ]
    return jars, depends


def owlapi_classpath() -> str:
    """OWLAPI 5's jars and those of every Java library package it depends on, transitively."""
    given = os.environ.get("CYBERKG_OWLAPI_CLASSPATH")
    if given:
        return given
    if not OWLAPI_JAR.is_file():
        pytest.skip(f"OWLAPI 5 is not installed ({OWLAPI_JAR} missing): apt-get install libowlapi-java")
    if shutil.which("dpkg-query") is None:
        pytest.skip("no dpkg-query to find OWLAPI's dependencies: set CYBERKG_OWLAPI_CLASSPATH")
    seen: set[str] = set()
    todo = ["libowlapi-java"]
    jars: set[Path] = set()
    while todo:
        package = todo.pop()
        if package in seen:
            continue
        seen.add(package)
        found, depends = _dpkg_jars(package)
        jars.update(found)
        todo.extend(depends)
    kept = sorted(j for j in jars if not OTHER_SLF4J_BINDINGS.search(j.name))
    kept.sort(key=lambda j: not j.name.startswith("owlapi"))  # OWLAPI first, then the rest by name
    return os.pathsep.join(str(j) for j in kept)


def _hermit_jar() -> Path:
    spec = importlib.util.find_spec("owlready2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("owlready2 (which ships HermiT) is not installed: pip install -e '.[dev]'")
    jar = Path(next(iter(spec.submodule_search_locations))) / "hermit" / "HermiT.jar"
    if not jar.is_file():
        pytest.skip(f"owlready2 has no HermiT jar at {jar}")
    return jar


# -- the profile checker ----------------------------------------------------------------------


class Checker:
    """ProfileCheck.java, compiled once against OWLAPI."""

    def __init__(self, java: str, classpath: str):
        self.java, self.classpath = java, classpath

    def run(self, path: Path, *args: str) -> tuple[int, list[tuple[str, str]], str]:
        """(exit status, [(violation class, text)], stderr) for one ontology file."""
        done = subprocess.run(
            [self.java, "-cp", self.classpath, "ProfileCheck", *args, str(path)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        violations = [
            (kind, text)
            for line in done.stdout.splitlines()
            if line.startswith("VIOLATION\t")
            for _, kind, text in [line.split("\t", 2)]
        ]
        if done.returncode in (0, 1):
            assert f"violations: {len(violations)}" in done.stdout, done.stdout + done.stderr
        return done.returncode, violations, done.stderr


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    java = _java()
    javac = shutil.which("javac")
    if javac is None:
        pytest.skip("no javac on PATH: the OWL 2 DL check needs a JDK, not only a JRE")
    classpath = owlapi_classpath()
    classes = tmp_path_factory.mktemp("profile-check")
    done = subprocess.run(
        [javac, "-cp", classpath, "-d", str(classes), str(CHECKER)], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr
    return Checker(java, os.pathsep.join([str(classes), classpath]))


def _write(graph: Graph, path: Path) -> Path:
    assert (None, OWL.imports, None) not in graph  # nothing a tool could fetch
    graph.serialize(path, format="nt", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def vocabulary_file(tmp_path_factory) -> Path:
    """The vocabulary as the toolkit loads it (kg.ontology.load_ontology): ontology/*.ttl in one graph."""
    return _write(load_ontology(), tmp_path_factory.mktemp("vocabulary") / "vocabulary.nt")


def _show(violations: list[tuple[str, str]]) -> str:
    return "\n".join(f"{kind}: {text[:300]}" for kind, text in violations)


def test_the_ontology_is_in_owl2_dl(checker: Checker):
    status, violations, stderr = checker.run(resources.resource_dir("ontology") / "cyberkg.ttl")
    assert violations == [], _show(violations)
    assert status == 0, stderr


def test_the_vocabulary_with_its_concept_schemes_is_in_owl2_dl(checker: Checker, vocabulary_file: Path):
    status, violations, stderr = checker.run(vocabulary_file)
    assert violations == [], _show(violations)
    assert status == 0, stderr


BROKEN = """\
@prefix : <http://example.org/broken#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<http://example.org/broken> a owl:Ontology .
:Thing a owl:Class ; rdfs:subClassOf :Undeclared ; skos:definition "no declared annotation property"@en .
:both a owl:ObjectProperty , owl:DatatypeProperty ; rdfs:domain :Thing .
:when a owl:DatatypeProperty ; rdfs:range xsd:date .
"""


def test_the_checker_reports_the_violations_of_a_broken_ontology(checker: Checker, tmp_path: Path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(BROKEN, encoding="utf-8")
    status, violations, _ = checker.run(broken)
    assert status == 1
    kinds = {kind for kind, _ in violations}
    assert {
        "UseOfUndeclaredClass",
        "UseOfUndeclaredAnnotationProperty",
        "IllegalPunning",
        "UseOfUndeclaredDatatype",
    } <= kinds, _show(violations)


def test_without_the_declarations_of_external_terms_the_ontology_is_not_dl(checker: Checker, tmp_path: Path):
    """The ontology as it was before its external terms were declared: the violations of
    issue 19 come back, the punning on ckg:collectiveOf, ckg:role and ckg:topic among them
    (undeclared, skos:Concept was read as a datatype, so these became data properties too)."""
    graph = without_external_declarations(Graph().parse(resources.resource_dir("ontology") / "cyberkg.ttl"))
    status, violations, _ = checker.run(_write(graph, tmp_path / "undeclared.nt"))
    assert status == 1
    kinds_found = {kind for kind, _ in violations}
    assert {
        "UseOfUndeclaredAnnotationProperty",
        "UseOfUndeclaredClass",
        "UseOfUndeclaredObjectProperty",
        "UseOfUndeclaredDataProperty",
        "UseOfUndeclaredDatatype",
        "IllegalPunning",
    } <= kinds_found
    punned = {m for kind, text in violations if kind == "IllegalPunning" for m in re.findall(r"ontology#(\w+)>", text)}
    assert {"collectiveOf", "role", "topic"} <= punned


def test_the_checker_never_fetches_an_import(checker: Checker, tmp_path: Path):
    imported = tmp_path / "imported.ttl"
    imported.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<http://example.org/imported> a owl:Ontology .\n"
        "<http://example.org/imported#C> a owl:Class .\n",
        encoding="utf-8",
    )
    importing = tmp_path / "importing.ttl"
    importing.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<http://example.org/importing> a owl:Ontology ; owl:imports <http://example.org/imported> .\n"
        "<http://example.org/importing#D> a owl:Class ; rdfs:subClassOf <http://example.org/imported#C> .\n",
        encoding="utf-8",
    )
    status, _, stderr = checker.run(importing)
    assert status == 2
    assert "owl:imports http://example.org/imported is not mapped to a local file" in stderr
    status, violations, stderr = checker.run(importing, "--map", f"http://example.org/imported={imported}")
    assert (status, violations) == (0, []), stderr


# -- HermiT -------------------------------------------------------------------------------------


def hermit(path: Path, *options: str) -> subprocess.CompletedProcess:
    """HermiT's command line on one local file (it has no owl:imports to fetch)."""
    return subprocess.run(
        [_java(), "-jar", str(_hermit_jar()), *options, path.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def test_hermit_classifies_the_vocabulary_and_finds_it_consistent(vocabulary_file: Path, tmp_path: Path):
    """With no flag: the vocabulary uses only datatypes of the OWL 2 datatype map."""
    output = tmp_path / "hermit.txt"  # -o takes every answer: consistency, unsatisfiable classes, taxonomy
    done = hermit(vocabulary_file, "-k", "-U", "-c", "-o", str(output))
    assert done.returncode == 0, done.stderr
    answers = output.read_text(encoding="utf-8")
    assert THING_SATISFIABLE in answers  # consistent
    unsatisfiable = answers.split("Classes equivalent to 'owl:Nothing':", 1)[1].split("SubClassOf(", 1)[0].split()
    assert unsatisfiable == ["owl:Nothing"]  # every class can have members
    inferred = answers
    assert f"SubClassOf( <{CKG.MemberState}> <{CKG.State}> )" in inferred
    assert f"SubClassOf( <{CKG.Paragraph}> <{CKG.Passage}> )" in inferred


DATE_RANGE = """\
@prefix : <http://example.org/dated#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<http://example.org/dated> a owl:Ontology .
:Meeting a owl:Class .
xsd:date a rdfs:Datatype .
:startDate a owl:DatatypeProperty ; rdfs:domain :Meeting ; rdfs:range {range} .
"""


def test_hermit_needs_no_flag_for_the_vocabulary_but_refuses_an_xsd_date_range(vocabulary_file: Path, tmp_path: Path):
    """The vocabulary loads with no flag, and has no xsd:date or xsd:gYear range left;
    an ontology with an xsd:date range (as this one had) is still refused without
    --ignoreUnsupportedDatatypes, so the check would notice one coming back."""
    loaded = hermit(vocabulary_file, "-k")
    assert loaded.returncode == 0, loaded.stderr
    assert THING_SATISFIABLE in loaded.stdout
    graph = Graph().parse(vocabulary_file)
    assert [(p, r) for r in (XSD.date, XSD.gYear) for p in graph.subjects(RDFS.range, r)] == []
    assert len(list(graph.subjects(RDFS.range, RDFS.Literal))) == 9  # the eight dates and ckg:year

    dated = tmp_path / "dated.ttl"
    dated.write_text(DATE_RANGE.format(range="xsd:date"), encoding="utf-8")
    refused = hermit(dated, "-k")
    assert refused.returncode != 0
    assert "UnsupportedDatatypeException" in refused.stderr
    assert f"The datatype '{XSD.date}' is not part of the OWL 2 datatype map" in refused.stderr
    assert hermit(dated, "--ignoreUnsupportedDatatypes", "-k").returncode == 0
    dated.write_text(DATE_RANGE.format(range="rdfs:Literal"), encoding="utf-8")
    accepted = hermit(dated, "-k")
    assert accepted.returncode == 0, accepted.stderr


def test_hermit_finds_the_built_sample_graph_consistent(tmp_path: Path):
    """The data holds xsd:date and xsd:gYear literals (a meeting's days, a treaty action's
    date, a General Debate's year), which HermiT refuses without --ignoreUnsupportedDatatypes
    whatever the ranges: it parses every literal, and knows only the OWL 2 datatype map.
    With the flag they are opaque values, which is all the reasoning here needs (no range
    or restriction compares dates). Without it HermiT refuses such a literal, and with
    them taken out the graph loads with no flag: the flag is for those literals alone."""
    graph = tmp_path / "sample.ttl"  # the union of the named graphs, the vocabulary among them
    done = cyberkg("build", "-o", str(graph))
    assert done.returncode == 0, done.stderr
    assert (None, OWL.imports, None) not in Graph().parse(graph)
    checked = hermit(graph, "--ignoreUnsupportedDatatypes", "-k")
    assert checked.returncode == 0, checked.stderr
    assert THING_SATISFIABLE in checked.stdout

    outside_the_map = {XSD.date, XSD.gYear, XSD.gYearMonth}
    refused = hermit(graph, "-k")
    assert refused.returncode != 0
    named = re.findall(r"The datatype '([^']+)' is not part of the OWL 2 datatype map", refused.stderr)
    assert named and set(named) <= {str(d) for d in outside_the_map}, refused.stderr
    undated = Graph().parse(graph)
    for triple in [t for t in undated if isinstance(t[2], Literal) and t[2].datatype in outside_the_map]:
        undated.remove(triple)
    loaded = hermit(_write(undated, tmp_path / "undated.nt"), "-k")
    assert loaded.returncode == 0, loaded.stderr
    assert THING_SATISFIABLE in loaded.stdout


def test_hermit_finds_an_inconsistent_graph_inconsistent(vocabulary_file: Path, tmp_path: Path):
    graph = Graph().parse(vocabulary_file)
    named_and_anonymous = URIRef("https://w3id.org/cyberkg/id/state/XXX")
    graph.add((named_and_anonymous, RDF.type, CKG.State))
    graph.add((named_and_anonymous, RDF.type, CKG.AnonymousCollective))  # disjoint with every named actor
    done = hermit(_write(graph, tmp_path / "inconsistent.nt"), "-k")
    assert done.returncode != 0
    assert "InconsistentOntologyException" in done.stderr
