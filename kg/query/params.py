"""Query parameters from the command line (KEY=VALUE) to RDF terms.

A node parameter may be an IRI (`<https://...>` or `https://...`), a prefixed name
(`id:state/FRA`, `ckg:Treaty`) or a name the graph knows (a label, alias, symbol, ISO
code or resolution number: "Budapest Convention", "A/RES/74/247", "VNM"); a name must
resolve to exactly one node, otherwise it is refused with the candidates listed. Values
become RDF terms and are bound, so quotes, braces or '} UNION {' in a value are just
characters of that value.
"""

from __future__ import annotations

import re
from datetime import date

from pyoxigraph import Literal, NamedNode

from kg.errors import UsageError
from kg.namespaces import PREFIXES
from kg.query.catalogue import CannedQuery, Parameter
from kg.text import normalise_name, read_utf8

Term = NamedNode | Literal
XSD = "http://www.w3.org/2001/XMLSchema#"
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


def utf8(text: str, where: str) -> str:
    """`text` when it is Unicode text; a UsageError naming `where` when the command line
    brought bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        byte = ord(text[error.start]) - 0xDC00
        raise UsageError(f"{where}: not UTF-8 text (byte 0x{byte:02x} at character {error.start + 1})") from None
    return text


def parse_pairs(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = utf8(pair, "--param").partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {pair!r}: expected KEY=VALUE")
        if name.strip() in values:
            raise UsageError(f"--param {name.strip()}: given twice")
        values[name.strip()] = value
    return values


class NameResolver:
    """Names -> nodes, from the names the graph holds (fetched once, on first use)."""

    def __init__(self, engine, base: str):
        self.engine = engine
        self.base = base
        self._index: dict[str, set[NamedNode]] | None = None
        self._labels: dict[NamedNode, str] = {}
        self._spelling: dict[str, str] = {}  # a normalised name -> the name as the graph writes it

    def index(self) -> dict[str, set[NamedNode]]:
        if self._index is None:
            self._index = {}
            for node, name in self.engine.names():
                key = normalise_name(name)
                self._index.setdefault(key, set()).add(node)
                self._labels.setdefault(node, name)
                self._spelling.setdefault(key, name)
        return self._index

    def node(self, value: str, where: str) -> NamedNode:
        text = value.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        prefix, sep, local = text.partition(":")
        namespaces = {p: str(n) for p, n in PREFIXES.items()} | {"id": self.base}
        if sep and prefix in namespaces and not local.startswith("//"):
            text = namespaces[prefix] + local
        if re.match(r"^https?://", text):
            if not _IRI.match(text):
                raise UsageError(
                    f"{where}: {value!r} is not a valid IRI (spaces, quotes, braces and angle brackets are not allowed)"
                )
            try:
                return NamedNode(text)
            except ValueError as error:
                raise UsageError(f"{where}: {value!r} is not a valid IRI ({error})") from None
        found = sorted(self.index().get(normalise_name(value), set()), key=lambda node: node.value)
        if len(found) == 1:
            return found[0]
        if not found:
            near = self.nearest(value)
            hint = f"; the nearest names: {'; '.join(near)}" if near else ""
            raise UsageError(
                f"{where}: nothing in the graph is named {value!r} (give an IRI, a prefixed name, or a name or "
                f"symbol the graph holds){hint}"
            )
        listed = "; ".join(f"{self._labels.get(n, '')} {n}" for n in found[:8])
        raise UsageError(f"{where}: {value!r} names {len(found)} nodes, give one of them: {listed}")

    def nearest(self, value: str, count: int = 5) -> list[str]:
        """The names the graph holds that are spelled most like `value` (as they are written
        in the graph), best first."""
        from difflib import get_close_matches

        index = self.index()
        keys = get_close_matches(normalise_name(value), list(index), n=count, cutoff=0.6)
        return [self._spelling[key] for key in keys]


def bind(query: CannedQuery, raw: dict[str, str], resolver: NameResolver) -> dict[str, Term]:
    """The SPARQL bindings for a canned query's parameters (defaults applied)."""
    bindings: dict[str, Term] = {}
    for name in raw:
        query.parameter(name)  # unknown names are refused
    for parameter in query.parameters:
        value = raw.get(parameter.name, parameter.default)
        if value is None:
            if parameter.required:
                raise UsageError(f"query {query.name} needs --param {parameter.name}=... ({parameter.help})")
            continue
        bindings[parameter.variable] = term(parameter, value, resolver)
    return bindings


def term(parameter: Parameter, value: str, resolver: NameResolver) -> Term:
    where = f"--param {parameter.name}"
    if parameter.type == "node":
        return resolver.node(value, where)
    if parameter.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise UsageError(f"{where}: {value!r} is not a whole number")
        return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))
    if parameter.type == "date":
        try:
            return Literal(date.fromisoformat(value.strip()).isoformat(), datatype=NamedNode(XSD + "date"))
        except ValueError:
            raise UsageError(f"{where}: {value!r} is not a date written YYYY-MM-DD") from None
    return Literal(value)


def ad_hoc_query(query: str) -> str:
    """An ad-hoc query (its text, or a .rq file) with PREFIX declarations for the prefixes
    it uses without declaring (kg.namespaces.PREFIXES); a UsageError unless it is a SELECT
    or ASK query."""
    from pathlib import Path

    from kg.query.engines import query_form

    text = read_utf8(Path(query)) if query.endswith(".rq") and Path(query).is_file() else utf8(query, "the query")
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+(\w*):", text)}
    prologue = "".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items() if p.lower() not in declared)
    text = prologue + text
    if query_form(text) not in ("SELECT", "ASK"):
        raise UsageError("only SELECT and ASK queries can be run (use 'cyberkg export' for the graph itself)")
    return text


def ad_hoc_bindings(pairs: tuple[str, ...] | list[str], resolver: NameResolver) -> dict[str, Term]:
    """Bindings for an ad-hoc query's KEY=VALUE pairs: a value in double quotes is a string,
    anything else a node (see NameResolver.node)."""
    bindings: dict[str, Term] = {}
    for key, value in parse_pairs(pairs).items():
        if not re.fullmatch(r"[A-Za-z_]\w*", key):
            raise UsageError(f"--param {key!r}: not a SPARQL variable name")
        quoted = value.startswith('"') and value.endswith('"') and len(value) >= 2
        bindings[key] = Literal(value[1:-1]) if quoted else resolver.node(value, f"--param {key}")
    return bindings
