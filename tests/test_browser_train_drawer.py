"""The trainer beside the code and explained, in headless Chromium on the built site.

The explorer's Train button and #train links dock the page's one trainer panel as a drawer under the code
(keyboard: Enter opens, Esc closes, focus returns; a phone gives it the bottom half); the /train/ page, linked from
the landing page's "Train it now", trains; the chart has its axes labelled and the uniform guess ln 27 dashed at
the right height; a matrix and a scalar run with the same schedule say they match; a sample opens the
distributions it was drawn from, one row per letter and one for the end, each summing to 1, the drawn token
marked. Screenshots land in test-artifacts/ (look at them).
"""
import math

import pytest

from conftest import screenshot

ROOT = "[data-mgt-trainer]"
OPEN = "document.documentElement.classList.contains('mgt-drawer-open')"
FOCUS_IN_DRAWER = "document.getElementById('train').contains(document.activeElement)"


def drawer_box(page):
    page.wait_for_function("document.getElementById('train').getAnimations().length === 0")  # the slide-in is over
    return page.evaluate("""() => { const s = document.getElementById('train'), r = s.getBoundingClientRect();
      return {position: getComputedStyle(s).position, top: r.top, bottom: r.bottom, height: r.height,
              viewport: innerHeight, width: document.scrollingElement.scrollWidth, vw: innerWidth}; }""")


def explorer(page, site_url, hash=""):
    page.goto(site_url + "explorer/" + hash)
    page.wait_for_selector("html.mgx-ready")
    page.wait_for_selector(".mgx-tools .mgt-drawer-toggle")


def test_drawer_opens_and_closes_with_the_keyboard_and_train_links(watched_page, site_url):
    page, watch = watched_page
    explorer(page, site_url)
    toggle = page.locator(".mgt-drawer-toggle")
    assert toggle.get_attribute("aria-expanded") == "false" and not page.evaluate(OPEN)
    assert drawer_box(page)["position"] == "static", "closed, the panel stays at the foot of the page"
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(OPEN)
    assert toggle.get_attribute("aria-expanded") == "true" and page.evaluate(FOCUS_IN_DRAWER)
    box = drawer_box(page)
    assert box["position"] == "fixed" and abs(box["bottom"] - box["viewport"]) < 1.5, box
    assert 0.3 * box["viewport"] < box["height"] < 0.6 * box["viewport"], box
    page.wait_for_function(f"document.querySelector('{ROOT}').mgtPanel !== undefined")  # opening loads the trainer
    page.wait_for_function("getComputedStyle(document.querySelector('.mgt-layout')).display === 'grid'")
    tabbed = []
    for _ in range(3):  # from the drawer itself: its bar (the /train/ link, ×), then the form
        page.keyboard.press("Tab")
        tabbed.append(page.evaluate("document.activeElement.className.split(' ')[0] || document.activeElement.name"))
    assert tabbed[:2] == ["mgt-drawer-page", "mgt-drawer-close"] and page.evaluate(FOCUS_IN_DRAWER), tabbed
    screenshot(page, "train-drawer-desktop")
    page.keyboard.press("Escape")
    assert not page.evaluate(OPEN) and page.evaluate("document.activeElement === document.querySelector('.mgt-drawer-toggle')")
    assert drawer_box(page)["position"] == "static"
    # a #train in the address opens it; closing drops the hash, so the same link opens it again
    page.evaluate("location.hash = '#train'")
    page.wait_for_function(OPEN)
    page.click(".mgt-drawer-close")
    assert not page.evaluate(OPEN) and page.evaluate("location.hash") == ""
    # a link to #train on the page opens the drawer, and Esc gives focus back to the link
    page.evaluate("""() => { const a = Object.assign(document.createElement('a'), {href: '#train', id: 'to-train', textContent: 'train'});
      document.querySelector('.mgx-head').append(a); }""")
    page.focus("#to-train")
    page.keyboard.press("Enter")
    page.wait_for_function(OPEN)
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "to-train"
    assert page.locator(ROOT).count() == 1, "one panel element, not a copy"
    # arriving at explorer/#train (from another page, so not a same-document jump): open over the top of the code
    page.goto(site_url)
    explorer(page, site_url, "#train")
    page.wait_for_function(OPEN)
    page.wait_for_function("scrollY === 0")
    assert page.locator(ROOT).count() == 1
    watch.assert_clean()


@pytest.mark.parametrize("screen", ["phone", "dark"])
def test_drawer_on_a_phone_and_in_dark(browser, site_url, screen):
    viewport = {"width": 390, "height": 844} if screen == "phone" else {"width": 1440, "height": 900}
    context = browser.new_context(viewport=viewport, color_scheme="dark" if screen == "dark" else "light")
    try:
        page = context.new_page()
        explorer(page, site_url)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"], "the Train button fits the toolbar"
        if screen == "phone":  # the toolbar's row is full: Train floats instead, adding nothing to its height
            height = "document.querySelector('.mgx-toolbar').getBoundingClientRect().height"
            with_train = page.evaluate(height)
            page.evaluate("document.querySelector('.mgt-drawer-toggle').hidden = true")
            without = page.evaluate(height)
            page.evaluate("document.querySelector('.mgt-drawer-toggle').hidden = false")
            assert with_train == without, (with_train, without)
            floating = page.evaluate("(() => { const r = document.querySelector('.mgt-drawer-toggle').getBoundingClientRect(); return innerHeight - r.bottom; })()")
            assert 0 < floating < 40 and page.locator(".mgt-drawer-toggle").is_visible(), floating  # at the screen's foot
        page.click(".mgt-drawer-toggle")
        page.wait_for_function(OPEN)
        page.wait_for_function(f"document.querySelector('{ROOT}').mgtPanel !== undefined")
        page.wait_for_function("getComputedStyle(document.querySelector('.mgt-layout')).display === 'grid'")
        box = drawer_box(page)
        if screen == "phone":
            assert abs(box["height"] - box["viewport"] / 2) <= 2 and abs(box["bottom"] - box["viewport"]) < 1.5, box
        assert box["width"] <= viewport["width"], box
        screenshot(page, f"train-drawer-{screen}")
        if screen == "phone":
            assert page.locator(".mgt-drawer-toggle").is_hidden(), "the drawer's × replaces the floating Train"
            page.keyboard.press("Escape")
            assert page.evaluate("document.activeElement === document.querySelector('.mgt-drawer-toggle')")
            screenshot(page, "train-drawer-phone-closed")
    finally:
        context.close()


def chart_facts(page):
    return page.evaluate(f"""() => {{
      const svg = document.querySelector('{ROOT} .mgt-plot');
      const ticks = Object.fromEntries([...svg.querySelectorAll('.mgt-tick-y')].map(t => [t.textContent, +t.getAttribute('y')]));
      const line = svg.querySelector('.mgt-uniform-line');
      return {{ticks, lineY: line && +line.getAttribute('y1'), lineLoss: line && +line.dataset.loss,
               label: svg.querySelector('.mgt-uniform-label')?.textContent,
               axes: [...svg.querySelectorAll('.mgt-axis-label')].map(t => t.textContent),
               note: document.querySelector('{ROOT} .mgt-chart-note').textContent}};
    }}""")


def test_train_page_trains_and_explains_a_sample(watched_page, site_url):
    page, watch = watched_page
    page.goto(site_url)
    page.click("text=Train it now")
    page.wait_for_url("**/train/")
    assert page.locator("nav a.md-nav__link[href$='train/']").count() >= 1, "the page is in the nav"
    page.wait_for_function(f"document.querySelector('{ROOT}').mgtPanel !== undefined")
    facts = chart_facts(page)
    assert facts["axes"] == ["step", "loss"] and "uniform guess" in facts["label"] and "3.30" in facts["label"]
    assert "uniform guess" in facts["note"] and "ln" in facts["note"]
    # two runs with the same schedule: matrix, then scalar
    for impl in ("matrix", "scalar"):
        page.check(f"{ROOT} input[name=impl][value={impl}]")
        page.fill("#mgt-steps", "30")
        page.click(f"{ROOT} [data-action=start]")
        page.wait_for_function(f"(() => {{ const d = document.querySelector('{ROOT}').dataset; return d.state === 'idle' && +d.done === 30; }})()",
                               timeout=180_000, polling=100)
    legend = page.locator(f"{ROOT} .mgt-key").all_inner_texts()
    assert len(legend) == 2 and "same schedule as #1: matches run #1" in legend[1], legend
    facts = chart_facts(page)
    assert abs(facts["lineLoss"] - math.log(27)) < 1e-12
    (a, ya), (b, yb) = [(float(k), v) for k, v in facts["ticks"].items()][:2]
    at = ya + (math.log(27) - a) * (yb - ya) / (b - a)  # where the tick marks put ln 27
    assert abs(facts["lineY"] - at) < 1, (facts, at)
    # open a sample: its letters' distributions
    names = page.locator(f"{ROOT} .mgt-sample").all_inner_texts()
    index, name = next((i, n) for i, n in enumerate(names) if n != "∅")
    page.locator(f"{ROOT} .mgt-sample").nth(index).click()
    page.wait_for_selector(f"{ROOT} .mgt-explain-row")
    rows = page.evaluate(f"""() => [...document.querySelectorAll('{ROOT} .mgt-explain-row')].map(r => ({{
      n: r.querySelectorAll('.mgx-bar').length,
      sum: [...r.querySelectorAll('.mgx-bar')].reduce((s, b) => s + +b.dataset.p, 0),
      marked: [...r.querySelectorAll('.mgx-bar-target .mgx-bar-label')].map(l => l.textContent) }}))""")
    assert len(rows) == len(name) + 1, (name, rows)
    for row in rows:
        assert row["n"] == 27 and abs(row["sum"] - 1) < 1e-6 and len(row["marked"]) == 1, row
    assert "".join(r["marked"][0] for r in rows[:-1]) == name and rows[-1]["marked"] == ["∅"]
    assert page.evaluate("document.activeElement.closest('.mgt-explain') !== null"), "focus moves to the explanation"
    assert "scalar.py" in page.locator(f"{ROOT} .mgt-explain").inner_text()
    page.locator(f"{ROOT} .mgt-explain").scroll_into_view_if_needed()
    screenshot(page, "train-page-explained-sample")
    page.evaluate("document.body.dataset.mdColorScheme = 'slate'")  # Material's dark scheme, as its toggle sets it
    screenshot(page, "train-page-explained-sample-dark")
    page.evaluate("document.body.dataset.mdColorScheme = 'default'")
    page.click(f"{ROOT} [data-action=unexplain]")
    assert page.locator(f"{ROOT} .mgt-explain").is_hidden()
    assert page.evaluate(f"document.activeElement === document.querySelectorAll('{ROOT} .mgt-sample')[{index}]")
    page.evaluate("scrollTo(0, 0)")
    screenshot(page, "train-page-desktop")
    watch.assert_clean()
