"""The map of the model in Chromium: on the landing page it renders, its blocks are keyboard-focusable links that
open the explorer at their concept, and axe finds nothing serious in light, dark or on a phone; model_map.js on a
small fixture page marks the block(s) of the concept in view (mgx:reading) and announces clicks (mgx:focus-concept)."""
import shutil

import pytest

from conftest import serve, screenshot
from test_browser_explorer import PHONE, ROOT, audit

SMALL_PHONE = {"width": 360, "height": 740}


def test_landing_map_renders_and_blocks_are_links(open_page, site_url):
    page, watch = open_page(site_url)
    svg = page.locator(".mgx-map-landing svg.mgx-map")
    box = svg.bounding_box()
    assert box and box["width"] >= 150 and box["height"] > 300
    blocks = page.locator(".mgx-map-block")
    assert blocks.count() >= 10
    blocks.first.focus()  # an <a href> in SVG is in the tab order
    assert page.evaluate("document.activeElement.classList.contains('mgx-map-block')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.block") == blocks.nth(1).get_attribute("data-block")
    page.locator('.mgx-map-block[data-block="attn"]').click()
    page.wait_for_url("**/explorer/#concept-attention")
    watch.assert_clean()


@pytest.mark.parametrize("scheme, viewport, name", [
    ("light", None, "map-landing-desktop"), ("dark", None, "map-landing-dark"),
    ("light", SMALL_PHONE, "map-landing-phone")])
def test_landing_axe_and_screenshots(open_page, site_url, scheme, viewport, name):
    page, watch = open_page(site_url, viewport=viewport, color_scheme=scheme)
    page.locator(".mgx-map-landing").scroll_into_view_if_needed()
    screenshot(page, name)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")  # no sideways scroll on a phone
    serious = [v for v in audit(page) if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    watch.assert_clean()


@pytest.fixture
def fixture_url(tmp_path):
    shutil.copy(ROOT / "tests" / "fixtures" / "model_map.html", tmp_path / "index.html")
    shutil.copy(ROOT / "site_builder" / "assets" / "model_map.js", tmp_path / "model_map.js")
    url, server = serve(tmp_path)
    yield url
    server.shutdown()


def test_reading_event_marks_its_blocks_and_click_focuses(open_page, fixture_url):
    page, watch = open_page(fixture_url)
    page.wait_for_selector("html.mgx-ready")
    current = "() => [...document.querySelectorAll('.mgx-map-block[aria-current]')].map(a => a.getAttribute('aria-label'))"
    assert page.evaluate(current) == []
    page.evaluate("document.dispatchEvent(new CustomEvent('mgx:reading', {detail: {concept: 'rmsnorm'}}))")
    assert page.evaluate(current) == ["RMSNorm", "RMSNorm again"]
    page.evaluate("document.dispatchEvent(new CustomEvent('mgx:reading', {detail: {concept: 'attention'}}))")
    assert page.evaluate(current) == ["attention"]
    page.locator('[aria-label="RMSNorm"]').click()
    assert page.evaluate("window.focused") == ["rmsnorm"]
    assert page.evaluate("location.hash") == "#concept-rmsnorm"
    watch.assert_clean()


def test_the_map_beside_the_explorers_rail(open_page, site_url):
    """At 1440 px the map sits under the concept list; the block of the concept being read is marked as the reader
    scrolls; a block click lights that concept's code in all three columns; with Values on, shapes read 5×16."""
    page, watch = open_page(site_url + "explorer/#concept-mlp")
    page.wait_for_selector("html.mgx-ready")
    box = page.locator(".mgx-rail .mgx-map").bounding_box()
    assert box and box["width"] >= 100 and box["y"] + box["height"] <= 900, box  # all of it on screen
    page.wait_for_function("document.querySelector('.mgx-rail .mgx-map-block[data-concept=mlp]').hasAttribute('aria-current')")
    page.evaluate("document.getElementById('concept-attention').scrollIntoView()")
    page.wait_for_function("document.querySelector('.mgx-rail .mgx-map-block[data-concept=attention]').hasAttribute('aria-current')")
    assert not page.evaluate("document.querySelector('.mgx-rail .mgx-map-block[data-concept=mlp]').hasAttribute('aria-current')")
    page.click('.mgx-rail .mgx-map-block[data-block="lm_head"]')
    page.wait_for_function("document.querySelectorAll('.mgx-block.mgx-lit').length === 3")
    lit = page.evaluate("[...document.querySelectorAll('.mgx-block.mgx-lit')].map(b => b.dataset.col + ':' + b.dataset.concept)")
    assert sorted(lit) == ["matrix:linear", "pseudo:linear", "scalar:linear"]
    shapes = lambda: page.evaluate("[...document.querySelectorAll('.mgx-rail .mgx-map-shape[data-shape]')].map(t => t.textContent)")
    assert "n×16" in shapes()
    page.click(".mgx-values-toggle")
    page.wait_for_selector(".mgx-val")
    assert "5×16" in shapes() and "5×27" in shapes() and "n×16" not in shapes()
    cells = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.mgx-rail .mgx-map-heat')]
        .map(g => [g.dataset.block, g.querySelectorAll('rect').length]))""")
    assert cells["attn"] == 5 * 16 and cells["softmax"] == 5 * 27, cells  # each block's output, position by entry
    screenshot(page, "map-in-explorer-values")
    page.click(".mgx-values-toggle")
    assert "n×16" in shapes()
    assert page.evaluate("document.querySelectorAll('.mgx-map-heat rect').length") == 0
    watch.assert_clean()
