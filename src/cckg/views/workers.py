"""Queries with a deadline: worker processes that hold the store open read-only.

pyoxigraph has no query timeout, and a thread cannot be stopped, so a query that must end in time
runs in a worker process, which is killed (and, in a pool, replaced) when the time is up.  This is
the one mechanism for ``cckg query --timeout`` (:func:`cckg.views.query.run`) and for every query
of ``cckg serve`` (:mod:`cckg.views.serve`).

Each worker is a fresh interpreter (not a fork of a threaded server) that talks over a socket pair:
it opens the store, says it is ready (the clock starts then), and answers each SPARQL text with
its result, or with the error it raised.  A pool may limit the size of a result (``max_results``
rows or triples): a worker stops reading a result past it and answers :class:`ResultTooLarge`.
"""

from __future__ import annotations

import functools
import queue
import socket
import subprocess
import sys
import threading
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import rdflib

from cckg.errors import QueryError, QuerySyntaxError, ResultTooLarge, StoreError
from cckg.sparql import QueryResult, SelectResult
from cckg.store import OxigraphStore, open_store

#: How long a worker may take to start and open the store, in seconds.
STARTUP_SECONDS = 120.0


class QueryTimeout(QueryError):
    """A query stopped at its deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"query timed out after {seconds:g} s")


def worker_main() -> None:
    """The worker process (``python -c 'from cckg.views.workers import worker_main; worker_main()'
    STORE FD [MAX_RESULTS]``)."""
    location, fd = sys.argv[1], int(sys.argv[2])
    max_results = int(sys.argv[3]) if len(sys.argv) > 3 else None
    _serve_queries(location, Connection(fd), max_results)


def _serve_queries(location: str, conn: Connection, max_results: int | None = None) -> None:
    """Run the queries that come over ``conn`` on the store until the connection closes."""
    try:
        store = open_store(location, read_only=True)
    except StoreError as error:
        conn.send(("error", str(error)))
        return
    conn.send(("ready", None))
    while True:
        try:
            sparql = conn.recv()
        except (EOFError, OSError):
            return
        query = store.query
        if isinstance(store, OxigraphStore) and max_results is not None:
            query = functools.partial(store.query, max_results=max_results)  # stops at the limit
        conn.send(_answer(query, sparql, max_results))


def _answer(query: Any, sparql: str, max_results: int | None = None) -> tuple[str, Any]:
    try:
        result = _within(query(sparql), max_results)
    except QuerySyntaxError as error:
        return "syntax", str(error)
    except ResultTooLarge:
        return "too large", max_results
    except Exception as error:  # reported by the parent as one line; the worker keeps serving
        return "error", " ".join(f"{type(error).__name__}: {error}".split())
    if isinstance(result, rdflib.Graph):
        return "graph", result.serialize(format="nt", encoding="utf-8")
    return "ok", result


def _within(result: QueryResult, max_results: int | None) -> QueryResult:
    """``result``; :class:`ResultTooLarge` when it has more than ``max_results`` rows or triples."""
    if max_results is None:
        return result
    size = len(result.rows) if isinstance(result, SelectResult) else 0
    if isinstance(result, rdflib.Graph):
        size = len(result)
    if size > max_results:
        raise ResultTooLarge(max_results)
    return result


def _result(message: tuple[str, Any]) -> QueryResult:
    status, payload = message
    if status == "syntax":
        raise QuerySyntaxError(payload)
    if status == "too large":
        raise ResultTooLarge(payload)
    if status == "error":
        raise StoreError(payload)
    if status == "graph":
        return rdflib.Graph().parse(data=payload, format="nt")
    return payload  # type: ignore[no-any-return]


@dataclass(eq=False)
class Worker:
    process: subprocess.Popen[bytes]
    conn: Connection

    def stop(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.wait(5)


class WorkerPool:
    """``size`` workers on the store at ``location``; a query past ``timeout`` seconds (waiting for a
    free worker included) raises :class:`QueryTimeout`, and its worker is killed and replaced; a
    result of more than ``max_results`` rows or triples raises :class:`ResultTooLarge`."""

    def __init__(
        self, location: str, size: int = 2, timeout: float = 10.0, max_results: int | None = None
    ) -> None:
        if timeout <= 0:
            raise QueryError(f"timeout must be a positive number of seconds, not {timeout:g}")
        self.location, self.timeout, self.max_results = location, timeout, max_results
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        try:
            for _ in range(size):
                self._idle.put(self._ready(self._start()))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> Worker:
        parent, child = socket.socketpair()
        code = "from cckg.views.workers import worker_main; worker_main()"
        limit = [] if self.max_results is None else [str(self.max_results)]
        command = [sys.executable, "-c", code, self.location, str(child.fileno()), *limit]
        process = subprocess.Popen(command, pass_fds=(child.fileno(),))
        child.close()
        worker = Worker(process, Connection(parent.detach()))
        with self._lock:
            self._all.add(worker)
        return worker

    def _ready(self, worker: Worker) -> Worker:
        try:
            if not worker.conn.poll(STARTUP_SECONDS):
                raise StoreError(f"store {self.location}: the query worker did not start")
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            raise StoreError(f"store {self.location}: the query worker stopped while starting") from None
        if status != "ready":
            raise StoreError(payload)
        return worker

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        worker.stop()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return

        def start() -> None:
            with suppress(StoreError, EOFError, OSError):
                self._idle.put(self._ready(self._start()))

        threading.Thread(target=start, daemon=True).start()

    def run(self, sparql: str) -> QueryResult:
        """The result of one query, within the deadline."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(self.timeout) from None
        try:
            worker.conn.send(sparql)
            message = worker.conn.recv() if worker.conn.poll(self.timeout) else None
        except (EOFError, OSError):
            self._replace(worker)
            raise StoreError("the query worker stopped without an answer") from None
        if message is None:
            self._replace(worker)
            raise QueryTimeout(self.timeout)
        self._idle.put(worker)
        return _result(message)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
