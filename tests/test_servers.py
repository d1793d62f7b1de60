"""Every canned query on three SPARQL engines: pyoxigraph on the graph file (the local
engine), an Oxigraph server and Virtuoso Open Source 7, the two servers started by the
tests and loaded with the sample graph's named graphs. Each engine queries the union of
the named graphs as its default graph, as cyberkg does: the local engine merges them, the
Oxigraph server is asked for it (union-default-graph), Virtuoso gives it unasked (with its
own graphs, which no canned query matches, and a statement held by two graphs matched once
per graph: the sample graph holds 15 such statements, so the comparison covers them).

The rows must be the same term for term (IRIs, lexical forms, datatypes, language tags),
and for a query with ORDER BY in the same order of the ordering variables it returns. The
networks, built from canned queries, must come out the same from Virtuoso as locally.
"""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator

import networkx as nx
import pytest

import oxigraph_server as oxigraph
import virtuoso_server as virtuoso
from commands import cyberkg
from kg.draw.networks import KINDS, build_network
from kg.graphio import read_statements
from kg.http import Credentials
from kg.publish.graph_store import Client, publish
from kg.query.catalogue import load_catalogue
from kg.query.engines import LocalEngine, RemoteEngine
from kg.query.params import NameResolver, bind
from kg.query.results import Results
from rows import order_variables

ID = "https://w3id.org/cyberkg/id/"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
CATALOGUE = load_catalogue()

# Each query runs with its header's example and with the parameters tests/test_queries.py
# gives it (no parameters at all where that is allowed, other instruments, actors, filters).
MORE_PARAMETERS: dict[str, list[dict[str, str]]] = {
    "who-supported": [
        {},
        {"basis": "statement"},
        {"instrument": "Budapest Convention", "basis": "treaty action"},
        {"instrument": "new global legal instrument on cybercrime"},
    ],
    "positions-of": [{"actor": "Group of 77 and China"}, {"actor": "Albania"}],
    "stance-timeline": [
        {"instrument": "United Nations Convention against Cybercrime"},
        {"instrument": "Budapest Convention"},
    ],
    "stances-on": [{"instrument": "Budapest Convention"}, {"instrument": "A/RES/74/247"}],
    "recommendations": [{}, {"document": "UNODC/CCPCJ/EG.4/2019/2"}, {"text": "certify digital forensics"}],
    "speakers": [{}],
    "treaty-status": [{"instrument": "United Nations Convention against Cybercrime"}],
}
RUNS = [
    pytest.param(name, params, id=name if i == 0 else f"{name}-{i}")
    for name in sorted(CATALOGUE)
    for i, params in enumerate([CATALOGUE[name].example_params, *MORE_PARAMETERS.get(name, [])])
]

# -- the engines ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local(graph_file) -> LocalEngine:
    return LocalEngine(graph_file)


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory, graph_file) -> Iterator[str]:
    """An Oxigraph server holding the sample graph: its base URL."""
    if oxigraph.binary() is None:
        pytest.skip(oxigraph.MISSING)
    with oxigraph.oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as running:
        publish(read_statements(graph_file), f"{running.url}/store")  # the Graph Store URL, as given
        yield running.url


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[virtuoso.Server]:
    """A fresh Virtuoso Open Source 7 (virtuoso_server.Server), empty."""
    if virtuoso.binaries() is None:
        pytest.skip(virtuoso.MISSING)
    with virtuoso.virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as running:
        yield running


@pytest.fixture(scope="session")
def virtuoso_endpoint(virtuoso_server, graph_file) -> str:
    """The Virtuoso server holding the sample graph, uploaded as a user does (`cyberkg publish`
    to the authenticated Graph Store, with HTTP Digest): its SPARQL endpoint."""
    published = cyberkg(
        "publish",
        "--endpoint",
        virtuoso_server.graph_store,
        "--graph",
        str(graph_file),
        env=virtuoso.publish_env(virtuoso_server),
    )
    assert published.returncode == 0, published.stderr
    return virtuoso_server.query_url


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request) -> tuple[str, RemoteEngine]:
    url = request.getfixturevalue(f"{request.param}_endpoint")
    return request.param, RemoteEngine(url, timeout=60)


_resolvers: dict[int, NameResolver] = {}


def run(engine, name: str, params: dict[str, str]) -> Results:
    """The canned query on the engine, its parameters resolved by that engine's names (fetched once)."""
    query = CATALOGUE[name]
    resolver = _resolvers.setdefault(id(engine), NameResolver(engine, ID))
    return engine.select(query.text, bind(query, params, resolver))


# -- comparing rows ------------------------------------------------------------------------------


def term_rows(results: Results, variables: list[str]) -> list[tuple[str, ...]]:
    """Rows as tuples of N-Triples terms ("" for unbound), datatypes and language tags included."""
    return [tuple(str(row[v]) if v in row else "" for v in variables) for row in results.rows]


def differences(query_text: str, expected: Results, got: Results) -> list[str]:
    """How `got` differs from `expected`: its variables, its rows as a multiset of terms,
    and, for a query with ORDER BY, the order of the ordering variables it returns (up to the
    first it does not return: ties may come in any order)."""
    if got.variables != expected.variables:
        return [f"variables {got.variables}, expected {expected.variables}"]
    want, have = Counter(term_rows(expected, expected.variables)), Counter(term_rows(got, expected.variables))
    if want != have:
        missing, extra = want - have, have - want
        found = [f"{sum(missing.values())} of {len(expected.rows)} rows missing, {sum(extra.values())} extra"]
        found += [f"missing {dict(zip(expected.variables, row))}" for row in list(missing)[:2]]
        found += [f"extra   {dict(zip(expected.variables, row))}" for row in list(extra)[:2]]
        return found
    keys = []
    for variable in order_variables(query_text):
        if variable not in expected.variables:
            break
        keys.append(variable)
    if keys and term_rows(got, keys) != term_rows(expected, keys):
        return [f"the same rows, not in the order of ORDER BY {' '.join('?' + k for k in keys)}"]
    return []


# -- every canned query, the same rows -------------------------------------------------------------


def test_every_canned_query_runs():
    """RUNS holds every canned query (a new .rq file is compared without a change here)."""
    assert {param.values[0] for param in RUNS} == set(CATALOGUE)


@pytest.mark.parametrize("name, params", RUNS)
def test_canned_query_gives_the_same_rows_on_each_server(local, server, name, params):
    kind, engine = server
    expected, got = run(local, name, params), run(engine, name, params)
    assert expected.rows, f"{name} {params}: no rows on the sample graph, nothing compared"
    found = differences(CATALOGUE[name].text, expected, got)
    assert not found, f"{kind}, {name} {params}:\n" + "\n".join(found)


def test_the_servers_hold_what_the_file_holds(local, server):
    """Every statement arrived: per named graph, the same number of statements."""
    kind, engine = server
    count = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ours = {row["g"].value: row["n"].value for row in local.select(count).rows}
    theirs = {row["g"].value: row["n"].value for row in engine.select(count).rows}
    assert ours and {g: theirs.get(g) for g in ours} == ours


def test_a_statement_in_two_graphs_is_matched_once_per_graph_by_virtuoso(local, virtuoso_endpoint):
    """Why every canned query is DISTINCT or counts DISTINCT: Virtuoso's default graph is
    the union of its graphs as a bag, so a statement the sample graph holds in two named
    graphs (a report's symbol, in its own graph and in the reference data) is matched twice;
    the local engine's merge is a set."""
    query = (
        'SELECT (COUNT(*) AS ?n) WHERE { ?doc <https://w3id.org/cyberkg/ontology#symbol> "UNODC/CCPCJ/EG.4/2019/2" }'
    )
    assert local.select(query).rows[0]["n"].value == "1"
    assert RemoteEngine(virtuoso_endpoint).select(query).rows[0]["n"].value == "2"


def test_virtuoso_takes_sparql_update_and_the_graph_store_with_digest(virtuoso_server):
    """The writes the fixture grants: SPARQL Update on /sparql for anyone, and the Graph Store
    for dba with HTTP Digest (Basic is refused), in a graph of their own, removed after."""
    scratch = "urn:cyberkg:test:scratch"
    count = RemoteEngine(virtuoso_server.query_url)
    statements = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} }}"
    update = urllib.parse.urlencode({"update": f"INSERT DATA {{ GRAPH <{scratch}> {{ <urn:a> <urn:b> <urn:c> }} }}"})
    urllib.request.urlopen(virtuoso_server.query_url, data=update.encode(), timeout=30).read()
    assert count.select(statements).rows[0]["n"].value == "1"
    url = f"{virtuoso_server.graph_store}?graph={urllib.parse.quote(scratch, safe='')}"
    basic = base64.b64encode(f"{virtuoso_server.user}:{virtuoso_server.password}".encode()).decode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(
            urllib.request.Request(url, method="DELETE", headers={"Authorization": f"Basic {basic}"}), timeout=30
        )
    assert refused.value.code == 401
    digest = Credentials(virtuoso_server.user, virtuoso_server.password, "digest")
    assert Client(url, 30, login=digest).send("DELETE", url) in (200, 204)  # what cyberkg publish sends
    assert count.select(statements).rows[0]["n"].value == "0"


def test_publish_removes_stale_graphs_on_virtuoso_and_nothing_else(virtuoso_server, virtuoso_endpoint, tmp_path):
    """`cyberkg publish --remove-stale` with Digest: a graph the file no longer has, under the
    file's graph namespace, goes; the sample's graphs (another namespace) stay."""
    space = "https://example.org/stale-test/graph/"
    count = RemoteEngine(virtuoso_endpoint)
    graphs_query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    before = {row["g"].value: row["n"].value for row in count.select(graphs_query).rows}
    env = virtuoso.publish_env(virtuoso_server)
    both, one = tmp_path / "both.trig", tmp_path / "one.trig"
    both.write_text(f"<{space}a> {{ <urn:x> <urn:p> 1 }} <{space}b> {{ <urn:y> <urn:p> 2 }}\n")
    one.write_text(f"<{space}a> {{ <urn:x> <urn:p> 1 }}\n")
    assert cyberkg("publish", "--endpoint", virtuoso_server.graph_store, "--graph", str(both), env=env).returncode == 0
    result = cyberkg(
        "publish",
        "--endpoint",
        virtuoso_server.graph_store,
        "--graph",
        str(one),
        "--remove-stale",
        virtuoso_endpoint,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert f"  {space}b: deleted (no longer in {one})" in result.stdout
    after = {row["g"].value: row["n"].value for row in count.select(graphs_query).rows}
    assert after == {**before, f"{space}a": "1"}
    cyberkg("publish", "--endpoint", virtuoso_server.graph_store, "--graph", str(one), env=env)


# -- the networks ----------------------------------------------------------------------------------


def shape(network: nx.Graph) -> tuple:
    """Nodes, and edges with their weight, sign and counts (not the quotes, joined in the order
    the rows came, which ties leave free), and the sizes of the communities."""
    counts = ("weight", "sign", "statements", "votes", "treatyActions")
    return (
        sorted(network.nodes),
        sorted((u, v, *(d.get(key) for key in counts)) for u, v, d in network.edges(data=True)),
        sorted(Counter(d["community"] for _, d in network.nodes(data=True)).values()),
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_network_comes_out_the_same_from_virtuoso(local, virtuoso_endpoint, kind):
    remote = build_network(kind, RemoteEngine(virtuoso_endpoint, timeout=60))
    assert shape(remote) == shape(build_network(kind, local))


def test_network_positions_from_virtuoso_draws_what_the_local_graph_draws(graph_file, virtuoso_endpoint, tmp_path):
    """The issue's case: `cyberkg network positions --endpoint` on Virtuoso drew 76 nodes of
    211 when Virtuoso dropped the votes from network-positions."""
    printed = {}
    for where, source in (("local", ["--graph", str(graph_file)]), ("virtuoso", ["--endpoint", virtuoso_endpoint])):
        done = cyberkg("network", "positions", *source, "--format", "graphml", "-o", str(tmp_path / f"{where}.graphml"))
        assert done.returncode == 0, done.stderr
        printed[where] = re.match(r"positions: (\d+) nodes, (\d+) edges, (\d+) communities", done.stdout)
        assert printed[where], done.stdout
    assert printed["virtuoso"].groups() == printed["local"].groups()
    drawn = {where: nx.read_graphml(tmp_path / f"{where}.graphml") for where in printed}
    assert sorted(drawn["virtuoso"].nodes) == sorted(drawn["local"].nodes)
    assert sorted(map(sorted, drawn["virtuoso"].edges)) == sorted(map(sorted, drawn["local"].edges))
