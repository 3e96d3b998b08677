"""Shared fixtures: the names file, the site built once per test session, a server on 127.0.0.1, and Chromium.

Browser tests use Debian's /usr/bin/chromium through Playwright (never `playwright install`). Every page
a test opens records console errors and any request that would leave 127.0.0.1; see `watched_page`.
"""
import functools
import http.server
import os
import pathlib
import subprocess
import sys
import threading

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAMES = ROOT.parent / "shared" / "data" / "names.txt"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def names_path():
    path = pathlib.Path(os.environ.get("MICROGPT_NAMES") or NAMES)
    if not path.exists():
        pytest.fail(f"names.txt not found at {path}: put ../shared/data/names.txt beside the repo or set MICROGPT_NAMES")
    return path


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    """The whole site, built once with `mkdocs build --strict` into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                         cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{run.stdout}\n{run.stderr}")
    out.joinpath(".build-log").write_text(run.stdout + run.stderr)
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "application/javascript", ".js": "application/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".whl": "application/octet-stream", ".zip": "application/zip"}

    def log_message(self, *args):
        pass


def serve(directory):
    """Serve `directory` on 127.0.0.1 at a free port in a background thread; returns (base URL, server)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server


@pytest.fixture(scope="session")
def site_url(site_dir):
    url, server = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        original = b.new_context

        def new_context(**options):  # the site's service worker only where a test asks for it (service_workers="allow"):
            options.setdefault("service_workers", "block")  # elsewhere routes and cold loads mean what they say
            return original(**options)
        b.new_context = new_context
        yield b
        b.close()


class Watch:
    """What a page did that a test may want to forbid: console errors, page errors, requests off 127.0.0.1."""

    def __init__(self):
        self.console_errors, self.foreign_requests = [], []

    def assert_clean(self):
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.foreign_requests, f"requests that left 127.0.0.1: {self.foreign_requests}"


@pytest.fixture
def watched_page(browser):
    """A fresh context and page (desktop size); yields (page, watch). Call watch.assert_clean() at the end."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    watch = Watch()

    def on_request(request):
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            watch.foreign_requests.append(request.url)

    context.on("request", on_request)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    yield page, watch
    context.close()


@pytest.fixture
def open_page(browser):
    """open_page(url, viewport=..., ready=False, **context options) -> (page, watch): a fresh watched context per
    page (console errors, requests off 127.0.0.1), loaded; with ready, once the explorer says html.mgx-ready."""
    contexts = []

    def opener(url, viewport=None, ready=False, **options):
        context = browser.new_context(viewport=viewport or {"width": 1440, "height": 900}, **options)
        contexts.append(context)
        watch = Watch()
        context.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
                   else watch.foreign_requests.append(r.url))
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
        page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
        page.goto(url)
        page.wait_for_load_state("load")
        if ready:
            page.wait_for_selector("html.mgx-ready", state="attached")
        return page, watch

    yield opener
    for context in contexts:
        context.close()


def screenshot(page, name):
    """Save a screenshot under test-artifacts/ (look at them: a test can't see what a person sees)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def frames(page, n=2):
    """Wait until the page (or frame) has drawn n more frames: what a scroll handler, an observer or a
    requestAnimationFrame callback needs to have run. State, not a guess at a duration."""
    page.evaluate("n => new Promise(done => { const next = k => (k ? requestAnimationFrame(() => next(k - 1)) : done()); next(n); })", n)


def settled(page):
    """The explorer is ready, the page has loaded, and its arrival at the #fragment after the load event has run."""
    page.wait_for_selector("html.mgx-ready", state="attached")
    page.wait_for_function("document.readyState === 'complete'")
    frames(page)
