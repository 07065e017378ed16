"""The store: one named graph per release (plus the vocabulary graph), queried with SPARQL 1.1.

The default store is an embedded Oxigraph database on disk.  Its folder comes from ``--store PATH``,
else the ``CCKG_STORE`` environment variable, else ``./cckg-store`` (see :func:`store_location`).

Everything above this module talks to the abstract :class:`Store`.  Its writes are SPARQL updates
and its reads SPARQL queries, so a remote SPARQL 1.1 server can be added as another subclass that
implements :meth:`Store.query`, :meth:`Store.update` and :meth:`Store.dump` over HTTP
(:class:`cckg.store.remote.SparqlStore`, chosen by :func:`open_store` for ``http(s)://`` locations).
Queries read the merged graph (the set of all the graphs' triples) as their default graph
(the layout: :mod:`cckg.store.base`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from rdflib.term import URIRef

from cckg.errors import QuerySyntaxError, StoreError
from cckg.store.base import (
    GraphMetadata,
    Store,
)
from cckg.store.oxigraph import DUMP_FORMATS, OxigraphStore, dump_dataset, from_ox
from cckg.store.remote import SparqlStore, is_remote

__all__ = [
    "DEFAULT_STORE",
    "DUMP_FORMATS",
    "STORE_ENV",
    "GraphMetadata",
    "OxigraphStore",
    "QuerySyntaxError",
    "SparqlStore",
    "Store",
    "StoreError",
    "copy_graphs",
    "dump_dataset",
    "from_ox",
    "open_store",
    "store_location",
]

DEFAULT_STORE = "cckg-store"
STORE_ENV = "CCKG_STORE"


def copy_graphs(source: Store, target: Store, graphs: Iterable[URIRef]) -> int:
    """Copy named graphs from ``source`` to ``target``, each replacing its namesake in one transaction.

    Returns the number of triples written.
    """
    return sum(target.replace_graph(graph, source.graph(graph)) for graph in graphs)


def store_location(option: str | None = None) -> str:
    """Where the store is: ``--store``, else ``$CCKG_STORE``, else ``./cckg-store``."""
    return option or os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_store(
    location: str | None = None, *, read_only: bool = False, http_timeout: float | None = None
) -> Store:
    """Open the store at ``location`` (see :func:`store_location`).

    A folder path opens embedded Oxigraph; an ``http(s)://`` URL (optionally ``KIND+http(s)://``)
    a SPARQL 1.1 server (:class:`cckg.store.remote.SparqlStore`), each of its requests stopped
    after ``http_timeout`` seconds (default: :func:`cckg.store.remote.http_timeout`).
    """
    where = store_location(location)
    if is_remote(where):
        return SparqlStore.from_location(where, read_only=read_only, timeout=http_timeout)
    return OxigraphStore(where, read_only=read_only)
