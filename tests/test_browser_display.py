"""Display settings in headless Chromium: font size "fit" (the largest size at which every shown column's longest
line fits, never below 10 px) and comments all / section headers only / none (hidden comment lines, the columns
still aligned by concept, the line numbers still the file's own), both persisted and carried in the URL.
Screenshots go to test-artifacts/ — look at them.
"""
import pytest

from conftest import screenshot

PHONE = {"width": 390, "height": 844}
FLOOR, STEP = 10, 0.25

STATE = """() => {
  const fs = parseFloat(getComputedStyle(document.querySelector('.mgx-code')).fontSize);
  const cols = document.documentElement.dataset.mgxCols.split(' ');
  const lines = cols.flatMap(c => [...document.querySelectorAll(`.mgx-block[data-col=${c}] .ln`)]).filter(l => l.offsetParent);
  const wrapped = lines.filter(l => l.getBoundingClientRect().height > 1.6 * fs || l.offsetWidth > l.parentElement.clientWidth + 1);
  return {fs, cols, shown: lines.length, wrapped: wrapped.map(l => l.id)};
}"""


@pytest.fixture
def open_page(open_page):  # the conftest's, with reduced motion, once the explorer is ready
    return lambda url, viewport=None, **options: open_page(url, viewport, ready=True, **{"reduced_motion": "reduce", **options})


def wrapped_at(page, size):
    """The state with the code at `size` px, then the page put back as it was."""
    was = page.evaluate("document.documentElement.style.getPropertyValue('--mgx-fs')")
    page.evaluate("s => document.documentElement.style.setProperty('--mgx-fs', s + 'px')", size)
    state = page.evaluate(STATE)
    page.evaluate("s => document.documentElement.style.setProperty('--mgx-fs', s)", was)
    return state


def assert_largest_or_floor(page):
    """The fitted size fits and one step more would not, or it is the floor because even the floor does not fit."""
    state = page.evaluate(STATE)
    assert page.evaluate("document.documentElement.dataset.mgxFont") == "fit"
    assert state["fs"] >= FLOOR and state["fs"] % STEP == 0, state["fs"]
    if state["wrapped"]:
        assert state["fs"] == FLOOR, f"{len(state['wrapped'])} lines wrap at {state['fs']} px, above the floor"
    else:
        size, bigger = state["fs"], wrapped_at(page, state["fs"] + STEP)
        assert bigger["wrapped"] or size == 24, f"{size + STEP} px would fit too: fit did not pick the largest size"
        assert page.evaluate(STATE)["fs"] == size
    return state


@pytest.mark.parametrize("cols", ["scalar", "matrix", "pseudo", "pseudo&comments=none"])
def test_fit_one_column_at_1440_wraps_no_line_at_the_largest_size(open_page, site_url, cols):
    page, watch = open_page(site_url + f"explorer/?font=fit&cols={cols}")
    state = assert_largest_or_floor(page)
    assert state["wrapped"] == [] and state["fs"] > FLOOR and state["shown"] > 50
    watch.assert_clean()


def test_fit_two_columns_fit_on_a_wide_screen_and_reach_the_floor_at_1440(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?font=fit&cols=scalar,pseudo", viewport={"width": 2560, "height": 1440})
    wide = assert_largest_or_floor(page)
    assert wide["wrapped"] == [] and wide["cols"] == ["scalar", "pseudo"]
    page.set_viewport_size({"width": 1440, "height": 900})  # recomputed on resize
    page.wait_for_function("s => parseFloat(getComputedStyle(document.querySelector('.mgx-code')).fontSize) < s", arg=wide["fs"])
    narrow = assert_largest_or_floor(page)
    # 128-character lines in two 430 px columns: the floor, and the lines that still do not fit wrap
    assert narrow["fs"] == FLOOR and narrow["wrapped"]
    watch.assert_clean()


def test_fit_three_columns_picks_the_floor_and_follows_columns_and_notes(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?font=fit")
    assert assert_largest_or_floor(page)["fs"] == FLOOR
    page.click(".mgx-settings summary")
    page.uncheck("input[name=col][value=matrix]")
    page.uncheck("input[name=col][value=pseudo]")  # one column left: room to grow
    one = assert_largest_or_floor(page)
    assert one["fs"] > FLOOR and one["wrapped"] == []
    assert page.evaluate("document.querySelector('.mgx-form output[name=fontout]').value") == str(one["fs"]).removesuffix(".0")
    page.check("input[name=notes][value=hidden]")  # the notes panel gives its room to the code
    assert assert_largest_or_floor(page)["fs"] > one["fs"]
    watch.assert_clean()


def rendered_numbers(page):
    """{line id: the number drawn beside it} for every line laid out, read from Chromium's layout tree (CSS
    counters are not in the DOM)."""
    cdp = page.context.new_cdp_session(page)
    snap = cdp.send("DOMSnapshot.captureSnapshot", {"computedStyles": []})
    strings, doc = snap["strings"], snap["documents"][0]
    nodes, layout = doc["nodes"], doc["layout"]
    ids = {}
    for i, attrs in enumerate(nodes["attributes"]):
        for k in range(0, len(attrs), 2):
            if strings[attrs[k]] == "id" and "-L" in strings[attrs[k + 1]]:
                ids[i] = strings[attrs[k + 1]]
    before = {i for i, t in zip(nodes["pseudoType"]["index"], nodes["pseudoType"]["value"]) if strings[t] == "before"}
    text = {}
    for n, t in zip(layout["nodeIndex"], layout["text"]):
        if t >= 0:
            text[n] = text.get(n, "") + strings[t]
    children = {}
    for i, parent in enumerate(nodes["parentIndex"]):
        children.setdefault(parent, []).append(i)
    out = {}
    for i, lid in ids.items():
        for b in (c for c in children.get(i, []) if c in before):
            stack, drawn = [b], ""
            while stack:
                n = stack.pop()
                drawn += text.get(n, "")
                stack += children.get(n, [])
            out[lid] = drawn
    cdp.detach()
    return out


ALIGNMENT = """() => Object.fromEntries([...document.querySelectorAll('.mgx-head')].map(h => [h.dataset.concept,
  [...document.querySelectorAll(`.mgx-block[data-concept=${h.dataset.concept}]:not(.mgx-noteblock)`)]
    .map(b => Math.round(b.getBoundingClientRect().top))]))"""


def test_comments_none_hides_every_comment_keeps_alignment_and_line_numbers(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?comments=none")
    counts = page.evaluate("""() => ({
        comment_lines: document.querySelectorAll('.mgx-grid .ln.cmt').length,
        shown_comment_lines: [...document.querySelectorAll('.mgx-grid .ln.cmt')].filter(l => l.offsetParent).length,
        trailing: [...document.querySelectorAll('.mgx-grid .ln:not(.cmt) .c')].length,
        shown_trailing: [...document.querySelectorAll('.mgx-grid .ln:not(.cmt) .c')].filter(c => c.getClientRects().length).length,
        code_lines_hidden: [...document.querySelectorAll('.mgx-grid .ln:not(.cmt)')].filter(l => !l.offsetParent).length,
        headers: document.querySelectorAll('.mgx-grid .ln.sec').length})""")
    assert counts["comment_lines"] > 30 and counts["trailing"] > 10 and counts["headers"] >= 20, counts
    assert counts["shown_comment_lines"] == 0 and counts["shown_trailing"] == 0 and counts["code_lines_hidden"] == 0, counts
    for concept, tops in page.evaluate(ALIGNMENT).items():  # each concept starts at one height in every column
        assert max(tops) - min(tops) <= 1, (concept, tops)
    numbers = rendered_numbers(page)
    shown = page.evaluate("[...document.querySelectorAll('.mgx-grid .ln')].filter(l => l.offsetParent).map(l => l.id)")
    assert len(shown) > 500 and all(numbers.get(lid) == lid.split("-L")[1] for lid in shown), \
        [(lid, numbers.get(lid)) for lid in shown if numbers.get(lid) != lid.split("-L")[1]][:5]
    screenshot(page, "display-comments-none-1440")
    watch.assert_clean()


def test_comments_headers_keeps_only_the_section_lines(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?comments=headers")
    shown = page.evaluate("""() => [...document.querySelectorAll('.mgx-grid .ln.cmt')].filter(l => l.offsetParent)
        .map(l => [l.classList.contains('sec'), l.textContent.startsWith('# § ')])""")
    assert shown and all(sec and marker for sec, marker in shown), shown
    assert len(shown) == page.evaluate("document.querySelectorAll('.mgx-grid .ln.sec').length")
    assert page.evaluate("[...document.querySelectorAll('.mgx-grid .ln:not(.cmt) .c')].some(c => c.getClientRects().length)"), \
        "trailing comments stay with section headers only"
    for concept, tops in page.evaluate(ALIGNMENT).items():
        assert max(tops) - min(tops) <= 1, (concept, tops)
    watch.assert_clean()


def test_a_link_to_a_hidden_comment_line_shows_it_and_keys_skip_hidden_lines(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?comments=none")
    target = page.evaluate("document.querySelector('.mgx-grid .ln.cmt:not(.sec, [id$=-L2])').id")  # not next to L1
    page.evaluate("h => { location.hash = h; }", target)
    page.wait_for_function("id => document.getElementById(id).offsetParent !== null", arg=target)
    assert page.evaluate("""id => { const r = document.getElementById(id).getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }""", target)
    # keyboard: the tab stop and the arrows only ever land on lines that are shown
    page.evaluate("history.replaceState(null, '', location.pathname + location.search); location.hash = '#concept-overview'")
    stops = page.evaluate("""() => ['scalar', 'matrix', 'pseudo'].map(c =>
        [...document.querySelectorAll(`.mgx-block[data-col=${c}] .ln`)].filter(l => l.tabIndex === 0).map(l => !!l.offsetParent))""")
    assert stops == [[True], [True], [True]], "each column's one tab stop is a line that is shown"
    page.focus(".mgx-skip")
    page.keyboard.press("Enter")
    first = page.evaluate("document.activeElement.id")
    assert first.startswith("scalar-L") and first != "scalar-L1", first
    for _ in range(30):
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.classList.contains('ln') && document.activeElement.offsetParent !== null")
    watch.assert_clean()


def test_fit_and_comments_persist_across_reload_and_come_from_the_url(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?cols=scalar")
    page.click(".mgx-settings summary")
    page.check("input[name=fit]")
    page.check("input[name=comments][value=none]")
    assert "font=fit" in page.url and "comments=none" in page.url
    assert page.is_disabled("input[name=font]")
    fitted = page.evaluate(STATE)["fs"]
    page.goto(site_url + "explorer/")  # the bare URL: localStorage brings both back
    page.wait_for_selector("html.mgx-ready", state="attached")
    html = page.evaluate("({...document.documentElement.dataset})")
    assert html["mgxFont"] == "fit" and html["mgxComments"] == "none" and html["mgxCols"] == "scalar"
    assert page.evaluate(STATE)["fs"] == fitted
    # the first paint is already at the fitted size: the pre-paint script alone (explorer.js not loaded) sets it
    bare = page.context.new_page()
    bare.route("**/explorer.js", lambda route: route.abort())
    bare.goto(site_url + "explorer/")
    assert bare.evaluate("getComputedStyle(document.getElementById('scalar-L2')).fontSize") == f"{fitted:g}px"
    bare.close()
    assert page.is_hidden("#scalar-L1") and page.is_checked("input[name=fit]") and page.is_checked("input[name=comments][value=none]")
    page.click(".mgx-settings summary")
    page.click("button[name=reset]")
    assert page.evaluate("document.documentElement.dataset.mgxComments") == "all" and "comments" not in page.url
    assert page.evaluate(STATE)["fs"] == 13 and page.is_visible("#scalar-L1")
    watch.assert_clean()
    # a link carries the view to someone with nothing stored, before the first paint
    other, watch2 = open_page(site_url + "explorer/?font=fit&comments=headers&cols=pseudo")
    assert other.evaluate("document.documentElement.dataset.mgxComments") == "headers"
    assert other.is_visible("#pseudo-L1") and other.is_hidden("#pseudo-L2")
    assert other.is_checked("input[name=comments][value=headers]") and other.is_checked("input[name=fit]")
    assert_largest_or_floor(other)
    watch2.assert_clean()


def test_screenshots_fit_and_comments(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?font=fit&comments=none&cols=scalar#concept-attention")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # the reading position's frame
    screenshot(page, "display-fit-comments-none-1440")
    dark, watch2 = open_page(site_url + "explorer/?font=fit&comments=none&cols=scalar,matrix#concept-attention",
                             viewport={"width": 2560, "height": 1440}, color_scheme="dark")
    dark.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    screenshot(dark, "display-fit-comments-none-2560-dark")
    phone, watch3 = open_page(site_url + "explorer/?font=fit&comments=none#concept-attention", viewport=PHONE,
                              is_mobile=True, has_touch=True)
    state = assert_largest_or_floor(phone)
    assert state["cols"] and state["shown"] > 20
    screenshot(phone, "display-fit-comments-none-phone")
    phone.click(".mgx-settings summary")
    screenshot(phone, "display-panel-phone")
    for w in (watch, watch2, watch3):
        w.assert_clean()


def test_fit_measures_the_code_not_the_live_values_beside_it(open_page, site_url):
    plain, watch = open_page(site_url + "explorer/?font=fit&cols=matrix", viewport={"width": 1400, "height": 900})
    want = assert_largest_or_floor(plain)["fs"]
    page, watch2 = open_page(site_url + "explorer/?values&font=fit&cols=matrix")
    page.wait_for_selector(".mgx-block[data-col=matrix] .ln .mgx-val")
    page.set_viewport_size({"width": 1400, "height": 900})  # a relayout with the values on the lines
    page.wait_for_function("s => parseFloat(getComputedStyle(document.querySelector('.mgx-code')).fontSize) === s", arg=want)
    for w in (watch, watch2):
        w.assert_clean()


@pytest.mark.parametrize("scheme, viewport", [("light", None), ("dark", None), ("light", PHONE)])
def test_axe_display_panel_open_with_fit_and_comments_none(open_page, site_url, scheme, viewport):
    from test_browser_explorer import audit
    page, watch = open_page(site_url + "explorer/?font=fit&comments=none", viewport=viewport, color_scheme=scheme)
    page.click(".mgx-settings summary")
    serious = [v for v in audit(page) if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    watch.assert_clean()


def test_phone_display_panel_shows_what_works_there_and_closes_from_inside(open_page, site_url):
    page, watch = open_page(site_url + "explorer/", viewport=PHONE, is_mobile=True, has_touch=True)
    page.wait_for_selector("html.mgx-ready")
    page.tap(".mgx-settings summary")
    assert page.is_visible(".mgx-form")
    assert not page.is_visible(".mgx-form input[name=col]")  # one column on a phone: the switcher chooses it
    assert not page.is_visible(".mgx-form input[name=sync]")  # no lanes on a phone
    assert page.is_visible(".mgx-form .mgx-phone-only") and page.inner_text(".mgx-form .mgx-phone-only") == "on tap"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "display-panel-phone-only-what-works")
    page.tap(".mgx-form button[name=close]")
    assert not page.is_visible(".mgx-form")
    assert page.evaluate("document.activeElement.matches('.mgx-settings summary')")
    desktop, w2 = open_page(site_url + "explorer/")
    desktop.click(".mgx-settings summary")
    assert desktop.is_visible(".mgx-form input[name=sync]") and not desktop.is_visible(".mgx-form .mgx-phone-only")
    watch.assert_clean()
    w2.assert_clean()
