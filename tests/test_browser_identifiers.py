"""Identifiers and glossary terms in Chromium: a clicked name lights its definitions and uses in all three columns
(as many as the page's own name spans hold), an alias ties differently spelled names across files, i steps
through a focused line's names and Esc clears; a glossary term shows its definition in place on hover, focus and
a first tap; names do not break mid-token at 1024 px; axe passes with marks and a definition shown."""
import re

import pytest

from conftest import screenshot
from test_browser_explorer import PHONE, audit

COLS = ("scalar", "matrix", "pseudo")
NAMES = ".n, .nb, .nf, .nc, .nd, .nn"
COUNT = """([col, names]) => [...document.querySelectorAll(`.mgx-block[data-col="${col}"] .ln :is(%s)`)]
    .filter(e => !e.closest('.mgx-val, .mgx-eq') && names.includes(e.textContent)).length""" % NAMES
MARKED = """col => document.querySelectorAll(`.mgx-block[data-col="${col}"] .mgx-id`).length"""


def ready(open_page, url, **kw):
    page, watch = open_page(url, **kw)
    page.wait_for_selector("html.mgx-ready", state="attached")
    return page, watch


def name_in(page, col, name, nth=0):
    return page.locator(f'.mgx-block[data-col="{col}"] .ln :is({NAMES})', has_text=re.compile(f"^{re.escape(name)}$")).nth(nth)


def counts_in_status(text, label):
    m = re.search(rf"(?:(\d+) definitions?, )?(\d+) uses? in {re.escape(label)}", text)
    return (int(m.group(1) or 0) + int(m.group(2))) if m else 0


def test_a_name_lights_its_uses_in_all_columns(open_page, site_url):
    page, watch = ready(open_page, site_url + "explorer/#concept-params")
    name_in(page, "scalar", "head_dim").click()
    status = page.inner_text(".mgx-idbar.mgx-on p")
    assert status.startswith("head_dim: ")
    for col, label in zip(COLS, ("scalar.py", "matrix.py", "pseudocode")):
        expected = page.evaluate(COUNT, [col, ["head_dim"]])
        assert expected > 0 and page.evaluate(MARKED, col) == expected
        assert counts_in_status(status, label) == expected, status
    assert page.locator('.mgx-block[data-col="scalar"] .mgx-id-def').count() >= 1  # head_dim = n_embd // n_head
    assert page.locator(".ln.mgx-id, .mgx-id .mgx-id").count() == 0  # names only, never whole lines
    screenshot(page, "identifiers-desktop")
    page.keyboard.press("Escape")
    assert page.locator(".mgx-id").count() == 0 and not page.is_visible(".mgx-idbar")
    watch.assert_clean()


def test_an_alias_ties_names_spelled_differently(open_page, site_url):
    page, watch = ready(open_page, site_url + "explorer/#concept-attention")
    name_in(page, "scalar", "attn").click()
    assert page.evaluate(MARKED, "scalar") == page.evaluate(COUNT, ["scalar", ["attn"]])
    assert page.evaluate(MARKED, "matrix") == page.evaluate(COUNT, ["matrix", ["P", "Ph"]]) > 0
    assert page.evaluate(MARKED, "pseudo") == page.evaluate(COUNT, ["pseudo", ["P_h"]]) > 0
    assert "matrix.py (P, Ph)" in page.inner_text(".mgx-idbar p")
    name_in(page, "pseudo", "P_h").click()  # and back: the pseudocode's name marks the scalar one
    assert page.evaluate(MARKED, "scalar") == page.evaluate(COUNT, ["scalar", ["attn"]]) > 0
    name_in(page, "pseudo", "P_h").first.click()  # the marked name clicked again: cleared
    watch.assert_clean()


def test_keyboard_steps_through_a_lines_names(open_page, site_url):
    page, watch = ready(open_page, site_url + "explorer/#concept-params")
    line = page.evaluate("""() => [...document.querySelectorAll('.mgx-block[data-col="scalar"] .ln')]
        .find(l => /^head_dim = n_embd \\/\\/ n_head/.test(l.textContent)).id""")
    page.focus(f"#{line}")
    page.keyboard.press("i")
    cur = lambda: page.evaluate("document.querySelector('.mgx-id-cur')?.textContent")
    assert cur() == "head_dim" and page.evaluate("document.activeElement.id") == line
    page.keyboard.press("i")
    assert cur() == "n_embd" and page.evaluate(MARKED, "pseudo") == page.evaluate(COUNT, ["pseudo", ["n_embd"]])
    page.keyboard.press("Shift+I")
    assert cur() == "head_dim"
    page.keyboard.press("ArrowDown")  # the line keys still work, the marks stay
    assert page.evaluate("document.activeElement.id") != line and cur() == "head_dim"
    page.keyboard.press("Escape")
    assert page.locator(".mgx-id").count() == 0
    watch.assert_clean()


def definition_text(page, site_url, term):
    other = page.context.new_page()
    other.goto(site_url + "glossary/")
    text = other.inner_text(f"#term-{term} + dd")
    other.close()
    return " ".join(text.split())


def visible_term(page):
    """The id of a term link on screen that the keyboard can reach (marked data-probe for the test)."""
    return page.evaluate("""() => {
        const onScreen = (a) => { const r = a.getBoundingClientRect(); return r.width && r.top > 60 && r.bottom < innerHeight - 60; };
        const a = [...document.querySelectorAll('.mgx-term')].find(a => a.tabIndex >= 0 && onScreen(a));
        a.dataset.probe = '1';
        return a.getAttribute('href').split('#term-')[1]; }""")


def test_glossary_term_shows_its_definition_on_hover_and_focus(open_page, site_url):
    page, watch = ready(open_page, site_url + "explorer/")
    term = visible_term(page)
    want = definition_text(page, site_url, term)
    link = page.locator('[data-probe="1"]')
    link.hover()
    tip = page.locator(".mgx-tip")
    tip.wait_for(state="visible")
    assert want in " ".join(tip.inner_text().split())
    assert link.get_attribute("aria-describedby") == "mgx-tip" and link.get_attribute("title") is None
    screenshot(page, "glossary-tip-desktop")
    page.mouse.move(5, 500)
    tip.wait_for(state="hidden")
    link.focus()
    tip.wait_for(state="visible")
    page.keyboard.press("Escape")
    assert not tip.is_visible() and page.evaluate("document.activeElement.dataset.probe") == "1"
    assert page.url.endswith("/explorer/")  # never left the explorer
    watch.assert_clean()


def test_glossary_term_on_touch_first_tap_shows_second_follows(open_page, site_url):
    page, watch = ready(open_page, site_url + "explorer/", viewport=PHONE, has_touch=True, is_mobile=True)
    term = visible_term(page)
    link = page.locator('[data-probe="1"]')
    link.tap()
    page.locator(".mgx-tip").wait_for(state="visible")
    assert "/glossary/" not in page.url
    screenshot(page, "glossary-tip-phone")
    link.tap()
    page.wait_for_url(f"**/glossary/#term-{term}")
    watch.assert_clean()


@pytest.mark.parametrize("wrap_names", [True])
def test_names_do_not_break_mid_token_at_1024(open_page, site_url, wrap_names):
    page, watch = ready(open_page, site_url + "explorer/", viewport={"width": 1024, "height": 768})
    broken = page.evaluate("""sel => [...document.querySelectorAll(`.mgx-grid .ln :is(${sel})`)]
        .filter(e => e.offsetParent && new Set([...e.getClientRects()].map(r => Math.round(r.top))).size > 1)
        .map(e => e.closest('.ln').id + ' ' + e.textContent)""", NAMES)
    wrapped = page.evaluate("""() => [...document.querySelectorAll('.mgx-grid .ln')].filter(l => l.offsetParent
        && l.getClientRects()[0].height > 1.6 * parseFloat(getComputedStyle(l).lineHeight)).length""")
    assert wrapped > 0  # lines do wrap at this width (so the check means something)
    assert not broken, broken[:10]
    watch.assert_clean()


@pytest.mark.parametrize("scheme, viewport, name", [
    ("light", None, "identifiers-light"), ("dark", None, "identifiers-dark"), ("light", PHONE, "identifiers-phone")])
def test_axe_with_marks_and_a_definition_shown(open_page, site_url, scheme, viewport, name):
    page, watch = ready(open_page, site_url + "explorer/#concept-attention", viewport=viewport, color_scheme=scheme)
    if viewport:
        page.click('.mgx-switch button[data-col="matrix"]')
    col = "matrix" if viewport else "scalar"
    target = name_in(page, col, "P" if viewport else "attn")
    target.scroll_into_view_if_needed()
    target.click()
    assert page.locator(".mgx-id").count() > 0
    screenshot(page, name)
    serious = [v for v in audit(page) if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    term = visible_term(page)
    assert term
    page.locator('[data-probe="1"]').focus()
    page.locator(".mgx-tip").wait_for(state="visible")
    serious = [v for v in audit(page) if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    watch.assert_clean()
