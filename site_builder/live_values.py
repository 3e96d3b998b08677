"""Live values at build time: the explorer's default views traced in CPython, checked pair by pair, shipped as JSON.

Two views of the word `emma`: the weights at initialisation from seed 42, and after the build's 1000-step
matrix.py run (scalar.py gets those same weights as Values: 1,000 scalar steps would take a minute, and the two
files are one algorithm). Each view is one JSON file, fetched only when the reader switches Values on. The pairs
in docs/pairs.yml name a line of each file; the build fails when a side names no line or no traced name, or when
the two files disagree by more than 1e-12 (relative above 1). Results are cached on disk by the sha256 of the
tracer, the sources, the data and the pairs, so a rebuild is instant.
"""
import functools
import hashlib
import json
import os
import pathlib

import yaml

from microgpt import matrix, scalar, trace, trace_view

WORD, SEED, TRAINED_STEPS = "emma", 42, 1000
STATES = {"init": 0, "trained": TRAINED_STEPS}
IMPLS = {"scalar": scalar, "matrix": matrix}
PAIRS = "pairs.yml"


class PairError(ValueError):
    """A pair in docs/pairs.yml names something that does not exist, or the two files disagree on it."""


# -- the pairs: each side resolved to the first line of a traced statement ---------------------------------------
def load_pairs(path):
    """The pairs of docs/pairs.yml with each side's line resolved; PairError names the pair and the problem."""
    try:
        pairs = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as e:
        raise PairError(f"{path}: {e}") from None
    pseudo = (pathlib.Path(matrix.__file__).parent / "pseudocode.txt").read_text(encoding="utf-8").splitlines()
    out = []
    for i, pair in enumerate(pairs):
        where = f"docs/{PAIRS}: pair {pair.get('id', i + 1)!r}"
        if not isinstance(pair, dict) or not {"id", "label", "scalar", "matrix"} <= set(pair):
            raise PairError(f"{where}: needs id, label, scalar and matrix")
        resolved = {"id": pair["id"], "label": pair["label"]}
        for impl in IMPLS:
            side = dict(pair[impl])
            line = traced_line(impl, side.get("find", ""), side.get("after"), side.get("name"), f"{where}, {impl}")
            resolved[impl] = {**side, "line": line}
        if "pseudo" in pair:
            resolved["pseudo"] = find_line(pseudo, pair["pseudo"].get("find", ""), None, f"{where}, pseudo")
        out.append(resolved)
    return out


@functools.lru_cache(maxsize=4)
def statements(source):  # parsed once per text: every pair and map block asks of the same two files
    return trace.statements(source)


def traced_line(impl, find, after, name, where):
    """The first line of the statement of `impl` holding `find` (after `after`) that computes `name`, or PairError."""
    path = pathlib.Path(IMPLS[impl].__file__)
    source = path.read_text(encoding="utf-8")
    line = find_line(source.splitlines(), find, after, where)
    start, names, *_ = statements(source)[line]
    if name not in (names or []):
        raise PairError(f"{where}: line {line} of {path.name} computes {', '.join(names or []) or 'nothing traced'}, "
                        f"not {name!r}")
    return start


def find_line(lines, text, after, where):
    """The one line holding `text` (the first after the line holding `after`, if given), numbered from 1."""
    start = 0
    if after:
        hits = [n for n, line in enumerate(lines) if after in line]
        if len(hits) != 1:
            raise PairError(f"{where}: after {after!r} matches {len(hits)} lines; it must match exactly one")
        start = hits[0] + 1
    hits = [n for n, line in enumerate(lines) if n >= start and text and text in line]
    if not hits or (len(hits) > 1 and not after):
        raise PairError(f"{where}: {text!r} matches {len(hits)} lines; it must match exactly one")
    return hits[0] + 1


# -- the views ---------------------------------------------------------------------------------------------------
def traces(names_path, word=WORD):
    """{state: {impl: raw records}}: one training step and one sampling run on `word`, per weight state."""
    docs, chars, weights = matrix.setup(matrix.load_docs(names_path), SEED)
    out, done = {}, 0
    for state, steps in STATES.items():  # in order of steps: each state trains on from the one before
        for _ in matrix.train(weights, docs, chars, steps - done):
            pass
        done = steps
        out[state] = trace_view.trace_both(weights, chars, word, SEED)
    return out, chars


def views(names_path, pairs, word=WORD):
    """{state: view} as the page reads them, traced now (no cache); PairError on a pair that disagrees."""
    all_records, chars = traces(names_path, word)
    try:
        return {state: trace_view.page_view(records, pairs, chars, word, state, STATES[state], SEED)
                for state, records in all_records.items()}
    except trace_view.PairMismatch as e:
        raise PairError(f"docs/{PAIRS}: {e}") from None


def cache_dir():
    """Shared by every checkout and test build: the key covers every input, so a copy can reuse it."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return pathlib.Path(base) / "microgpt-explorer"


def build(names_path, pairs_path, cache_dir):
    """{file name: JSON text} of the default views; PairError on a broken or disagreeing pair."""
    pairs = load_pairs(pairs_path)
    digest = hashlib.sha256()
    for path in (trace.__file__, trace_view.__file__, scalar.__file__, matrix.__file__, __file__, names_path, pairs_path):
        digest.update(pathlib.Path(path).read_bytes())
    cache = pathlib.Path(cache_dir) / f"values-{digest.hexdigest()[:20]}.json"
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    out = {f"{WORD}-{state}.json": json.dumps(data, separators=(",", ":"), allow_nan=False)
           for state, data in views(names_path, pairs).items()}
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".part")
    partial.write_text(json.dumps(out), encoding="utf-8")
    os.replace(partial, cache)  # all or nothing: two builds at once never read half a file
    return out
