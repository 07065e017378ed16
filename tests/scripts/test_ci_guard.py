"""scripts/ci_guard.py: the CI guard runs every named query, show and every export view.

The guard itself runs in CI (`make guard`) on 1,000 generated releases; here a tiny store checks
that it covers what it must and that a query over its limit fails it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from cckg.views import query
from cckg.views.catalog import VIEWS

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "ci_guard.py"


def guard():
    spec = importlib.util.spec_from_file_location("ci_guard", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_required_parameter_gets_a_value_and_every_view_is_exported() -> None:
    module = guard()
    required = {p.name for named in query.named_queries().values() for p in named.params if p.required}
    assert required <= set(module.PICKS)
    assert set(module.VIEWS) == set(VIEWS)


def test_the_guard_passes_a_small_store_and_fails_a_tiny_limit(tmp_path: Path) -> None:
    work = tmp_path / "guard"
    command = [sys.executable, str(SCRIPT), "--releases", "12", "--work", str(work)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("query ") for line in lines) == len(query.named_queries())
    assert sum(line.startswith("export ") for line in lines) == len(VIEWS)
    assert lines[-1].endswith("within their limits")
    strict = subprocess.run([*command, "--query-limit", "0.001"], capture_output=True, text=True, check=False)
    assert strict.returncode == 1 and "FAIL" in strict.stdout
