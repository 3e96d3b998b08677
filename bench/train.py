"""Training speed of the two implementations in CPython, side by side: steps/s and peak memory.

Each variant trains from seed 42 in a fresh subprocess (so peak RSS is its own) and the table compares them.
"scalar, cyclic GC on" is scalar.py run the way a straightforward scalar-autograd microgpt runs, with
Python's cyclic garbage collector left on; it stands in for the reference (about 140 s per 1000 steps on
the development machines).
Usage: python bench/train.py [--steps 1000] [--data PATH]
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHILD = r"""
import gc, json, random, resource, sys, time, types
from microgpt import scalar, matrix
kind, steps, data = sys.argv[1], int(sys.argv[2]), sys.argv[3]
module = matrix if kind == "matrix" else scalar
if kind == "scalar-gc-on":
    scalar.gc = types.SimpleNamespace(isenabled=gc.isenabled, disable=lambda: None, enable=gc.enable)  # stays on
docs, chars, weights = module.setup(module.load_docs(data), 42)
start = time.perf_counter()
losses = [loss for _, loss, _ in module.train(weights, docs, chars, steps)]
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "last_loss": losses[-1]}))
"""
VARIANTS = [("matrix", "matrix.py"), ("scalar", "scalar.py"), ("scalar-gc-on", "scalar.py, cyclic GC on")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    default_data = os.environ.get("MICROGPT_NAMES", str(ROOT.parent / "shared" / "data" / "names.txt"))
    parser.add_argument("--data", default=default_data)
    args = parser.parse_args()
    results = {}
    for kind, label in VARIANTS:
        out = subprocess.run([sys.executable, "-c", CHILD, kind, str(args.steps), args.data], cwd=ROOT,
                             capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        results[kind] = json.loads(out.stdout)
        r = results[kind]
        print(f"  ran {label}: {r['seconds']:.1f} s", file=sys.stderr, flush=True)
    print(f"CPython {sys.version.split()[0]}, {args.steps} steps from seed 42")
    print(f"{'implementation':<26}{'s total':>9}{'ms/step':>9}{'steps/s':>9}{'peak MB':>9}{'last loss':>11}")
    for kind, label in VARIANTS:
        r = results[kind]
        print(f"{label:<26}{r['seconds']:>9.1f}{1000 * r['seconds'] / args.steps:>9.2f}"
              f"{args.steps / r['seconds']:>9.1f}{r['peak_mb']:>9.0f}{r['last_loss']:>11.6f}")
    m, s, g = (results[k]["seconds"] for k in ("matrix", "scalar", "scalar-gc-on"))
    print(f"matrix is {s / m:.1f}x faster per step than scalar (target >= 20x)")
    print(f"scalar is {g / s:.2f}x the speed of scalar with the cyclic GC on (target >= 1x)")


if __name__ == "__main__":
    main()
