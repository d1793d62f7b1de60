"""Where queries run: pyoxigraph on a local graph file (the default, fast engine), a
remote SPARQL endpoint through SPARQLWrapper, or rdflib's own engine (kept only as a
cross-check in the tests and the benchmark).

Queries are written against the union of the named graphs. Locally the graph file is
loaded with its named graphs and their merge is written into the default graph, which the
queries read: pyoxigraph's own union default graph (use_default_graph_as_union, 0.5.13)
yields a statement once per named graph that holds it (oxigraph issue 1919), so a
resolution that a thousand speeches cite and describe gives a join a thousand times a
thousand rows, and COUNTs are inflated; the merge is a set, as SPARQL defines it. Remotely the `union-default-graph` parameter asks an
Oxigraph server for it, and other stores must be configured to expose the union as
their default graph (Fuseki: unionDefaultGraph; Virtuoso and GraphDB do by default).

Parameters are bound, never pasted into the query: every engine gets the same query
with a VALUES block at the start of its WHERE clause, each value a pyoxigraph term written
in its N-Triples form (IRIs checked when the term is made, literals escaped by pyoxigraph),
so a value cannot change the query. The VALUES block is the one binding every SPARQL 1.1
engine understands: pyoxigraph's own `substitutions` exist on no remote endpoint (and
rdflib's initBindings on no other engine). Every engine answers in SPARQL Results JSON,
read by kg.query.results.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode
from rdflib import Dataset

from kg.errors import CyberkgError, UsageError
from kg.graphio import parse_error, parse_into, refuse_entity_expansion
from kg.http import AGENT, answered, call, checked_url, credentials, not_authorised
from kg.query.results import Results, Term
from kg.rdf import rdf_format
from kg.retry import Transient

NAME_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ckg: <https://w3id.org/cyberkg/ontology#>
SELECT DISTINCT ?node ?name WHERE {
  {
    ?node rdfs:label|skos:prefLabel|skos:altLabel|skos:notation|ckg:symbol|ckg:iso3|ckg:resolutionNumber ?name .
    FILTER (isIRI(?node))
    # not the parts of documents (passages, sentences, sections): parameters name actors,
    # instruments, documents, meetings and concepts, and the parts are most of the labels
    MINUS { ?node ckg:inDocument [] }
  } UNION {
    # but the anonymous collectives, as the answers name them: "some speakers (symbol)"
    ?node a ckg:AnonymousCollective ; rdfs:label ?name .
  }
}"""


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query, comments and prologue skipped."""
    body = re.sub(r"(?m)^\s*#.*$", "", text)
    body = re.sub(r"(?is)^\s*((PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", body)
    match = re.match(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.I)
    if not match:
        raise UsageError("the query is not a SPARQL SELECT or ASK query")
    return match.group(1).upper()


class LocalEngine:
    """pyoxigraph on a graph file, loaded once."""

    def __init__(self, path: Path):
        path = Path(path)
        if not path.is_file():
            raise CyberkgError(f"{path}: no such graph file (run 'cyberkg build' first, or pass --graph)", exit_code=2)
        fmt = rdf_format(path)
        if fmt == pyoxigraph.RdfFormat.RDF_XML:
            refuse_entity_expansion(path)
        self.store = pyoxigraph.Store()
        try:
            self.store.bulk_load(path=str(path), format=fmt)
        except (SyntaxError, MemoryError) as error:  # MemoryError: a literal over the parser's 16 MiB
            raise parse_error(path, fmt, error) from None
        except OSError as error:  # unreadable: permissions, an I/O error
            raise CyberkgError(f"{path}: cannot be read ({error.strerror or error})", exit_code=2) from None
        # the merge in one update, run in Rust: half the time of building a million quads in Python
        self.store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        self.where = str(path)

    def select(self, text: str, bindings: dict[str, Term] | None = None) -> Results:
        if _calls_service(text):
            raise UsageError(
                "the query asks another server (SERVICE), which is not done on a local graph: "
                "run it on an endpoint with --endpoint"
            )
        try:
            solutions = self.store.query(with_values(text, bindings or {}))
        except SyntaxError as error:
            raise UsageError(f"the query is not valid SPARQL: {str(error).splitlines()[0]}") from None
        if not isinstance(solutions, (pyoxigraph.QueryBoolean, pyoxigraph.QuerySolutions)):
            raise UsageError("only SELECT and ASK queries can be run here")
        return Results.from_solutions(solutions)

    def names(self) -> list[tuple[NamedNode, str]]:
        return _names(self.select(NAME_QUERY))


def _names(results: Results) -> list[tuple[NamedNode, str]]:
    return [(row["node"], row["name"].value) for row in results.rows if isinstance(row["node"], NamedNode)]


class RdflibEngine:
    """rdflib's own SPARQL engine on the same data: a cross-check, not for production."""

    def __init__(self, path: Path):
        self.dataset = Dataset(default_union=True)
        parse_into(self.dataset, Path(path))
        self.where = str(path)

    def select(self, text: str, bindings: dict[str, Term] | None = None) -> Results:
        result = self.dataset.query(with_values(text, bindings or {}))
        return Results.from_json(result.serialize(format="json") or b"")

    def names(self) -> list[tuple[NamedNode, str]]:
        return _names(self.select(NAME_QUERY))


def sparql_term(term: Term) -> str:
    """An RDF term in SPARQL syntax that no value can break out of: pyoxigraph's N-Triples
    form of it (an IRI was checked when the term was made; a literal's quotes, backslashes
    and line ends are escaped)."""
    if not isinstance(term, (NamedNode, pyoxigraph.Literal)):
        raise UsageError("only IRIs and literals can be bound")
    return str(term)


# A SELECT or ASK query's first brace opens its WHERE clause (the keyword WHERE is
# optional), once IRIs, strings and comments, which may hold braces, are skipped: the first
# match of `brace` is where the VALUES block goes.
_TOKENS = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|(?P<brace>\{)""")


def _calls_service(text: str) -> bool:
    """Whether the query has a SERVICE clause (the keyword outside IRIs, strings and comments).
    pyoxigraph would send it to the server it names, with no timeout of ours."""
    code = _TOKENS.sub(lambda match: " " if match.group("brace") is None else "{", text)
    return re.search(r"(?i)(?<![\w:?$])SERVICE\b", code) is not None


def with_values(text: str, bindings: dict[str, Term]) -> str:
    """The query with a VALUES block for the bindings at the start of its WHERE clause,
    each value an RDF term in safe SPARQL syntax (see sparql_term)."""
    if not bindings:
        return text
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(f"{name!r} is not a SPARQL variable name")
    block = " ".join(f"VALUES ?{name} {{ {sparql_term(term)} }}" for name, term in sorted(bindings.items()))
    at = next((match.end() for match in _TOKENS.finditer(text) if match.group("brace")), None)
    if at is None:
        raise UsageError("cannot bind parameters: the query has no WHERE clause")
    return text[:at] + f"\n  {block}\n" + text[at:]


class RemoteEngine:
    """A SPARQL endpoint, through SPARQLWrapper: a user agent, a deadline on each request
    (--timeout bounds the whole answer, not each read), retries with backoff on connection
    errors and server errors, one-line errors for the rest, and credentials from
    CYBERKG_SPARQL_USER / CYBERKG_SPARQL_PASSWORD, sent as HTTP Basic or, with
    CYBERKG_SPARQL_AUTH=digest, Digest (never printed).

    The URL is the endpoint's query URL as given; a server's bare base URL (no path) gets
    Oxigraph's /query."""

    def __init__(self, url: str, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5):
        checked_url(url)
        self.base = url.rstrip("/")
        has_path = urllib.parse.urlsplit(self.base).path not in ("", "/")
        self.endpoint = self.base if has_path else self.base + "/query"
        self.credentials = credentials()
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.where = self.endpoint

    def _wrapper(self, text: str):
        from SPARQLWrapper import DIGEST, JSON, POST, URLENCODED, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoint, agent=AGENT)
        wrapper.setQuery(text)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setReturnFormat(JSON)
        wrapper.timeout = self.timeout  # type: ignore[assignment]  # setTimeout() would round to whole seconds
        wrapper.addParameter("union-default-graph", "true")
        if self.credentials:
            if self.credentials.scheme == "digest":
                wrapper.setHTTPAuth(DIGEST)
            wrapper.setCredentials(self.credentials.user, self.credentials.password)
        return wrapper

    def _run(self, text: str) -> tuple[bytes, str]:
        """The endpoint's answer and its media type (retried on server and connection errors)."""
        return call(lambda: self._ask(text), self.endpoint, self.timeout, self.retries, self.backoff)

    def _ask(self, text: str) -> tuple[bytes, str]:
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, EndPointNotFound, QueryBadFormed, Unauthorized

        with answered(
            self.endpoint,
            self.timeout,
            lambda error: CyberkgError(f"{self.endpoint}: HTTP {error.code} {error.reason}"),
        ):
            try:
                with self._wrapper(text).query().response as response:
                    return response.read(), response.headers.get_content_type()
            except EndPointNotFound:
                raise CyberkgError(
                    f"{self.endpoint}: not found (HTTP 404): is this the server's SPARQL query URL?"
                ) from None
            except Unauthorized:
                raise CyberkgError(not_authorised(self.endpoint, "HTTP 401/403")) from None
            except QueryBadFormed as error:
                raise CyberkgError(
                    f"{self.endpoint}: the server refused the query (HTTP 400): {_first_line(error)}"
                ) from None
            except EndPointInternalError as error:
                raise Transient(f"server error (HTTP 5xx): {_first_line(error)}") from None

    def select(self, text: str, bindings: dict[str, Term] | None = None) -> Results:
        # the header comment goes: SPARQLWrapper guesses the query form from keywords and
        # takes a word like "moved" in a comment for an update (MOVE)
        lines = text.splitlines()
        while lines and (lines[0].lstrip().startswith("#") or not lines[0].strip()):
            lines.pop(0)
        answer, media_type = self._run(with_values("\n".join(lines), bindings or {}))
        return Results.from_answer(answer, media_type, self.endpoint)

    def names(self) -> list[tuple[NamedNode, str]]:
        return _names(self.select(NAME_QUERY))


def _first_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]
