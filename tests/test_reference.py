"""The reference layer, checked against its source files: States, names, instruments,
memberships, treaty actions and recorded votes, every fact with a source."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg import resources
from kg.errors import CyberkgError
from kg.iris import Iris
from kg.namespaces import CKG, COVERAGE, TREATY_ACTION, VOTE_OPTION
from kg.ontology import Vocabulary
from kg.reference import ReferenceData, load_reference
from kg.reference.context import INSTRUMENT_CLASSES

REFERENCE = resources.resource_dir("reference")
DATA = Path(__file__).parent / "data"
IRIS = Iris()


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as stream:
        return list(csv.DictReader(line for line in stream if not line.startswith("#")))


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return load_reference()


def state_iris(ref: ReferenceData) -> set[URIRef]:
    return {s for s in ref.graph.subjects(CKG.iso3, None)}


# -- States -------------------------------------------------------------------------


def test_195_states_with_unique_codes_and_wikidata_links(ref: ReferenceData):
    g = ref.graph
    states = state_iris(ref)
    source_rows = rows(REFERENCE / "un_member_and_observer_states.csv")
    assert len(states) == len(source_rows) == 195
    assert len(set(g.subjects(RDF.type, CKG.MemberState))) == 193
    assert {ref.graph.value(s, RDFS.label) for s in g.subjects(RDF.type, CKG.ObserverState)} == {
        Literal("Holy See", lang="en"),
        Literal("State of Palestine", lang="en"),
    }
    for code in (CKG.iso3, CKG.m49):
        values = [g.value(s, code) for s in states]
        assert len(set(values)) == 195, code
    wikidata = [o for s in states for o in g.objects(s, OWL.sameAs)]
    assert len(wikidata) == len(set(wikidata)) == 195
    assert all(str(o).startswith("http://www.wikidata.org/entity/Q") for o in wikidata)
    assert all(len(str(g.value(s, CKG.m49))) == 3 for s in states)
    # spot checks against the source table itself
    by_iso = {r["iso3"]: r for r in source_rows}
    for iso3 in ("AFG", "NAM", "VNM", "PSE"):
        state = IRIS.state(iso3)
        assert str(g.value(state, CKG.m49)) == by_iso[iso3]["m49"].zfill(3)
        assert (state, OWL.sameAs, URIRef("http://www.wikidata.org/entity/" + by_iso[iso3]["wikidata_qid"])) in g


def test_every_state_has_one_official_short_name_and_its_variants(ref: ReferenceData):
    g = ref.graph
    for state in state_iris(ref):
        assert len(list(g.objects(state, RDFS.label))) == 1
        assert set(g.objects(state, SKOS.prefLabel)) == set(g.objects(state, RDFS.label))
        assert not set(g.objects(state, SKOS.prefLabel)) & set(g.objects(state, SKOS.altLabel))
    turkey = IRIS.state("TUR")
    assert g.value(turkey, RDFS.label) == Literal("Türkiye", lang="en")
    assert Literal("Turkey", lang="en") in set(g.objects(turkey, SKOS.altLabel))


# -- names ------------------------------------------------------------------------------


@pytest.mark.parametrize("row", rows(DATA / "state_names_in_samples.csv"), ids=lambda r: r["name"])
def test_every_state_name_in_the_sample_reports_resolves(ref: ReferenceData, row: dict):
    assert ref.actors.lookup(row["name"]) == IRIS.state(row["iso3"])


@pytest.mark.parametrize("row", rows(DATA / "state_name_variants.csv"), ids=lambda r: r["name"])
def test_name_variants_resolve_to_the_right_state_or_to_nothing(ref: ReferenceData, row: dict):
    found = ref.actors.lookup(row["name"])
    if row["iso3"]:
        assert found == IRIS.state(row["iso3"])
    else:
        assert found is None or found not in state_iris(ref), f"{row['name']!r} must not resolve to a State"


def test_no_name_or_alias_points_to_two_nodes(ref: ReferenceData):
    assert ref.actors.ambiguous() == {}
    assert ref.instruments.ambiguous() == {}


def test_every_instrument_alias_resolves_to_exactly_its_instrument(ref: ReferenceData):
    g = ref.graph
    instruments = {s for c in INSTRUMENT_CLASSES for s in g.subjects(RDF.type, c)}
    assert len(instruments) >= 20
    checked = 0
    for instrument in instruments:
        names = [*g.objects(instrument, RDFS.label), *g.objects(instrument, SKOS.altLabel)]
        assert names, instrument
        for name in names:
            assert ref.instruments.candidates(str(name)) == {instrument}, name
            checked += 1
    assert checked > 50
    assert ref.instruments.lookup("the Budapest Convention") == IRIS("instrument/budapest-convention")
    assert ref.instruments.lookup("Organized Crime Convention") == IRIS("instrument/untoc")


def test_groups_and_bodies_resolve_by_name(ref: ReferenceData):
    assert ref.actors.lookup("Group of 77 and China") == IRIS("org/g77")
    assert ref.actors.lookup("European Union") == IRIS("org/european-union")
    assert ref.actors.lookup("Council of Europe") == IRIS("org/council-of-europe")
    assert ref.actors.lookup("UNODC") == IRIS("org/unodc")
    assert ref.actors.lookup("Commission on Crime Prevention and Criminal Justice") == IRIS("org/ccpcj")


# -- instruments --------------------------------------------------------------------------


def test_instruments_carry_identity_and_links(ref: ReferenceData):
    g = ref.graph
    budapest = IRIS("instrument/budapest-convention")
    assert (budapest, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q223800")) in g
    assert g.value(budapest, CKG.treatyNumber) == Literal("ETS No. 185")
    assert g.value(IRIS("instrument/budapest-convention-second-protocol"), CKG.protocolTo) == budapest
    assert g.value(IRIS("instrument/untoc"), CKG.adoptedByResolution) == IRIS("resolution/ga-55-25")
    convention = IRIS("instrument/un-convention-against-cybercrime")
    assert g.value(convention, CKG.adoptedByResolution) == IRIS("resolution/ga-79-243")
    assert g.value(IRIS("instrument/new-global-instrument-on-cybercrime"), CKG.realisedAs) == convention
    assert g.value(IRIS("instrument/draft-un-convention-cooperation-cybercrime-2017"), CKG.draftOf) == IRIS(
        "instrument/new-global-instrument-on-cybercrime"
    )
    assert g.value(IRIS("resolution/ccpcj-26-4"), CKG.adoptingBody) == IRIS("org/ccpcj")
    assert g.value(IRIS("resolution/ga-74-247"), CKG.adoptingBody) == IRIS("org/general-assembly")
    for number in ("55/25", "65/230", "70/174", "73/187", "74/247", "75/282", "79/243", "68/167", "26/4"):
        assert list(g.subjects(CKG.resolutionNumber, Literal(number))), number


# -- memberships ---------------------------------------------------------------------------


def test_memberships_match_their_table_and_keep_dates(ref: ReferenceData):
    g = ref.graph
    table = rows(REFERENCE / "memberships.csv")
    assert len(list(g.subjects(RDF.type, ORG.Membership))) == len(table)
    eu = IRIS("org/european-union")
    current = {s for s in g.subjects(ORG.memberOf, eu)}
    assert len(current) == 27 and IRIS.state("GBR") not in current
    uk = IRIS.membership(eu, IRIS.state("GBR"))
    end = g.value(
        g.value(g.value(uk, ORG.memberDuring), URIRef("http://www.w3.org/2006/time#hasEnd")),
        URIRef("http://www.w3.org/2006/time#inXSDDate"),
    )
    assert end == Literal("2020-01-31", datatype=XSD.date)
    g77 = {s for s in g.subjects(ORG.memberOf, IRIS("org/g77"))}
    assert IRIS.state("PSE") in g77 and IRIS.state("CHN") in g77


# -- treaty actions ------------------------------------------------------------------------


def test_treaty_actions_from_the_partial_tables(ref: ReferenceData):
    g = ref.graph
    budapest = IRIS("instrument/budapest-convention")
    albania = IRIS.treaty_action(budapest, IRIS.state("ALB"), "ratification")
    assert g.value(albania, CKG.actionDate) == Literal("2002-06-20", datatype=XSD.date)
    assert g.value(albania, CKG.actionType) == TREATY_ACTION.ratification
    assert g.value(albania, CKG.asOf) == Literal("2015-12-03", datatype=XSD.date)
    # the old name in the chart resolves to the State as it is called now
    assert (IRIS.treaty_action(budapest, IRIS.state("CZE"), "signature"), CKG.actor, IRIS.state("CZE")) in g
    # a date the source does not give to the day is kept as given, never guessed
    convention = IRIS("instrument/un-convention-against-cybercrime")
    viet_nam = IRIS.treaty_action(convention, IRIS.state("VNM"), "signature")
    assert g.value(viet_nam, CKG.actionDate) is None
    assert str(g.value(viet_nam, CKG.dateAsGiven)).startswith("2025-10-25/26")
    # the European Union signs as an organization
    assert (IRIS.treaty_action(convention, IRIS("org/european-union"), "signature"), RDF.type, CKG.TreatyAction) in g
    signatures = set(g.subjects(CKG.treaty, convention))
    assert len(signatures) == len(rows(REFERENCE / "un_cybercrime_convention_signatories_partial.csv")) == 43


def test_partial_tables_are_flagged_in_the_graph(ref: ReferenceData):
    g = ref.graph
    for key in ("budapest-convention-ets185", "un-cybercrime-convention-signatories"):
        source = IRIS.source(key)
        assert g.value(source, CKG.coverage) == COVERAGE.partial
        assert "PARTIAL" in str(g.value(source, CKG.coverageNote))
        assert g.value(source, CKG.asOf).datatype == XSD.date
    for action in g.subjects(RDF.type, CKG.TreatyAction):
        assert g.value(g.value(action, PROV.wasDerivedFrom), CKG.coverage) == COVERAGE.partial


def test_cells_that_are_not_dates_are_reported_not_dropped(ref: ReferenceData):
    messages = [str(d) for d in ref.diagnostics]
    assert any("budapest_convention_ets185_partial.csv" in m and "Germany" in m and "not a date" in m for m in messages)
    germany = IRIS.state("DEU")
    budapest = IRIS("instrument/budapest-convention")
    assert (IRIS.treaty_action(budapest, germany, "ratification"), RDF.type, CKG.TreatyAction) in ref.graph
    assert (IRIS.treaty_action(budapest, germany, "entry-into-force"), RDF.type, CKG.TreatyAction) not in ref.graph


# -- votes -----------------------------------------------------------------------------------

TOTALS = """
PREFIX ckg: <https://w3id.org/cyberkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?number ?option (COUNT(?vote) AS ?n) WHERE {
  ?vote a ckg:Vote ; ckg:voteEvent ?event ; ckg:voteOption ?option .
  ?event ckg:onResolution/ckg:resolutionNumber ?number .
} GROUP BY ?number ?option
"""


def test_short_labels_are_distinct_aliases_of_their_instrument(ref: ReferenceData):
    """The short label pictures print is one of the instrument's own aliases, so the name
    printed is a name the tool accepts back, and no two instruments print the same."""
    g = ref.graph
    shorts = [(instrument, label) for instrument, label in g.subject_objects(CKG.shortLabel)]
    assert len(shorts) >= 20
    assert all((instrument, SKOS.altLabel, label) in g for instrument, label in shorts)
    assert len({label for _, label in shorts}) == len(shorts) == len({i for i, _ in shorts})
    assert (IRIS("instrument/budapest-convention"), CKG.shortLabel, Literal("Budapest Convention", lang="en")) in g


def test_vote_totals_recomputed_from_the_graph_match_the_official_counts(ref: ReferenceData):
    counts = {(str(r.number), r.option): int(r.n) for r in ref.graph.query(TOTALS)}
    assert (
        counts[("73/187", VOTE_OPTION.yes)],
        counts[("73/187", VOTE_OPTION.no)],
        counts[("73/187", VOTE_OPTION.abstain)],
    ) == (94, 59, 33)
    assert (
        counts[("74/247", VOTE_OPTION.yes)],
        counts[("74/247", VOTE_OPTION.no)],
        counts[("74/247", VOTE_OPTION.abstain)],
    ) == (79, 60, 33)
    # the ICT-security resolutions, yes-no-abstain as the Assembly announced them
    for number, announced in {
        "73/27": (119, 46, 14),
        "73/266": (138, 12, 16),
        "74/28": (163, 10, 6),
        "74/29": (129, 6, 45),
    }.items():
        assert tuple(counts[(number, option)] for option in (VOTE_OPTION.yes, VOTE_OPTION.no, VOTE_OPTION.abstain)) == (
            announced
        )
    g = ref.graph
    assert len(set(g.subjects(RDF.type, CKG.VoteEvent))) == 6
    for event in g.subjects(RDF.type, CKG.VoteEvent):
        number = str(g.value(g.value(event, CKG.onResolution), CKG.resolutionNumber))
        announced = (
            int(g.value(event, CKG.yesCount)),
            int(g.value(event, CKG.noCount)),
            int(g.value(event, CKG.abstainCount)),
        )
        assert announced == (
            counts[(number, VOTE_OPTION.yes)],
            counts[(number, VOTE_OPTION.no)],
            counts[(number, VOTE_OPTION.abstain)],
        )


def test_every_member_state_has_an_option_in_each_recorded_vote(ref: ReferenceData):
    g = ref.graph
    for event in g.subjects(RDF.type, CKG.VoteEvent):
        voters = Counter(g.value(v, CKG.voter) for v in g.subjects(CKG.voteEvent, event))
        assert set(voters) == set(g.subjects(RDF.type, CKG.MemberState))
        assert set(voters.values()) == {1}
    assert any("TWN" in str(d) and "not loaded" in str(d) for d in ref.diagnostics)


# -- provenance, consistency, determinism ---------------------------------------------------

FACT_CLASSES = (
    CKG.MemberState,
    CKG.ObserverState,
    CKG.GroupOfStates,
    CKG.RegionalGroup,
    CKG.IntergovernmentalOrganization,
    CKG.UNBody,
    CKG.UNOffice,
    *INSTRUMENT_CLASSES,
    CKG.Meeting,
    CKG.Session,
    CKG.Document,
    ORG.Membership,
    CKG.TreatyAction,
    CKG.VoteEvent,
    CKG.Vote,
)


def test_every_fact_node_carries_a_source(ref: ReferenceData):
    g = ref.graph
    tables = set(g.subjects(RDF.type, CKG.SourceTable))
    nodes = {s for c in FACT_CLASSES for s in g.subjects(RDF.type, c)}
    assert len(nodes) > 1000
    for node in nodes:
        derived = set(g.objects(node, PROV.wasDerivedFrom))
        assert derived and derived <= tables, node
    for table in tables:
        assert g.value(table, CKG.asOf) is not None, table
        assert g.value(table, CKG.coverage) in (COVERAGE.complete, COVERAGE.partial), table
        assert (REFERENCE / str(g.value(table, DCTERMS.identifier))).is_file(), table
    for table in tables:  # CSV tables bring their own sources; Turtle files give one per node
        name = str(g.value(table, DCTERMS.identifier))
        if name.endswith(".csv"):
            assert list(g.objects(table, DCTERMS.source)), name
        else:
            for node in g.subjects(PROV.wasDerivedFrom, table):
                assert list(g.objects(node, DCTERMS.source)), node


def test_every_reference_file_is_described_and_loaded():
    described = {
        str(o) for o in load_reference().graph.objects(None, DCTERMS.identifier) if str(o).endswith((".csv", ".ttl"))
    }
    on_disk = {p.name for p in REFERENCE.iterdir() if p.suffix in (".csv", ".ttl") and p.name != "sources.ttl"}
    assert on_disk <= described


def test_reference_graph_is_consistent_with_the_vocabulary(ref: ReferenceData, vocabulary: Vocabulary):
    assert vocabulary.check_instances(ref.graph) == []


def test_loading_twice_gives_the_same_graph(ref: ReferenceData):
    again = load_reference()
    assert to_isomorphic(again.graph) == to_isomorphic(ref.graph)
    assert sorted(again.graph.serialize(format="nt").splitlines()) == sorted(
        ref.graph.serialize(format="nt").splitlines()
    )


def test_base_iri_is_configurable():
    base = "https://data.example.org/un-cyber/"
    graph = load_reference(base=base).graph
    ours = {str(t) for triple in graph for t in triple if isinstance(t, URIRef) and "w3id.org/cyberkg/id/" in str(t)}
    assert ours == set()
    assert (URIRef(base + "state/FRA"), CKG.iso3, Literal("FRA")) in graph


# -- bad data -------------------------------------------------------------------------------


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE, folder)
    return folder


def test_unknown_actor_names_are_listed_in_a_warning_never_guessed(reference_copy: Path):
    table = reference_copy / "budapest_convention_ets185_partial.csv"
    table.write_text(
        table.read_text(encoding="utf-8") + "Atlantis,2001-11-23,,,,2015-12-03,no\nKorea,2001-11-23,,,,2015-12-03,no\n",
        encoding="utf-8",
    )
    data = load_reference(folder=reference_copy)
    messages = [str(d) for d in data.diagnostics]
    assert any(
        "budapest_convention_ets185_partial.csv:24: state 'Atlantis' matches no known State or organization" in m
        for m in messages
    ), messages
    assert any(":25: state 'Korea'" in m for m in messages)
    assert not any("Atlantis" in str(o) or "/Korea" in str(o) for o in data.graph.all_nodes())


@pytest.mark.parametrize(
    "file, old, new, message",
    [
        (
            "unga_recorded_votes.csv",
            "2,USA,United States of America,No,No",
            "2,USA,United States of America,No,Maybe",
            "unga_recorded_votes.csv:6: vote_A_RES_74_247_2019-12-27 is 'Maybe', not a vote option",
        ),
        ("memberships.csv", "EU,AUT,", "XYZ,AUT,", "memberships.csv:7: no organization has the key 'XYZ'"),
        (
            "memberships.csv",
            "EU,AUT,1995-01-01",
            "EU,AUT,1 January 1995",
            "memberships.csv:7: '1 January 1995' is not a date",
        ),
        (
            "un_member_and_observer_states.csv",
            "AFG,004,Q889",
            "AFG,004,889",
            "un_member_and_observer_states.csv:4: wikidata_qid '889' is not a Wikidata entity id",
        ),
        (
            "expert_group_meetings.csv",
            "meeting_no,start_date",
            "meeting,start_date",
            "expert_group_meetings.csv:3: missing column(s) meeting_no",
        ),
    ],
)
def test_malformed_reference_data_is_a_one_line_error_naming_file_and_line(
    reference_copy: Path, file, old, new, message
):
    path = reference_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CyberkgError) as caught:
        load_reference(folder=reference_copy)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
