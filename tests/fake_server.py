"""A scripted HTTP server on 127.0.0.1 for the tests of how cyberkg meets a misbehaving
server: each request gets the next answer of a script (status, headers, body, and how
to send it), and the requests are kept for the test to read."""

from __future__ import annotations

import gc
import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    media_type: str = "application/sparql-results+json"
    length: int | None = None  # a Content-Length that is not the body's: a short answer
    trickle: float = 0.0  # seconds between bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Fake:
    url: str
    script: list[Answer]
    seen: list[Seen] = field(default_factory=list)


@contextmanager
def fake_server(*script: Answer, repeat_last: bool = True) -> Iterator[Fake]:
    """Serve the answers in order (the last again and again when `repeat_last`)."""
    fake = Fake("", list(script))

    class Handler(http.server.BaseHTTPRequestHandler):
        def handle_any(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fake.seen.append(Seen(self.command, self.path, dict(self.headers), body))
            index = min(len(fake.seen) - 1, len(fake.script) - 1) if repeat_last else len(fake.seen) - 1
            answer = fake.script[index] if index < len(fake.script) else Answer(status=599)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.media_type)
            self.send_header("Content-Length", str(answer.length if answer.length is not None else len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command == "HEAD":
                self.close_connection = True
                return
            try:
                if answer.trickle:
                    for byte in answer.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(answer.trickle)
                else:
                    self.wfile.write(answer.body)
            except OSError:  # the client gave up
                pass
            self.close_connection = True

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = handle_any

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # garbage made on this thread is collected here first: the server's thread would otherwise
    # free the test's pyoxigraph objects, which pyoxigraph refuses (a warning)
    gc.collect()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
