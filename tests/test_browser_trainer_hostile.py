"""The trainer, tried as a hostile user would (issue 12, "Unbreakable"), in headless Chromium.

Each test uses the exact input the issue found: a runtime file missing or truncated (routed with page.route), lr 1
and temperature 5e-324 sent past the form, Reset and Stop during the first load, Reset mid-run, "Sample again"
after a restart or a failed run, a file that is not UTF-8, one over 1 MB, words of 17-32 characters, going
offline before the first Start. Every message must be one sentence without a traceback, and come within seconds.
Screenshots of the error states land in test-artifacts/ (desktop, phone, dark).
"""
import subprocess
import sys
import time

import pytest

from conftest import screenshot
from test_browser_trainer import ROOT, data, open_trainer, show_panel, start, wait_for

WHEEL = "**/runtime/pyodide/microgpt-*.whl"


def status(page):
    return page.locator(f"{ROOT} .mgt-status").inner_text()


def cut(length):  # a route handler serving the real file's first `length` bytes: a download cut short
    def handle(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.body()[:length])
    return handle


def missing(route):
    route.fulfill(status=404, body="not found")


def not_json(route):
    route.fulfill(status=200, body="{ this is not json", content_type="application/json")


RUNTIME_FAULTS = [  # (URL pattern, handler, what the reader must be told)
    ("**/runtime/pyodide/pyodide.asm.wasm", missing, "runtime/pyodide/pyodide.asm.wasm is missing from the site (HTTP 404)"),
    ("**/runtime/pyodide/pyodide.asm.wasm", cut(1_000_000), "runtime/pyodide/pyodide.asm.wasm arrived truncated (1,000,000 of"),
    (WHEEL, missing, "-py3-none-any.whl is missing from the site (HTTP 404)"),
    (WHEEL, cut(2000), "-py3-none-any.whl arrived truncated (2,000 of"),
    ("**/runtime/pyodide/python_stdlib.zip", missing, "runtime/pyodide/python_stdlib.zip is missing from the site (HTTP 404)"),
    ("**/runtime/runtime.json", not_json, "runtime/runtime.json is not valid JSON"),
    ("**/runtime/pyodide/pyodide-lock.json", not_json, "runtime/pyodide/pyodide-lock.json is not valid JSON"),
]


@pytest.mark.parametrize("pattern,handler,message", RUNTIME_FAULTS,
                         ids=["wasm-missing", "wasm-truncated", "wheel-missing", "wheel-truncated", "stdlib-missing",
                              "runtime-json-invalid", "lock-json-invalid"])
def test_a_broken_runtime_file_is_named_within_seconds(watched_page, site_url, pattern, handler, message, request):
    page, watch = watched_page
    page.route(pattern, handler)
    open_trainer(page, site_url)
    clicked = time.monotonic()
    start(page, 5)
    wait_for(page, "d.state === 'dead'", timeout=20)
    elapsed = time.monotonic() - clicked
    text = status(page)
    assert message in text, text
    assert "Traceback" not in text and "exit(1)" not in text and "stopped answering" not in text
    assert "the site needs rebuilding" in text or "reload the page" in text, "the sentence says what to do"
    assert elapsed < 10, f"the reader waited {elapsed:.1f} s for {message!r}"
    assert page.locator(f"{ROOT} .mgt-status [data-action=restart]").count() == 1
    assert not watch.foreign_requests, "nothing is fetched from a CDN instead"
    show_panel(page)
    screenshot(page, f"trainer-error-{request.node.callspec.id}")


def cli_divergence(names_path, lr):
    """What `python -m microgpt.matrix --lr <lr>` says (with the CLI's limit lifted so that it tries)."""
    code = ("import sys; from microgpt import matrix; matrix.LIMITS['--lr'] = (1e-5, 10)\n"
            f"matrix.main(['--lr', '{lr}', '--steps', '50', '--data', {str(names_path)!r}])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and run.stderr.startswith("microgpt: "), run.stderr
    return run.stderr.strip().removeprefix("microgpt: ")


def test_lr_1_reports_divergence_in_the_clis_words_not_a_traceback(watched_page, site_url, names_path):
    page, watch = watched_page
    open_trainer(page, site_url)
    start(page, 20)  # a good run first: its "Step 20 trained on …" must not stay up for the failing one
    wait_for(page, "d.state === 'idle' && +d.done === 20")
    assert page.locator(f"{ROOT} .mgt-live").is_visible()
    page.fill("#mgt-steps", "50")
    page.evaluate(f"document.querySelector('{ROOT}').mgtPanel.start({{lr: 1}})")  # the form refuses lr 1; the worker may not
    wait_for(page, "d.state === 'idle' && document.querySelectorAll('.mgt-key').length === 2", timeout=60)
    text = status(page).strip()
    assert text == cli_divergence(names_path, 1), text
    assert text.startswith("training diverged at step ") and "Traceback" not in text and "ValueError" not in text
    assert not page.locator(f"{ROOT} .mgt-live").is_visible(), "the previous run's step and document are gone"
    assert "(failed)" in page.locator(f"{ROOT} .mgt-key").nth(1).inner_text()
    # the failed run's model is gone: Sample again must not be offered for it or for the run before
    assert page.locator(f"{ROOT} [data-action=sample]").is_disabled()
    page.evaluate(f"document.querySelector('{ROOT}').mgtPanel.sampleAgain()")
    assert data(page)["state"] == "idle"
    show_panel(page)
    screenshot(page, "trainer-error-diverged")
    start(page, 10)  # the worker survived: it trains again
    wait_for(page, "d.state === 'idle' && +d.done === 10", timeout=60)
    watch.assert_clean()


def test_temperature_5e_324_is_one_sentence(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    page.fill("#mgt-steps", "5")
    page.evaluate(f"document.querySelector('{ROOT}').mgtPanel.start({{temperature: 5e-324}})")
    page.wait_for_selector(f"{ROOT} .mgt-status--error", timeout=60000)
    text = status(page)
    assert text.strip() == ("sampling failed at temperature 5e-324 (the probabilities became infinite): "
                            "try a temperature from 0.01 to 5."), text
    assert data(page)["state"] == "idle"
    watch.assert_clean()


def test_stop_and_reset_cancel_the_first_load(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    start(page, 7)
    wait_for(page, "d.state === 'loading'", timeout=5)
    assert page.locator(f"{ROOT} [data-action=stop]").is_enabled(), "Stop works during the first 16 MB load"
    page.click(f"{ROOT} [data-action=stop]")
    wait_for(page, "d.state === 'idle'", timeout=2)
    assert "Loading stopped" in status(page)
    assert page.evaluate(f"document.querySelector('{ROOT}').mgtPanel.runtime.worker === null"), "the download stops"
    start(page, 7)  # again, and this time Reset: the 7-step settings must not start later
    wait_for(page, "d.state === 'loading'", timeout=5)
    page.click(f"{ROOT} [data-action=reset]")
    wait_for(page, "d.state === 'idle'", timeout=2)
    start(page, 30)
    wait_for(page, "d.state === 'idle' && +d.done === 30", timeout=90)
    keys = page.locator(f"{ROOT} .mgt-key").all_inner_texts()
    assert len(keys) == 1 and "30 steps" in keys[0], keys
    watch.assert_clean()


def test_reset_mid_run_does_not_bring_the_stopped_run_back(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    start(page, 5000)
    wait_for(page, "+d.done >= 30")
    page.click(f"{ROOT} [data-action=reset]")
    wait_for(page, "d.state === 'idle'", timeout=2)
    assert page.locator(f"{ROOT} .mgt-key").count() == 0
    start(page, 20)  # the worker answers the old run's Stop (and draws its samples) before it starts this one
    wait_for(page, "d.state === 'idle' && +d.done === 20", timeout=60)
    keys = page.locator(f"{ROOT} .mgt-key").all_inner_texts()
    assert len(keys) == 1 and "20 steps" in keys[0], keys
    assert page.locator(f"{ROOT} .mgt-plot .mgt-run").count() == 1, "only the new run's line"
    new_id = keys[0].split()[0]
    assert f"from run {new_id} " in page.locator(f"{ROOT} .mgt-final-note").inner_text()
    watch.assert_clean()


def test_sample_again_after_a_restart_is_not_offered(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    start(page, 10)
    wait_for(page, "d.state === 'idle' && +d.done === 10")
    assert page.locator(f"{ROOT} [data-action=sample]").is_enabled()
    page.evaluate(f"document.querySelector('{ROOT}').mgtPanel.restart()")
    assert page.locator(f"{ROOT} [data-action=sample]").is_disabled(), "the new worker has no model to sample"
    page.evaluate(f"document.querySelector('{ROOT}').mgtPanel.sampleAgain()")
    assert data(page)["state"] == "idle"
    start(page, 10)
    wait_for(page, "d.state === 'idle' && +d.done === 10", timeout=60)
    page.click(f"{ROOT} [data-action=sample]")
    page.wait_for_function(f"document.querySelector('{ROOT} .mgt-status').textContent.includes('new samples')")
    keys = page.locator(f"{ROOT} .mgt-key").all_inner_texts()
    assert f"new samples from run {keys[-1].split()[0]}." in status(page), status(page)
    watch.assert_clean()


def test_uploads_that_are_not_utf8_or_over_1_mb_are_refused(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    page.check(f"{ROOT} input[name=data][value=own]")
    page.fill("#mgt-words", "apple\nbanana\ncherry\ndamson\nelder\n")
    upload = page.locator(f"{ROOT} input[type=file]")
    upload.set_input_files({"name": "latin1.txt", "mimeType": "text/plain", "buffer": "caf\xe9\nbob\nann\neve\nsue\n".encode("latin-1")})
    msg = page.locator("#mgt-words-msg")
    page.wait_for_function("document.querySelector('#mgt-words-msg').textContent.includes('UTF-8')")
    assert "latin1.txt is not UTF-8 text" in msg.inner_text()
    page.click(f"{ROOT} [data-action=start]")
    assert data(page)["state"] == "idle" and "Fix the field" in status(page), "the old words are not trained on silently"
    show_panel(page)
    screenshot(page, "trainer-error-not-utf8")
    big = ("x" * 20 + "\n").encode() * 55_000  # 1.16 MB
    upload.set_input_files({"name": "big.txt", "mimeType": "text/plain", "buffer": big})
    page.wait_for_function("document.querySelector('#mgt-words-msg').textContent.includes('big.txt')")
    assert "big.txt is 1.2 MB, more than 1 MB: it was not loaded" in msg.inner_text()
    assert page.get_attribute("#mgt-words", "aria-invalid") == "true"
    page.click(f"{ROOT} [data-action=start]")
    assert data(page)["state"] == "idle"
    page.fill("#mgt-words", "apple\nbanana\ncherry\ndamson\nelderberryelderberry\n")  # editing the words lifts the refusal
    assert "1 word is longer than 16 characters" in msg.inner_text()
    assert "learns only their first 16 characters" in msg.inner_text()
    assert page.get_attribute("#mgt-words", "aria-invalid") == "false"
    show_panel(page)
    screenshot(page, "trainer-note-long-words")
    start(page, 5)  # accepted, as the CLI accepts them
    wait_for(page, "d.state === 'idle' && +d.done === 5", timeout=90)
    watch.assert_clean()


def test_offline_at_first_start_says_so_and_retries_online(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    page.context.set_offline(True)
    start(page, 10)
    wait_for(page, "d.state === 'waiting'", timeout=10)
    text = status(page)
    assert "downloads from this site on first use" in text and "when the network is back" in text, text
    show_panel(page)
    screenshot(page, "trainer-error-offline")
    page.context.set_offline(False)
    wait_for(page, "d.state === 'idle' && +d.done === 10", timeout=90)
    watch.assert_clean()


INTERVAL_SPY = """() => { window.__live = new Set(); const set = setInterval, clear = clearInterval;
  window.setInterval = (...a) => { const id = set(...a); __live.add(id); return id; };
  window.clearInterval = (id) => { __live.delete(id); return clear(id); }; }"""


def test_a_panel_that_goes_clears_its_timers(watched_page, site_url):
    page, watch = watched_page
    page.add_init_script(f"({INTERVAL_SPY})()")
    open_trainer(page, site_url)
    panel_timers = page.evaluate(f"__live.has(document.querySelector('{ROOT}').mgtPanel.watchdogTimer)")
    assert panel_timers, "the watchdog interval is running"
    page.evaluate(f"window.__panel = document.querySelector('{ROOT}').mgtPanel; document.querySelector('#train').remove()")
    page.wait_for_function("!__live.has(__panel.watchdogTimer) && __panel.root.dataset.disposed === 'true'", timeout=5000)
    watch.assert_clean()


SCREENS = {"desktop": ({"width": 1440, "height": 900}, "light"), "phone": ({"width": 390, "height": 844}, "light"),
           "dark": ({"width": 1440, "height": 900}, "dark")}


@pytest.mark.parametrize("screen", SCREENS)
def test_error_states_on_every_screen(browser, site_url, screen):
    """Screenshots of each kind of message (a missing file, offline, a refused upload, divergence): look at them."""
    viewport, scheme = SCREENS[screen]
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    try:
        page = context.new_page()
        shoot = lambda name: (page.locator(f"{ROOT} .mgt-status:not([hidden]), #mgt-words-msg").last.scroll_into_view_if_needed(),
                              page.evaluate("scrollBy(0, 120)"), screenshot(page, f"trainer-{name}-{screen}"))
        page.route("**/runtime/pyodide/pyodide.asm.wasm", missing)
        open_trainer(page, site_url)
        start(page, 5)
        wait_for(page, "d.state === 'dead'", timeout=20)
        shoot("wasm-missing")
        page.unroute("**/runtime/pyodide/pyodide.asm.wasm")
        page.click(f"{ROOT} .mgt-status [data-action=restart]")
        context.set_offline(True)
        start(page, 5)
        wait_for(page, "d.state === 'waiting'", timeout=10)
        shoot("offline")
        context.set_offline(False)
        wait_for(page, "d.state === 'idle' && +d.done === 5", timeout=90)
        page.fill("#mgt-steps", "50")
        page.evaluate(f"document.querySelector('{ROOT}').mgtPanel.start({{lr: 1}})")
        wait_for(page, "d.state === 'idle' && document.querySelectorAll('.mgt-key').length === 2", timeout=60)
        assert "training diverged" in status(page)
        page.locator(f"{ROOT} .mgt-status").scroll_into_view_if_needed()
        screenshot(page, f"trainer-diverged-{screen}")
        page.check(f"{ROOT} input[name=data][value=own]")
        page.locator(f"{ROOT} input[type=file]").set_input_files(
            {"name": "latin1.txt", "mimeType": "text/plain", "buffer": "caf\xe9\n".encode("latin-1")})
        page.wait_for_function("document.querySelector('#mgt-words-msg').textContent.includes('UTF-8')")
        page.locator("#mgt-words").scroll_into_view_if_needed()
        screenshot(page, f"trainer-not-utf8-{screen}")
    finally:
        context.close()


def test_offline_before_the_trainers_code_loaded_then_online_starts(watched_page, site_url):
    page, watch = watched_page
    page.goto(site_url + "explorer/")  # the trainer's code is not loaded yet (the reader is at the top)
    page.wait_for_selector(f"{ROOT} .mgt-form")
    assert page.evaluate(f"document.querySelector('{ROOT}').mgtPanel === undefined")
    page.context.set_offline(True)
    page.fill("#mgt-steps", "5")
    page.evaluate(f"document.querySelector('{ROOT} [data-action=start]').click()")
    page.wait_for_function(f"document.querySelector('{ROOT} .mgt-status').textContent.includes('offline')", timeout=10000)
    assert "download from this site on first use" in status(page)
    page.context.set_offline(False)
    page.wait_for_function(f"document.querySelector('{ROOT}').mgtPanel !== undefined", timeout=10000)
    wait_for(page, "d.state === 'idle' && +d.done === 5", timeout=90)  # the Start pressed offline went ahead
    assert not watch.foreign_requests


def test_without_webassembly_the_build_s_recorded_run_is_shown(browser, site_url, site_dir):
    """No WebAssembly: Start says why and shows the recorded default run (its curve, legend and 20 samples),
    labelled as recorded, computed at build time by the CLI's code; nothing from the runtime is fetched."""
    import json as _json
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script("delete window.WebAssembly")
    page = context.new_page()
    fetched = []
    page.on("request", lambda r: "/runtime/" in r.url and fetched.append(r.url))
    page.goto(site_url + "explorer/#train")
    page.wait_for_function("document.querySelector('[data-mgt-trainer]').mgtPanel !== undefined", timeout=30000)
    page.click("[data-mgt-trainer] [data-action=start]")
    page.wait_for_function("document.querySelector('[data-mgt-trainer]').dataset.recorded === 'shown'", timeout=30000)
    status = page.inner_text("[data-mgt-trainer] .mgt-status")
    assert "cannot run WebAssembly" in status and "recorded run" in status
    rec = _json.loads((site_dir / "assets" / "microgpt" / "recorded-run.json").read_text())
    names = page.locator("[data-mgt-trainer] .mgt-names li").all_inner_texts()
    assert [n.strip() for n in names] == [s or "∅" for s in rec["samples"]] and len(names) == 20
    assert "recorded at build time" in page.inner_text("[data-mgt-trainer] .mgt-legend")
    assert "recorded at build time" in page.inner_text("[data-mgt-trainer] .mgt-final-note")
    assert not fetched
    page.evaluate("document.querySelector('[data-mgt-trainer]').scrollIntoView()")
    screenshot(page, "trainer-recorded-run")
    context.close()


WORKER = "**/assets/microgpt/worker.mjs"
OUT_OF_MEMORY = {  # appended to worker.mjs (its module scope): two ways a worker runs out of memory
    # mid-run, the wasm heap cannot grow: an uncaught RangeError, as the browser reports one (worker.onerror)
    "wasm-memory-mid-run": """
const postToPage = self.postMessage.bind(self);
let grown = false;
self.postMessage = (message) => {
  postToPage(message);
  if (message.type === "progress" && !grown) {
    grown = true;
    setTimeout(() => { throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded"); });
  }
};""",
    # Python's own MemoryError while starting a run (worker.mjs's failure() must call it fatal)
    "python-memoryerror": """
const handle = self.onmessage;
self.onmessage = (event) => {
  if (event.data.type !== "start") return handle(event);
  queue = queue.then(() => pyodide.runPython("raise MemoryError()")).catch((error) => post(failure(error, event.data)));
};""",
}


@pytest.mark.parametrize("how", list(OUT_OF_MEMORY))
def test_a_worker_out_of_memory_says_so_and_shows_the_recorded_run(browser, site_url, site_dir, how):
    """Issue 12, item 5: a worker killed for memory: the panel says so in one sentence (not "stopped answering",
    not "out of stack"), offers a restart, and shows the build's recorded run, labelled as recorded."""
    import json as _json
    context = browser.new_context(viewport={"width": 1440, "height": 900}, service_workers="block")  # the route sees worker.mjs
    page = context.new_page()

    def with_oom(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + "\n" + OUT_OF_MEMORY[how])
    page.route(WORKER, with_oom)
    open_trainer(page, site_url)
    start(page, 200)
    wait_for(page, "d.state === 'dead' && d.recorded === 'shown'", timeout=90)
    text = status(page)
    assert "ran out of memory" in text and "recorded run" in text, text
    assert "stopped answering" not in text and "out of stack" not in text and "Traceback" not in text
    assert page.locator(f"{ROOT} .mgt-status [data-action=restart]").count() == 1
    rec = _json.loads((site_dir / "assets" / "microgpt" / "recorded-run.json").read_text())
    names = [n.strip() for n in page.locator(f"{ROOT} .mgt-names li").all_inner_texts()]
    assert names == [s or "∅" for s in rec["samples"]]
    assert "recorded at build time" in page.inner_text(f"{ROOT} .mgt-legend")
    show_panel(page)
    screenshot(page, f"trainer-out-of-memory-{how}")
    page.click(f"{ROOT} .mgt-status [data-action=restart]")  # a new worker trains again (the route is gone)
    page.unroute(WORKER)
    start(page, 5)
    wait_for(page, "d.state === 'idle' && +d.done === 5", timeout=90)
    context.close()


def test_the_chart_draws_140000_losses(watched_page, site_url):
    """7 runs of 20,000 steps (what the page keeps): the chart once took Math.min(...all) and blanked; here it draws
    every run's line and its y ticks in the page itself (tests/node/chart.test.mjs checks the range alone)."""
    page, watch = watched_page
    open_trainer(page, site_url)
    page.evaluate(f"""() => {{ const chart = document.querySelector('{ROOT}').mgtPanel.chart;
        for (let r = 1; r <= 7; r++) {{
          chart.add({{ id: 1000 + r, label: `run ${{r}}`, impl: 'matrix', total: 20000, color: '#3367d6' }});
          chart.push(1000 + r, Array.from({{ length: 20000 }}, (_, i) => 3.3 - r * 0.1 - i / 20000));
        }} }}""")
    page.wait_for_function(f"document.querySelectorAll('{ROOT} .mgt-plot .mgt-run').length === 7")
    facts = page.evaluate(f"""() => ({{ paths: [...document.querySelectorAll('{ROOT} .mgt-plot .mgt-run path')]
                                          .map(p => (p.getAttribute('d') || '').length),
                                       ticks: [...document.querySelectorAll('{ROOT} .mgt-tick-y')].map(t => +t.textContent) }})""")
    assert len(facts["paths"]) >= 7 and min(facts["paths"]) > 100, facts["paths"]
    assert facts["ticks"] and min(facts["ticks"]) <= 2.6 and max(facts["ticks"]) >= 3.2, facts["ticks"]
    show_panel(page)
    screenshot(page, "trainer-chart-140000-losses")
    watch.assert_clean()
