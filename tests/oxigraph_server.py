"""A throwaway Oxigraph SPARQL server on 127.0.0.1, started from the `oxigraph` binary of
the dev extra: for the tests that query a real server and for the scale benchmark."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MISSING = "the Oxigraph server is not installed: pip install -e '.[dev]' (it ships in the oxigraph package)"


class ServerError(RuntimeError):
    """The server is not installed, exited, or did not answer in time."""


@dataclass
class Server:
    url: str
    process: subprocess.Popen


def binary() -> str | None:
    """The `oxigraph` command beside this Python, else on PATH; None when there is none."""
    return shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def oxigraph_server(location: Path | None, start_within: float = 20.0) -> Iterator[Server]:
    """A fresh server storing into `location` (None: in memory), answering before it is
    yielded; stopped after. ServerError when it is not installed, exits, or does not answer
    in time."""
    command = binary()
    if command is None:
        raise ServerError(MISSING)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [command, "serve", *(["--location", str(location)] if location else []), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + start_within
        while True:
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise ServerError(f"the Oxigraph server exited with status {process.returncode}") from None
                if time.monotonic() > deadline:
                    raise ServerError(f"the Oxigraph server did not answer within {start_within:g} s") from None
                time.sleep(0.05)
        yield Server(url, process)
    finally:
        if process.poll() is None:
            stop(process)
