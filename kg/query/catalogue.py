"""The canned queries: .rq files whose header comment says what they answer and which
parameters they take. A header looks like:

    # Title: Who supported which instrument
    # Description: Every actor on record as supporting an instrument, ...
    #   (continued lines are indented)
    # Parameter: instrument (node, optional): the instrument, by IRI, prefixed name or name.
    # Parameter: text (string, optional, variable textParam): words the text must contain.
    # Parameter: resolution (node, optional, default A/RES/74/247): ...
    # Example: cyberkg query who-supported --param instrument="Budapest Convention"

A parameter is bound to the SPARQL variable of its name (or the one `variable` names)
by a VALUES block at the start of the WHERE clause, so the variable must be visible
there: a subquery that uses it must project it. Its type is `node` (an IRI, prefixed
name or name), `string`, `integer` or `date`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg import resources
from kg.errors import CyberkgError
from kg.text import read_utf8

TYPES = ("node", "string", "integer", "date")
_PARAM = re.compile(r"^(?P<name>[A-Za-z][\w-]*)\s*\((?P<options>[^)]*)\)\s*:\s*(?P<help>.*)$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    default: str | None
    variable: str
    help: str


@dataclass
class CannedQuery:
    name: str
    path: Path
    title: str
    description: str
    example: str
    text: str
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def example_params(self) -> dict[str, str]:
        """The `--param KEY=VALUE` pairs of the header's example, read as a shell would."""
        import shlex

        words = shlex.split(self.example)
        pairs = [words[i + 1] for i, word in enumerate(words[:-1]) if word == "--param"]
        return dict(pair.split("=", 1) for pair in pairs if "=" in pair)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise CyberkgError(f"query {self.name} has no parameter {name!r} (parameters: {known})", exit_code=2)


def parse_query_file(path: Path) -> CannedQuery:
    text = read_utf8(path)
    fields: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        match = re.match(r"^\s*(Title|Description|Parameter|Example)\s*:\s*(.*)$", body)
        if match:
            current = match.group(1).lower()
            fields.setdefault(current, []).append(match.group(2).strip())
        elif current and body.startswith("   "):
            fields[current][-1] += " " + body.strip()
    for key in ("title", "description", "example"):
        if not fields.get(key):
            raise CyberkgError(f"{path}:1: the header has no '# {key.capitalize()}:' line")
    parameters = []
    for spec in fields.get("parameter", []):
        match = _PARAM.match(spec)
        if not match:
            raise CyberkgError(
                f"{path}: bad parameter line {spec!r} (expected 'name (type, optional|required[, default X][, variable V]): help')"
            )
        options = [o.strip() for o in match.group("options").split(",")]
        kind = options[0]
        if kind not in TYPES:
            raise CyberkgError(
                f"{path}: parameter {match.group('name')}: type {kind!r} is not one of {', '.join(TYPES)}"
            )
        default = next((o[len("default ") :] for o in options if o.startswith("default ")), None)
        variable = next((o[len("variable ") :] for o in options if o.startswith("variable ")), match.group("name"))
        parameters.append(
            Parameter(match.group("name"), kind, "required" in options, default, variable, match.group("help"))
        )
    return CannedQuery(
        path.stem, path, fields["title"][0], fields["description"][0], fields["example"][0], text, parameters
    )


def load_catalogue(folder: Path | None = None) -> dict[str, CannedQuery]:
    folder = Path(folder) if folder else resources.resource_dir("queries")
    return {path.stem: parse_query_file(path) for path in sorted(folder.glob("*.rq"))}


def canned(name: str, folder: Path | None = None) -> CannedQuery:
    catalogue = load_catalogue(folder)
    if name not in catalogue:
        raise CyberkgError(
            f"no canned query {name!r}; known: {', '.join(catalogue)} (see 'cyberkg queries')", exit_code=2
        )
    return catalogue[name]


def canned_rows(engine, name: str, bindings: dict | None = None) -> list[dict[str, str]]:
    """The rows of the canned query `name` on an engine (kg.query.engines), bound to
    `bindings` ({variable: term}), as text."""
    return engine.select(load_catalogue()[name].text, bindings or {}).text_rows()
