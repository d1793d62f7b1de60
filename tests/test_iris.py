"""The IRI scheme of kg.iris: each pattern for a few concrete inputs, under the default base
and under another one, and the scheme's table in the module docstring naming every method
that mints an IRI."""

from __future__ import annotations

import inspect
import re

import pytest
from pyoxigraph import NamedNode
from rdflib import URIRef

import kg.iris
from kg.config import DEFAULT_BASE
from kg.iris import Iris

OTHER = "https://example.org/kg/"


@pytest.fixture(params=[DEFAULT_BASE, OTHER], ids=["default-base", "other-base"])
def iris(request) -> Iris:
    return Iris(request.param)


def test_nodes_under_the_base(iris: Iris):
    b = iris.base
    assert iris("instrument/budapest-convention") == URIRef(f"{b}instrument/budapest-convention")
    assert iris.state("fra") == URIRef(f"{b}state/FRA")
    assert iris.source("states") == URIRef(f"{b}source/states")
    assert iris.document("A/AC.291/22/Rev.3") == URIRef(f"{b}doc/A-AC.291-22-Rev.3")
    assert iris.document(" UNODC/CCPCJ/EG.4/2019/INF/1 ") == URIRef(f"{b}doc/UNODC-CCPCJ-EG.4-2019-INF-1")
    assert iris.file_document("Corpus summary (draft)") == URIRef(f"{b}doc/file-corpus-summary-draft")
    assert iris.meeting("ad-hoc-committee-on-cybercrime", "session-2") == URIRef(
        f"{b}meeting/ad-hoc-committee-on-cybercrime/session-2"
    )
    g77, cuba, ghana = iris("org/g77"), iris.state("CUB"), iris.state("GHA")
    assert iris.membership(g77, cuba) == URIRef(f"{b}membership/g77/CUB")
    treaty = iris("instrument/budapest-convention")
    assert iris.treaty_action(treaty, ghana, "accession") == URIRef(
        f"{b}treaty-action/budapest-convention/GHA/accession"
    )
    assert iris.vote(iris("vote-event/ga-73-187"), cuba) == URIRef(f"{b}vote-event/ga-73-187/CUB")


def test_report_documents_without_a_symbol(iris: Iris):
    b = iris.base
    ahc, egm = iris("org/ad-hoc-committee-on-cybercrime"), iris("org/expert-group-on-cybercrime")
    session = iris.meeting("ad-hoc-committee-on-cybercrime", "session-3")
    assert iris.report_document(ahc, session, "report") == URIRef(
        f"{b}doc/ad-hoc-committee-on-cybercrime-session-3-report"
    )
    # a meeting the reference data does not know is named by its ordinal
    assert iris.report_document(egm, 6, "draft-report-addendum") == URIRef(
        f"{b}doc/expert-group-on-cybercrime-meeting-6-draft-report-addendum"
    )


def test_persons_and_resolutions(iris: Iris):
    b = iris.base
    assert iris.person("Aiko Tanaka", iris.state("JPN")) == URIRef(f"{b}person/aiko-tanaka-jpn")
    assert iris.person("Ana María Restrepo") == URIRef(f"{b}person/ana-maria-restrepo")
    assert iris.person("Ana María Restrepo", None) == iris.person("Ana María Restrepo")
    assert iris.resolution("GA", "79/243") == URIRef(f"{b}resolution/ga-79-243")
    assert iris.resolution("CCPCJ", "26/4") == URIRef(f"{b}resolution/ccpcj-26-4")
    assert iris.resolution(None, "75/282") == URIRef(f"{b}resolution/unknown-body-75-282")


def test_nodes_under_a_document(iris: Iris):
    doc = NamedNode(str(iris.document("A/AC.291/22")))
    d = doc.value
    assert d == f"{iris.base}doc/A-AC.291-22"
    assert iris.section(doc, "iii/a") == NamedNode(f"{d}/section/iii/a")
    passage = iris.passage(doc, "para/10/item/b")
    assert passage == NamedNode(f"{d}/para/10/item/b")
    sentence = iris.sentence(passage, 2)
    assert sentence == NamedNode(f"{d}/para/10/item/b/sentence/2")
    assert iris.position(sentence, 1) == NamedNode(f"{d}/para/10/item/b/sentence/2/position/1")
    assert iris.treaty_action_in(sentence, 3) == NamedNode(f"{d}/para/10/item/b/sentence/2/treaty-action/3")
    assert iris.attendance(doc, "Non-member observer State") == NamedNode(f"{d}/attendance/non-member-observer-state")
    assert iris.collective(doc, "some", "member-states") == NamedNode(f"{d}/collective/some-member-states")
    meeting = NamedNode(str(iris.meeting("general-assembly", "2024-07-29")))
    assert iris.agenda_item(meeting, "4 (a)") == NamedNode(f"{iris.base}meeting/general-assembly/2024-07-29/agenda/4-a")


def test_participations(iris: Iris):
    doc = NamedNode(str(iris.document("UNODC/CCPCJ/EG.4/2019/2")))
    d = doc.value
    estonia, g77, person = iris.state("EST"), iris("org/g77"), iris.person("Markko Künnapu", iris.state("EST"))
    assert iris.participation(doc, "speaker", estonia) == NamedNode(f"{d}/participation/speaker/EST")
    assert iris.participation(doc, "speaker", iris.state("CUB"), g77) == NamedNode(
        f"{d}/participation/speaker/CUB-for-g77"
    )
    assert iris.participation(doc, "panellist", person, item="3") == NamedNode(
        f"{d}/participation/panellist/markko-kunnapu-est-item-3"
    )
    assert iris.participation(doc, "speaker", estonia, n=1) == iris.participation(doc, "speaker", estonia)
    assert iris.participation(doc, "speaker", iris.state("CUB"), g77, "4 (a)", n=2) == NamedNode(
        f"{d}/participation/speaker/CUB-for-g77-item-4-a-2"
    )


def test_what_each_kind_of_method_returns(iris: Iris):
    doc = NamedNode(str(iris.document("A/79/PV.55")))
    assert type(iris.document("A/79/PV.55")) is URIRef
    assert type(iris.person("Aiko Tanaka")) is URIRef
    assert type(iris.passage(doc, "para/1")) is NamedNode
    assert type(iris.participation(doc, "speaker", iris.state("CHE"))) is NamedNode


def test_keys_are_read_under_the_own_base_only():
    other, default = Iris(OTHER), Iris()
    assert other.key(other.state("FRA")) == "FRA"
    assert other.path(other("org/g77")) == "org/g77"
    with pytest.raises(ValueError, match="not under the base"):
        other.membership(default("org/g77"), default.state("CUB"))
    with pytest.raises(ValueError, match="not under the base"):
        other.person("Aiko Tanaka", default.state("JPN"))


def test_the_scheme_table_names_every_minting_method():
    """Every method that mints an IRI has a row in the module docstring's tables, and every
    method a row names exists."""
    doc = kg.iris.__doc__
    assert doc is not None
    rows = re.findall(r"^\S.*?[ ]{2,}([a-z_]+)[ ]{2,}\S", doc, flags=re.MULTILINE)
    named = set(rows)
    assert len(rows) == len(named)  # one row each
    minting = {
        name
        for name, member in inspect.getmembers(Iris, inspect.isfunction)
        if not name.startswith("_") and name not in ("path", "key")
    }
    assert named == minting
