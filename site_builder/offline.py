"""Offline and return visits: the service worker, written at the site's root after the build (site_builder/assets/
sw.template.js), listing every file of the site but the trainer's runtime, and versioned by the sha256 of
runtime.json and of those files, so a new build replaces the browser's caches.
"""
import hashlib
import json
import pathlib

TEMPLATE = pathlib.Path(__file__).resolve().parent / "assets" / "sw.template.js"
SKIP = ("runtime/", "sw.js", "assets/microgpt/sw.template.js", ".build-log")


def write_service_worker(site_dir):
    """site/sw.js; returns the number of files it precaches."""
    site = pathlib.Path(site_dir)
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    pages = [f for f in files if not f.startswith(SKIP) and not f.endswith(".gz")]
    digest = hashlib.sha256()
    runtime = site / "runtime" / "runtime.json"
    if runtime.exists():
        digest.update(runtime.read_bytes())
    for f in pages:
        digest.update(f.encode() + b"\0" + (site / f).read_bytes())
    urls = ["./" if f == "index.html" else f[:-len("index.html")] if f.endswith("/index.html") else f for f in pages]
    text = TEMPLATE.read_text(encoding="utf-8").replace("__VERSION__", digest.hexdigest()[:16]).replace(
        "__PAGES__", json.dumps(urls))
    (site / "sw.js").write_text(text, encoding="utf-8")
    return len(urls)
