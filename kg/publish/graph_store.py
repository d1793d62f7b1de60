"""Publishing to a SPARQL server with the SPARQL 1.1 Graph Store HTTP Protocol.

The URL is the server's Graph Store URL, used as given (Oxigraph: http://host:7878/store;
Virtuoso: http://host:8890/sparql-graph-crud-auth; Fuseki: http://host:3030/DATASET/data).

- By graph (the default, any Graph Store server): each named graph is sent whole with HTTP
  PUT to `URL?graph=IRI` (the default graph, if any, to `URL?default`), which replaces
  that graph atomically: an upload that fails leaves the previous version of that graph.
- In bulk (`bulk=True`, Oxigraph): the file's graphs are deleted (HTTP DELETE, one
  request each), then the whole dataset goes in one POST to `URL?no_transaction` (the
  file as read, where the server parses its format), which Oxigraph loads with its bulk
  loader, several times faster than a PUT per graph.
  Not atomic: a failure leaves those graphs partly loaded, until the next publish.
- Stale graphs: with `stale_from` (the server's SPARQL query URL) the graphs the server
  holds under the file's graph namespace (`…/graph/`) that the file no longer has are
  deleted, after every upload has succeeded.

A failure names the graphs already replaced and those not, and says to run the same
command again: every step replaces or deletes whole graphs, so a retry is safe.
Credentials come from the environment (kg.http): HTTP Basic, or Digest with
CYBERKG_SPARQL_AUTH=digest (Virtuoso's authenticated endpoints); each request has a
deadline of `timeout` seconds in all, not per read.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, Quad, RdfFormat

from kg.errors import CyberkgError, UsageError
from kg.http import AGENT, Credentials, answered, call, checked_url, credentials, not_authorised
from kg.rdf import GraphName, Statements, rdf_format

GRAPH_SEGMENT = "/graph/"  # cyberkg names its graphs {base}graph/… (kg.iris)
AS_READ = (RdfFormat.TRIG, RdfFormat.N_QUADS, RdfFormat.TURTLE, RdfFormat.N_TRIPLES)  # sent in bulk as read


@dataclass
class Published:
    """What a publish did: graphs replaced (name, statements), and stale graphs deleted."""

    replaced: list[tuple[GraphName, int]] = field(default_factory=list)
    removed: list[NamedNode] = field(default_factory=list)


class PublishError(CyberkgError):
    """A publish that stopped part-way; the message says what was and was not replaced."""


def _label(name: GraphName) -> str:
    return "the default graph" if name is None else name.value


def target(url: str, name: GraphName) -> str:
    """The Graph Store URL of one graph (indirect identification: ?graph=IRI, ?default)."""
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}default" if name is None else f"{url}{joiner}graph={urllib.parse.quote(name.value, safe='')}"


class Client:
    """HTTP requests to one server: a user agent, credentials (Basic sent with each
    request; Digest answered when the server challenges), a deadline per request,
    retries on server and connection errors."""

    def __init__(
        self, url: str, timeout: float, retries: int = 3, backoff: float = 0.5, login: Credentials | None = None
    ):
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.login = login
        self.digest: urllib.request.HTTPDigestAuthHandler | None = None
        if login and login.scheme == "digest":
            parts = urllib.parse.urlsplit(url)
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", login.user, login.password)
            self.digest = urllib.request.HTTPDigestAuthHandler(passwords)
        self.opener = urllib.request.build_opener()

    def _digest(self, method: str, url: str) -> str | None:
        """The Digest Authorization header for one request, from the challenge a HEAD request
        (no body) brings; None when the server asks for none. Answering the challenge of the
        request itself, as urllib's handler does, fails on Virtuoso: it answers 401 and closes
        the connection before reading the body, so a large upload ends in a broken pipe."""
        assert self.digest is not None
        probe = urllib.request.Request(url, method="HEAD", headers={"User-Agent": AGENT})
        try:
            with self.opener.open(probe, timeout=self.timeout):
                return None
        except urllib.error.HTTPError as error:
            challenge = error.headers.get("WWW-Authenticate", "")
        scheme, _, fields = challenge.partition(" ")
        if scheme.lower() != "digest":
            return None
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(fields))
        answer = self.digest.get_authorization(urllib.request.Request(url, method=method), chal)
        if answer is None:
            raise CyberkgError(f"{url}: a Digest challenge this client cannot answer ({challenge[:100]})")
        return f"Digest {answer}"

    def send(self, method: str, url: str, body: bytes | None = None, media_type: str | None = None) -> int:
        headers = {"User-Agent": AGENT}
        if media_type:
            headers["Content-Type"] = media_type
        if self.login and self.login.scheme == "basic":
            token = base64.b64encode(f"{self.login.user}:{self.login.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"

        def refused(error: urllib.error.HTTPError) -> CyberkgError:
            if error.code in (401, 403):
                return CyberkgError(not_authorised(url, f"HTTP {error.code}"))
            return CyberkgError(f"{url}: HTTP {error.code} {error.reason} (is this a Graph Store URL?)")

        def attempt() -> int:
            with answered(url, self.timeout, refused):
                if self.digest is not None:
                    authorization = self._digest(method, url)
                    if authorization:
                        headers["Authorization"] = authorization
                request = urllib.request.Request(url, data=body, method=method, headers=headers)
                try:
                    with self.opener.open(request, timeout=self.timeout) as response:
                        response.read()
                        return response.status
                except urllib.error.HTTPError as error:
                    if method == "DELETE" and error.code == 404:  # already absent: what DELETE wants
                        return 404
                    raise

        return call(attempt, url, self.timeout, self.retries, self.backoff)


def graph_namespace(names: list[GraphName]) -> str:
    """The namespace the file's graphs share ({base}graph/), for finding stale graphs: the
    last `/graph/` in the prefix common to all their names (a base may hold /graph/
    itself, and a lone graph's name is all prefix); a UsageError when there is none."""
    iris = [n.value for n in names if n is not None]
    common = os.path.commonprefix(iris) if iris and len(iris) == len(names) else ""
    at = common.rfind(GRAPH_SEGMENT)
    if at < 0:
        raise UsageError(
            "--remove-stale: the graph file's graphs do not share one {base}graph/ namespace, "
            "so which server graphs are stale cannot be told"
        )
    return common[: at + len(GRAPH_SEGMENT)]


def server_graphs(query_url: str, namespace: str, timeout: float) -> list[NamedNode]:
    """The named graphs a server holds under `namespace`, from its SPARQL query URL."""
    from kg.query.engines import RemoteEngine

    engine = RemoteEngine(query_url, timeout=timeout)
    answer = engine.select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), STR(?namespace))) }",
        {"namespace": pyoxigraph.Literal(namespace)},
    )
    found = [graph for row in answer.rows if isinstance(graph := row.get("g"), NamedNode)]
    return sorted(found, key=lambda n: n.value)


def _failure(error: CyberkgError, done: list[GraphName], pending: list[GraphName], step: str) -> PublishError:
    """One line: what failed, what was replaced, what was not, and how to retry."""

    def some(names: list[GraphName]) -> str:
        shown = ", ".join(_label(n) for n in names[:3])
        return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")

    said = str(error)
    replaced = f"{len(done)} graph(s) {step} ({some(done)})" if done else f"no graph {step}"
    left = f"{len(pending)} not ({some(pending)})" if pending else "none left"
    return PublishError(
        f"{said}; {replaced}, {left}; run the same command again to retry (each graph is replaced whole)"
    )


def publish(
    graphs: Mapping[GraphName, Statements],
    url: str,
    timeout: float = 60.0,
    source: str = "the graph",
    *,
    bulk: bool = False,
    stale_from: str | None = None,
    progress: Callable[[GraphName, int], None] | None = None,
    read_from: Path | None = None,
) -> Published:
    """Upload every graph of the file to the Graph Store at `url` (see the module's
    docstring for the two ways and stale graphs); `progress(name, statements)` after each
    graph. A graph file with no statements is refused before any request (`source` names
    it): publishing it would report success for nothing. In bulk, `read_from` (the file
    the graphs were read from) is sent as it is when it is TriG, N-Quads, Turtle or
    N-Triples, which the server parses faster than this process writes N-Quads; RDF/XML
    and JSON-LD are written out (a server would expand RDF/XML's entities, which
    kg.graphio refuses)."""
    checked_url(url)
    if stale_from is not None:
        checked_url(stale_from, "--remove-stale")
    if not any(len(graph) for graph in graphs.values()):
        raise UsageError(f"{source}: holds no statements, nothing to publish (build it first)")
    client = Client(url, timeout, login=credentials())
    names = sorted(graphs, key=lambda name: name.value if name else "")
    namespace = graph_namespace(names) if stale_from is not None else ""
    published = Published()
    if bulk:
        _bulk(client, url, graphs, names, published, progress, read_from)
    else:
        for at, name in enumerate(names):
            body = pyoxigraph.serialize(graphs[name], format=RdfFormat.N_TRIPLES) or b""
            try:
                client.send("PUT", target(url, name), body, "application/n-triples")
            except CyberkgError as error:
                raise _failure(error, [n for n, _ in published.replaced], names[at:], "replaced") from None
            published.replaced.append((name, len(graphs[name])))
            if progress:
                progress(name, len(graphs[name]))
    if stale_from is not None:
        held = set(names)
        stale = [graph for graph in server_graphs(stale_from, namespace, timeout) if graph not in held]
        for at, graph in enumerate(stale):
            try:
                client.send("DELETE", target(url, graph))
            except CyberkgError as error:
                raise PublishError(
                    f"{error}; every graph of the file was replaced, "
                    f"{at} of {len(stale)} stale graph(s) deleted; run the same command again to retry"
                ) from None
            published.removed.append(graph)
    return published


def _bulk(
    client: Client,
    url: str,
    graphs: Mapping[GraphName, Statements],
    names: list[GraphName],
    published: Published,
    progress: Callable[[GraphName, int], None] | None,
    read_from: Path | None,
) -> None:
    """Delete the file's graphs, then load them all in one request."""
    for at, name in enumerate(names):
        try:
            client.send("DELETE", target(url, name))
        except CyberkgError as error:
            raise _failure(error, names[:at], names[at:], "emptied for the bulk load") from None
    fmt = rdf_format(read_from) if read_from is not None else None
    if read_from is not None and fmt in AS_READ:
        body, media_type = read_from.read_bytes(), fmt.media_type
    else:
        quads = (Quad(t.subject, t.predicate, t.object, name) for name in names for t in graphs[name])
        body, media_type = pyoxigraph.serialize(quads, format=RdfFormat.N_QUADS) or b"", "application/n-quads"
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    try:
        client.send("POST", f"{url}{joiner}no_transaction", body, media_type)
    except CyberkgError as error:
        raise PublishError(
            f"{error}; the file's {len(names)} graph(s) were emptied and may be "
            "partly loaded; run the same command again to retry"
        ) from None
    for name in names:
        published.replaced.append((name, len(graphs[name])))
        if progress:
            progress(name, len(graphs[name]))
