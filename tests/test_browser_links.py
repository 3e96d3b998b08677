"""Links that survive edits, and Share (issue 11, items 1 and 2), in headless Chromium: a fingerprinted link to
lines that moved lands on them and says so, one to lines that are gone opens their concept and says so; links to
missing targets and reversed ranges say so; ranges are selected by mouse and keyboard, copied, and reopen
highlighted; the Share popover offers the link, the Markdown link and an iframe snippet whose live preview does not
scroll the page. Screenshots of the popover (desktop, phone, dark) go to test-artifacts/.
"""
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, frames, screenshot, serve

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_page(open_page):  # the conftest's, allowed the clipboard, once the explorer is ready
    return lambda url, viewport=None, ready=True, **options: open_page(
        url, viewport, ready, **{"permissions": ["clipboard-read", "clipboard-write"], **options})


def toast(page):
    page.wait_for_selector(".mgx-toast.mgx-on")
    return page.text_content(".mgx-toast")


def targets(page):
    return page.evaluate("[...document.querySelectorAll('.ln.mgx-target')].map(l => l.id)")


def unique_lines(path, start):
    """Numbers of the lines after `start` (not section markers) whose text, and the next line's, are unique."""
    lines = path.read_text().splitlines()
    return [i + 1 for i, t in enumerate(lines[:-1]) if i + 1 > start and t.strip() and "§" not in t
            and lines.count(t) == 1 and lines.count(lines[i + 1]) == 1]


def blank_before_def(path, start):
    """Numbers of blank lines after `start` between two functions of one section: deleting one keeps the file
    valid Python (the build imports it) and every annotation anchored."""
    lines = path.read_text().splitlines()
    return [i + 1 for i in range(start, len(lines) - 1) if not lines[i].strip() and lines[i - 1].strip()
            and "§" not in lines[i - 1] and lines[i + 1].startswith("def ") and lines.count(lines[i + 1]) == 1]


@pytest.mark.parametrize("fragment, words", [
    ("#scalar-L99999", "has \\d+ lines: there is no line 99999"),
    ("#matrix-L10-L5", "reversed"),
    ("#scalar-L0", "no line 0"),
    ("#concept-nope", "no concept “nope”"),
    ("#note-attention-nope", "attention|nope"),
])
def test_links_to_missing_targets_say_so(open_page, site_url, fragment, words):
    page, watch = open_page(site_url + "explorer/" + fragment)
    assert re.search(words, toast(page)), page.text_content(".mgx-toast")
    assert targets(page) == []
    watch.assert_clean()


def test_freezing_ranges_return_at_once(open_page, site_url):
    page, watch = open_page(site_url + "explorer/")
    for frag in ("#scalar-L1-L100000000", "#scalar-L1-L999999999999", "#scalar-L5-L999999999999~1234"):
        ms = page.evaluate("""f => { const t = performance.now(); location.hash = f;
            dispatchEvent(new HashChangeEvent('hashchange')); return performance.now() - t; }""", frag)
        assert ms < 100, (frag, ms)
    watch.assert_clean()


def test_embed_with_an_unknown_concept_says_so_and_shows_the_code(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?embed=1&concept=nope")
    assert "no concept “nope”" in toast(page)
    assert page.is_visible(".mgx-block[data-col=scalar][data-concept=attention]")
    watch.assert_clean()


def test_select_a_range_by_mouse_copy_it_and_reopen_it(open_page, site_url):
    page, watch = open_page(site_url + "explorer/")
    page.click("#scalar-L20")
    page.click("#scalar-L24", modifiers=["Shift"])
    page.wait_for_function("/^#scalar-L20-L24~[0-9a-f]{4}$/.test(location.hash)")
    assert targets(page) == [f"scalar-L{n}" for n in range(20, 25)]
    assert page.evaluate("getSelection().isCollapsed")  # no stray text selection
    page.keyboard.press("c")
    page.wait_for_function("navigator.clipboard.readText().then(t => t.includes('#scalar-L20-L24~'))")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(site_url + "explorer/") and link.endswith(page.evaluate("location.hash"))
    again, w2 = open_page(link)
    again.wait_for_function("document.querySelectorAll('.ln.mgx-target').length === 5")
    assert targets(again) == [f"scalar-L{n}" for n in range(20, 25)]
    assert not again.is_visible(".mgx-toast.mgx-on")  # unchanged code: nothing to say
    watch.assert_clean(); w2.assert_clean()


def test_select_by_keyboard_and_share_it(open_page, site_url):
    page, watch = open_page(site_url + "explorer/")
    page.focus("#matrix-L30")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+ArrowDown")
    page.wait_for_function("/^#matrix-L30-L32~[0-9a-f]{4}$/.test(location.hash)")
    assert page.evaluate("document.activeElement.id") == "matrix-L32"
    hash = page.evaluate("location.hash")
    page.keyboard.press("s")
    page.wait_for_selector(".mgx-sharebox:not([hidden])")
    assert page.evaluate("document.activeElement.name") == "link"
    assert page.input_value(".mgx-sharebox [name=link]").endswith("explorer/" + hash)
    assert page.input_value(".mgx-sharebox [name=md]") == f"[matrix.py lines 30–32]({site_url}explorer/{hash})"
    snippet = page.input_value(".mgx-sharebox [name=embed]")
    assert snippet.startswith("<iframe src=") and f"lines={hash[1:]}" in snippet and "embed=1" in snippet
    assert "#" not in re.search(r'src="([^"]*)"', snippet).group(1)  # the target in the query: the host never scrolls
    page.click(".mgx-sharebox button[data-copy=embed]")
    page.wait_for_function("navigator.clipboard.readText().then(t => t.startsWith('<iframe'))")
    page.keyboard.press("Escape")
    page.wait_for_selector(".mgx-sharebox", state="hidden")
    assert page.evaluate("document.activeElement.id") == "matrix-L32"
    watch.assert_clean()


def test_share_preview_renders_the_range_without_scrolling_the_page(open_page, site_url):
    page, watch = open_page(site_url + "explorer/#concept-overview")
    page.focus("#scalar-L150")
    page.keyboard.press("Shift+ArrowDown")
    page.click(".mgx-share-line")
    page.wait_for_selector(".mgx-sharebox:not([hidden])")
    y = page.evaluate("scrollY")
    page.frame_locator(".mgx-sharebox iframe").locator("html.mgx-ready").wait_for(state="attached")
    inner = page.query_selector(".mgx-sharebox iframe").content_frame()
    inner.wait_for_function("document.querySelectorAll('.ln.mgx-target').length === 2")
    assert inner.evaluate("[...document.querySelectorAll('.ln.mgx-target')].map(l => l.id)") == ["scalar-L150", "scalar-L151"]
    assert inner.evaluate("scrollY") > 0  # the embed scrolled itself to the lines ...
    assert page.evaluate("scrollY") == y  # ... and not the page around it
    in_view = inner.evaluate("""() => { const r = document.getElementById('scalar-L150').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight; }""")
    assert in_view
    watch.assert_clean()


@pytest.mark.parametrize("what", ["concept", "note", "view"])
def test_share_on_concepts_notes_and_the_view(open_page, site_url, what):
    page, watch = open_page(site_url + "explorer/?notes=inline")
    button = {"concept": "#concept-attention .mgx-share", "note": ".mgx-note[id] .mgx-share",
              "view": ".mgx-toolbar .mgx-share"}[what]
    page.locator(button).first.click()
    page.wait_for_selector(".mgx-sharebox:not([hidden])")
    link = page.input_value(".mgx-sharebox [name=link]")
    src = re.search(r'src="([^"]*)"', page.input_value(".mgx-sharebox [name=embed]")).group(1).replace("&amp;", "&")
    assert "embed=1" in src and "concept=" in src
    if what == "concept":
        assert link.endswith("#concept-attention") and "concept=attention" in src
    if what == "note":
        note = page.locator(".mgx-note[id]").first.get_attribute("id")
        assert link.endswith("#" + note) and f"note={note}" in src
    if what == "view":
        assert link == page.evaluate("location.href")
    watch.assert_clean()


@pytest.mark.parametrize("name, viewport, scheme", [
    ("desktop", None, "light"), ("phone", PHONE, "light"), ("dark", None, "dark")])
def test_share_popover_screenshots(open_page, site_url, name, viewport, scheme):
    page, watch = open_page(site_url + "explorer/#concept-attention", viewport=viewport, color_scheme=scheme)
    first = page.evaluate("document.querySelector('.mgx-block[data-col=scalar][data-concept=attention] .ln').id")
    n = int(first.split("-L")[1]) + 3
    page.click(f"#scalar-L{n}")
    page.click(f"#scalar-L{n + 2}", modifiers=["Shift"])
    page.click(".mgx-share-line")
    page.wait_for_selector(".mgx-sharebox:not([hidden])")
    page.frame_locator(".mgx-sharebox iframe").locator("html.mgx-ready").wait_for(state="attached")
    box = page.evaluate("(() => { const r = document.querySelector('.mgx-sharebox').getBoundingClientRect(); "
                        "return [r.left, r.right, r.top, r.bottom, innerWidth, innerHeight]; })()")
    assert box[0] >= 0 and box[1] <= box[4] and box[2] >= 0 and box[3] <= box[5], box
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, f"share-{name}")
    page.add_script_tag(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
    violations = page.evaluate("""async () => (await axe.run({include: [['.mgx-sharebox'], ['.mgx-share-line']]},
        {resultTypes: ['violations']})).violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    assert not violations, violations
    watch.assert_clean()


# ---- links that survive edits: a site built from a copy of the project with scalar.py changed ----

@pytest.fixture(scope="module")
def edited_site(tmp_path_factory):
    """A site from a copy with two (blank) lines inserted near the top of scalar.py and one later line deleted;
    yields (base url, moved line: (old, new), deleted line)."""
    project = tmp_path_factory.mktemp("edited")
    for name in ("docs", "microgpt"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    source = project / "microgpt" / "scalar.py"
    moved, deleted = unique_lines(source, 120)[0], blank_before_def(source, 130)[0]
    lines = source.read_text().splitlines(keepends=True)
    del lines[deleted - 1]
    lines[1:1] = ["\n", "\n"]  # blank: the coverage gate counts only lines with code
    source.write_text("".join(lines))
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "out")],
                         cwd=project, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    url, server = serve(project / "out")
    yield url, (moved, moved + 2), deleted
    server.shutdown()


def fingerprinted_link(page, col, a, b):
    """The link the page copies for lines a..b (selected with the mouse)."""
    page.click(f"#{col}-L{a}")
    if b != a:
        page.click(f"#{col}-L{b}", modifiers=["Shift"])
    page.keyboard.press("c")
    page.wait_for_function(f"navigator.clipboard.readText().then(t => t.includes('#{col}-L{a}'))")
    return page.evaluate("navigator.clipboard.readText()").split("#")[1]


def test_a_link_to_moved_lines_lands_on_them_and_says_so(open_page, site_url, edited_site):
    url, (old, new), _ = edited_site
    page, watch = open_page(site_url + "explorer/")
    frag = fingerprinted_link(page, "scalar", old, old)
    assert re.fullmatch(rf"scalar-L{old}~[0-9a-f]{{4}}", frag)
    moved, w2 = open_page(url + "explorer/#" + frag)
    assert toast(moved) == f"scalar.py line {old} has moved to line {new} since this link was made."
    assert targets(moved) == [f"scalar-L{new}"]
    text = page.evaluate(f"document.getElementById('scalar-L{old}').textContent")
    assert moved.evaluate(f"document.getElementById('scalar-L{new}').textContent") == text
    plain, w3 = open_page(url + f"explorer/#scalar-L{old}")  # a plain link keeps its number
    assert targets(plain) == [f"scalar-L{old}"]
    watch.assert_clean(); w2.assert_clean(); w3.assert_clean()


def test_a_link_to_deleted_lines_opens_their_concept_and_says_so(open_page, site_url, edited_site):
    url, _, gone = edited_site
    page, watch = open_page(site_url + "explorer/")
    frag = fingerprinted_link(page, "scalar", gone, gone + 1)
    concept = page.evaluate(f"document.getElementById('scalar-L{gone}').closest('.mgx-block').dataset.concept")
    title = page.evaluate(f"document.querySelector('#concept-{concept} h2').textContent.trim()")
    after, w2 = open_page(url + "explorer/#" + frag)
    assert toast(after) == (f"scalar.py lines {gone}–{gone + 1} changed since this link was made: "
                            f"here is the concept that held them, {title}.")
    assert targets(after) == []
    top = after.evaluate(f"document.getElementById('concept-{concept}').getBoundingClientRect().top")
    assert 0 <= top < 300
    watch.assert_clean(); w2.assert_clean()


# ---- embeds in someone else's page (issue 11, item 3) ----

def host_page(site_dir, name, body):  # .htm: a host page in the site folder is not one of the site's pages
    (site_dir / name).write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>'
                                 f'<link rel="icon" href="data:,"></head><body style="margin:0">{body}</body></html>')
    return name


def test_a_shared_embed_in_a_host_page_renders_the_range_and_leaves_the_host_still(open_page, site_url, site_dir):
    page, watch = open_page(site_url + "explorer/")
    page.focus("#scalar-L141")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("s")
    snippet = page.input_value(".mgx-sharebox [name=embed]")
    heights = ("<script>window.heights = []; addEventListener('message', e => "
               "{ if (e.data && e.data.type === 'microgpt-explorer:height') heights.push(e.data.height); });</script>")
    name = host_page(site_dir, "host-embed.htm", f'{heights}<div style="height:1500px">text above</div>{snippet}'
                     '<div style="height:1500px">text below</div>')
    host, w2 = open_page(site_url + name, ready=False)
    host.evaluate("document.querySelector('iframe').scrollIntoView({block: 'center'})")  # it is lazy: bring it in
    y = host.evaluate("scrollY")
    frame = host.query_selector("iframe").content_frame()
    host.wait_for_function("() => document.querySelector('iframe').contentDocument?.documentElement.classList.contains('mgx-ready')")
    frame.wait_for_function("document.querySelectorAll('.ln.mgx-target').length === 2")
    assert host.evaluate("scrollY") == y  # loading scrolled the frame's own page, not the host
    assert host.evaluate("[document.querySelector('iframe').width, document.querySelector('iframe').height]") == ["800", "500"]
    seen = frame.evaluate("""() => { const r = document.getElementById('scalar-L141').getBoundingClientRect(),
        h = document.querySelector('.mgx-colhead[data-col=scalar]').getBoundingClientRect();
        return {line: r.top >= 0 && r.bottom <= innerHeight, head: h.top >= 0 && h.bottom <= innerHeight && h.height > 0,
                wide: document.documentElement.scrollWidth > innerWidth, tools: !!document.querySelector('.mgx-tools')?.offsetParent}; }""")
    assert seen == {"line": True, "head": True, "wide": False, "tools": False}, seen
    host.wait_for_function("window.heights.length > 0")  # the frame tells its content's height ...
    told = host.evaluate("window.heights.length")
    host.evaluate("document.querySelector('iframe').width = 600")  # ... again when that changes (narrower: the lines rewrap)
    host.wait_for_function(f"window.heights.length > {told}")
    assert host.evaluate("window.heights[window.heights.length - 1]") == frame.evaluate("document.documentElement.scrollHeight") > 500
    host.evaluate("document.querySelector('iframe').width = 800")
    screenshot(host, "embed-in-host")
    watch.assert_clean(); w2.assert_clean()


def test_an_embed_with_a_fragment_does_not_scroll_its_host(open_page, site_url, site_dir):
    name = host_page(site_dir, "host-fragment.htm", '<div style="height:1500px">text above</div>'
                     '<iframe width="800" height="500" title="embed" src="explorer/?embed=1#scalar-L141"></iframe>')
    host, watch = open_page(site_url + name, ready=False)
    host.wait_for_function("() => document.querySelector('iframe').contentDocument?.documentElement.classList.contains('mgx-ready')")
    frame = host.query_selector("iframe").content_frame()
    frame.wait_for_function("document.querySelectorAll('.ln.mgx-target').length === 1")
    frame.wait_for_function("document.readyState === 'complete'")
    frames(frame)  # the load event's second arrival has run
    frames(host)
    assert host.evaluate("scrollY") == 0
    watch.assert_clean()


def test_settings_changed_in_an_embed_stay_in_it(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?embed=1&controls=1&concept=attention")
    assert page.is_visible(".mgx-settings")
    page.click(".mgx-settings summary")
    page.click(".mgx-form input[name=notes][value=hidden]")
    page.wait_for_function("localStorage.getItem('mgx-embed-settings') !== null")
    assert page.evaluate("localStorage.getItem('mgx-settings')") is None
    main, w2 = open_page(site_url + "explorer/")
    assert main.evaluate("document.documentElement.dataset.mgxNotes") == "margin"
    watch.assert_clean(); w2.assert_clean()


@pytest.mark.parametrize("size", [(800, 500), (600, 400)])
def test_an_embed_fits_its_frame_without_horizontal_scroll(open_page, site_url, size):
    w, h = size
    page, watch = open_page(site_url + "explorer/?embed=1&concept=attention&cols=scalar,matrix",
                            viewport={"width": w, "height": h})
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.is_hidden(".mgx-head .mgx-summary")  # summary=1 brings it back
    link = page.locator(".mgx-note a[href]:not([href^='#'])").first
    if link.count():
        link.evaluate("a => a.addEventListener('click', e => e.preventDefault())")
        link.dispatch_event("click")
        assert link.get_attribute("target") == "_blank"
    screenshot(page, f"embed-{w}x{h}")
    watch.assert_clean()


@pytest.mark.parametrize("theme, scheme", [("dark", "slate"), ("light", "default")])
def test_an_embed_takes_its_theme_from_the_host(open_page, site_url, theme, scheme):
    other = "light" if theme == "dark" else "dark"  # the reader's own preference is the other one
    page, watch = open_page(site_url + f"explorer/?embed=1&concept=attention&cols=scalar,matrix&lines=scalar-L141&theme={theme}",
                            viewport={"width": 800, "height": 500}, color_scheme=other)
    assert page.evaluate("document.body.dataset.mdColorScheme") == scheme
    screenshot(page, f"embed-theme-{theme}")
    watch.assert_clean()


@pytest.mark.parametrize("width, mode", [(800, "inline"), (1440, "margin")])
def test_an_embed_shows_its_notes_inline_when_the_frame_has_no_room_for_the_panel(open_page, site_url, width, mode):
    page, watch = open_page(site_url + "explorer/?embed=1&concept=attention&cols=scalar", viewport={"width": width, "height": 500})
    assert page.evaluate("document.documentElement.dataset.mgxNotes") == mode
    shown = page.evaluate("[...document.querySelectorAll('.mgx-note')].filter(n => n.offsetParent && n.closest('.mgx-code')).length")
    assert (shown > 0) == (mode == "inline")
    if mode == "margin":
        assert page.is_visible(".mgx-panel")
    hidden, w2 = open_page(site_url + "explorer/?embed=1&concept=attention&cols=scalar&notes=hidden", viewport={"width": width, "height": 500})
    assert hidden.evaluate("[...document.querySelectorAll('.mgx-note')].filter(n => n.offsetParent).length") == 0
    watch.assert_clean(); w2.assert_clean()


def test_a_narrow_embed_of_several_columns_docks_its_notes_below_the_code(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?embed=1&concept=attention&lines=scalar-L141-L142",
                            viewport={"width": 800, "height": 500})
    assert page.evaluate("document.documentElement.dataset.mgxNotes") == "dock"
    page.wait_for_selector(".mgx-panel .mgx-note")
    seen = page.evaluate("""() => {
        const dock = document.querySelector('.mgx-panel').getBoundingClientRect(),
              head = document.querySelector('.mgx-colhead[data-col=scalar]').getBoundingClientRect(),
              range = [...document.querySelectorAll('.ln.mgx-target')].map(l => l.getBoundingClientRect());
        return {docked: Math.round(dock.bottom) === innerHeight && dock.height <= innerHeight / 2,
                range: range.length === 2 && range.every(r => r.top >= head.bottom && r.bottom <= dock.top),
                inColumns: [...document.querySelectorAll('.mgx-code .mgx-note')].filter(n => n.offsetParent).length,
                wide: document.documentElement.scrollWidth > innerWidth}; }""")
    assert seen == {"docked": True, "range": True, "inColumns": 0, "wide": False}, seen
    page.hover("#matrix-L104")  # the hovered line's notes take the dock and light their lines
    page.wait_for_function("document.getElementById('matrix-L104').classList.contains('mgx-hl')"
                           " && document.querySelector('.mgx-panel-where').textContent.includes('Attention')")
    screenshot(page, "embed-docked-notes")
    watch.assert_clean()


def test_a_link_shared_from_inside_an_embed_opens_the_full_explorer(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?embed=1&concept=attention&cols=scalar,matrix&theme=dark",
                            viewport={"width": 800, "height": 500})
    note = page.locator(".mgx-panel .mgx-note >> visible=true").first  # two columns in 800 px: the docked panel
    note_id = note.get_attribute("data-note")
    note.locator(".mgx-share").click()
    page.wait_for_selector(".mgx-sharebox:not([hidden])")
    link = page.input_value(".mgx-sharebox [name=link]")
    assert link == f"{site_url}explorer/?cols=scalar,matrix#{note_id}"  # the explorer, not the embed's frame
    src = re.search(r'src="([^"]*)"', page.input_value(".mgx-sharebox [name=embed]")).group(1).replace("&amp;", "&")
    assert "embed=1" in src and f"note={note_id}" in src  # the snippet is still an embed
    watch.assert_clean()


def test_an_embed_of_lines_outside_its_concept_shows_their_concept_too(open_page, site_url):
    page, watch = open_page(site_url + "explorer/?embed=1&concept=attention&cols=scalar&lines=scalar-L150-L152",
                            viewport={"width": 800, "height": 500})
    assert targets(page) == ["scalar-L150", "scalar-L151", "scalar-L152"]
    assert page.evaluate("['scalar-L150', 'scalar-L152'].every(id => document.getElementById(id).offsetParent !== null)")
    shown = page.evaluate("[...new Set([...document.querySelectorAll('.mgx-block:not([hidden])')].map(b => b.dataset.concept))]")
    assert shown[0] == "attention" and len(shown) == 3  # attention, and mlp and forward, which hold lines 150-152
    watch.assert_clean()
