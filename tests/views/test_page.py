"""The interactive page (``cckg export VIEW --format html``) in a real headless Chromium.

The browser is the system's Chromium (``.ci/run`` installs it), driven by Playwright; without it
these tests skip on a developer's machine and fail under CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from cckg.store import OxigraphStore
from cckg.views import catalog, page
from conftest import load_three_releases, run_cli

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_ATTRIBUTE = '" onerror="alert(1)'
HOSTILE_RELEASE = rdflib.URIRef("https://w3id.org/cckg/id/release/hostile-0001")
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip

HOSTILE_TTL = """
@prefix cckg: <https://w3id.org/cckg/ns#> . @prefix id: <https://w3id.org/cckg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix schema: <http://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix crime: <https://w3id.org/cckg/crime-type/> .
@base <https://w3id.org/cckg/id/> .
<release/hostile-0001> a cckg:Release ; dcterms:identifier "hostile-0001" ;
    dcterms:issued "2010-05-01"^^xsd:date ; schema:mentions <agency/x-script>, <agency/x-attr> .
<agency/x-script> a cckg:Agency ; skos:prefLabel NAME_ONE .
<agency/x-attr> a cckg:Agency ; skos:prefLabel NAME_TWO .
<agreement/hostile> a cckg:Agreement ; schema:name "Pact </script><!-- of 2010" ;
    dcterms:date "2010-05-01"^^xsd:date ; dcterms:subject crime:wildlife-trafficking ;
    cckg:party <agency/x-script>, <agency/x-attr>, <agency/hk-ced> ;
    cckg:evidence <evidence/hostile-0001/0-40> .
<evidence/hostile-0001/0-40> a oa:SpecificResource ; oa:hasSource <release/hostile-0001> ;
    oa:hasSelector <evidence/hostile-0001/0-40/quote>, <evidence/hostile-0001/0-40/position> .
<evidence/hostile-0001/0-40/quote> a oa:TextQuoteSelector ;
    oa:exact "They signed <img src=x onerror=alert(2)>." .
<evidence/hostile-0001/0-40/position> a oa:TextPositionSelector ; oa:start 0 ; oa:end 40 .
""".replace("NAME_ONE", json.dumps(HOSTILE_SCRIPT)).replace("NAME_TWO", json.dumps(HOSTILE_ATTRIBUTE))
TEXTS = "items => items.map(i => i.textContent)"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium and Playwright are needed for the page tests (.ci/run installs them)")
        pytest.skip("no Chromium or no Playwright here")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=BROWSER_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "store"
    with OxigraphStore(path) as store:
        load_three_releases(store)
        store.replace_graph(HOSTILE_RELEASE, rdflib.Graph().parse(data=HOSTILE_TTL, format="turtle"))
    return path


@pytest.fixture(scope="module")
def page_file(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page") / "agencies.html"
    result = run_cli("--store", hostile_store, "export", "agencies", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def expected_graph(store_path: Path) -> nx.Graph:
    with OxigraphStore(store_path, read_only=True) as store:
        return catalog.build(store, "agencies")


class Opened:
    """A page opened in a fresh context: its dialogs, script errors and every request it made."""

    def __init__(self, browser: object, path: Path, bypass_csp: bool) -> None:
        self.context = browser.new_context(bypass_csp=bypass_csp)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-drawn='1']", state="attached", timeout=30_000)

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        self.requests.append(url)
        route.continue_() if url.startswith("file:") else route.abort()  # type: ignore[attr-defined]

    def shown(self) -> set[str]:
        return set(self.page.evaluate("window.cckgView.visibleNodeIds()"))

    def close(self) -> None:
        self.context.close()


def test_the_page_is_self_contained(page_file: Path) -> None:
    text = page_file.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|https?://[^\"' ]*\.js", text)
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert text.count("</script>") == 3  # the data, vis-network, the page's own script
    assert HOSTILE_SCRIPT not in text and "</script><!--" not in text


def test_the_expected_nodes_render_offline(browser: object, page_file: Path, hostile_store: Path) -> None:
    opened = Opened(browser, page_file, bypass_csp=False)
    try:
        assert opened.shown() == set(expected_graph(hostile_store).nodes)
        assert opened.errors == [] and opened.dialogs == []
        assert {url for url in opened.requests if not url.startswith("file:")} == set()
        count = opened.page.text_content("#visible-count")
        assert count == str(len(opened.shown()))
    finally:
        opened.close()


def test_filters_change_what_is_shown(browser: object, page_file: Path, hostile_store: Path) -> None:
    graph = expected_graph(hostile_store)
    opened = Opened(browser, page_file, bypass_csp=False)
    try:
        before = opened.shown()
        opened.page.select_option("#year-from", "2020")
        edges = graph.edges(data=True)
        recent = {n for s, t, d in edges if any(y >= 2020 for y in d["years"]) for n in (s, t)}
        assert opened.shown() == recent and recent < before
        opened.page.select_option("#year-from", "2004")
        opened.page.select_option("#crime", "wildlife-trafficking")
        on_wildlife = {n for s, t, d in graph.edges(data=True)
                       if "wildlife-trafficking" in d["crime_types"] for n in (s, t)}  # fmt: skip
        assert opened.shown() == on_wildlife
        listed = opened.page.eval_on_selector_all("#visible-list li", TEXTS)
        assert sorted(listed) == sorted(graph.nodes[n]["label"] for n in on_wildlife)
    finally:
        opened.close()


@pytest.mark.parametrize("name", [HOSTILE_SCRIPT, HOSTILE_ATTRIBUTE])
def test_hostile_names_are_text_and_never_run(browser: object, page_file: Path, name: str) -> None:
    # Without the page's CSP, so that escaping alone must keep the names from running.
    opened = Opened(browser, page_file, bypass_csp=True)
    try:
        opened.page.fill("#search", name[:9])
        buttons = opened.page.eval_on_selector_all("#matches button", TEXTS)
        assert name in buttons
        opened.page.click(f"#matches button >> text={json.dumps(name)}")
        assert opened.page.text_content("#details h2") == name
        quote = opened.page.text_content("#details blockquote")
        assert quote == "They signed <img src=x onerror=alert(2)>."
        assert opened.page.query_selector("#details img") is None
        assert opened.page.evaluate("document.scripts.length") == 3
        listed = opened.page.eval_on_selector_all("#visible-list li", TEXTS)
        assert name in listed
        assert opened.dialogs == [] and opened.errors == []
    finally:
        opened.close()


def test_a_click_on_a_node_shows_its_facts_and_evidence(browser: object, page_file: Path) -> None:
    opened = Opened(browser, page_file, bypass_csp=False)
    try:
        target = "https://w3id.org/cckg/id/agency/kr-kcs"
        point = opened.page.evaluate(f"window.cckgView.toDOM({json.dumps(target)})")
        box = opened.page.locator("#graph canvas").bounding_box()
        opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        opened.page.wait_for_selector(f"#details[data-node-id={json.dumps(target)}]", state="attached")
        assert opened.page.text_content("#details h2") == "Korea Customs Service"
        cites = opened.page.eval_on_selector_all("#details cite", TEXTS)
        assert any("001_c98b5c3fca22d16e" in cite for cite in cites)
        assert opened.page.locator("#details blockquote").count() > 0
    finally:
        opened.close()


def test_script_json_cannot_end_the_script_element() -> None:
    text = page.script_json({"name": "</script><!-- ]]> \u2028 & <b>"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": "</script><!-- ]]> \u2028 & <b>"}
