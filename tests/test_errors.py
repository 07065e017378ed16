"""One root exception: every expected failure of cckg derives from CckgError, and the command line
reports any of them (and OSError) as one line with exit status 2."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import cckg
from cckg import errors
from cckg.cli import main
from cckg.errors import CckgError
from conftest import one_line_error, run_cli


def cckg_modules() -> list[str]:
    names = [info.name for info in pkgutil.walk_packages(cckg.__path__, "cckg.")]
    return [name for name in names if not name.endswith("__main__")]


def exception_classes() -> list[type[BaseException]]:
    found = []
    for name in cckg_modules():
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == name:
                found.append(value)
    return found


def test_every_exception_of_cckg_derives_from_cckg_error() -> None:
    classes = exception_classes()
    assert len(classes) >= 10
    outside = [c.__qualname__ for c in classes if not issubclass(c, CckgError) and c.__name__ != "CliError"]
    assert outside == []


def test_the_errors_the_library_raises_are_defined_in_errors() -> None:
    for name in ("ReleaseError", "CurationError", "StoreError", "QueryError", "ShapesError",
                 "ValidationInputError", "IdentityError", "QuerySyntaxError", "ShowError"):  # fmt: skip
        assert issubclass(getattr(errors, name), CckgError)


@pytest.mark.parametrize(
    "error", [errors.CurationError("a.yaml: reject[0]: needs a reason"), OSError("disk\nfull")]
)
def test_the_cli_reports_an_expected_failure_as_one_line(
    monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    from cckg.views import query

    def fail(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr(query, "named_queries", fail)
    result = run_cli("query", "--list")
    assert result.exit_code == 2
    assert one_line_error(result) == f"cckg: error: {' '.join(str(error).split())}"


def test_a_bug_is_an_internal_error_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from cckg.views import query

    monkeypatch.setattr(query, "named_queries", lambda: 1 / 0)
    result = run_cli("query", "--list")
    assert result.exit_code == 2
    assert one_line_error(result).startswith("cckg: error: internal error: ZeroDivisionError")
    assert main.name == "main"
