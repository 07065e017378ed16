"""One call from a store to the files of a view: build it, gather what the page needs, write it."""

from __future__ import annotations

from collections.abc import Mapping

from cckg.store import Store
from cckg.views import catalog, export, page
from cckg.views.graphs import Filters


def filters_from(options: Mapping[str, object]) -> Filters:
    """:class:`Filters` from command-line options (``start``, ``end``, ``crime``, ``agency``, ``hops``)."""

    def number(key: str) -> int | None:
        value = options.get(key)
        return int(value) if value is not None else None  # type: ignore[call-overload]

    crime, agency = options.get("crime"), options.get("agency")
    return Filters(
        start=number("start"),
        end=number("end"),
        crime=str(crime) if crime else None,
        agency=str(agency) if agency else None,
        hops=1 if options.get("hops") is None else int(options["hops"]),  # type: ignore[call-overload]
    )


def export_view(
    store: Store,
    view: str,
    fmt: str,
    filters: Filters | None = None,
    title: str | None = None,
    max_nodes: int = 500,
) -> dict[str, bytes]:
    """The files of view ``view`` of ``store`` in format ``fmt`` (see :func:`cckg.views.export.render`)."""
    graph = catalog.build(store, view, filters)
    heading = title or catalog.VIEWS[view].title
    details = None
    if fmt == "html":
        details = page.node_details(store, graph, max_nodes)
    options = export.ExportOptions(title=heading, max_nodes=max_nodes, details=details)
    return export.render(graph, fmt, options)
