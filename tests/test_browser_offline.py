"""Return visits and offline, as a reader meets them: one visit with the site's service worker (sw.js) and one
training run; then, with the network off, the explorer and a page never opened still load, and Start trains from
the cached runtime; Clear cached runtime empties it; a new build's sw.js has another version. A first visit never starts Python (nor
downloads the runtime) before Start; a return visit starts it from the cache as the trainer appears."""
import json
import re

from conftest import ROOT, screenshot
from test_browser_trainer import ROOT as PANEL, data, wait_for


def test_after_one_visit_the_site_and_the_trainer_work_offline(browser, site_url, site_dir):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, service_workers="allow")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "explorer/#train")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60000)  # installed, caches filled, claimed
    page.wait_for_function(f"document.querySelector('{PANEL}').mgtPanel !== undefined")
    page.check(f"{PANEL} input[name=impl][value=matrix]")
    page.fill("#mgt-steps", "20")
    page.click(f"{PANEL} [data-action=start]")
    wait_for(page, "d.state === 'idle' && +d.done === 20", timeout=120)
    runtime = page.evaluate("""async () => { const keys = await caches.keys();
        const k = keys.find(k => k.startsWith('microgpt-runtime-')); if (!k) return [];
        return (await (await caches.open(k)).keys()).map(r => r.url.split('/runtime/')[1]); }""")
    assert {"runtime.json", "names.txt"} <= set(runtime) and any(u.endswith(".whl") for u in runtime), runtime

    context.set_offline(True)
    glossary = context.new_page()  # a page this reader never opened
    glossary.goto(site_url + "glossary/")
    assert "Glossary" in glossary.title()
    offline = context.new_page()
    offline.goto(site_url + "explorer/#train")
    offline.wait_for_selector("html.mgx-ready")
    offline.wait_for_function(f"document.querySelector('{PANEL}').mgtPanel !== undefined")
    # the whole runtime is cached: the panel starts Python from the cache as it appears, so Start only trains
    wait_for(offline, "d.prewarm === 'ready'", timeout=120)
    assert data(offline)["state"] == "idle"  # nothing shown as busy: the reader has not asked for anything yet
    offline.check(f"{PANEL} input[name=impl][value=matrix]")
    offline.fill("#mgt-steps", "10")
    offline.click(f"{PANEL} [data-action=start]")
    wait_for(offline, "d.state === 'idle' && +d.done === 10", timeout=120)
    stages = json.loads(data(offline)["firstLossStages"])
    assert set(stages) == {"started", "firstLoss"}, stages  # no loading stage after Start (timed in bench/browser_training.py)
    assert data(offline)["integrity"] == "ok"  # the cached files are the ones the page hashes
    screenshot(offline, "trainer-offline-return-visit")
    offline.click(f"{PANEL} [data-action=uncache]")
    offline.wait_for_function(f"document.querySelector('{PANEL} .mgt-status').textContent.includes('cleared')")
    assert not offline.evaluate("caches.keys().then(k => k.filter(x => x.startsWith('microgpt-runtime-')))")
    assert not errors, errors
    context.close()


def test_a_first_visit_downloads_no_runtime_before_start(browser, site_url):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, service_workers="allow")
    page = context.new_page()
    fetched = []
    page.on("request", lambda r: "/runtime/" in r.url and fetched.append(r.url))
    page.goto(site_url + "explorer/")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60000)  # the cache check really runs
    page.goto(site_url + "explorer/#train")
    wait_for(page, "d.prewarm !== undefined", timeout=30)
    assert data(page)["prewarm"] == "not cached"
    page.wait_for_timeout(500)
    assert fetched == [], f"a first-time visitor downloaded {fetched} without pressing Start"
    context.close()


def test_the_service_worker_is_versioned_by_the_build(site_dir):
    sw = (site_dir / "sw.js").read_text()
    version = re.search(r'const VERSION = "([0-9a-f]{16})"', sw)[1]
    pages = re.search(r"const PAGES = (\[.*?\]);", sw)[1]
    assert '"./"' in pages and '"glossary/"' in pages and "runtime/" not in pages
    from site_builder import offline
    import shutil, tempfile, pathlib
    with tempfile.TemporaryDirectory() as tmp:
        copy = pathlib.Path(tmp) / "site"
        shutil.copytree(site_dir, copy, ignore=shutil.ignore_patterns("runtime"))
        (copy / "glossary" / "index.html").write_text("changed")
        offline.write_service_worker(copy)
        assert re.search(r'const VERSION = "([0-9a-f]{16})"', (copy / "sw.js").read_text())[1] != version
