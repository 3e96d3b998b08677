"""Live values as the explorer reads them: both files traced on one word from the same weights, the quantities they
share compared pair by pair, the numbers rounded for the page.

The build (site_builder/live_values.py) makes its default views with it, and the page's worker makes the reader's
own (another word, the reader's trained weights) with the same code, so the two cannot differ. A pair names a line
and a name of each file, resolved from docs/pairs.yml by the build; the page hands the resolved pairs back in.
"""
import math

from microgpt import matrix, scalar, trace

IMPLS = {"scalar": scalar, "matrix": matrix}
TOLERANCE = 1e-12
DIGITS = 6  # significant digits on the page; the pairs are compared, and their differences computed, in full


class PairMismatch(ValueError):
    """A pair's two sides are missing from the trace, or disagree beyond TOLERANCE."""


def trace_both(weights, chars, word, seed=42):
    """{impl: raw records} of one training step and one sampling run on `word`, both from the same float weights."""
    as_values = {k: [[scalar.Value(x) for x in row] for row in m] for k, m in weights.items()}
    copy = {k: [list(row) for row in m] for k, m in weights.items()}
    return {"scalar": trace.trace(scalar, as_values, chars, word, seed=seed, raw=True),
            "matrix": trace.trace(matrix, copy, chars, word, seed=seed, raw=True)}


def compare(pairs, records, strict=True):
    """[{id, label, scalar, matrix, names, deltas: [{t, head, delta}]}]; with strict, PairMismatch on a gap or a
    difference above TOLERANCE (the build), else the differences as they are (the page shows them)."""
    index = {impl: {} for impl in IMPLS}
    for impl, recs in records.items():
        for rec in recs:
            if rec["phase"] == "step":
                index[impl].setdefault((rec["line"], rec["name"]), []).append(rec)
    out = []
    for pair in pairs:
        s, m = pair["scalar"], pair["matrix"]
        found = {impl: index[impl].get((pair[impl]["line"], pair[impl]["name"]), []) for impl in IMPLS}
        missing = [impl for impl in IMPLS if not found[impl]]
        if missing:
            if strict:
                raise PairMismatch(f"pair {pair['id']!r}: {missing[0]} line {pair[missing[0]]['line']} never ran "
                                   f"with {pair[missing[0]]['name']!r} in a training step")
            continue
        deltas = []
        for srec in found["scalar"]:
            ctx = srec["context"]
            mrec = next((r for r in found["matrix"] if all(r["context"].get(k) == ctx.get(k) for k in ("layer", "head")
                                                          if k in r["context"])), None)
            if mrec is None:
                raise PairMismatch(f"pair {pair['id']!r}: matrix.py has no value at {context_text(ctx)}")
            a = side_value(srec, s, ctx)
            b = side_value(mrec, m, ctx)
            if m.get("trim") and isinstance(b, list):
                b = b[:len(a)]
            delta = difference(a, b)
            if strict and (delta is None or delta > TOLERANCE):
                raise PairMismatch(f"pair {pair['id']!r} disagrees at {context_text(ctx)}: "
                                   + ("the shapes differ" if delta is None else f"largest difference {delta:.3g}"))
            deltas.append({**{k: ctx[k] for k in ("t", "head") if k in ctx}, "delta": delta})
        out.append({"id": pair["id"], "label": pair["label"], "scalar": s["line"], "matrix": m["line"],
                    "names": {"scalar": s["name"], "matrix": m["name"]}, "deltas": deltas,
                    **({"pseudo": pair["pseudo"]} if "pseudo" in pair else {})})
    return out


def side_value(rec, side, ctx):
    """One side's value at position t and head h: a matrix's row t, a head's columns, a returned tuple's part."""
    value = rec.get("_raw", rec["value"])
    if "item" in side:
        value = value[side["item"]]
    if side.get("row") == "t":
        value = value[ctx["t"]]
    if side.get("cols") == "head":
        value = value[ctx["head"] * matrix.head_dim:(ctx["head"] + 1) * matrix.head_dim]
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


def rounded(x):
    """x with every float to DIGITS significant digits (inf and nan as strings, which JSON lacks)."""
    if isinstance(x, float):
        return float(f"{x:.{DIGITS}g}") if math.isfinite(x) else str(x)
    if isinstance(x, list):
        return [rounded(v) for v in x]
    if isinstance(x, dict):
        return {k: rounded(v) for k, v in x.items()}
    return x


def page_view(records, pairs, chars, word, state, steps, seed=42, strict=True, timings=False):
    """One view as the page reads it: the word's tokens, each file's records, the pairs and their differences
    (and, with timings, how long each file took to trace: the page says it; the build's views stay reproducible)."""
    compared = compare(pairs, records, strict)
    impls = {}
    for impl, recs in records.items():
        meta = recs[0]
        impls[impl] = {"file": IMPLS[impl].__file__.replace("\\", "/").rsplit("/", 1)[-1],
                       "values_built": meta.get("values_built"), "values_visited": meta.get("values_visited"),
                       **({"seconds": meta["seconds"]} if timings else {}),
                       "records": [rounded({k: v for k, v in r.items() if k != "_raw"}) for r in recs[1:]]}
    return {"word": word, "state": state, "steps": steps, "seed": seed, "chars": "".join(chars),
            "tokens": ["BOS", *word, "BOS"][:matrix.block_size + 1], "note": trace.check_word(word, chars, matrix.block_size),
            "impls": impls, "pairs": [{**p, "deltas": [{**d, "delta": float(f"{d['delta']:.2g}") if d["delta"] is not None
                                                       else None} for d in p["deltas"]]} for p in compared],
            "resolved": pairs}
