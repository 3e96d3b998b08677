"""Bench: the in-page trainer in headless Chromium against the same code in CPython, measured in the same run.

Reports the time from Start to the first loss point (cold: fresh browser profile, nothing cached; warm: the
worker already loaded), in-browser steps/s of each implementation (the worker's own clock around the training
steps, and the wall clock from Start to done), the same steps/s in CPython, and the ratio.
Targets (issue 4): first loss point < 5 s cold; in-browser speed >= 0.7x CPython for both; matrix 1000 steps < 10 s.
Issue 12: a second visit with the network off, Train -> first loss <= 1 s (the panel starts Python from the cached
runtime as it appears, so Train only trains); where each Start's time went is printed in ms after Train.

    .venv/bin/python bench/browser_training.py [--site DIR] [--scalar-steps 100] [--json PATH]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402  (the tests' server and browser flags)

from microgpt import matrix, scalar  # noqa: E402

PANEL = "[data-mgt-trainer]"


def cpython_steps_per_sec(model, steps, names):
    """The same seeding and training as main() and the worker, timed around the training steps only."""
    docs, chars, weights = model.setup(model.load_docs(names), 42)
    start = time.perf_counter()
    for _ in model.train(weights, docs, chars, steps, 0.01):
        pass
    return steps / (time.perf_counter() - start)


def browser_run(page, impl, steps):
    """Start a run in the panel; return the panel's figures once it is done, plus the wall clock."""
    page.check(f"{PANEL} input[name=impl][value={impl}]")
    page.fill("#mgt-steps", str(steps))
    page.fill("#mgt-samples", "5")
    start = time.perf_counter()
    page.click(f"{PANEL} [data-action=start]")
    page.wait_for_function(f"(() => {{ const d = document.querySelector('{PANEL}').dataset;"
                           f" return d.state === 'idle' && +d.done === {steps}; }})()", timeout=900_000, polling=50)
    wall = time.perf_counter() - start
    d = page.evaluate(f"({{...document.querySelector('{PANEL}').dataset}})")
    return {"impl": impl, "steps": steps, "first_loss_s": int(d["firstLossMs"]) / 1000, "wall_s": wall,
            "steps_per_sec": float(d["stepsPerSec"]), "load_s": int(d.get("loadMs", 0)) / 1000,
            "load_stages_ms": json.loads(d.get("loadStages", "{}")),
            "first_loss_stages_ms": json.loads(d.get("firstLossStages", "{}"))}


def offline_return_visit(browser, url):
    """A first visit with the service worker trains 20 steps (the runtime gets cached); then, network off, new pages:
    one where the reader presses Train once the panel has started Python from the cache (its prewarm: a reader
    opens the trainer, then chooses settings), one where Train is pressed the moment the panel appears."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, service_workers="allow")
    page = context.new_page()
    page.goto(url + "explorer/#train")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120_000)
    page.wait_for_function(f"document.querySelector('{PANEL}')?.mgtPanel !== undefined")
    browser_run(page, "matrix", 20)
    context.set_offline(True)
    results = {}
    for when in ("prewarmed", "at_once"):
        again = context.new_page()
        again.goto(url + "explorer/#train")
        again.wait_for_function(f"document.querySelector('{PANEL}')?.mgtPanel !== undefined")
        if when == "prewarmed":
            again.wait_for_function(f"document.querySelector('{PANEL}').dataset.prewarm === 'ready'", timeout=120_000)
        results[when] = browser_run(again, "matrix", 20)
        again.close()
    context.close()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="a built site (default: build one with mkdocs into a temporary folder)")
    parser.add_argument("--matrix-steps", type=int, default=1000)
    parser.add_argument("--scalar-steps", type=int, default=100)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if not site:
            site = tmp
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", site],
                           cwd=ROOT, check=True)
        names = str(pathlib.Path(site) / "runtime" / "names.txt")  # the very file the browser trains on
        url, server = serve(site)
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1440, "height": 900})  # fresh profile: a cold cache
            page = context.new_page()
            page.goto(url + "explorer/#train")
            page.wait_for_function(f"document.querySelector('{PANEL}')?.mgtPanel !== undefined")
            cold = browser_run(page, "matrix", args.matrix_steps)
            warm = browser_run(page, "matrix", args.matrix_steps)
            scalar_run = browser_run(page, "scalar", args.scalar_steps)
            offline = offline_return_visit(browser, url)
            browser.close()
        server.shutdown()
        # CPython, same machine, same run, same steps and data, once the browser is closed
        cpy_matrix = cpython_steps_per_sec(matrix, args.matrix_steps, names)
        cpy_scalar = cpython_steps_per_sec(scalar, args.scalar_steps, names)
    figures = {
        "first_loss_cold_s": cold["first_loss_s"], "pyodide_load_cold_s": cold["load_s"],
        "load_stages_cold_ms": cold["load_stages_ms"],
        "first_loss_warm_s": warm["first_loss_s"], "first_loss_offline_return_s": offline["prewarmed"]["first_loss_s"],
        "first_loss_offline_return_at_once_s": offline["at_once"]["first_loss_s"],
        "first_loss_stages_offline_return_ms": {k: v["first_loss_stages_ms"] for k, v in offline.items()},
        "matrix_browser_steps_per_sec": warm["steps_per_sec"], "matrix_cpython_steps_per_sec": cpy_matrix,
        "matrix_ratio": warm["steps_per_sec"] / cpy_matrix,
        "matrix_1000_wall_s_warm": warm["wall_s"] * 1000 / args.matrix_steps,
        "matrix_1000_wall_s_cold": cold["wall_s"] * 1000 / args.matrix_steps,
        "scalar_browser_steps_per_sec": scalar_run["steps_per_sec"], "scalar_cpython_steps_per_sec": cpy_scalar,
        "scalar_ratio": scalar_run["steps_per_sec"] / cpy_scalar,
    }
    targets = [("first loss point, cold", figures["first_loss_cold_s"], "s", "< 5", figures["first_loss_cold_s"] < 5),
               ("first loss point, warm", figures["first_loss_warm_s"], "s", "", True),
               ("first loss, 2nd visit offline", figures["first_loss_offline_return_s"], "s", "<= 1",
                figures["first_loss_offline_return_s"] <= 1),
               ("  same, Train at once", figures["first_loss_offline_return_at_once_s"], "s", "", True),
               ("matrix, browser / CPython", figures["matrix_ratio"], "x", ">= 0.7", figures["matrix_ratio"] >= 0.7),
               ("scalar, browser / CPython", figures["scalar_ratio"], "x", ">= 0.7", figures["scalar_ratio"] >= 0.7),
               ("matrix 1000 steps, warm, wall", figures["matrix_1000_wall_s_warm"], "s", "< 10",
                figures["matrix_1000_wall_s_warm"] < 10)]
    print(f"browser training bench (headless chromium, {args.matrix_steps} matrix / {args.scalar_steps} scalar steps)")
    print(f"  pyodide load (cold)          {figures['pyodide_load_cold_s']:8.2f} s   stages (ms since init): "
          f"{figures['load_stages_cold_ms']}")
    for when, stages in figures["first_loss_stages_offline_return_ms"].items():
        print(f"  2nd visit offline, {when:9s}  ms after Train: {stages}")
    print(f"  matrix steps/s  browser {warm['steps_per_sec']:8.1f}   CPython {cpy_matrix:8.1f}")
    print(f"  scalar steps/s  browser {scalar_run['steps_per_sec']:8.2f}   CPython {cpy_scalar:8.2f}")
    for label, value, unit, target, ok in targets:
        print(f"  {label:30s} {value:8.2f} {unit:2s} {('target ' + target) if target else '':14s}"
              f" {'' if not target else 'ok' if ok else 'MISSED'}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
