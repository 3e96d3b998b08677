"""The build's recorded run: the loss curve and samples of the default training run (matrix.py, 1000 steps from
seed 42, learning rate 0.01, 20 samples at temperature 0.5), computed at build time by the same code as the
command line, for the trainer to show, labelled as recorded, when this browser cannot run Pyodide (no
WebAssembly, or a worker killed for memory). Cached on disk by the sha256 of matrix.py and the data.
"""
import hashlib
import json
import os
import pathlib

from microgpt import matrix

STEPS, SEED, LR, TEMPERATURE, SAMPLES = 1000, 42, 0.01, 0.5, 20
FILE = "recorded-run.json"


def record(names_path):
    """What `python -m microgpt.matrix` prints, as data: every step's loss and the 20 samples after training."""
    docs, chars, weights = matrix.setup(matrix.load_docs(names_path), SEED)
    losses = [round(loss, 6) for _, loss, _ in matrix.train(weights, docs, chars, STEPS, LR)]
    samples = [matrix.sample(weights, chars, TEMPERATURE) for _ in range(SAMPLES)]
    return {"impl": "matrix", "steps": STEPS, "seed": SEED, "lr": LR, "temperature": TEMPERATURE,
            "vocab": len(chars) + 1, "losses": losses, "samples": samples}


def build(names_path, cache_dir):
    """The recorded run as JSON text, from the cache when matrix.py, the data and this file are unchanged."""
    digest = hashlib.sha256()
    for path in (matrix.__file__, __file__, names_path):
        digest.update(pathlib.Path(path).read_bytes())
    cache = pathlib.Path(cache_dir) / f"recorded-{digest.hexdigest()[:20]}.json"
    if cache.exists():
        return cache.read_text(encoding="utf-8")
    text = json.dumps(record(names_path), separators=(",", ":"))
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, cache)
    return text
