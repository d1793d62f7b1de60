"""Query results and their W3C formats: SPARQL 1.1 Query Results JSON, CSV and TSV, and a
table for people."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from rdflib import BNode, URIRef
from rdflib.term import Node


@dataclass
class Results:
    variables: list[str]
    rows: list[dict[str, Node]]  # variable -> term; unbound variables are absent
    boolean: bool | None = None  # the answer of an ASK query

    def tuples(self) -> list[tuple]:
        """Rows as comparable tuples of strings (for tests and cross-checks)."""
        return [tuple(_plain(row.get(v)) for v in self.variables) for row in self.rows]


def _plain(term: Node | None) -> str:
    return "" if term is None else str(term)


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def to_json(results: Results) -> str:
    if results.boolean is not None:
        return json.dumps({"head": {}, "boolean": results.boolean}, indent=2)
    return json.dumps(
        {
            "head": {"vars": results.variables},
            "results": {
                "bindings": [{v: _json_term(row[v]) for v in results.variables if v in row} for row in results.rows]
            },
        },
        indent=2,
        ensure_ascii=False,
    )


def to_csv(results: Results, delimiter: str = ",") -> str:
    if results.boolean is not None:  # the W3C formats define no table for ASK: one value
        return ("true" if results.boolean else "false") + "\n"
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    if delimiter == "\t":  # SPARQL TSV: variables with '?', terms in Turtle syntax
        stream.write("\t".join(f"?{v}" for v in results.variables) + "\n")
        for row in results.rows:
            stream.write("\t".join(row[v].n3() if v in row else "" for v in results.variables) + "\n")
        return stream.getvalue()
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow([_plain(row.get(v)) for v in results.variables])
    return stream.getvalue()


def short(term: Node | None, namespaces: list[tuple[str, str]], width: int = 80) -> str:
    """A term as a person reads it in a table: a prefixed name, or the literal's text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in namespaces:
            if text.startswith(namespace) and len(text) > len(namespace):
                text = f"{prefix}:{text[len(namespace) :]}"
                break
    else:
        text = str(term)
    return text if len(text) <= width else text[: width - 1] + "…"
