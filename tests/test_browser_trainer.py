"""The in-page trainer in headless Chromium, on the built site served from 127.0.0.1.

Matrix training runs in a Pyodide Web Worker: the progress bar and loss curve advance and samples appear, Stop
takes effect within a second and Start works again, the main thread keeps ticking, bad inputs are rejected
before anything is downloaded, the integrity check passes, a silent worker is reported and can be restarted,
and no request leaves 127.0.0.1. Screenshots land in test-artifacts/ (look at them).
"""
import time


from conftest import screenshot

ROOT = "[data-mgt-trainer]"
TICKER = """() => {  // a main-thread timer: if the page froze, its ticks would stall
  window.__ticks = []; window.__ticker = setInterval(() => window.__ticks.push(performance.now()), 50);
}"""
TICK_GAPS = """() => { clearInterval(window.__ticker); const t = window.__ticks;
  const gaps = t.slice(1).map((x, i) => x - t[i]).sort((a, b) => a - b);
  return {count: t.length, maxGap: gaps.at(-1), median: gaps[gaps.length >> 1], span: t.at(-1) - t[0]}; }"""


def data(page):
    return page.evaluate(f"({{...document.querySelector('{ROOT}').dataset}})")


def wait_for(page, condition, timeout=90):
    page.wait_for_function(f"(() => {{ const d = document.querySelector('{ROOT}').dataset; return {condition}; }})()",
                           timeout=timeout * 1000, polling=50)


def open_trainer(page, site_url, runtime_requests=None):
    if runtime_requests is not None:
        page.on("request", lambda r: "/runtime/" in r.url and runtime_requests.append(r.url))
    page.goto(site_url + "explorer/#train")
    page.wait_for_selector(f"{ROOT} .mgt-form")
    page.wait_for_function(f"document.querySelector('{ROOT}').mgtPanel !== undefined")


def show_panel(page):
    page.evaluate(f"window.scrollTo(0, document.querySelector('{ROOT}').getBoundingClientRect().top + scrollY - 56)")


def start(page, steps, impl="matrix"):
    page.check(f"{ROOT} input[name=impl][value={impl}]")
    page.fill("#mgt-steps", str(steps))
    page.click(f"{ROOT} [data-action=start]")


def test_trainer_code_loads_only_when_the_reader_heads_for_it(watched_page, site_url):
    page, watch = watched_page
    assets = []
    page.on("request", lambda r: "/assets/microgpt/trainer" in r.url and assets.append(r.url.rsplit("/", 1)[-1]))
    page.goto(site_url + "explorer/")
    page.wait_for_timeout(800)
    assert assets == [], f"a reader at the top of the explorer downloaded {assets}"
    assert page.evaluate(f"document.querySelector('{ROOT}').mgtPanel === undefined")
    page.evaluate("location.hash = '#train'")  # e.g. the "train it" link
    page.wait_for_function(f"document.querySelector('{ROOT}').mgtPanel !== undefined")
    assert {"trainer.js", "trainer.css", "trainer-chart.js", "trainer-input.js"} <= set(assets)
    page.wait_for_function("getComputedStyle(document.querySelector('.mgt-layout')).display === 'grid'")
    # scrolling down to the panel loads it too, and Start pressed at once is not lost
    page.goto(site_url + "explorer/")
    page.evaluate(f"document.querySelector('{ROOT}').scrollIntoView()")
    page.wait_for_function(f"document.querySelector('{ROOT}').mgtPanel !== undefined")
    page.goto(site_url + "explorer/")
    page.evaluate(f"document.querySelector('{ROOT} [data-action=start]').click()")
    wait_for(page, "d.state && d.state !== 'idle'", timeout=30)
    watch.assert_clean()


def test_matrix_training_advances_and_samples(watched_page, site_url):
    page, watch = watched_page
    runtime_requests = []
    open_trainer(page, site_url, runtime_requests)
    page.wait_for_timeout(500)
    assert runtime_requests == [], "the runtime must not download before the first Start"
    page.evaluate(TICKER)
    start(page, 200)
    assert page.locator(f"{ROOT} .mgt-status").inner_text().strip()  # loading progress is shown
    wait_for(page, "+d.done >= 20")
    first = int(data(page)["done"])
    assert page.locator(f"{ROOT} .mgt-progress progress").evaluate("b => b.value / b.max") > 0
    assert "/ 200" in page.locator(f"{ROOT} .mgt-progress-text").inner_text()
    path_len = lambda: page.evaluate(f"document.querySelector('{ROOT} .mgt-avg')?.getAttribute('d').length ?? 0")
    curve = path_len()
    assert curve > 0, "the loss curve is drawn"
    wait_for(page, "+d.done >= 60")
    show_panel(page)
    screenshot(page, "trainer-mid-training")
    assert int(data(page)["done"]) > first and path_len() > curve, "progress and curve advance"
    assert page.locator(f"{ROOT} .mgt-doc").inner_text().strip(), "the current step's document is shown"
    page.wait_for_function(f"document.querySelector('{ROOT} .mgt-peek').textContent.length > 0", timeout=60000)
    wait_for(page, "d.state === 'idle' && +d.done === 200")
    ticks = page.evaluate(TICK_GAPS)
    names = page.locator(f"{ROOT} .mgt-names li").all_inner_texts()
    assert len(names) == 20 and any(n.strip() not in ("", "∅") for n in names)
    assert data(page)["integrity"] == "ok"
    assert "exactly the code" in page.locator(f"{ROOT} .mgt-integrity").inner_text()
    show_panel(page)
    screenshot(page, "trainer-after-training")
    # the main thread stayed responsive: the 50 ms timer kept ticking all along. Python on the main thread would
    # stall it for the whole run (many seconds); the bounds leave room for a busy 2-core CI machine's scheduling.
    # Measured on an idle machine: median 50 ms, max 111 ms; with the whole suite and other jobs running: max 1.5 s.
    print(f"main-thread timer during loading and training: {ticks}")
    assert ticks["median"] < 100 and ticks["maxGap"] < 2500, f"the main thread stalled: {ticks}"
    assert ticks["count"] >= 0.4 * ticks["span"] / 50, ticks
    page.click(f"{ROOT} [data-action=sample]")
    page.wait_for_function(f"[...document.querySelectorAll('{ROOT} .mgt-names li')].map(l => l.textContent).join() !== {names!r}.join()",
                           timeout=30000)
    watch.assert_clean()


def test_stop_within_a_second_then_start_again(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    start(page, 5000)
    wait_for(page, "+d.done >= 30")
    clicked = time.monotonic()
    page.click(f"{ROOT} [data-action=stop]")
    wait_for(page, "d.state !== 'running' && d.state !== 'stopping'", timeout=5)  # then it draws the final samples
    elapsed = time.monotonic() - clicked
    assert elapsed < 1.0, f"Stop took {elapsed:.2f} s"
    stopped_at = int(data(page)["done"])
    assert stopped_at < 5000
    assert "Stopped at step" in page.locator(f"{ROOT} .mgt-status").inner_text()
    wait_for(page, "d.state === 'idle'", timeout=30)
    assert "stopped at step" in page.locator(f"{ROOT} .mgt-final-note").inner_text()
    page.wait_for_timeout(500)
    assert int(data(page)["done"]) == stopped_at, "no step after Stop"
    start(page, 50)  # the same worker, warm
    wait_for(page, "d.state === 'idle' && +d.done === 50", timeout=60)
    assert page.locator(f"{ROOT} .mgt-key").count() == 2, "both runs stay on the chart"
    watch.assert_clean()


BAD_INPUTS = [
    ("steps", "abc", "is not a number"), ("steps", "-5", "at least 1"), ("steps", "0", "at least 1"),
    ("steps", "1e9", "at most 20,000"), ("steps", "2.5", "whole number"), ("steps", "", "required"),
    ("lr", "1e6", "at most 0.1"), ("lr", "1", "at most 0.1"), ("lr", "0", "at least 0.00001"), ("lr", "-0.01", "at least 0.00001"),
    ("lr", "0.01.2", "is not a number"), ("seed", "4.2", "whole number"), ("seed", "1e30", "too large"),
    ("temperature", "0", "at least 0.01"), ("temperature", "5e-324", "at least 0.01"), ("temperature", "1e6", "at most 5"), ("samples", "0", "at least 1"),
    ("samples", "1e9", "at most 100"), ("samples", "NaN", "is not a number"),
]


def test_invalid_inputs_are_rejected_with_messages(watched_page, site_url):
    page, watch = watched_page
    runtime_requests = []
    open_trainer(page, site_url, runtime_requests)
    for field, value, message in BAD_INPUTS:
        page.click(f"{ROOT} [data-action=reset]")
        page.fill(f"#mgt-{field}", value)
        page.click(f"{ROOT} [data-action=start]")
        shown = page.locator(f"#mgt-{field}-msg").inner_text()
        assert message in shown, f"{field}={value!r}: message {shown!r}"
        assert page.get_attribute(f"#mgt-{field}", "aria-invalid") == "true"
        assert data(page)["state"] != "running"
    page.click(f"{ROOT} [data-action=reset]")
    page.check(f"{ROOT} input[name=data][value=own]")
    for words, message in [("ab\ncd\n", "at least 5"), ("a\nb\nc\nd\n" + "x" * 40, "longer than 32"),
                           ("a\nb\nc\nd\ne\u0007f", "control")]:
        page.fill("#mgt-words", words)
        page.click(f"{ROOT} [data-action=start]")
        assert message in page.locator("#mgt-words-msg").inner_text()
    page.fill("#mgt-steps", "-1")
    show_panel(page)
    screenshot(page, "trainer-invalid-inputs")
    assert runtime_requests == [], "nothing is downloaded or sent to a worker while inputs are invalid"
    assert "Fix the" in page.locator(f"{ROOT} .mgt-status").inner_text()
    watch.assert_clean()


def test_own_words_train_and_a_silent_worker_can_be_restarted(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    page.check(f"{ROOT} input[name=data][value=own]")
    page.fill("#mgt-words", "\n".join(["apple", "banana", "cherry", "damson", "elder", "fig", "grape", "kiwi"]))
    page.fill("#mgt-samples", "5")
    start(page, 40)
    wait_for(page, "d.state === 'idle' && +d.done === 40")
    names = page.locator(f"{ROOT} .mgt-names li").all_inner_texts()
    assert len(names) == 5 and set("".join(names)) <= set("abcdefghiklmnprwy∅")
    assert "your words" in page.locator(f"{ROOT} .mgt-legend").inner_text()
    # a hung worker: it goes silent mid-run; the watchdog reports it, the chart stays, Restart brings a new one
    start(page, 5000)
    wait_for(page, "+d.done >= 45")
    page.evaluate(f"""() => {{ const p = document.querySelector('{ROOT}').mgtPanel;
        p.runtime.worker.terminate(); p.runtime.lastHeard -= 60000; p.stateSince -= 60000; }}""")
    wait_for(page, "d.state === 'dead'", timeout=5)
    status = page.locator(f"{ROOT} .mgt-status")
    assert "stopped answering" in status.inner_text()
    assert page.locator(f"{ROOT} .mgt-key").count() == 2
    show_panel(page)
    screenshot(page, "trainer-worker-lost")
    page.click(f"{ROOT} .mgt-status [data-action=restart]")
    start(page, 30)
    wait_for(page, "d.state === 'idle' && +d.done === 30", timeout=90)
    assert page.locator(f"{ROOT} .mgt-key").count() == 3
    watch.assert_clean()


def test_integrity_mismatch_is_shown_loudly(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    page.evaluate("""() => { const el = document.getElementById('microgpt-sources'); const s = JSON.parse(el.textContent);
        s.matrix.sha256 = '0'.repeat(64); el.textContent = JSON.stringify(s); }""")  # as if the page were stale
    start(page, 5)
    wait_for(page, "d.state === 'idle' && +d.done === 5")
    assert data(page)["integrity"] == "mismatch"
    box = page.locator(f"{ROOT} .mgt-integrity")
    assert "FAILED" in box.inner_text() and "microgpt/matrix.py" in box.inner_text()
    show_panel(page)
    screenshot(page, "trainer-integrity-mismatch")
    watch.assert_clean()


def test_tampered_wheel_fails_loudly_and_restart_is_offered(watched_page, site_url):
    page, watch = watched_page
    page.route("**/runtime/pyodide/microgpt-*.whl",  # served with other bytes: the lock's sha256 no longer matches
               lambda route: route.fulfill(status=200, body=b"PK\x05\x06" + b"\0" * 18, content_type="application/octet-stream"))
    open_trainer(page, site_url)
    start(page, 5)
    wait_for(page, "d.state === 'dead'", timeout=120)
    status = page.locator(f"{ROOT} .mgt-status").inner_text()
    assert "could not be loaded" in status and "microgpt" in status, status
    assert page.locator(f"{ROOT} .mgt-status [data-action=restart]").count() == 1
    assert not watch.foreign_requests, "a failed package must not be fetched from a CDN instead"


def test_leaving_mid_run_asks_first_and_idle_does_not(watched_page, site_url):
    page, watch = watched_page
    open_trainer(page, site_url)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))  # dismiss = stay on the page
    page.evaluate("() => { window.__stillHere = true; }")
    start(page, 5000)  # the click is also the user activation Chromium requires before it asks
    wait_for(page, "+d.done >= 5")
    page.evaluate("() => setTimeout(() => { location.href = '../'; }, 0)")
    deadline = time.monotonic() + 5
    while not dialogs and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert dialogs == ["beforeunload"], f"leaving mid-run showed {dialogs}"
    assert page.evaluate("window.__stillHere === true"), "the page left although the reader chose to stay"
    page.click(f"{ROOT} [data-action=stop]")
    wait_for(page, "d.state === 'idle'", timeout=30)
    page.goto(site_url)  # idle: leaves without asking
    assert dialogs == ["beforeunload"]
    watch.assert_clean()
