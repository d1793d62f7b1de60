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
with a VALUES block at the start of its WHERE clause, built from RDF terms (IRIs
checked, literals escaped by rdflib), so a value cannot change the query. (pyoxigraph's
own `substitutions` only accepts variables the query also returns, which our
parameters often are not.)
"""

from __future__ import annotations

import os
import re
import socket
import time
import urllib.error
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from kg import __version__
from kg.errors import CyberkgError, UsageError
from kg.graphio import FORMAT_BY_SUFFIX, parse_into
from kg.query.results import Results
from kg.terms import to_rdflib

AGENT = f"cyberkg/{__version__} (+https://w3id.org/cyberkg)"
USER_ENV, PASSWORD_ENV = "CYBERKG_SPARQL_USER", "CYBERKG_SPARQL_PASSWORD"
NAME_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ckg: <https://w3id.org/cyberkg/ontology#>
SELECT DISTINCT ?node ?name WHERE {
  ?node rdfs:label|skos:prefLabel|skos:altLabel|skos:notation|ckg:symbol|ckg:iso3|ckg:resolutionNumber ?name .
  FILTER (isIRI(?node))
  # not the parts of documents (passages, sentences, sections, collectives): parameters name
  # actors, instruments, documents and concepts, and the parts are most of the labels
  MINUS { ?node ckg:inDocument [] }
}"""
OX_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "json-ld": pyoxigraph.RdfFormat.JSON_LD,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}


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
        fmt = FORMAT_BY_SUFFIX.get(path.suffix.lower())
        if fmt not in OX_FORMATS:
            raise UsageError(f"{path}: cannot load a {path.suffix!r} file (use .trig, .nq, .ttl, .nt, .jsonld or .rdf)")
        self.store = pyoxigraph.Store()
        try:
            self.store.bulk_load(path=str(path), format=OX_FORMATS[fmt])
        except SyntaxError as error:
            raise CyberkgError(f"{path}: not valid {fmt}: {error}", exit_code=2) from None
        # the merge in one update, run in Rust: half the time of building a million quads in Python
        self.store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        self.where = str(path)

    def select(self, text: str, bindings: dict[str, Node] | None = None) -> Results:
        try:
            solutions = self.store.query(with_values(text, bindings or {}))
        except SyntaxError as error:
            raise UsageError(f"the query is not valid SPARQL: {str(error).splitlines()[0]}") from None
        if isinstance(solutions, pyoxigraph.QueryBoolean):
            return Results([], [], boolean=bool(solutions))
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise UsageError("only SELECT and ASK queries can be run here")
        variables = [v.value for v in solutions.variables]
        rows = []
        converted: dict = {}  # labels, holders and instruments recur row after row: convert each once
        for solution in solutions:
            row = {}
            for name in variables:
                value = solution[name]
                if value is not None:
                    term = converted.get(value)
                    if term is None:
                        term = converted[value] = to_rdflib(value)
                    row[name] = term
            rows.append(row)
        return Results(variables, rows)

    def names(self) -> list[tuple[URIRef, str]]:
        return [(row["node"], str(row["name"])) for row in self.select(NAME_QUERY).rows]


class RdflibEngine:
    """rdflib's own SPARQL engine on the same data: a cross-check, not for production."""

    def __init__(self, path: Path):
        self.dataset = Dataset(default_union=True)
        fmt = FORMAT_BY_SUFFIX[Path(path).suffix.lower()]
        parse_into(self.dataset, Path(path), fmt)
        self.where = str(path)

    def select(self, text: str, bindings: dict[str, Node] | None = None) -> Results:
        result = self.dataset.query(with_values(text, bindings or {}))
        if result.type == "ASK":
            return Results([], [], boolean=bool(result.askAnswer))
        variables = [str(v) for v in result.vars]
        rows = [{v: row[v] for v in variables if row[v] is not None} for row in result]
        return Results(variables, rows)

    def names(self) -> list[tuple[URIRef, str]]:
        return [(row["node"], str(row["name"])) for row in self.select(NAME_QUERY).rows]


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def sparql_term(term: Node) -> str:
    """An RDF term in SPARQL syntax that no value can break out of: IRIs with forbidden
    characters are refused, every character of a literal that could end it is escaped."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise UsageError(f"{str(term)!r} is not a valid IRI")
        return f"<{term}>"
    if not isinstance(term, Literal):
        raise UsageError("only IRIs and literals can be bound")
    body = "".join(_ESCAPES.get(c, c) for c in str(term))
    if term.language:
        return f'"{body}"@{term.language}'
    if term.datatype is not None:
        return f'"{body}"^^{sparql_term(URIRef(term.datatype))}'
    return f'"{body}"'


def with_values(text: str, bindings: dict[str, Node]) -> str:
    """The query with a VALUES block for the bindings at the start of its WHERE clause,
    each value an RDF term in safe SPARQL syntax (see sparql_term)."""
    if not bindings:
        return text
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(f"{name!r} is not a SPARQL variable name")
    block = " ".join(f"VALUES ?{name} {{ {sparql_term(term)} }}" for name, term in sorted(bindings.items()))
    lines = text.splitlines(keepends=True)
    head = 0
    while head < len(lines) and (lines[head].lstrip().startswith("#") or not lines[head].strip()):
        head += 1
    body = "".join(lines[head:])
    match = re.search(r"\bWHERE\s*\{", body, re.I) or re.search(r"\{", body)
    if match is None:
        raise UsageError("cannot bind parameters: the query has no WHERE clause")
    return "".join(lines[:head]) + body[: match.end()] + f"\n  {block}\n" + body[match.end() :]


class RemoteEngine:
    """A SPARQL endpoint, through SPARQLWrapper: a user agent, a timeout, retries with
    backoff on connection errors and server errors, one-line errors for the rest, and
    credentials from CYBERKG_SPARQL_USER / CYBERKG_SPARQL_PASSWORD (never printed)."""

    def __init__(self, url: str, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5):
        self.base = url.rstrip("/")
        self.endpoint = self.base if re.search(r"/(query|sparql)$", self.base) else self.base + "/query"
        if not re.match(r"^https?://[^\s/]+", self.endpoint):
            raise UsageError(f"--endpoint: {url!r} is not an http(s) URL")
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.where = self.endpoint

    def _wrapper(self, text: str):
        from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoint, agent=AGENT)
        wrapper.setQuery(text)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setReturnFormat(JSON)
        wrapper.timeout = self.timeout  # setTimeout() would round to whole seconds
        wrapper.addParameter("union-default-graph", "true")
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        if user:
            wrapper.setCredentials(user, password or "")
        return wrapper

    def _run(self, text: str) -> dict:
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, EndPointNotFound, QueryBadFormed, Unauthorized

        last = ""
        for attempt in range(self.retries):
            try:
                result = self._wrapper(text).query()
                return result.convert()
            except EndPointNotFound:
                raise CyberkgError(
                    f"{self.endpoint}: not found (HTTP 404): is this the server's SPARQL query URL?"
                ) from None
            except Unauthorized:
                raise CyberkgError(
                    f"{self.endpoint}: not authorised (HTTP 401/403): set {USER_ENV} and {PASSWORD_ENV}"
                ) from None
            except QueryBadFormed as error:
                raise CyberkgError(
                    f"{self.endpoint}: the server refused the query (HTTP 400): {_first_line(error)}"
                ) from None
            except EndPointInternalError as error:
                last = f"server error (HTTP 5xx): {_first_line(error)}"
            except urllib.error.HTTPError as error:
                if 500 <= error.code < 600:
                    last = f"server error (HTTP {error.code})"
                else:
                    raise CyberkgError(f"{self.endpoint}: HTTP {error.code} {error.reason}") from None
            except (TimeoutError, socket.timeout):
                raise CyberkgError(f"{self.endpoint}: no answer within {self.timeout:g} s (raise --timeout)") from None
            except urllib.error.URLError as error:
                if isinstance(error.reason, (TimeoutError, socket.timeout)):
                    raise CyberkgError(
                        f"{self.endpoint}: no answer within {self.timeout:g} s (raise --timeout)"
                    ) from None
                last = f"cannot connect ({error.reason})"
            except (ConnectionError, OSError) as error:
                last = f"cannot connect ({error})"
            if attempt + 1 < self.retries:
                time.sleep(self.backoff * 2**attempt)
        raise CyberkgError(f"{self.endpoint}: {last}, after {self.retries} attempt(s)")

    def select(self, text: str, bindings: dict[str, Node] | None = None) -> Results:
        # the header comment goes: SPARQLWrapper guesses the query form from keywords and
        # takes a word like "moved" in a comment for an update (MOVE)
        lines = text.splitlines()
        while lines and (lines[0].lstrip().startswith("#") or not lines[0].strip()):
            lines.pop(0)
        data = self._run(with_values("\n".join(lines), bindings or {}))
        if "boolean" in data:
            return Results([], [], boolean=bool(data["boolean"]))
        variables = data["head"]["vars"]
        rows = [{name: _from_json(value) for name, value in binding.items()} for binding in data["results"]["bindings"]]
        return Results(variables, rows)

    def names(self) -> list[tuple[URIRef, str]]:
        return [(row["node"], str(row["name"])) for row in self.select(NAME_QUERY).rows]


def _from_json(value: dict) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    if value.get("datatype"):
        return Literal(value["value"], datatype=URIRef(value["datatype"]))
    return Literal(value["value"])


def _first_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]
