"""Site budgets: how long the strict build takes, how many bytes of HTML + CSS + JS the explorer page needs before any
training (target <= 200 KB gzip-compressed, fonts excluded), how soon headless Chromium shows code, and how dense
the explorer is (concept area / tallest column's code, target <= 1.3 at 1440, 1920 and 2560 px wide).

Bytes are measured, not guessed: the page is loaded in Debian's Chromium from a local server that does not
compress, every response body is summed by resource type (the search worker and its index included), and nothing
the trainer would fetch on demand (Pyodide, the wheel, names.txt) is counted because no training is started.
Usage: python bench/site.py [--runs N]
"""
import argparse
import functools
import gzip
import html.parser
import http.server
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
BUDGET = 200 * 1024  # gzip-compressed: what a reader waits for
DENSITY_BUDGET = 1.3
DENSITY = (ROOT / "bench" / "explorer_density.js").read_text()
SIZES = [(1440, 900), (1920, 1080), (2560, 1440)]
FIRST_CODE = """() => new Promise(resolve => {  // the first frame in which a line of code is laid out
  const check = () => {
    const line = document.getElementById('scalar-L1');
    if (line && line.getBoundingClientRect().height > 0) resolve(performance.now());
    else requestAnimationFrame(check);
  };
  check();
})"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "application/javascript",
                      ".mjs": "application/javascript", ".wasm": "application/wasm", ".json": "application/json"}

    def log_message(self, *args):
        pass


class Parts(html.parser.HTMLParser):
    """Bytes of the explorer's HTML by part: the code blocks, the notes, the concept headings, and the rest."""
    PARTS = {"mgx-code": "code (three complete files, highlighted)", "mgx-noteblock": "annotations",
             "mgx-head": "concept headings and summaries", "mgt": "trainer panel (static form)"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, text):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.sizes, self.open, self.depth = defaultdict(int), None, 0
        self.feed(text)
        self.sizes["everything else (Material's header, nav, search; toolbar, rail)"] = len(text.encode()) - sum(self.sizes.values())

    def position(self):
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.open:
            self.depth += 1
            return
        part = next((p for p in (dict(attrs).get("class") or "").split() if p in self.PARTS), None)
        if part:
            self.open, self.depth, self.start = part, 1, self.position()

    def handle_endtag(self, tag):
        if self.open and tag not in self.VOID:
            self.depth -= 1
            if self.depth == 0:
                end = self.position() + len(f"</{tag}>")
                self.sizes[self.PARTS[self.open]] += len(self.text[self.start:end].encode())
                self.open = None


def build(site):
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                         cwd=ROOT, capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"build failed:\n{run.stdout}\n{run.stderr}")
    return time.perf_counter() - start


def measure(browser, url):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    sizes = []

    def on_response(response):
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            return
        sizes.append((response.request.resource_type, response.url, len(body), len(gzip.compress(body, 6))))

    context.on("response", on_response)
    page = context.new_page()
    page.add_init_script(f"window.__firstCode = ({FIRST_CODE})();")
    page.goto(url, wait_until="load")
    first_code = page.evaluate("window.__firstCode")
    fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
    page.wait_for_load_state("networkidle")
    context.close()
    return sizes, first_code, fcp


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = pathlib.Path(tmp) / "site"
        times = [build(site) for _ in range(args.runs)]
        print(f"site build (mkdocs build --strict): median {statistics.median(times):.2f} s over {args.runs} runs "
              f"({', '.join(f'{t:.2f}' for t in times)})")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/explorer/"
        parts = Parts((site / "explorer" / "index.html").read_text(encoding="utf-8")).sizes
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            runs = [measure(browser, url) for _ in range(args.runs)]
            densities = []
            for w, h in SIZES:
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(url, wait_until="load")
                page.wait_for_selector("html.mgx-ready")
                densities.append((w, h, page.evaluate(DENSITY)))
                page.close()
            browser.close()
        server.shutdown()
    sizes = runs[0][0]
    by_type = defaultdict(int)
    for kind, _, n, _z in sizes:
        by_type[kind] += n
    counted = {k: v for k, v in by_type.items() if k in ("document", "stylesheet", "script")}
    total = sum(counted.values())
    zipped = sum(z for kind, u, n, z in sizes if kind in counted and "/search/" not in u)
    print(f"explorer page, HTML + CSS + JS before any training: {zipped / 1024:.1f} KB gzip-compressed, search index "
          f"excluded (target <= {BUDGET // 1024} KB: {'met' if zipped <= BUDGET else 'NOT met'}); {total / 1024:.1f} KB uncompressed")
    for w, h, d in densities:
        print(f"density at {w}x{h}: concept area {d['area']:.0f} px / tallest column's code {d['tallest']:.0f} px = "
              f"{d['ratio']:.2f} (target <= {DENSITY_BUDGET}: {'met' if d['ratio'] <= DENSITY_BUDGET else 'NOT met'})")
    for kind, n in sorted(by_type.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:<11} {n / 1024:8.1f} KB{'' if kind in counted else '  (not counted)'}")
    theme = sum(n for kind, u, n, _z in sizes if kind in counted and "/assets/microgpt/" not in u and kind != "document")
    ours = sum(n for kind, u, n, _z in sizes if kind in counted and "/assets/microgpt/" in u)
    print(f"  of which Material's own CSS/JS {theme / 1024:.1f} KB, explorer + trainer CSS/JS {ours / 1024:.1f} KB, "
          f"the explorer's HTML {by_type['document'] / 1024:.1f} KB")
    for part, n in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"    explorer HTML: {part:<62} {n / 1024:6.1f} KB")
    print("  largest files:")
    for kind, u, n, _z in sorted(sizes, key=lambda s: -s[2])[:8]:
        print(f"    {n / 1024:7.1f} KB  {kind:<10} {u.split('/', 3)[-1]}")
    firsts = [r[1] for r in runs]
    fcps = [r[2] for r in runs if r[2] is not None]
    print(f"first render of code (headless Chromium, 1440x900): median {statistics.median(firsts):.0f} ms "
          f"after navigation start ({', '.join(f'{t:.0f}' for t in firsts)}); "
          f"first contentful paint median {statistics.median(fcps):.0f} ms")


if __name__ == "__main__":
    main()
