"""`cyberkg publish` with the Graph Store protocol, and how queries and uploads meet a
server that misbehaves: the URL as given, bulk loading, stale graphs, a failure part-way,
answers that are not what was asked, a server that trickles, bad URLs and parameters."""

from __future__ import annotations

import json
import os
import random
import time

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

import oxigraph_server as oxigraph
from commands import cyberkg
from fake_server import Answer, fake_server
from kg.errors import CyberkgError, UsageError
from kg.graphio import read_statements, write_dataset
from kg.publish.graph_store import PublishError, graph_namespace, publish, target
from kg.query.engines import LocalEngine, RemoteEngine
from kg.rdf import Statements

EX = "https://w3id.org/cyberkg/id/graph/doc/"
COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def small_graphs(*names: str, size: int = 3) -> dict:
    return {
        NamedNode(EX + name): Statements(
            [
                Triple(
                    NamedNode(f"https://example.org/{name}/{i}"), NamedNode("https://example.org/p"), Literal(str(i))
                )
                for i in range(size)
            ]
        )
        for name in names
    }


@pytest.fixture
def server(tmp_path):
    if oxigraph.binary() is None:
        pytest.skip(oxigraph.MISSING)
    with oxigraph.oxigraph_server(tmp_path / "store") as running:
        yield running.url


def counts(url: str) -> dict[str, int]:
    rows = RemoteEngine(url + "/query").select(COUNT_PER_GRAPH).rows
    return {row["g"].value: int(row["n"].value) for row in rows}


# -- the Graph Store URL, as given ------------------------------------------------------------------------


def test_the_url_is_used_as_given(server):
    with pytest.raises(CyberkgError, match=r"HTTP 40\d .*is this a Graph Store URL"):
        publish(small_graphs("a"), server + "/nothing-here")  # no /store appended
    publish(small_graphs("a", "b"), server + "/store")
    assert counts(server) == {EX + "a": 3, EX + "b": 3}


def test_the_stale_namespace_is_the_files_graph_namespace():
    base = "https://example.org/graph/kg/"  # a base that holds /graph/ itself
    names = [NamedNode(base + "graph/doc/a"), NamedNode(base + "graph/reference")]
    assert graph_namespace(names) == base + "graph/"
    assert graph_namespace(names[:1]) == base + "graph/"  # a lone graph: the same namespace
    with pytest.raises(UsageError, match="do not share one"):
        graph_namespace([NamedNode("https://example.org/a"), NamedNode("https://example.org/b")])
    with pytest.raises(UsageError, match="do not share one"):
        graph_namespace([None, NamedNode(base + "graph/doc/a")])


def test_graph_urls_keep_a_query_string_the_user_gave():
    assert target("http://h/store", None) == "http://h/store?default"
    assert (
        target("http://h/crud?x=1", NamedNode("https://e.org/g#1"))
        == "http://h/crud?x=1&graph=https%3A%2F%2Fe.org%2Fg%231"
    )


def test_bulk_loading_gives_what_a_put_per_graph_gives(server, graph_file, tmp_path):
    graphs = read_statements(graph_file)
    publish(graphs, server + "/store")
    by_graph = counts(server)
    publish({**small_graphs("zz")}, server + "/store")  # a graph the bulk load must leave alone
    done = publish(graphs, server + "/store", bulk=True)  # replaces, not adds: loaded twice, counted once
    after = counts(server)
    assert {g: n for g, n in after.items() if g != EX + "zz"} == by_graph and after[EX + "zz"] == 3
    assert sum(n for _, n in done.replaced) == sum(by_graph.values())


def test_stale_graphs_are_removed_only_under_the_files_namespace(server):
    store = server + "/store"
    publish(small_graphs("a", "b", "c"), store)
    other = {NamedNode("https://example.org/not-ours"): small_graphs("x")[NamedNode(EX + "x")]}
    publish(other, store)
    done = publish(small_graphs("a", "c"), store, stale_from=server + "/query")
    assert [n.value for n in done.removed] == [EX + "b"]
    assert counts(server) == {EX + "a": 3, EX + "c": 3, "https://example.org/not-ours": 3}
    # without the option nothing is removed
    assert publish(small_graphs("a"), store).removed == []
    assert EX + "c" in counts(server)


def test_publish_command_reports_each_graph_and_the_total(server, tmp_path):
    path = tmp_path / "g.trig"
    write_dataset(small_graphs("a", "b", size=2), path)
    result = cyberkg("publish", "--endpoint", server + "/store", "--graph", str(path), "--bulk")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"published 2 graph(s), 4 statements, to {server}/store"
    assert f"  {EX}a: 2 statements" in result.stdout


# -- failures part-way ----------------------------------------------------------------------------------


def test_a_failure_part_way_says_what_was_replaced_and_how_to_retry():
    ok, refused = Answer(status=204), Answer(status=400, body=b"no")
    with fake_server(ok, ok, refused, ok) as fake:
        with pytest.raises(PublishError) as failure:
            publish(small_graphs("a", "b", "c", "d"), fake.url + "/store", timeout=5)
    message = str(failure.value)
    assert "\n" not in message
    assert "HTTP 400" in message
    assert f"2 graph(s) replaced ({EX}a, {EX}b)" in message
    assert f"2 not ({EX}c, {EX}d)" in message
    assert "run the same command again to retry" in message
    assert [s.method for s in fake.seen] == ["PUT", "PUT", "PUT"]  # nothing sent after the failure


def test_credentials_basic_by_default_and_digest_on_request(monkeypatch):
    monkeypatch.setenv("CYBERKG_SPARQL_USER", "ann")
    monkeypatch.setenv("CYBERKG_SPARQL_PASSWORD", "secret")
    with fake_server(Answer(status=204)) as fake:
        publish(small_graphs("a"), fake.url + "/store", timeout=5)
    assert fake.seen[0].headers["Authorization"].startswith("Basic ")
    monkeypatch.setenv("CYBERKG_SPARQL_AUTH", "digest")
    challenge = Answer(
        status=401, headers={"WWW-Authenticate": 'Digest realm="r", nonce="abc", qop="auth", algorithm="MD5"'}
    )
    with fake_server(challenge, Answer(status=204)) as fake:
        publish(small_graphs("a"), fake.url + "/store", timeout=5)
    first, second = fake.seen
    # the challenge is fetched without the body (Virtuoso closes the connection before reading it)
    assert (first.method, second.method) == ("HEAD", "PUT")
    assert "Authorization" not in first.headers  # no password sent before the server asks
    assert second.headers["Authorization"].startswith('Digest username="ann", realm="r", nonce="abc"')
    assert "secret" not in second.headers["Authorization"]
    monkeypatch.setenv("CYBERKG_SPARQL_AUTH", "kerberos")
    with pytest.raises(UsageError, match="CYBERKG_SPARQL_AUTH: 'kerberos' is not an authentication scheme"):
        publish(small_graphs("a"), "http://127.0.0.1:9/store")


# -- answers that are not what was asked --------------------------------------------------------------


SELECT_XML = (
    b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/>'
    b'</head><results><result><binding name="x"><literal xml:lang="en">a</literal></binding></result></results></sparql>'
)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (Answer(body=b'{"head": {"vars": ["x"]}, "results": {"bindings": ['), "not a SPARQL JSON results document"),
        (Answer(body=b""), "not a SPARQL JSON results document"),
        (Answer(body=b"{}"), "not a SPARQL JSON results document"),
        (Answer(body=b"<html><body>hi</body></html>", media_type="text/html"), "not a SPARQL JSON results document"),
        (Answer(body=b'{"head": {}, "boolean": "false"}'), "not a SPARQL JSON results document"),
        (Answer(body=b"<sparql", media_type="application/sparql-results+xml"), "not valid SPARQL Results in XML"),
        (Answer(body=b'{"head": {"vars": []}', length=500), "broken answer (IncompleteRead), after 3 attempt(s)"),
    ],
)
def test_a_bad_answer_is_one_line(answer, expected):
    with fake_server(answer) as fake:
        with pytest.raises(CyberkgError, match=".*") as failure:
            RemoteEngine(fake.url + "/sparql", timeout=5, backoff=0.01).select("SELECT * WHERE { ?s ?p ?o }")
    assert expected in str(failure.value) and "\n" not in str(failure.value)


def test_an_answer_in_xml_or_tsv_is_read_as_the_server_labels_it():
    with fake_server(Answer(body=SELECT_XML, media_type="application/sparql-results+xml")) as fake:
        rows = RemoteEngine(fake.url + "/sparql").select("SELECT ?x WHERE { ?x ?p ?o }").rows
    assert rows == [{"x": Literal("a", language="en")}]
    with fake_server(Answer(body=b'?x\n"a"@en\n', media_type="text/tab-separated-values")) as fake:
        assert RemoteEngine(fake.url + "/sparql").select("SELECT ?x WHERE { ?x ?p ?o }").rows == rows
    with fake_server(Answer(body=b'{"head": {}, "boolean": false}')) as fake:
        assert RemoteEngine(fake.url + "/sparql").select("ASK { ?s ?p ?o }").boolean is False


def test_virtuoso_spellings_are_read_as_every_other_server_writes_them():
    """Virtuoso writes every xsd:boolean as "1" or "0" and blank nodes as nodeID://b1: read
    as "true", "false" and the blank node b1, in the rows and in what is printed."""
    boolean = "http://www.w3.org/2001/XMLSchema#boolean"
    answer = json.dumps(
        {
            "head": {"vars": ["t", "f", "b"]},
            "results": {
                "bindings": [
                    {
                        "t": {"type": "typed-literal", "datatype": boolean, "value": "1"},
                        "f": {"type": "literal", "datatype": boolean, "value": "0"},
                        "b": {"type": "bnode", "value": "nodeID://b10072"},
                    }
                ]
            },
        }
    ).encode()
    with fake_server(Answer(body=answer)) as fake:
        results = RemoteEngine(fake.url + "/sparql").select("SELECT * WHERE { ?s ?p ?o }")
    row = results.rows[0]
    assert (row["t"].value, row["f"].value, row["b"]) == ("true", "false", BlankNode("b10072"))
    assert results.serialize("csv").decode().splitlines()[1] == "true,false,_:b10072"


def test_the_timeout_bounds_the_whole_answer_not_each_read(tmp_path):
    """A server that sends a byte every half second never lets a 1-second read time out;
    the request still ends after the timeout, for a query and for an upload."""
    slow = Answer(body=b'{"head": {"vars": []}, "results": {"bindings": []}}', trickle=0.5)
    with fake_server(slow) as fake:
        started = time.monotonic()
        result = cyberkg("query", "speakers", "--endpoint", fake.url + "/sparql", "--timeout", "1", timeout=60)
        took = time.monotonic() - started
    assert result.returncode == 1 and result.stderr.strip().endswith("no answer within 1 s (raise --timeout)")
    assert took < 15  # three attempts of one second, with backoff and start-up; the trickle alone is 25 s
    with fake_server(Answer(status=200, body=b"x" * 40, trickle=0.5)) as fake:
        started = time.monotonic()
        with pytest.raises(CyberkgError, match="no answer within 1 s"):
            publish(small_graphs("a"), fake.url + "/store", timeout=1)
        assert time.monotonic() - started < 5


def answer_mutants() -> list[tuple[str, Answer]]:
    """Seeded mutants of a good answer (cut, bytes flipped, wrong media type, status, a short
    or trickled body), each named by how it was made, so a failure can be made again."""
    good = json.dumps(
        {
            "head": {"vars": ["s", "n"]},
            "results": {
                "bindings": [
                    {
                        "s": {"type": "uri", "value": f"https://example.org/{i}"},
                        "n": {
                            "type": "literal",
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                            "value": str(i),
                        },
                    }
                    for i in range(40)
                ]
            },
        }
    ).encode()
    types = [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/tab-separated-values",
        "text/html",
        "text/plain",
        "application/octet-stream",
    ]
    out = []
    for seed in range(36):
        rng = random.Random(seed)
        body, how = bytearray(good), []
        if rng.random() < 0.5:
            cut = rng.randrange(len(body))
            body, how = body[:cut], [f"cut at {cut}"]
        for _ in range(rng.choice((0, 1, 5))):
            if body:
                at = rng.randrange(len(body))
                body[at] ^= 1 << rng.randrange(8)
                how.append(f"flip {at}")
        answer = Answer(body=bytes(body), media_type=rng.choice(types))
        if rng.random() < 0.2:
            answer.status = rng.choice((200, 204, 301, 400, 401, 404, 418, 500, 503))
        if rng.random() < 0.15:
            answer.length = len(body) + rng.randrange(1, 50)  # a short body
        if rng.random() < 0.1:
            answer.body, answer.trickle = answer.body[:30], 0.2  # a trickle past the deadline
        out.append((f"seed {seed}: {answer.status} {answer.media_type} {', '.join(how) or 'whole'}", answer))
    return out


@pytest.mark.parametrize(("how", "answer"), answer_mutants(), ids=[how.split(":")[0] for how, _ in answer_mutants()])
def test_a_fuzzed_answer_gives_rows_or_one_line(how, answer):
    """Whatever an endpoint sends back, a query ends in rows or in one CyberkgError line, within
    the deadline (2 s an attempt, 3 attempts, backoff 0.01 s): never another exception."""
    with fake_server(answer) as fake:
        started = time.monotonic()
        try:
            results = RemoteEngine(fake.url + "/sparql", timeout=2, backoff=0.01).select("SELECT * WHERE { ?s ?p ?n }")
        except CyberkgError as error:
            assert "\n" not in str(error) and str(error).startswith(fake.url), how
        else:
            assert results.variables == ["s", "n"] and len(results.rows) <= 40, how
        assert time.monotonic() - started < 10, how


# -- bad URLs, parameters and queries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://[::1", "is not a URL (Invalid IPv6 URL)"),
        ("http://host/a b", "' ' must be percent-encoded"),
        ("http://host/caf\u00e9", "'\u00e9' must be percent-encoded"),
        ("ftp://host/", "is not an http(s) URL"),
        ("http://host:99999/", "Port out of range"),
    ],
)
@pytest.mark.parametrize("command", ["query", "publish"])
def test_a_bad_endpoint_url_is_a_usage_error(graph_file, command, url, expected):
    args = ["query", "speakers"] if command == "query" else ["publish", "--graph", str(graph_file)]
    result = cyberkg(*args, "--endpoint", url)
    assert result.returncode == 2
    assert result.stderr.startswith("cyberkg: error: --endpoint: ") and expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_param_that_is_not_utf8_is_a_usage_error(graph_file):
    bad = os.fsdecode(b"document=a\xff")
    result = cyberkg("query", "speakers", "--graph", str(graph_file), "--param", bad)
    assert result.returncode == 2
    assert result.stderr.strip() == "cyberkg: error: --param: not UTF-8 text (byte 0xff at character 11)"


def test_a_query_file_that_is_not_utf8_is_named(graph_file, tmp_path):
    query = tmp_path / "latin1.rq"
    query.write_bytes('SELECT * WHERE { ?s ?p "caf\u00e9" }'.encode("latin-1"))
    result = cyberkg("sparql", str(query), "--graph", str(graph_file))
    assert result.returncode == 2
    assert result.stderr.strip() == f"cyberkg: error: {query}: not UTF-8 text (byte 0xe9 at offset 27)"


def test_a_local_query_never_calls_another_server(graph_file):
    with fake_server(Answer(body=b'{"head": {"vars": []}, "results": {"bindings": []}}')) as fake:
        with pytest.raises(UsageError, match=r"asks another server \(SERVICE\)"):
            LocalEngine(graph_file).select(f"SELECT * WHERE {{ SERVICE <{fake.url}/sparql> {{ ?s ?p ?o }} }}")
        assert fake.seen == []
    # the word in a string, an IRI or a comment is not a SERVICE clause
    engine = LocalEngine(graph_file)
    assert engine.select('SELECT * WHERE { BIND("SERVICE" AS ?x) } # SERVICE').rows == [{"x": Literal("SERVICE")}]
    assert engine.select("SELECT * WHERE { BIND(<urn:SERVICE> AS ?x) }").rows == [{"x": NamedNode("urn:SERVICE")}]
