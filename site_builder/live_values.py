"""Live values at build time: the explorer's default views traced in CPython, checked pair by pair, shipped as JSON.

Two views of the word `emma`: the weights at initialisation from seed 42, and after the build's 1000-step
matrix.py run (scalar.py gets those same weights as Values: 1,000 scalar steps would take a minute, and the two
files are one algorithm). Each view is one JSON file, fetched only when the reader switches Values on. The pairs
in docs/pairs.yml name a line of each file; the build fails when a side names no line or no traced name, or when
the two files disagree by more than 1e-12 (relative above 1). Results are cached on disk by the sha256 of the
tracer, the sources, the data and the pairs, so a rebuild is instant.
"""
import hashlib
import json
import math
import os
import pathlib

import yaml

from microgpt import matrix, scalar, trace

WORD, SEED, TRAINED_STEPS = "emma", 42, 1000
STATES = {"init": 0, "trained": TRAINED_STEPS}
IMPLS = {"scalar": scalar, "matrix": matrix}
PAIRS = "pairs.yml"
TOLERANCE = 1e-12
DIGITS = 6  # significant digits on the page; the pairs are checked, and their differences computed, in full


class PairError(Exception):
    """A pair in docs/pairs.yml names something that does not exist, or the two files disagree on it."""


# -- the pairs: each side resolved to the first line of a traced statement ---------------------------------------
def load_pairs(path):
    """The pairs of docs/pairs.yml with each side's line resolved; PairError names the pair and the problem."""
    try:
        pairs = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as e:
        raise PairError(f"{path}: {e}") from None
    files = {impl: pathlib.Path(m.__file__) for impl, m in IMPLS.items()}
    stmts = {impl: trace.statements(f.read_text(encoding="utf-8")) for impl, f in files.items()}
    lines = {impl: f.read_text(encoding="utf-8").splitlines() for impl, f in files.items()}
    pseudo = (pathlib.Path(matrix.__file__).parent / "pseudocode.txt").read_text(encoding="utf-8").splitlines()
    out = []
    for i, pair in enumerate(pairs):
        where = f"docs/{PAIRS}: pair {pair.get('id', i + 1)!r}"
        if not isinstance(pair, dict) or not {"id", "label", "scalar", "matrix"} <= set(pair):
            raise PairError(f"{where}: needs id, label, scalar and matrix")
        resolved = {"id": pair["id"], "label": pair["label"]}
        for impl in IMPLS:
            side = dict(pair[impl])
            line = find_line(lines[impl], side.get("find", ""), side.get("after"), f"{where}, {impl}")
            start, names, *_ = stmts[impl][line]
            if side.get("name") not in (names or []):
                raise PairError(f"{where}, {impl}: line {line} of {files[impl].name} computes "
                                f"{', '.join(names or []) or 'nothing traced'}, not {side.get('name')!r}")
            resolved[impl] = {**side, "line": start}
        if "pseudo" in pair:
            resolved["pseudo"] = find_line(pseudo, pair["pseudo"].get("find", ""), None, f"{where}, pseudo")
        out.append(resolved)
    return out


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


# -- comparing the two files -----------------------------------------------------------------------------------
def compare(pairs, records):
    """[{id, label, scalar, matrix, deltas: [{t, head, delta}]}] from one view's raw records, or PairError."""
    head_dim = matrix.head_dim
    index = {impl: {} for impl in IMPLS}
    for impl, recs in records.items():
        for rec in recs:
            if rec["phase"] == "step":
                index[impl].setdefault((rec["line"], rec["name"]), []).append(rec)
    out = []
    for pair in pairs:
        s, m = pair["scalar"], pair["matrix"]
        found = {impl: index[impl].get((pair[impl]["line"], pair[impl]["name"]), []) for impl in IMPLS}
        for impl in IMPLS:
            if not found[impl]:
                raise PairError(f"docs/{PAIRS}: pair {pair['id']!r}: {impl} line {pair[impl]['line']} never ran "
                                f"with {pair[impl]['name']!r} in a training step")
        deltas = []
        for srec in found["scalar"]:
            ctx = srec["context"]
            mrec = next((r for r in found["matrix"] if all(r["context"].get(k) == ctx.get(k) for k in ("layer", "head")
                                                          if k in r["context"])), None)
            if mrec is None:
                raise PairError(f"docs/{PAIRS}: pair {pair['id']!r}: matrix.py has no value at {context_text(ctx)}")
            a = side_value(srec, s, ctx, head_dim)
            b = side_value(mrec, m, ctx, head_dim)
            if m.get("trim") and isinstance(b, list):
                b = b[:len(a)]
            delta = difference(a, b)
            if delta is None or delta > TOLERANCE:
                raise PairError(f"docs/{PAIRS}: pair {pair['id']!r} disagrees at {context_text(ctx)}: "
                                + ("the shapes differ" if delta is None else f"largest difference {delta:.3g}"))
            deltas.append({**{k: ctx[k] for k in ("t", "head") if k in ctx}, "delta": delta})
        out.append({"id": pair["id"], "label": pair["label"], "scalar": s["line"], "matrix": m["line"],
                    "names": {"scalar": s["name"], "matrix": m["name"]}, "deltas": deltas,
                    **({"pseudo": pair["pseudo"]} if "pseudo" in pair else {})})
    return out


def side_value(rec, side, ctx, head_dim):
    value = rec.get("_raw", rec["value"])
    if "item" in side:
        value = value[side["item"]]
    if side.get("row") == "t":
        value = value[ctx["t"]]
    if side.get("cols") == "head":
        value = value[ctx["head"] * head_dim:(ctx["head"] + 1) * head_dim]
    return value


def difference(a, b):
    """The largest |a - b| (relative where a value exceeds 1) over two values of one shape; None if shapes differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return None
        parts = [difference(a[k], b[k]) for k in a]
        return None if None in parts else max(parts, default=0.0)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return None
        parts = [difference(x, y) for x, y in zip(a, b)]
        return None if None in parts else max(parts, default=0.0)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) / max(1.0, abs(a), abs(b))
    return None


def context_text(ctx):
    return ", ".join(f"{k} {v}" for k, v in ctx.items() if k != "via") or "its only value"


# -- the views ---------------------------------------------------------------------------------------------------
def traces(names_path, word=WORD):
    """{state: {impl: raw records}}: one training step and one sampling run on `word`, per weight state."""
    docs, chars, weights = matrix.setup(matrix.load_docs(names_path), SEED)
    out, done = {}, 0
    for state, steps in STATES.items():  # in order of steps: each state trains on from the one before
        for _ in matrix.train(weights, docs, chars, steps - done):
            pass
        done = steps
        floats = {k: [list(row) for row in m] for k, m in weights.items()}
        as_values = {k: [[scalar.Value(x) for x in row] for row in m] for k, m in floats.items()}
        out[state] = {
            "scalar": trace.trace(scalar, as_values, chars, word, seed=SEED, raw=True),
            "matrix": trace.trace(matrix, {k: [list(r) for r in m] for k, m in floats.items()}, chars, word,
                                  seed=SEED, raw=True),
        }
    return out, chars


def rounded(x):
    """x with every float to DIGITS significant digits (inf and nan as strings, which JSON lacks)."""
    if isinstance(x, float):
        return float(f"{x:.{DIGITS}g}") if math.isfinite(x) else str(x)
    if isinstance(x, list):
        return [rounded(v) for v in x]
    if isinstance(x, dict):
        return {k: rounded(v) for k, v in x.items()}
    return x


def view(state, records, pairs, chars, word=WORD):
    """One view as the page reads it: the word's tokens, each file's records, the pairs and their differences."""
    impls = {}
    for impl, recs in records.items():
        meta = recs[0]
        impls[impl] = {"file": pathlib.Path(IMPLS[impl].__file__).name, "values_built": meta.get("values_built"),
                       "values_visited": meta.get("values_visited"),
                       "records": [rounded({k: v for k, v in r.items() if k != "_raw"}) for r in recs[1:]]}
    note = trace.check_word(word, chars, matrix.block_size)
    return {"word": word, "state": state, "steps": STATES[state], "seed": SEED, "chars": "".join(chars),
            "tokens": ["BOS", *word, "BOS"][:matrix.block_size + 1], "note": note, "impls": impls,
            "pairs": [{**p, "deltas": [{**d, "delta": float(f"{d['delta']:.2g}")} for d in p["deltas"]]} for p in pairs]}


def cache_dir():
    """Shared by every checkout and test build: the key covers every input, so a copy can reuse it."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return pathlib.Path(base) / "microgpt-explorer"


def build(names_path, pairs_path, cache_dir):
    """{file name: JSON text} of the default views; PairError on a broken or disagreeing pair."""
    pairs = load_pairs(pairs_path)
    digest = hashlib.sha256()
    for path in (trace.__file__, scalar.__file__, matrix.__file__, __file__, names_path, pairs_path):
        digest.update(pathlib.Path(path).read_bytes())
    cache = pathlib.Path(cache_dir) / f"values-{digest.hexdigest()[:20]}.json"
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    all_records, chars = traces(names_path)
    out = {}
    for state, records in all_records.items():
        data = view(state, records, compare(pairs, records), chars)
        out[f"{WORD}-{state}.json"] = json.dumps(data, separators=(",", ":"), allow_nan=False)
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".part")
    partial.write_text(json.dumps(out), encoding="utf-8")
    os.replace(partial, cache)  # all or nothing: two builds at once never read half a file
    return out
