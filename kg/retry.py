"""Retries with exponential backoff, for the two places cyberkg talks to a server (SPARQL
queries and Graph Store uploads): a call that fails in a way worth another try raises
`Transient`; anything else ends the retries at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from kg.errors import CyberkgError

T = TypeVar("T")


class Transient(Exception):
    """A failure another attempt may not meet: a server error (HTTP 5xx), a refused or
    reset connection. Its message says what happened."""


def with_retries(call: Callable[[], T], where: str, attempts: int = 3, backoff: float = 0.5) -> T:
    """call() until it returns, up to `attempts` times, waiting backoff, 2 x backoff, ...
    between tries; after the last, a one-line CyberkgError naming `where` and the last failure."""
    last = ""
    for attempt in range(attempts):
        try:
            return call()
        except Transient as failure:
            last = str(failure)
        if attempt + 1 < attempts:
            time.sleep(backoff * 2**attempt)
    raise CyberkgError(f"{where}: {last}, after {attempts} attempt(s)")
