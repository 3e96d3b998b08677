"""Worked examples for the concept pages: real numbers from the model, computed at build time by running it.

Each concept page opens with a small example ("the attention weights for 'emma' at initialisation") whose
numbers come from calling microgpt/matrix.py and microgpt/scalar.py here, never typed in by hand, so they
change when the code changes. Everything starts from seed 42, as the command line does. Where the explorer's live
values show the same quantity (attention, MLP, forward pass, gradients), the example reads it from the same trace
(the build's view of `emma` at initialisation, site_builder/live_values.py), so the two cannot disagree.
"""
import contextlib
import io
import itertools
import math
import random

from microgpt import matrix, scalar

DOC = "emma"


def fmt(x, digits=4):
    return f"{x:.{digits}f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def traced(view, impl, text, name, **context):
    """The value the explorer's live values show for `name` on the line of `impl` holding `text`, in a training step."""
    module = {"scalar": scalar, "matrix": matrix}[impl]
    with open(module.__file__, encoding="utf-8") as f:
        line = next(n for n, source in enumerate(f, 1) if text in source)
    for rec in view["impls"][impl]["records"]:
        if (rec["phase"], rec["line"], rec["name"]) == ("step", line, name) and \
                all(rec["context"].get(k) == v for k, v in context.items()):
            return rec["value"]
    raise LookupError(f"the live-values trace has no {name!r} on {impl} line {line} ({text!r}) at {context}")


def show_token(t, chars):
    return "BOS" if t == len(chars) else chars[t]


def examples(names_path, view):
    """{concept id: Markdown} for every concept, computed from the code on names.txt at `names_path` and read from
    `view`, the live values' trace of DOC at initialisation."""
    raw = matrix.load_docs(names_path)
    docs, chars, weights = matrix.setup(raw)
    bos = len(chars)
    tokens = matrix.encode(DOC, chars)
    labels = [show_token(t, chars) for t in tokens]
    n = len(tokens) - 1
    logits = traced(view, "matrix", 'return matmul(X, weights["lm_head"])', "return")[0]
    probs = traced(view, "matrix", "probs = [softmax(row) for row in logits]", "probs")
    out = {}

    count = sum(len(row) for mat in weights.values() for row in mat)
    init_loss, cache = matrix.loss_fn(weights, tokens)
    out["overview"] = (
        f"On names.txt the model has **{count:,} parameters** and a vocabulary of **{bos + 1} tokens**. "
        f"Before any training it assigns roughly equal odds to every token, so its loss on `{DOC}` is "
        f"**{fmt(init_loss)}**, close to $\\ln {bos + 1} = {fmt(math.log(bos + 1))}$, the loss of a uniform guess."
    )

    lengths = [len(d) for d in raw]
    out["data"] = (
        f"names.txt holds **{len(raw):,} names**, {min(lengths)} to {max(lengths)} characters long "
        f"(mean {sum(lengths) / len(lengths):.2f}). After `random.seed(42)` and one shuffle, training sees them in "
        f"this order:\n\n" + table(["step", "document"], [(s + 1, docs[s]) for s in range(8)])
    )

    out["tokenizer"] = (
        f"The {len(chars)} distinct characters, sorted, get ids 0 to {len(chars) - 1}; BOS gets {bos}. "
        f"`encode(\"{DOC}\")` gives `{tokens}`:\n\n" + table(["token", *labels], [["id", *tokens]])
    )

    a, b = scalar.Value(2.0), scalar.Value(-3.0)
    c = a * b
    d = c + a.exp()
    e = d.relu() + d * d
    scalar.backward(e)
    out["autograd"] = (
        "A five-node graph, run by `Value` here: $c = a b$, $d = c + e^a$, $L = \\mathrm{relu}(d) + d^2$ with "
        "$a = 2$, $b = -3$. Each gradient is the sum, over the paths to $L$, of the products of local derivatives:\n\n"
        + table(["value", "data", "grad = ∂L/∂value"],
                [(name, fmt(v.data), fmt(v.grad)) for name, v in [("a", a), ("b", b), ("c", c), ("d", d), ("L", e)]])
    )

    flat = [p for mat in weights.values() for row in mat for p in row]
    mean = sum(flat) / len(flat)
    std = math.sqrt(sum((p - mean) ** 2 for p in flat) / len(flat))
    out["params"] = (
        f"Drawn with `random.gauss(0, 0.08)` from seed 42: mean {mean:+.4f}, standard deviation {fmt(std)}. "
        f"The first four numbers of the embedding of `e` are `{[round(x, 4) for x in weights['wte'][chars.index('e')][:4]]}`.\n\n"
        + table(["matrix", "shape", "numbers"], [(name, f"{len(mat)} × {len(mat[0])}", len(mat) * len(mat[0]))
                                                for name, mat in weights.items()] + [("total", "", f"{count:,}")])
    )

    first = probs[0]
    top = sorted(range(bos + 1), key=lambda i: -first[i])[:5]
    out["linear"] = (
        f"At initialisation the logits after BOS are small (between {fmt(min(logits[0]))} and {fmt(max(logits[0]))}), "
        f"so softmax spreads the probability almost evenly; the uniform share would be {fmt(1 / (bos + 1))}. "
        f"The five likeliest first characters:\n\n"
        + table(["token", "logit", "probability"], [(show_token(i, chars), fmt(logits[0][i]), fmt(first[i])) for i in top])
    )

    x0 = [[t + p for t, p in zip(weights["wte"][tok], weights["wpe"][pos])] for pos, tok in enumerate(tokens[:n])]
    normed, scales = matrix.rmsnorm(x0)
    rms = lambda row: math.sqrt(sum(v * v for v in row) / len(row))
    out["rmsnorm"] = (
        f"The embeddings of `{DOC}` (token + position) have a root-mean-square of about "
        f"{fmt(sum(map(rms, x0)) / n, 2)}; RMSNorm rescales each row to 1 (just under, because of the 1e-5):\n\n" + table(["position", "token", "RMS before", "scale s", "RMS after"],
                             [(t, labels[t], fmt(rms(x0[t])), fmt(scales[t]), fmt(rms(normed[t]))) for t in range(n)])
    )

    head0 = traced(view, "matrix", "P = [softmax(row)", "P", head=0)
    out["attention"] = (
        f"Head 0's attention weights for `{DOC}` at initialisation. Row $t$ is how much position $t$ takes from "
        f"each position up to itself; the causal mask leaves the upper triangle empty, and with untrained weights "
        f"every row is close to uniform ($1/(t+1)$):\n\n"
        + table(["query \\ key", *[f"{t}: {labels[t]}" for t in range(n)]],
                [[f"{t}: {labels[t]}", *[fmt(p, 3) for p in row[:t + 1]], *[""] * (n - t - 1)] for t, row in enumerate(head0)])
    )

    U = traced(view, "matrix", "U = matmul(H", "U")
    active = [sum(u > 0 for u in row) for row in U]
    out["mlp"] = (
        f"Of the MLP's {len(U[0])} hidden units, ReLU lets through only those with a positive input. For `{DOC}` "
        f"at initialisation, {sum(active) / (n * len(U[0])):.0%} of them are active:\n\n"
        + table(["position", "token", "active units"], [(t, labels[t], f"{active[t]} / {len(U[0])}") for t in range(n)])
    )

    rows = []
    for t in range(n):
        best = sorted(range(bos + 1), key=lambda i: -probs[t][i])[:3]
        rows.append((t, labels[t], labels[t + 1], ", ".join(f"{show_token(i, chars)} {fmt(probs[t][i], 3)}" for i in best)))
    out["forward"] = (
        f"One forward pass over `{DOC}` gives a row of {bos + 1} logits per position. Untrained, its top guesses "
        f"for the next character hardly rise above the uniform {fmt(1 / (bos + 1), 3)}:\n\n" + table(["position", "input", "true next", "top 3 guesses"], rows)
    )

    probs = [matrix.softmax(row) for row in matrix.forward(weights, tokens[:n])[0]]  # the loss in full precision
    losses = [-math.log(probs[t][tokens[t + 1]]) for t in range(n)]
    out["loss"] = (
        f"The loss of `{DOC}` is the mean of {n} per-position surprises, $-\\log p(\\text{{true next}})$:\n\n"
        + table(["position", "input", "true next", "p(true next)", "−log p"],
                [(t, labels[t], labels[t + 1], fmt(probs[t][tokens[t + 1]]), fmt(losses[t])) for t in range(n)])
        + f"\n\nMean: **{fmt(sum(losses) / n)}**; $\\ln {bos + 1} = {fmt(math.log(bos + 1))}$ would be a uniform guess."
    )

    grads = matrix.backward(weights, cache)
    diff = next(p for p in view["pairs"] if p["id"] == "gradients")["deltas"][0]["delta"]  # as the explorer shows it
    norm = lambda mat: math.sqrt(sum(g * g for row in mat for g in row))
    out["backward"] = (
        f"The gradient of the loss of `{DOC}` at initialisation, matrix by matrix. matrix.py's hand-derived backward "
        f"pass and scalar.py's autograd agree on all {count:,} numbers to within **{diff:.1e}** (relative where a gradient exceeds 1).\n\n"
        + table(["matrix", "gradient norm", "largest entry"],
                [(name, fmt(norm(g)), fmt(max(abs(x) for row in g for x in row))) for name, g in grads.items()])
    )

    m = {name: [[0.0] * len(row) for row in W] for name, W in weights.items()}
    v = {name: [[0.0] * len(row) for row in W] for name, W in weights.items()}
    before = [row[:] for row in weights["lm_head"]]
    matrix.adam_step(weights, grads, m, v, 0, 0.01)
    e_row = chars.index("e")
    steps = [weights["lm_head"][e_row][j] - before[e_row][j] for j in range(4)]
    out["adam"] = (
        "On its first step Adam moves every parameter with a nonzero gradient by almost exactly the learning rate, "
        "0.01, whatever the size of the gradient: after bias correction $\\hat m / \\sqrt{\\hat v} = g / |g| = \\pm 1$. "
        f"The first four entries of `lm_head`'s row for `e` after one step on `{DOC}`:\n\n"
        + table(["entry", "gradient", "change"], [(j, f"{grads['lm_head'][e_row][j]:+.5f}", f"{steps[j]:+.5f}") for j in range(4)])
    )

    docs, chars, weights = matrix.setup(raw)
    trained = [(s + 1, doc, loss) for s, loss, doc in itertools.islice(matrix.train(weights, docs, chars, 1000), 300)]
    out["train"] = (
        "The loss on each step's name, for the first 300 of 1000 steps (matrix.py, seed 42), averaged over 50 steps "
        "at a time, since one name per step makes a single step's loss noisy:\n\n"
        + table(["steps", "mean loss"], [(f"{a}–{a + 49}", fmt(sum(l for _, _, l in trained[a - 1:a + 49]) / 50))
                                         for a in range(1, 300, 50)])
    )

    _, chars, fresh = matrix.setup(raw)
    rng = random.Random(0)
    untrained = [matrix.sample(fresh, chars, 0.5, rng) for _ in range(5)]
    rng = random.Random(0)
    after = [matrix.sample(weights, chars, 0.5, rng) for _ in range(5)]
    out["sample"] = (
        "Five names at temperature 0.5, from the same random stream, before training and after 300 steps:\n\n"
        + table(["untrained", "after 300 steps"], list(zip(untrained, after)))
    )

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        matrix.main(["--steps", "3", "--samples", "3", "--data", str(names_path)])
    out["run"] = "`python -m microgpt.matrix --steps 3 --samples 3` prints:\n\n```text\n" + buffer.getvalue() + "```"
    return out
