"""Live-values budgets: the default trace JSON (target <= 150 KB gzip per view), tracing one word in CPython, from
switching Values on to the first values drawn in headless Chromium (cold, target <= 500 ms), that the explorer with
Values off fetches nothing new, and that tracing leaves training as fast as before (steps/s, side by side).

Usage: python bench/values.py [--runs N]   (builds the site into a temporary folder first)
"""
import argparse
import gzip
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

from microgpt import matrix, scalar, trace  # noqa: E402

NAMES = os.environ.get("MICROGPT_NAMES") or str(ROOT.parent / "shared" / "data" / "names.txt")


def json_sizes(site):
    for path in sorted((site / "assets" / "microgpt" / "values").glob("*.json")):
        raw = path.read_bytes()
        print(f"trace JSON {path.name}: {len(raw) / 1024:.1f} KB, {len(gzip.compress(raw, 9)) / 1024:.1f} KB gzip (budget 150)")


def trace_seconds(runs):
    for model in (matrix, scalar):
        docs, chars, weights = model.setup(model.load_docs(NAMES), 42)
        times = []
        for _ in range(runs):
            w = {k: [list(r) for r in m] for k, m in weights.items()} if model is matrix else model.setup(docs, 42)[2]
            start = time.perf_counter()
            trace.trace(model, w, chars, "emma")
            times.append(time.perf_counter() - start)
        print(f"trace 'emma' in CPython, {model.__name__}: median {statistics.median(times):.2f} s over {runs}")


def training_unchanged(runs):
    """Steps/s of an untraced run, then of a run right after a trace, alternating: the tracer must leave nothing on."""
    for model, steps in ((matrix, 100), (scalar, 5)):
        docs, chars, _ = model.setup(model.load_docs(NAMES), 42)
        rates = {"before a trace": [], "after a trace": []}
        for i in range(runs * 2):
            label = "after a trace" if i % 2 else "before a trace"
            docs, chars, w = model.setup(docs, 42)
            if label == "after a trace":
                trace.trace(model, model.setup(docs, 42)[2], chars, "emma")
            start = time.perf_counter()
            for _ in model.train(w, docs, chars, steps):
                pass
            rates[label].append(steps / (time.perf_counter() - start))
        print(f"training {model.__name__}: " + ", ".join(f"{k} {statistics.median(v):.1f} steps/s" for k, v in rates.items()))


def browser(site, runs):
    from playwright.sync_api import sync_playwright
    url, server = serve(site)
    times, off_requests = [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for _ in range(runs):
            ctx = b.new_context(viewport={"width": 1440, "height": 900})
            page = ctx.new_page()
            seen = []
            page.on("request", lambda r: seen.append(r.url))
            page.goto(url + "explorer/")
            page.wait_for_selector("html.mgx-ready")
            page.wait_for_load_state("networkidle")
            off_requests.append(sum("/values/" in u for u in seen))
            ms = page.evaluate("""() => new Promise(resolve => {
                const start = performance.now();
                document.querySelector('.mgx-values-toggle').click();
                const check = () => document.querySelector('.mgx-val') ? resolve(performance.now() - start) : requestAnimationFrame(check);
                check();
            })""")
            times.append(ms)
            ctx.close()
        cold, warm = page_tracing(b, url, runs)
        b.close()
    server.shutdown()
    print(f"Values off: {max(off_requests)} requests for trace JSON (budget 0)")
    print(f"tracing a word in the page (both files, the runtime warm): median {statistics.median(warm):.2f} s over "
          f"{len(warm)} words (budget 0.5 s matrix + 3 s scalar); the first, with the 16 MB runtime cold: {cold:.1f} s")
    print(f"Values on -> first value drawn (cold, local server): median {statistics.median(times):.0f} ms over {runs} "
          f"(budget 500)")


def page_tracing(browser, url, runs):
    """Seconds from Enter in the word field to the values drawn: the first word loads the runtime, then warm."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    page = ctx.new_page()
    page.goto(url + "explorer/?values")
    page.wait_for_selector(".mgx-val")
    times = []
    for word in ["olivia", "ava", "isabella", "sophia", "mia"][:runs + 1]:
        page.fill(".mgx-vform input[name=word]", word)
        start = time.perf_counter()
        page.press(".mgx-vform input[name=word]", "Enter")
        page.wait_for_function(f"document.querySelector('.mgx-vstatus').textContent.startsWith('') && "
                               f"document.querySelector('.mgx-vstatus').textContent.includes('\u201c{word}\u201d initial')",
                               timeout=180000, polling=20)
        times.append(time.perf_counter() - start)
        status = page.inner_text(".mgx-vstatus")
        split = re.search(r"traced here in ([\d.]+) s \(matrix.py\), ([\d.]+) s \(scalar.py\)", status)
        if split and word != "olivia":
            print(f"  in the page, warm, '{word}': matrix.py {split[1]} s (budget 0.5), scalar.py {split[2]} s (budget 3)")
    ctx.close()
    return times[0], times[1:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = pathlib.Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT, check=True)
        json_sizes(site)
        browser(site, args.runs)
    trace_seconds(args.runs)
    training_unchanged(args.runs)


if __name__ == "__main__":
    main()
