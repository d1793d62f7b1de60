"""Settings a user can change: the base IRI under which the graph's own nodes are minted.

A portal publishes the graph under its own domain, so the base is configurable: the
`--base` option of the `cyberkg` command, or the CYBERKG_BASE environment variable.
The default, https://w3id.org/cyberkg/id/, is stable and documented in the README.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from kg.errors import UsageError

DEFAULT_BASE = "https://w3id.org/cyberkg/id/"
BASE_ENV = "CYBERKG_BASE"


def check_base(base: str, origin: str = "--base") -> str:
    """Return `base` if it can prefix data IRIs, else raise a one-line UsageError."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{origin}: {base!r} is not an absolute http(s) IRI (expected e.g. {DEFAULT_BASE})")
    if not base.endswith(("/", "#")):
        raise UsageError(f"{origin}: {base!r} must end with '/' or '#' so that node names can follow it")
    if any(ch in base for ch in ' <>"{}|\\^`'):
        raise UsageError(f"{origin}: {base!r} contains a character not allowed in an IRI")
    return base


def data_base(option: str | None = None) -> str:
    """The base IRI in force: the option if given, else CYBERKG_BASE, else the default."""
    if option:
        return check_base(option, "--base")
    env = os.environ.get(BASE_ENV)
    if env:
        return check_base(env, BASE_ENV)
    return DEFAULT_BASE
