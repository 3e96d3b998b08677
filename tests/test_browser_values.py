"""Live values in the explorer, as a reader meets them in headless Chromium: off by default and nothing fetched;
on, values at the end of the lines of both Python files with the pairs' agreement; the full view's numbers are
the build's JSON; position and head change what is shown; a bad word is refused beside the field; axe passes."""
import json
import re

import pytest

from conftest import screenshot
from microgpt import matrix, scalar
from test_browser_explorer import PHONE, audit

LINE_OF = {"P": "P = [softmax(row)", "attn": "attn = softmax(scores)"}


def line_number(site_dir, col, text):
    """The number of the one line of scalar.py or matrix.py holding `text` (and the page has that line)."""
    page = (site_dir / "explorer" / "index.html").read_text(encoding="utf-8")
    module = {"scalar": scalar, "matrix": matrix}[col]
    lines = open(module.__file__, encoding="utf-8").read().splitlines()
    n = next(i for i, line in enumerate(lines, 1) if text in line)
    assert f'id="{col}-L{n}"' in page
    return n


def values_on(page):
    page.click(".mgx-values-toggle")
    page.wait_for_selector(".mgx-val")


def view(site_dir, state="init"):
    return json.loads((site_dir / "assets" / "microgpt" / "values" / f"emma-{state}.json").read_text())


def test_values_are_off_by_default_and_fetch_nothing(open_page, site_url):
    requests = []
    page, watch = open_page(site_url + "explorer/")
    page.on("request", lambda r: requests.append(r.url))
    page.wait_for_selector("html.mgx-ready")
    page.mouse.wheel(0, 2000)
    assert page.locator(".mgx-val").count() == 0
    assert page.get_attribute(".mgx-values-toggle", "aria-pressed") == "false"
    assert not [u for u in requests if "/values/" in u]
    values_on(page)
    assert [u for u in requests if u.endswith("/values/emma-init.json")]
    watch.assert_clean()


def test_values_show_in_both_python_columns_with_the_pairs(open_page, site_url, site_dir):
    page, watch = open_page(site_url + "explorer/#concept-attention")
    page.wait_for_selector("html.mgx-ready")
    values_on(page)
    counts = page.evaluate("""() => Object.fromEntries(['scalar', 'matrix', 'pseudo'].map(c =>
        [c, document.querySelectorAll(`.mgx-block[data-col="${c}"] .mgx-val`).length]))""")
    assert counts["scalar"] > 40 and counts["matrix"] > 40, counts
    assert counts["pseudo"] == len({p["pseudo"] for p in view(site_dir)["pairs"] if "pseudo" in p}) >= 8
    data = view(site_dir)
    marks = page.locator(".mgx-eq")
    lines = {(c, p[c]) for p in data["pairs"] for c in ("scalar", "matrix")}
    assert marks.count() == len(lines)  # every pair marked on both files at the chosen t and head
    attn = line_number(site_dir, "scalar", LINE_OF["attn"])
    assert re.search(r"= matrix row 3 · \|Δ\| (0|\de-1[5-7])", page.inner_text(f"#scalar-L{attn} .mgx-eq"))
    screenshot(page, "values-desktop")
    watch.assert_clean()


def test_the_attention_heatmap_is_the_json(open_page, site_url, site_dir):
    page, watch = open_page(site_url + "explorer/#concept-attention")
    page.wait_for_selector("html.mgx-ready")
    values_on(page)
    n = line_number(site_dir, "matrix", LINE_OF["P"])
    page.click(f"#matrix-L{n} .mgx-val")
    page.wait_for_selector(".mgx-vpop:not([hidden]) table.mgx-heat")
    cells = page.evaluate("""() => [...document.querySelectorAll('.mgx-vpop table.mgx-heat tbody tr')].map(tr =>
        [...tr.querySelectorAll('td')].map(td => td.classList.contains('mgx-heat-masked') ? null
                                                   : Number(td.textContent.replace('\\u2212', '-'))))""")
    rec = next(r for r in view(site_dir)["impls"]["matrix"]["records"]
               if r["phase"] == "step" and r["line"] == n and r["name"] == "P" and r["context"]["head"] == 0)
    assert len(cells) == len(rec["value"]) == 5
    for i, (row, expect) in enumerate(zip(cells, rec["value"])):
        for j, (shown, x) in enumerate(zip(row, expect)):
            if j > i:
                assert shown is None and x == 0  # the masked future
            else:
                assert shown == pytest.approx(x, rel=5e-3, abs=1e-9), (i, j)
    labels = page.evaluate("() => [...document.querySelectorAll('.mgx-vpop table.mgx-heat thead th')].map(th => th.textContent)")
    assert labels[1:] == ["BOS", "e", "m", "m", "a"]
    screenshot(page, "values-heatmap")
    page.keyboard.press("Escape")
    assert page.is_hidden(".mgx-vpop")
    watch.assert_clean()


def test_position_and_head_change_the_values_and_marks(open_page, site_url, site_dir):
    page, watch = open_page(site_url + "explorer/#concept-attention")
    page.wait_for_selector("html.mgx-ready")
    values_on(page)
    attn = line_number(site_dir, "scalar", LINE_OF["attn"])
    before = page.inner_text(f"#scalar-L{attn} .mgx-val")
    page.fill(".mgx-vform input[name=t]", "1")
    page.dispatch_event(".mgx-vform input[name=t]", "input")
    assert page.inner_text(".mgx-vform output[name=tout]") == "1: e → m"
    after_t = page.inner_text(f"#scalar-L{attn} .mgx-val")
    assert after_t != before and after_t.startswith("[")
    assert "row 1" in page.inner_text(f"#scalar-L{attn} .mgx-eq")
    page.select_option(".mgx-vform select[name=head]", "2")
    assert page.inner_text(f"#scalar-L{attn} .mgx-val") != after_t
    rec = next(r for r in view(site_dir)["impls"]["scalar"]["records"] if r["phase"] == "step" and r["line"] == attn
               and r["context"] == {"layer": 0, "t": 1, "head": 2, "via": r["context"]["via"]})
    assert page.inner_text(f"#scalar-L{attn} .mgx-val") == "[{}, {}]".format(*(f"{x:.3g}" for x in rec["value"]))
    page.select_option(".mgx-vform select[name=state]", "trained")
    page.wait_for_function(f"document.querySelector('#scalar-L{attn} .mgx-val') && "
                           "document.querySelector('.mgx-vstatus').textContent.includes('trained')")
    assert page.inner_text(f"#scalar-L{attn} .mgx-val") != "[{}, {}]".format(*(f"{x:.3g}" for x in rec["value"]))
    watch.assert_clean()


def test_a_word_outside_the_vocabulary_is_refused_beside_the_field(open_page, site_url):
    page, watch = open_page(site_url + "explorer/")
    page.wait_for_selector("html.mgx-ready")
    values_on(page)
    page.fill(".mgx-vform input[name=word]", "Emma")
    assert "“E” is not in the vocabulary" in page.inner_text(".mgx-vword-msg")
    assert page.get_attribute(".mgx-vform input[name=word]", "aria-invalid") == "true"
    page.fill(".mgx-vform input[name=word]", "")
    assert "Type a word" in page.inner_text(".mgx-vword-msg")
    watch.assert_clean()


@pytest.mark.parametrize("scheme, viewport", [("light", None), ("dark", None), ("light", PHONE)])
def test_axe_with_values_on(open_page, site_url, scheme, viewport):
    page, watch = open_page(site_url + "explorer/?values#concept-attention", viewport=viewport, color_scheme=scheme)
    page.wait_for_selector(".mgx-val")
    page.click(".mgx-block[data-col=scalar] .mgx-val >> nth=5")
    page.wait_for_selector(".mgx-vpop:not([hidden])")
    serious = [v for v in audit(page) if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    screenshot(page, f"values-{scheme}-{viewport['width'] if viewport else 1440}")
    watch.assert_clean()


STATUS = ".mgx-vstatus"


def wait_status(page, *parts, timeout=120):
    cond = " && ".join(f"s.includes({json.dumps(p)})" for p in parts)
    page.wait_for_function(f"(() => {{ const s = document.querySelector('{STATUS}')?.textContent ?? ''; return {cond}; }})()",
                           timeout=timeout * 1000, polling=50)


def scalar_value(page, site_dir, text):
    return page.inner_text(f"#scalar-L{line_number(site_dir, 'scalar', text)} .mgx-val")


def test_another_word_and_the_readers_run_are_traced_in_the_page(open_page, site_url, site_dir):
    """olivia at initialisation is traced in the trainer's worker; after a 100-step run in the page, its values
    from that run differ from initialisation; every pair still agrees; nothing leaves 127.0.0.1."""
    page, watch = open_page(site_url + "explorer/?values#concept-loss")
    page.wait_for_selector(".mgx-val")
    emma_loss = scalar_value(page, site_dir, "return (1 / n) * sum(losses)")
    page.fill(".mgx-vform input[name=word]", "olivia")
    page.press(".mgx-vform input[name=word]", "Enter")
    wait_status(page, "“olivia”", "lines")
    init_loss = scalar_value(page, site_dir, "return (1 / n) * sum(losses)")
    assert init_loss != emma_loss and re.fullmatch(r"3\.\d+", init_loss), init_loss  # ≈ ln 27 before training
    page.wait_for_selector(".mgx-eq")
    assert all(re.search(r"\|Δ\| (0|\de-1[4-8])$", t) for t in page.locator(".mgx-eq").all_inner_texts())
    page.evaluate("document.querySelector('[data-mgt-trainer]').scrollIntoView()")
    page.wait_for_function("document.querySelector('[data-mgt-trainer]').mgtPanel !== undefined", timeout=30000)
    page.check("[data-mgt-trainer] input[name=impl][value=matrix]")
    page.fill("#mgt-steps", "100")
    page.click("[data-mgt-trainer] [data-action=start]")
    page.wait_for_function("(() => { const o = document.querySelector('.mgx-vform option[value=run]');"
                           " return !o.disabled && o.textContent.includes('100 steps'); })()", timeout=120000)
    page.select_option(".mgx-vform select[name=state]", "run")
    wait_status(page, "“olivia”", "your training run (100 steps)")
    run_loss = scalar_value(page, site_dir, "return (1 / n) * sum(losses)")
    assert run_loss != init_loss and float(run_loss) < float(init_loss), (run_loss, init_loss)
    screenshot(page, "values-own-run")
    watch.assert_clean()


def test_a_word_the_vocabulary_lacks_is_refused_before_any_download(open_page, site_url):
    requests = []
    page, watch = open_page(site_url + "explorer/?values")
    page.on("request", lambda r: requests.append(r.url))
    page.wait_for_selector(".mgx-val")
    page.fill(".mgx-vform input[name=word]", "zoë")
    page.press(".mgx-vform input[name=word]", "Enter")
    assert "“ë” is not in the vocabulary" in page.inner_text(".mgx-vword-msg")
    assert not [u for u in requests if "/runtime/" in u]
    assert "“emma”" in page.inner_text(STATUS)  # the values shown stay
    watch.assert_clean()


def test_one_step_slowly_walks_the_step_through_the_code(open_page, site_url, site_dir):
    page, watch = open_page(site_url + "explorer/?values", reduced_motion="reduce")
    page.wait_for_selector(".mgx-val")
    view_lines = [r["line"] for r in view(site_dir)["impls"]["matrix"]["records"] if r["phase"] == "step"]
    page.click(".mgx-vplay [data-play=start]")
    page.wait_for_selector(".mgx-step-now")
    first = page.evaluate("document.querySelector('.mgx-step-now').id")
    assert first == f"matrix-L{view_lines[0]}"  # the step starts where the trace starts: train()'s first line
    hidden = page.evaluate("""() => [...document.querySelectorAll('.mgx-block[data-col=matrix] .mgx-val')]
        .filter(v => getComputedStyle(v).visibility === 'hidden').length""")
    assert hidden > 30  # the lines not reached yet keep their values to themselves
    page.wait_for_function(f"document.querySelector('.mgx-step-now') && document.querySelector('.mgx-step-now').id !== '{first}'",
                           timeout=10000)
    now = page.evaluate("document.querySelector('.mgx-step-now').id")
    assert page.evaluate(f"getComputedStyle(document.querySelector('#{now} .mgx-val')).visibility") == "visible"
    assert in_view(page, f"#{now}")
    assert "matrix.py line" in page.inner_text(".mgx-vstatus")
    page.click(".mgx-vplay [data-play=pause]")
    paused = page.evaluate("document.querySelector('.mgx-step-now').id")
    page.click(".mgx-vplay [data-play=next]")
    assert page.evaluate("document.querySelector('.mgx-step-now').id") != paused
    screenshot(page, "values-one-step-slowly")
    page.keyboard.press("Escape")
    assert page.locator(".mgx-step-now").count() == 0
    assert page.evaluate("""() => [...document.querySelectorAll('.mgx-val')].every(v => getComputedStyle(v).visibility === 'visible')""")
    watch.assert_clean()


def in_view(page, selector):
    return page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight; }""", selector)


def test_after_a_run_one_click_shows_that_models_values(open_page, site_url):
    """Values off, train in the page, then the trainer's button: Values on, on the run's weights."""
    page, watch = open_page(site_url + "explorer/")
    page.wait_for_selector("html.mgx-ready")
    page.evaluate("document.querySelector('[data-mgt-trainer]').scrollIntoView()")
    page.wait_for_function("document.querySelector('[data-mgt-trainer]').mgtPanel !== undefined", timeout=30000)
    page.check("[data-mgt-trainer] input[name=impl][value=matrix]")
    page.fill("#mgt-steps", "30")
    page.click("[data-mgt-trainer] [data-action=start]")
    page.wait_for_selector("[data-mgt-trainer] .mgt-show-values:not([hidden])", timeout=120000)
    page.click("[data-mgt-trainer] .mgt-show-values")
    wait_status(page, "“emma”", "your training run (30 steps)")
    assert page.get_attribute(".mgx-values-toggle", "aria-pressed") == "true"
    assert page.locator(".mgx-block[data-col=matrix] .mgx-val").count() > 40
    watch.assert_clean()
