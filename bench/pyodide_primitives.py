"""Bench: why matrix.py runs at under half its CPython speed in the page, while scalar.py keeps up.

Times the few operations the two implementations are made of, in CPython and in Pyodide (in Node: the same
WebAssembly interpreter the page runs), side by side in one run, and prints the Pyodide / CPython speed ratio of
each. matrix.py's time is mostly `math.sumprod` (dot products) and Adam's per-entry arithmetic; scalar.py's is
creating small objects and calling methods. `math.sumprod` rounds like an exact dot product by using fused
multiply-adds (`math.fma`), which WebAssembly lacks: in Pyodide each one is a software routine. The two other ways
to write a dot product in the standard library are timed too: neither is faster than sumprod in Pyodide.

    .venv/bin/python bench/pyodide_primitives.py
"""
import json
import pathlib
import shutil
import subprocess
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "node_modules" / "pyodide"

# Each case returns seconds per repetition (best of 5); the same text runs in both interpreters.
CASES = textwrap.dedent('''
    import json, math, random, time
    from operator import mul
    random.seed(1)
    def best(f, reps):
        f()
        times = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(reps):
                f()
            times.append((time.perf_counter() - start) / reps)
        return min(times)
    a16, b16 = [random.random() for _ in range(16)], [random.random() for _ in range(16)]
    a7, b7 = a16[:7], b16[:7]
    A = [[random.random() for _ in range(16)] for _ in range(8)]
    B = [[random.random() for _ in range(16)] for _ in range(64)]
    x, y, z = 1.1, 2.2, 3.3
    r = range(1000)
    W, G = ([[random.random() for _ in range(16)] for _ in range(262)] for _ in range(2))
    M, V = ([[0.0] * 16 for _ in range(262)] for _ in range(2))
    def adam():  # matrix.py's adam_step, on 4,192 parameters
        for w, g, mr, vr in zip(W, G, M, V):
            for i, gi in enumerate(g):
                mr[i] = 0.85 * mr[i] + (1 - 0.85) * gi
                vr[i] = 0.99 * vr[i] + (1 - 0.99) * gi**2
                w[i] -= 0.01 * (mr[i] / 0.5) / ((vr[i] / 0.5) ** 0.5 + 1e-8)
    class Value:  # scalar.py's node: data, grad, children, local derivatives
        __slots__ = ("data", "grad", "children", "local_grads")
        def __init__(self, data, children=(), local_grads=()):
            self.data, self.grad, self.children, self.local_grads = data, 0.0, children, local_grads
        def __mul__(self, other):
            return Value(self.data * other.data, (self, other), (other.data, self.data))
        def __add__(self, other):
            return Value(self.data + other.data, (self, other), (1.0, 1.0))
    def loop_dot(p, q):
        total = 0.0
        for a, b in zip(p, q):
            total += a * b
        return total
    va, vb = Value(1.5), Value(2.5)
    out = {
        "1,000 multiply-adds a*b + c": best(lambda: [x * y + z for _ in r], 20),
        "1,000 sumprod of 7": best(lambda: [math.sumprod(a7, b7) for _ in r], 20),
        "1,000 sumprod of 16": best(lambda: [math.sumprod(a16, b16) for _ in r], 20),
        "matmul 8x16 @ (64x16)^T": best(lambda: [[math.sumprod(p, q) for q in B] for p in A], 50),
        # the same product without sumprod (so without fma): slower in CPython, and not faster in Pyodide either
        "  ... with sum(map(mul, p, q))": best(lambda: [[sum(map(mul, p, q)) for q in B] for p in A], 50),
        "  ... with a Python loop": best(lambda: [[loop_dot(p, q) for q in B] for p in A], 50),
        "Adam step, 4,192 entries": best(adam, 5),
        "1,000 Value a*b + a": best(lambda: [va * vb + va for _ in r], 20),
    }
    if hasattr(math, "fma"):  # Python >= 3.13
        out["1,000 math.fma(a, b, c)"] = best(lambda: [math.fma(x, y, z) for _ in r], 20)
    print(json.dumps(out))
''')

NODE_RUNNER = textwrap.dedent('''
    const [pyodideDir, code] = process.argv.slice(-2);  // node -e: no script name in argv
    globalThis.fetch = (url) => Promise.reject(new Error(`offline: ${url}`));
    const { loadPyodide } = await import(pyodideDir + "/pyodide.mjs");
    const lines = [];
    const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: (s) => lines.push(s) });
    pyodide.runPython(code);
    console.log(lines.join("\\n"));
''')


def main():
    node = shutil.which("node") or sys.exit("node is not installed (apt-get install nodejs)")
    if not (PYODIDE / "pyodide.mjs").exists():
        sys.exit(f"{PYODIDE} is missing: run `npm ci`")
    cpython = subprocess.run([sys.executable, "-c", CASES], capture_output=True, text=True, check=True)
    pyodide = subprocess.run([node, "--input-type=module", "-e", NODE_RUNNER, str(PYODIDE), CASES],
                             capture_output=True, text=True)
    if pyodide.returncode:
        sys.exit(f"Pyodide in Node failed:\n{pyodide.stderr[-3000:]}")
    native, wasm = json.loads(cpython.stdout), json.loads(pyodide.stdout.strip().splitlines()[-1])
    print(f"primitives, CPython {sys.version.split()[0]} vs Pyodide (Node {subprocess.check_output([node, '--version'], text=True).strip()})")
    print(f"  {'operation':32s} {'CPython':>10s} {'Pyodide':>10s} {'speed ratio':>12s}")
    for name, seconds in wasm.items():
        if name in native:
            print(f"  {name:32s} {native[name] * 1e6:8.1f}us {seconds * 1e6:8.1f}us {native[name] / seconds:11.2f}x")
        else:  # math.fma is new in Python 3.13
            print(f"  {name:32s} {'n/a':>10s} {seconds * 1e6:8.1f}us   (run with Python >= 3.13 to compare)")


if __name__ == "__main__":
    main()
