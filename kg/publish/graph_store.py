"""Publishing to a SPARQL server with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph is sent whole with HTTP PUT to `STORE?graph=IRI` (the default graph,
if any, to `STORE?default`), which replaces that graph atomically: an upload that fails
leaves the previous version of the graph in place. For an Oxigraph server the store is
at `/store` below the base URL; a URL already ending in /store (or another Graph Store
path the user gives with --endpoint .../rdf-graph-store) is used as it is.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from pyoxigraph import RdfFormat

from kg.errors import CyberkgError, UsageError
from kg.graphio import serialize_dataset
from kg.query.engines import AGENT, PASSWORD_ENV, USER_ENV
from kg.rdf import GraphName, Statements
from kg.retry import Transient, with_retries


def store_url(endpoint: str) -> str:
    url = endpoint.rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--endpoint: {endpoint!r} is not an http(s) URL")
    if url.endswith(("/query", "/sparql", "/update")):
        url = url.rsplit("/", 1)[0]
    return url if url.endswith(("/store", "/rdf-graph-store", "/data")) else url + "/store"


def _put(url: str, body: bytes, timeout: float, retries: int = 3, backoff: float = 0.5) -> int:
    headers = {"Content-Type": "application/n-triples", "User-Agent": AGENT}
    user = os.environ.get(USER_ENV)
    if user:
        token = base64.b64encode(f"{user}:{os.environ.get(PASSWORD_ENV, '')}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"

    def attempt() -> int:
        request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            if 500 <= error.code < 600:
                raise Transient(f"server error (HTTP {error.code})") from None
            raise CyberkgError(f"{url}: HTTP {error.code} {error.reason} (is this a Graph Store endpoint?)") from None
        except TimeoutError:
            raise CyberkgError(f"{url}: no answer within {timeout:g} s") from None
        except (urllib.error.URLError, OSError) as error:
            raise Transient(f"cannot connect ({getattr(error, 'reason', error)})") from None

    return with_retries(attempt, url, retries, backoff)


def publish(
    graphs: Mapping[GraphName, Statements], endpoint: str, timeout: float = 60.0, source: str = "the graph"
) -> list[tuple[GraphName, int]]:
    """Upload every graph, each replacing its previous version; returns (name, statements).
    A graph with no statements is refused before any request (`source` names it in the
    message): publishing it would report success for nothing."""
    if not any(len(graph) for graph in graphs.values()):
        raise UsageError(f"{source}: holds no statements, nothing to publish (build it first)")
    store = store_url(endpoint)
    done = []
    for name, graph in sorted(graphs.items(), key=lambda item: item[0].value if item[0] else ""):
        body = serialize_dataset({None: graph}, RdfFormat.N_TRIPLES)
        target = f"{store}?default" if name is None else f"{store}?graph={urllib.parse.quote(name.value, safe='')}"
        _put(target, body, timeout)
        done.append((name, len(graph)))
    return done
