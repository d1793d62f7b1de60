"""Query results: the seam between the engines and what is printed or drawn.

Every engine hands over its answer in the W3C SPARQL 1.1 Query Results JSON format (an
endpoint's own bytes; pyoxigraph's and rdflib's writers locally); pyoxigraph parses it
into rows of pyoxigraph terms, and writes it again in JSON, XML, CSV or TSV with its own
writers. An endpoint that answers in SPARQL Results XML or TSV instead (its media type
says so) is read too and handed on as JSON; a malformed answer from an endpoint is a
one-line error naming it.

Two spellings of Virtuoso's are normalised as an answer is read, so that every server
gives the same terms: booleans in their canonical form (Virtuoso writes every
xsd:boolean as "1" or "0", valid but not canonical, and code comparing text sees
another value), and blank nodes written `nodeID://b1` (not a blank node label).
"""

from __future__ import annotations

import json as json_module
from dataclasses import dataclass, field

import pyoxigraph
from pyoxigraph import NamedNode, QueryResultsFormat

from kg.errors import CyberkgError

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal

# the formats `--format` offers, by name
FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}

# the results formats an endpoint may answer in, by media type
ANSWER_FORMATS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/xml": QueryResultsFormat.XML,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}


@dataclass
class Results:
    """A SELECT answer (variables, and rows of pyoxigraph terms; unbound variables are
    absent from a row) or an ASK answer (`boolean`), with the JSON it was read from."""

    variables: list[str]
    rows: list[dict[str, Term]]
    boolean: bool | None = None
    json: bytes = field(default=b"", repr=False)

    @classmethod
    def from_json(cls, data: bytes, where: str = "the answer") -> Results:
        """Read SPARQL Query Results JSON; a CyberkgError naming `where` when it is not."""
        try:
            answer = pyoxigraph.parse_query_results(data, format=QueryResultsFormat.JSON)
            if isinstance(answer, pyoxigraph.QueryBoolean):
                return cls([], [], boolean=bool(answer), json=data)
            variables = [v.value for v in answer.variables]
            rows = [{name: value for name in variables if (value := solution[name]) is not None} for solution in answer]
        except (SyntaxError, ValueError, OSError) as error:
            reason = " ".join(str(error).split())[:200]
            raise CyberkgError(f"{where}: not a SPARQL JSON results document ({reason})") from None
        return cls(variables, rows, json=data)

    @classmethod
    def from_answer(cls, data: bytes, media_type: str, where: str) -> Results:
        """An endpoint's answer in the results format its media type names (JSON when the
        type names none of them: servers label JSON text/plain too), Virtuoso's spellings
        normalised (local answers, written by pyoxigraph, never need it)."""
        fmt = ANSWER_FORMATS.get(media_type.lower(), QueryResultsFormat.JSON)
        if fmt == QueryResultsFormat.JSON:
            return cls.from_json(_normalised(data), where)
        try:
            answer = pyoxigraph.parse_query_results(data, format=fmt)
            json = answer.serialize(format=QueryResultsFormat.JSON) or b""
        except (SyntaxError, ValueError, OSError) as error:
            reason = " ".join(str(error).split())[:200]
            raise CyberkgError(f"{where}: not valid {fmt.name} ({reason})") from None
        return cls.from_json(_normalised(json), where)

    @classmethod
    def from_solutions(cls, answer: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean) -> Results:
        """pyoxigraph's own answer to a query."""
        return cls.from_json(answer.serialize(format=QueryResultsFormat.JSON) or b"")

    def serialize(self, fmt: str) -> bytes:
        """The answer in one of FORMATS (pyoxigraph's writers). An ASK answer in CSV or TSV,
        for which the W3C formats define no table, is the word true or false."""
        answer = pyoxigraph.parse_query_results(self.json, format=QueryResultsFormat.JSON)
        return answer.serialize(format=FORMATS[fmt]) or b""

    def text_rows(self) -> list[dict[str, str]]:
        """Rows as {variable: the term's text} ("" for an unbound variable), for code that
        reads values, not terms (networks, profiles, the timeline)."""
        return [{v: plain(row.get(v)) for v in self.variables} for row in self.rows]

    def tuples(self) -> list[tuple]:
        """Rows as comparable tuples of strings (for tests and cross-checks)."""
        return [tuple(plain(row.get(v)) for v in self.variables) for row in self.rows]


XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


def _normalised(data: bytes) -> bytes:
    """The answer with booleans in canonical form and `nodeID://` blank nodes as labels;
    the bytes as they were when neither occurs (the usual case: no second parse)."""
    if b"nodeID://" not in data and XSD_BOOLEAN.encode() not in data:
        return data
    try:
        answer = json_module.loads(data)
        rows = answer["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        return data  # not results with bindings: pyoxigraph's parser says what is wrong
    changed = False
    for row in rows if isinstance(rows, list) else []:
        for term in row.values() if isinstance(row, dict) else []:
            if not isinstance(term, dict) or not isinstance(term.get("value"), str):
                continue
            value = term["value"]
            if term.get("datatype") == XSD_BOOLEAN and value in _CANONICAL_BOOLEAN:
                term["value"], changed = _CANONICAL_BOOLEAN[value], True
            elif term.get("type") in ("bnode", "uri") and value.startswith("nodeID://"):
                term["type"], term["value"], changed = "bnode", value[len("nodeID://") :], True
    return json_module.dumps(answer, ensure_ascii=False).encode("utf-8") if changed else data


def plain(term: Term | None) -> str:
    """A term's text: an IRI, a blank node's label or a literal's lexical form; "" for none."""
    return "" if term is None else term.value


def short(term: Term | None, namespaces: list[tuple[str, str]], width: int = 80) -> str:
    """A term as a person reads it in a table: a prefixed name, or the literal's text."""
    if term is None:
        return ""
    text = term.value
    if isinstance(term, NamedNode):
        for prefix, namespace in namespaces:
            if text.startswith(namespace) and len(text) > len(namespace):
                text = f"{prefix}:{text[len(namespace) :]}"
                break
    return text if len(text) <= width else text[: width - 1] + "…"
