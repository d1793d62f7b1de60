"""A throwaway Virtuoso Open Source 7 server on 127.0.0.1, for the tests that run the
canned queries on a second kind of SPARQL server (tests/test_servers.py).

It runs Debian's `virtuoso-t` (package virtuoso-opensource; `.ci/run` installs it) in the
foreground, with a database folder and a virtuoso.ini of its own in a temporary folder,
on free ports (HTTP and SQL), and is stopped and its folder removed on exit. Start-up
takes about six seconds, most of it Virtuoso creating an empty database.

What the tests get (`Server`):

- `query_url`, the SPARQL endpoint (`/sparql`), open to anyone, as on a public server;
- `graph_store`, the authenticated Graph Store endpoint (`/sparql-graph-crud-auth`, HTTP
  Digest only: Basic is refused), with the user `dba` and a password made at start-up
  (`user`, `password`);
- SPARQL Update on `query_url` for anyone (SPARQL_UPDATE granted to the anonymous user
  SPARQL, with what 7.2.5 needs beside it). The unauthenticated Graph Store
  (`/sparql-graph-crud`) stays read-only: writing it needs more grants than these;
- `sql`, a function that runs SQL statements through `isql-vt` as dba.

The tests load it as a user does, with `cyberkg publish` to `graph_store` and the
environment `publish_env(server)` gives (dba's credentials, HTTP Digest).

Virtuoso's default graph is the union of all its graphs, its own among them
(virtrdf#, ...), and a statement held by two graphs is matched once per graph (the merge
is not a set, unlike the local engine's); see tests/test_servers.py.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from oxigraph_server import ServerError, free_port

MISSING = (
    "Virtuoso Open Source 7 is not installed (virtuoso-t and isql-vt): "
    "apt-get install virtuoso-opensource, as .ci/run does"
)

# [SPARQL]: no row cap and no time limit, so no answer is silently cut short (Virtuoso's
# "anytime" queries return what they found when MaxQueryExecutionTime runs out, with a
# 200 status); small buffers and few threads, as a test needs.
INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
MaxClientConnections = 8
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/www
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


# SPARQL Update for the anonymous user SPARQL: in 7.2.5 the role alone leaves INSERT DATA
# refused ("No permission to execute procedure DB.DBA.SPARQL_INSERT_DICT_CONTENT")
GRANTS = """\
GRANT SPARQL_UPDATE TO "SPARQL";
GRANT SPARQL_LOAD_SERVICE_DATA TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";
GRANT DELETE ON DB.DBA.RDF_QUAD TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
"""


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    query_url: str  # the SPARQL endpoint
    graph_store: str  # the Graph Store endpoint that asks for user and password (HTTP Digest)
    user: str
    password: str
    sql_port: int
    folder: Path
    process: subprocess.Popen

    def sql(self, statements: str, timeout: float = 60.0) -> str:
        """Run SQL statements (each ended by ';') as dba through isql-vt; their output.
        ServerError when isql reports an error."""
        return isql(self.sql_port, self.user, self.password, statements, timeout)


def binaries() -> tuple[str, str] | None:
    """(virtuoso-t, isql-vt), or None when either is missing."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, client) if server and client else None


def isql(port: int, user: str, password: str, statements: str, timeout: float = 60.0) -> str:
    _, client = binaries() or ("", "isql-vt")
    done = subprocess.run(
        [client, f"127.0.0.1:{port}", user, password],
        input=statements,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output:
        raise ServerError(f"isql-vt: {' '.join(output.split())[-500:]}")
    return output


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM when the process that started it dies, so a
    test run that is killed leaves no server behind."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop(process: subprocess.Popen, timeout: float = 20.0) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # Virtuoso shuts down on SIGTERM
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _log_tail(folder: Path) -> str:
    text = "".join(
        (folder / name).read_text(errors="replace")
        for name in ("stdout.log", "virtuoso.log")
        if (folder / name).exists()
    )
    return " ".join(text.split())[-600:]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def virtuoso_server(parent: Path | None = None, start_within: float = 60.0) -> Iterator[Server]:
    """A fresh Virtuoso in a temporary folder (below `parent`, if given) that answers SPARQL
    before it is yielded, with SPARQL writes granted and a new dba password; stopped and its
    folder removed after. ServerError when it is not installed, exits, or does not answer in time."""
    found = binaries()
    if found is None:
        raise ServerError(MISSING)
    command, _ = found
    folder = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=parent))
    process = None
    try:
        (folder / "www").mkdir()
        http_port, sql_port = free_port(), free_port()
        while sql_port == http_port:
            sql_port = free_port()
        (folder / "virtuoso.ini").write_text(
            INI.format(folder=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8"
        )
        log = (folder / "stdout.log").open("wb")
        process = subprocess.Popen(
            [command, "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        log.close()
        url = f"http://127.0.0.1:{http_port}"
        deadline = time.monotonic() + start_within
        password = "pw" + secrets.token_hex(10)  # a name to isql's SET PASSWORD, so not starting with a digit
        refused = ""
        while True:
            if process.poll() is not None:
                raise ServerError(f"Virtuoso exited with status {process.returncode}: {_log_tail(folder)}")
            if _answers(f"{url}/sparql"):
                try:
                    # the SQL port opens just after the HTTP one
                    isql(sql_port, "dba", "dba", f"set password dba {password};")  # SET PASSWORD old new
                    break
                except ServerError as error:
                    refused = f"; isql: {error}"
            if time.monotonic() > deadline:
                raise ServerError(f"Virtuoso did not answer within {start_within:g} s{refused}: {_log_tail(folder)}")
            time.sleep(0.1)
        server = Server(
            url=url,
            query_url=f"{url}/sparql",
            graph_store=f"{url}/sparql-graph-crud-auth",
            user="dba",
            password=password,
            sql_port=sql_port,
            folder=folder,
            process=process,
        )
        server.sql(GRANTS)
        yield server
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def publish_env(server: Server) -> dict[str, str]:
    """The environment `cyberkg publish` needs to write to the server's authenticated Graph
    Store: dba's credentials, sent as HTTP Digest."""
    return dict(
        os.environ,
        CYBERKG_SPARQL_USER=server.user,
        CYBERKG_SPARQL_PASSWORD=server.password,
        CYBERKG_SPARQL_AUTH="digest",
    )
