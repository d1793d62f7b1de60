"""What cyberkg's two HTTP clients (SPARQL queries, Graph Store uploads) share: URLs
checked before any request, credentials and their scheme from the environment, a
deadline on a whole request with retries (`call`), and the one-line errors for what the
network and the server can do (`answered`).

A socket timeout bounds each read, not the request: a server that sends one byte every
two seconds would hold a 5-second timeout for as long as it likes. `within` runs the
request in a daemon thread and gives up when the deadline passes, whatever the server
does; the abandoned thread ends at its next socket timeout, or with the process.
"""

from __future__ import annotations

import http.client
import os
import socket
import threading
import urllib.error
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, TypeVar

from kg import __version__
from kg.errors import CyberkgError, UsageError
from kg.rdf import collector_paused
from kg.retry import Transient, with_retries

AGENT = f"cyberkg/{__version__} (+https://w3id.org/cyberkg)"
USER_ENV, PASSWORD_ENV, AUTH_ENV = "CYBERKG_SPARQL_USER", "CYBERKG_SPARQL_PASSWORD", "CYBERKG_SPARQL_AUTH"
T = TypeVar("T")


def checked_url(text: str, option: str = "--endpoint") -> str:
    """`text` when it is an http(s) URL a request can be sent to, else a one-line UsageError
    naming the option: spaces, control and non-ASCII characters must be percent-encoded,
    and the host (and port) must parse."""
    bad = next((ch for ch in text if ord(ch) <= 32 or ord(ch) >= 127), None)
    if bad is not None:
        raise UsageError(f"{option}: {text!r} is not a URL: {bad!r} must be percent-encoded")
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018  (parsing the port is the check)
    except ValueError as error:
        raise UsageError(f"{option}: {text!r} is not a URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option}: {text!r} is not an http(s) URL (expected http://host[:port]/path)")
    return text


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str
    scheme: Literal["basic", "digest"]


def credentials() -> Credentials | None:
    """The user, password and scheme from CYBERKG_SPARQL_USER, CYBERKG_SPARQL_PASSWORD and
    CYBERKG_SPARQL_AUTH (basic, the default, or digest, as Virtuoso's authenticated
    endpoints ask); None when no user is set."""
    user = os.environ.get(USER_ENV)
    if not user:
        return None
    scheme = os.environ.get(AUTH_ENV, "basic").strip().lower() or "basic"
    if scheme not in ("basic", "digest"):
        raise UsageError(f"{AUTH_ENV}: {scheme!r} is not an authentication scheme (expected basic or digest)")
    return Credentials(user, os.environ.get(PASSWORD_ENV, ""), scheme)  # type: ignore[arg-type]


def not_authorised(url: str, status: str) -> str:
    return (
        f"{url}: not authorised ({status}): set {USER_ENV} and {PASSWORD_ENV}"
        f" (and {AUTH_ENV}=digest where the server asks for Digest)"
    )


def too_slow(url: str, seconds: float) -> str:
    return f"{url}: no answer within {seconds:g} s (raise --timeout)"


def call(request: Callable[[], T], url: str, seconds: float, retries: int, backoff: float) -> T:
    """request() with a deadline of `seconds` on each attempt, retried on Transient
    failures (kg.retry)."""
    return with_retries(lambda: within(seconds, request, too_slow(url, seconds)), url, retries, backoff)


@contextmanager
def answered(url: str, seconds: float, refused: Callable[[urllib.error.HTTPError], Exception]) -> Iterator[None]:
    """Turn what the network and the server do to a request into kg's errors: a server error
    (HTTP 5xx), a refused, reset or broken connection are Transient (worth a retry), a
    timeout is one line, and any other HTTP status is what `refused(error)` makes of it."""
    try:
        yield
    except urllib.error.HTTPError as error:
        if 500 <= error.code < 600:
            raise Transient(f"server error (HTTP {error.code})") from None
        raise refused(error) from None
    except (TimeoutError, socket.timeout):
        raise CyberkgError(too_slow(url, seconds)) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise CyberkgError(too_slow(url, seconds)) from None
        raise Transient(f"cannot connect ({error.reason})") from None
    except OSError as error:
        raise Transient(f"cannot connect ({error})") from None
    except http.client.HTTPException as error:  # a connection closed mid-answer
        raise Transient(f"broken answer ({type(error).__name__})") from None


def within(seconds: float, call: Callable[[], T], too_slow: str) -> T:
    """call()'s result or exception, or CyberkgError(too_slow) once `seconds` have passed."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=run, name="cyberkg-request", daemon=True)
    # no cyclic collection in the worker: it would free pyoxigraph objects made on this
    # thread there, which pyoxigraph refuses ("unsendable ... dropped on another thread")
    with collector_paused():
        worker.start()
        worker.join(seconds)
    if worker.is_alive():
        raise CyberkgError(too_slow)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
