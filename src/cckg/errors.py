"""The expected failures of cckg: every one derives from :class:`CckgError`.

An expected failure is bad input or an unusable resource (a release that cannot be read, a
curation entry that is not valid, a store that cannot be opened, a query that does not parse ...).
Its message is one line that names the file, entry or value and the problem, so the command line
can print it as it is and exit with status 2.  Anything else raised is a bug.
"""

from __future__ import annotations


class CckgError(Exception):
    """The root of every expected failure; the message is one line."""


class IdentityError(CckgError, ValueError):
    """A value that is not a valid IRI or id where one is needed (an IRI with ``>`` in it ...)."""


class ReleaseError(CckgError):
    """A release that cannot be read; the message names the file and the problem."""


class CurationError(CckgError):
    """A curation file or entry that is not valid; the message names the file and entry."""


class StoreError(CckgError):
    """A store that cannot be opened, read or written."""


class QuerySyntaxError(StoreError):
    """A SPARQL query or update the store cannot parse."""


class QueryError(CckgError):
    """A query that cannot run: unknown name, bad parameter, syntax error, update."""


class ResultTooLarge(QueryError):
    """A query whose result has more rows or triples than the limit set for it."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the result has more than {limit} rows or triples (the limit): add a LIMIT")


class ValidationInputError(CckgError):
    """RDF input that cannot be read; the message names the file and the problem."""


class ShapesError(CckgError):
    """SHACL shapes that the engine cannot use (a broken shape, a forbidden SPARQL construct)."""


class ShowError(CckgError):
    """An entity that cannot be shown."""
