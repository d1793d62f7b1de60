"""The interactive network page in a real browser: headless Chromium (Debian's
`chromium` package, which `.ci/run` installs) opens the page from disk with the network
off and Playwright drives it. The page must load with no console errors and no
request leaving the machine, draw every node of the network, and its filters, search,
threshold and side panel must show what the network holds, computed here in Python.

Skipped, with the way to install one, where there is no browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.draw.files import write_network
from kg.draw.networks import build_network
from kg.draw.page import first_threshold
from kg.query.engines import LocalEngine

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is missing: pip install -e '.[dev]'")
CHROMIUM = os.environ.get("CYBERKG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found: install Debian's package (sudo apt-get install chromium) or set CYBERKG_CHROMIUM to a Chromium binary",
)

ID = "https://w3id.org/cyberkg/id/"
HOSTILE = '</script><script>alert("quote")</script><img src=x onerror=alert("img")>'
MODELS = "const d = Bokeh.documents[0]; const m = (name) => d.get_model_by_name(name);"


@pytest.fixture(scope="module")
def engine(graph_file) -> LocalEngine:
    return LocalEngine(graph_file)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Page:
    """A page opened from disk, offline, with everything it logs and asks for recorded."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_function(  # the page's script writes the status line once the document is ready
            "() => window.Bokeh && Bokeh.documents.length > 0 && "
            "Bokeh.documents[0].get_model_by_name('status') !== null && "
            "Bokeh.documents[0].get_model_by_name('status').text.includes('data-nodes')"
        )
        self.page.locator(".bk-Canvas, canvas").first.wait_for()

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def run(self, script: str):
        """Run `script` with the page's models in reach (m('name')), let the callbacks
        settle (Bokeh runs them after the change), and return the shown counts."""
        self.page.evaluate(f"() => {{ {MODELS} {script} }}")
        self.page.wait_for_timeout(250)
        return self.state()

    def state(self) -> dict:
        return self.page.evaluate(f"""() => {{ {MODELS}
            return {{nodes: m('node-filter').indices.length, edges: m('edge-filter').indices.length,
                     status: m('status').text, panel: m('panel').text, key: m('key').text,
                     x: [m('x-range').start, m('x-range').end], y: [m('y-range').start, m('y-range').end]}}; }}""")

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def positions(engine):
    return build_network("positions", engine)


@pytest.fixture(scope="module")
def positions_page(browser, positions, tmp_path_factory):
    network = positions.copy()
    network.graph["evidence"] = [dict(row) for row in positions.graph["evidence"]]
    first = next(r for r, row in enumerate(network.graph["evidence"]) if row["basis"] == "statement")
    network.graph["evidence"][first]["quote"] = HOSTILE + " " + network.graph["evidence"][first]["quote"]
    path = tmp_path_factory.mktemp("page") / "positions.html"
    write_network(network, "html", path)
    page = Page(browser, path)
    yield page
    page.close()


def statement_edges(positions) -> set[tuple[str, str]]:
    return {(r["holder"], r["instrument"]) for r in positions.graph["evidence"] if r["basis"] == "statement"}


def test_the_page_loads_offline_without_errors_and_shows_the_statements_first(positions_page, positions):
    """Votes and treaty actions are a layer the reader turns on: the page opens on the
    statements, and says so."""
    said = statement_edges(positions)
    touched = {node for edge in said for node in edge}
    state = positions_page.state()
    assert 0 < state["edges"] == len(said) < positions.number_of_edges()
    assert state["nodes"] == len(touched)
    drawn = positions_page.page.locator("p.status").first  # as the reader sees it (inside Bokeh's shadow DOM)
    assert (
        drawn.inner_text() == f"Showing {len(touched)} of {positions.number_of_nodes()} nodes and "
        f"{len(said)} of {positions.number_of_edges()} edges."
    )
    assert "votes and treaty actions are a layer: add them under Basis" in state["panel"]
    # the view is fitted to the nodes shown
    xs, ys = positions_page.page.evaluate(
        f"() => {{ {MODELS} const N = m('nodes').data; const shown = m('node-filter').indices;"
        " return [shown.map((n) => N.x[n]), shown.map((n) => N.y[n])]; }"
    )
    assert state["x"][0] < min(xs) < max(xs) < state["x"][1] and state["y"][0] < min(ys) < max(ys) < state["y"][1]
    assert (max(xs) - min(xs)) > 0.6 * (state["x"][1] - state["x"][0])
    assert positions_page.errors == [] and positions_page.requests == [] and positions_page.dialogs == []
    state = positions_page.run("m('basis').value = m('basis').options;")
    assert state["nodes"] == positions.number_of_nodes() and state["edges"] == positions.number_of_edges()
    positions_page.run("m('basis').value = ['statement'];")


def test_the_canvas_is_drawn(positions_page, tmp_path):
    shot = tmp_path / "positions.png"
    positions_page.page.screenshot(path=str(shot))
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    plot = image.crop((420, 80, 1380, 880))  # right of the sidebar
    colours = plot.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50, "the plot area is blank"
    assert image.size == (1400, 900)


@pytest.mark.parametrize("stance", ["no", "supports", "conditions"])
def test_the_stance_filter_shows_the_edges_with_that_stance(positions_page, positions, stance):
    expected = {(row["holder"], row["instrument"]) for row in positions.graph["evidence"] if row["stance"] == stance}
    state = positions_page.run(f"m('basis').value = m('basis').options; m('stance').value = [{stance!r}];")
    assert state["edges"] == len(expected)
    assert state["nodes"] == len({node for edge in expected for node in edge})
    state = positions_page.run("m('stance').value = m('stance').options;")
    assert state["edges"] == positions.number_of_edges()
    positions_page.run("m('basis').value = ['statement'];")
    assert positions_page.errors == []


def test_the_basis_and_meeting_filters(positions_page, positions):
    rows = positions.graph["evidence"]
    statements = {(r["holder"], r["instrument"]) for r in rows if r["basis"] == "statement"}
    state = positions_page.run("m('basis').value = ['statement'];")
    assert state["edges"] == len(statements)
    meeting = sorted({r["occasion"] for r in rows if r["basis"] == "statement"})[0]
    at_meeting = {
        (r["holder"], r["instrument"]) for r in rows if r["basis"] == "statement" and r["occasion"] == meeting
    }
    state = positions_page.run(f"m('occasion').value = {meeting!r};")
    assert 0 < state["edges"] == len(at_meeting) < len(statements)
    state = positions_page.run("m('occasion').value = ''; m('basis').value = m('basis').options;")
    assert state["edges"] == positions.number_of_edges()
    positions_page.run("m('basis').value = ['statement'];")


def test_search_centres_and_zooms_on_its_match(positions_page, positions):
    before = positions_page.state()
    state = positions_page.run("m('search').value_input = 'council of europe convention';")
    assert (
        'data-matches="1"' in state["status"]
        and "<h3>Council of Europe Convention on Cybercrime</h3>" in state["panel"]
    )
    x, y = positions_page.page.evaluate(
        f"() => {{ {MODELS} const N = m('nodes').data; const n = N.id.indexOf({ID + 'instrument/budapest-convention'!r});"
        " return [N.x[n], N.y[n]]; }"
    )
    width, height = state["x"][1] - state["x"][0], state["y"][1] - state["y"][0]
    assert state["x"][0] < x < state["x"][1] and state["y"][0] < y < state["y"][1]
    assert abs((state["y"][0] + state["y"][1]) / 2 - y) < 0.05 * height  # centred
    assert width < 0.6 * (before["x"][1] - before["x"][0]) and height < 0.6 * (
        before["y"][1] - before["y"][0]
    )  # zoomed
    # a State on record only by its votes is hidden at first, and the status says where it is
    state = positions_page.run("m('search').value_input = 'russian fed';")
    assert 'data-matches="0"' in state["status"] and "1 more is hidden by the filters" in state["status"]
    state = positions_page.run("m('basis').value = m('basis').options;")
    assert 'data-matches="1"' in state["status"]
    assert "<h3>Russian Federation</h3>" in state["panel"] and ID + "state/RUS" in state["panel"]
    state = positions_page.run("m('search').value_input = 'member states';")
    assert int(state["status"].split('data-matches="')[1].split('"')[0]) > 1
    positions_page.run("m('search').value_input = ''; m('basis').value = ['statement'];")


def test_tapping_an_edge_shows_its_quote_and_source(positions_page):
    holder = ID + "doc/UNODC-CCPCJ-EG.4-2019-2/collective/other-member-states"
    state = positions_page.run(f"""const E = m('edges').data;
        const e = E.source.findIndex((s, i) => s === {holder!r} && E.target[i] === {ID + "instrument/budapest-convention"!r});
        m('edges').selected.indices = [e];""")
    assert "However, other Member States suggested that it was not necessary" in state["panel"]
    assert ID + "doc/UNODC-CCPCJ-EG.4-2019-2/para/10/item/b" in state["panel"]
    assert "para. 10 (b)" in state["panel"]
    panel = positions_page.page.locator("blockquote").first
    assert "other Member States suggested" in panel.inner_text()
    positions_page.run("m('edges').selected.indices = [];")


def test_document_text_shows_as_text_and_runs_nothing(positions_page, positions):
    first = next(r for r, row in enumerate(positions.graph["evidence"]) if row["basis"] == "statement")
    holder, instrument = positions.graph["evidence"][first]["holder"], positions.graph["evidence"][first]["instrument"]
    positions_page.run(f"""const E = m('edges').data;
        m('edges').selected.indices = [E.source.findIndex((s, i) => (s === {holder!r} && E.target[i] === {instrument!r}) ||
                                                                     (s === {instrument!r} && E.target[i] === {holder!r}))];""")
    quote = positions_page.page.locator("blockquote", has_text="onerror").first
    assert quote.inner_text().startswith(HOSTILE)
    assert positions_page.page.locator("img[src=x]").count() == 0
    assert positions_page.dialogs == [] and positions_page.errors == []
    positions_page.run("m('edges').selected.indices = [];")


def test_colouring_by_stance_and_community(positions_page):
    state = positions_page.run("m('colour').value = 'stance';")
    assert "net support" in state["key"] and "net opposition" in state["key"]
    fills = positions_page.page.evaluate(f"() => {{ {MODELS} return [...new Set(m('nodes').data.fill)]; }}")
    assert "#1a9850" in fills and "#d73027" in fills
    state = positions_page.run("m('colour').value = 'community';")
    assert "community 1" in state["key"]
    positions_page.run("m('colour').value = 'kind';")


def test_the_alignment_threshold(browser, engine, tmp_path):
    network = build_network("alignment", engine)
    path = tmp_path / "alignment.html"
    write_network(network, "html", path)
    page = Page(browser, path)
    try:
        assert page.state()["nodes"] == network.number_of_nodes()
        fills = page.page.evaluate(f"() => {{ {MODELS} return new Set(m('nodes').data.fill).size; }}")
        assert fills == network.graph["communities"]  # coloured by community from the start, as the key says
        state = page.state()
        # the first view keeps the strongest links, about three per State, ties included
        start = page.page.evaluate(f"() => {{ {MODELS} return m('threshold').value; }}")
        assert start == first_threshold(network) and state["edges"] == sum(
            1 for _, _, d in network.edges(data=True) if d["weight"] >= start
        )
        assert f"The index rests on {network.graph['votes']} recorded votes" in state["panel"]
        assert "A/RES/74/247" in state["panel"]
        state = page.run("m('threshold').value = 0.9;")
        assert (
            state["edges"]
            == sum(1 for _, _, d in network.edges(data=True) if d["weight"] >= 0.9)
            < network.number_of_edges()
        )
        assert page.errors == [] and page.requests == []
    finally:
        page.close()
