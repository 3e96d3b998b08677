# § overview: what this file is, and the standard-library modules it needs
"""microgpt, matrix edition: the same GPT as scalar.py, with the calculus done by hand on whole matrices.

Weights are lists of rows. The forward pass handles every position of a name at once (a causal mask keeps
each position from seeing the future), and the backward pass is derived layer by layer, with no autograd.
Same seed, same data, same losses as scalar.py, many times faster. Standard library only, so it runs in Pyodide.
Run it: python -m microgpt.matrix [--steps N] [--seed S] [--lr LR] [--temperature T] [--data PATH]
"""
import argparse
import hashlib
import math
import os
import random
import sys
import urllib.request

# § data: one name per line of names.txt, each name a document to learn from
NAMES_URL = "https://raw.githubusercontent.com/karpathy/makemore/988aa59e4d8fefa526d06f3b453ad116258398d4/names.txt"
NAMES_SHA256 = "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"

class DataError(Exception):
    """The names file is missing, unreadable, or not what we expected."""

def find_names(path=None):  # --data PATH, else $MICROGPT_NAMES, else a cached download checked by sha256
    path = path or os.environ.get("MICROGPT_NAMES")
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "microgpt", "names.txt")
    if path or os.path.exists(cache):
        return path or cache
    url = os.environ.get("MICROGPT_NAMES_URL", NAMES_URL)
    try:
        data = urllib.request.urlopen(url, timeout=30).read()
    except OSError as e:
        raise DataError(f"cannot download names.txt from {url} ({e}); offline? pass --data PATH or set MICROGPT_NAMES")
    if hashlib.sha256(data).hexdigest() != NAMES_SHA256:
        raise DataError(f"the file at {url} is not names.txt: its sha256 is not {NAMES_SHA256}; nothing was saved")
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache + ".part", "wb") as f:
        f.write(data)
    os.replace(cache + ".part", cache)  # all or nothing: a broken download never becomes the cache
    return cache

def load_docs(path):
    try:
        with open(path, encoding="utf-8") as f:
            docs = [line.strip() for line in f if line.strip()]
    except UnicodeDecodeError:
        raise DataError(f"{path} is not UTF-8 text")
    except OSError as e:
        raise DataError(f"cannot read {path}: {e.strerror or e}")
    if not docs:
        raise DataError(f"{path} holds no names: it is empty or blank")
    return docs

# § tokenizer: each distinct character is a token; one more token, BOS, marks where a name begins and ends
def encode(doc, chars):
    bos = len(chars)
    return [bos] + [chars.index(ch) for ch in doc] + [bos]

# § params: the 4,192 numbers the model learns, drawn from a Gaussian, as matrices of [out][in] rows
n_layer, n_embd, n_head, block_size = 1, 16, 4, 16
head_dim = n_embd // n_head

def init_params(vocab_size, std=0.08):
    matrix = lambda rows, cols: [[random.gauss(0, std) for _ in range(cols)] for _ in range(rows)]
    weights = {"wte": matrix(vocab_size, n_embd), "wpe": matrix(block_size, n_embd), "lm_head": matrix(vocab_size, n_embd)}
    for li in range(n_layer):
        for name, rows, cols in [("attn_wq", n_embd, n_embd), ("attn_wk", n_embd, n_embd), ("attn_wv", n_embd, n_embd),
                                 ("attn_wo", n_embd, n_embd), ("mlp_fc1", 4 * n_embd, n_embd), ("mlp_fc2", n_embd, 4 * n_embd)]:
            weights[f"layer{li}.{name}"] = matrix(rows, cols)
    return weights

# § linear: the operations everything else is built from — matrix products, transposes, sums, softmax
def matmul(A, B):  # A @ B.T: every row of A dotted with every row of B, as nn.Linear does with [out][in] weights
    return [[math.sumprod(a, b) for b in B] for a in A]

def T(A):
    return list(zip(*A))

def add(A, B):
    return [[a + b for a, b in zip(ra, rb)] for ra, rb in zip(A, B)]

def softmax(row):
    top = max(row)  # exp of a large logit overflows; shifting by the max changes nothing else
    exps = [math.exp(x - top) for x in row]
    total = sum(exps)
    return [e / total for e in exps]

# § rmsnorm: rescale each row to unit root-mean-square, so no layer sees numbers that drift in size
def rmsnorm(X):
    scales = [(math.sumprod(x, x) / len(x) + 1e-5) ** -0.5 for x in X]
    return [[xi * s for xi in x] for x, s in zip(X, scales)], scales

# § attention: each position mixes in the values of itself and the positions before it
def attention(H, weights, li):
    Q, K, V = (matmul(H, weights[f"layer{li}.attn_{w}"]) for w in ("wq", "wk", "wv"))
    heads, probs = [], []
    for h in range(n_head):
        Qh, Kh, Vh = ([row[h * head_dim:(h + 1) * head_dim] for row in M] for M in (Q, K, V))
        S = [[s / head_dim**0.5 for s in scores[:t + 1]] for t, scores in enumerate(matmul(Qh, Kh))]  # causal mask
        P = [softmax(row) + [0.0] * (len(S) - len(row)) for row in S]  # row t: what t takes from 0..t; 0 after
        heads.append(matmul(P, T(Vh)))
        probs.append(P)
    A = [sum(rows, []) for rows in zip(*heads)]  # heads side by side: n x n_embd
    return matmul(A, weights[f"layer{li}.attn_wo"]), {"H": H, "Q": Q, "K": K, "V": V, "P": probs, "A": A}

# § mlp: a two-layer network applied at each position on its own, 4x wider inside, with ReLU
def mlp(H, weights, li):
    U = matmul(H, weights[f"layer{li}.mlp_fc1"])
    R = [[max(0.0, u) for u in row] for row in U]
    return matmul(R, weights[f"layer{li}.mlp_fc2"]), {"H": H, "U": U, "R": R}

# § forward: token + position embeddings, then the residual stream through each layer, then logits
def forward(weights, tokens):
    """Logits for every position at once, and the activations that backward needs."""
    X, s0 = rmsnorm([[t + p for t, p in zip(weights["wte"][tok], weights["wpe"][pos])] for pos, tok in enumerate(tokens)])
    acts = {"embed": {"X": X, "s": s0}, "layers": []}
    for li in range(n_layer):
        H1, s1 = rmsnorm(X)
        out, attn_cache = attention(H1, weights, li)
        X = add(out, X)
        H2, s2 = rmsnorm(X)
        out, mlp_cache = mlp(H2, weights, li)
        X = add(out, X)
        acts["layers"].append({"s1": s1, "attention": attn_cache, "s2": s2, "mlp": mlp_cache})
    return matmul(X, weights["lm_head"]), acts, X

# § loss: cross-entropy, the average surprise at each true next character of the name
def loss_fn(weights, tokens):
    n = min(block_size, len(tokens) - 1)
    logits, acts, X = forward(weights, tokens[:n])
    probs = [softmax(row) for row in logits]
    loss = -sum(math.log(p[y]) for p, y in zip(probs, tokens[1:n + 1])) / n
    return loss, (tokens[:n + 1], probs, acts, X)

# § backward: the chain rule by hand, layer by layer in reverse, each gradient shaped like what it differentiates
def rmsnorm_backward(dY, Y, scales):  # dx = s * (dy - y * mean(dy * y)), row by row
    means = [math.sumprod(dy, y) / len(y) for dy, y in zip(dY, Y)]
    return [[s * (d - yi * c) for d, yi in zip(dy, y)] for dy, y, s, c in zip(dY, Y, scales, means)]

def mlp_backward(dOut, cache, weights, li, grads):  # out = relu(H W1^T) W2^T; adds dW1, dW2 to grads, returns dH
    grads[f"layer{li}.mlp_fc2"] = matmul(T(dOut), T(cache["R"]))
    dR = matmul(dOut, T(weights[f"layer{li}.mlp_fc2"]))
    dU = [[d * (u > 0) for d, u in zip(dr, ur)] for dr, ur in zip(dR, cache["U"])]  # ReLU passes it where u > 0
    grads[f"layer{li}.mlp_fc1"] = matmul(T(dU), T(cache["H"]))
    return matmul(dU, T(weights[f"layer{li}.mlp_fc1"]))

def attention_backward(dOut, cache, weights, li, grads):  # out = A Wo^T, A_h = softmax(mask(Q_h K_h^T / sqrt(d))) V_h
    Q, K, V, P, A, H = (cache[name] for name in ("Q", "K", "V", "P", "A", "H"))
    W = lambda name: weights[f"layer{li}.{name}"]
    grads[f"layer{li}.attn_wo"] = matmul(T(dOut), T(A))
    dA = matmul(dOut, T(W("attn_wo")))
    dQ, dK, dV = ([[] for _ in dA] for _ in range(3))
    for h in range(n_head):
        cols = slice(h * head_dim, (h + 1) * head_dim)
        Qh, Kh, Vh, dOh = ([row[cols] for row in M] for M in (Q, K, V, dA))
        Ph = P[h]  # masked entries have probability 0, so they get no gradient
        dP = matmul(dOh, Vh)
        dS = []
        for pr, dr in zip(Ph, dP):  # softmax backward, row by row: dS = P * (dP - sum(P * dP)) / sqrt(d)
            c = math.sumprod(pr, dr)
            dS.append([p * (d - c) / head_dim**0.5 for p, d in zip(pr, dr)])
        for dM, part in ((dQ, matmul(dS, T(Kh))), (dK, matmul(T(dS), T(Qh))), (dV, matmul(T(Ph), T(dOh)))):
            for row, piece in zip(dM, part):
                row += piece
    for name, dM in (("attn_wq", dQ), ("attn_wk", dK), ("attn_wv", dV)):
        grads[f"layer{li}.{name}"] = matmul(T(dM), T(H))
    return add(add(matmul(dQ, T(W("attn_wq"))), matmul(dK, T(W("attn_wk")))), matmul(dV, T(W("attn_wv"))))

def backward(weights, cache):
    tokens, probs, acts, X = cache
    n = len(probs)
    grads = {name: [[0.0] * n_embd for _ in weights[name]] for name in ("wte", "wpe")}  # the rest are computed whole
    dlogits = [[(p - (j == y)) / n for j, p in enumerate(row)] for row, y in zip(probs, tokens[1:])]  # softmax + CE
    grads["lm_head"] = matmul(T(dlogits), T(X))
    dX = matmul(dlogits, T(weights["lm_head"]))
    for li in reversed(range(n_layer)):  # forward in reverse: each block was X += block(rmsnorm(X)), the MLP last
        layer = acts["layers"][li]
        dH2 = mlp_backward(dX, layer["mlp"], weights, li, grads)
        dX = add(dX, rmsnorm_backward(dH2, layer["mlp"]["H"], layer["s2"]))
        dH1 = attention_backward(dX, layer["attention"], weights, li, grads)
        dX = add(dX, rmsnorm_backward(dH1, layer["attention"]["H"], layer["s1"]))
    dX = rmsnorm_backward(dX, acts["embed"]["X"], acts["embed"]["s"])
    for pos, (tok, dx) in enumerate(zip(tokens, dX)):  # embeddings: each used row gets its position's gradient
        grads["wte"][tok] = [g + d for g, d in zip(grads["wte"][tok], dx)]
        grads["wpe"][pos] = dx
    return grads

# § adam: a step per parameter, scaled by running averages of its gradient and squared gradient
beta1, beta2, eps = 0.85, 0.99, 1e-8

def adam_step(weights, grads, m, v, step, lr):
    c1, c2 = 1 - beta1 ** (step + 1), 1 - beta2 ** (step + 1)  # the averages start at 0; this undoes that bias
    for name, W in weights.items():
        for w, g, mr, vr in zip(W, grads[name], m[name], v[name]):
            for i, gi in enumerate(g):
                mr[i] = beta1 * mr[i] + (1 - beta1) * gi
                vr[i] = beta2 * vr[i] + (1 - beta2) * gi**2
                w[i] -= lr * (mr[i] / c1) / ((vr[i] / c2) ** 0.5 + eps)

# § train: one name per step (forward, loss, backward, Adam), the learning rate decaying linearly to 0
def train(weights, docs, chars, num_steps=1000, learning_rate=0.01):
    """Yield (step, loss, doc) after every step, so that a caller can stop between any two."""
    m = {name: [[0.0] * len(row) for row in W] for name, W in weights.items()}
    v = {name: [[0.0] * len(row) for row in W] for name, W in weights.items()}
    for step in range(num_steps):
        doc = docs[step % len(docs)]
        loss, cache = loss_fn(weights, encode(doc, chars))
        adam_step(weights, backward(weights, cache), m, v, step, learning_rate * (1 - step / num_steps))
        yield step, loss, doc

# § sample: start from BOS, draw each next character from softmax(logits / temperature), stop at BOS
def sample(weights, chars, temperature=0.5, rng=random):
    bos = len(chars)
    tokens = [bos]
    for _ in range(block_size):
        logits = forward(weights, tokens)[0][-1]  # the causal mask makes earlier rows the same as last time
        token = rng.choices(range(bos + 1), weights=softmax([logit / temperature for logit in logits]))[0]
        if token == bos:
            break
        tokens.append(token)
    return "".join(chars[t] for t in tokens[1:])

# § run: the command line — read the data, seed, initialise, train, print losses, then samples
def setup(docs, seed=42):
    """Where every run starts: the seed fixes the order of the names, then the vocabulary, then the weights."""
    random.seed(seed)
    docs = list(docs)  # shuffled in a copy: the caller's list stays as it was
    random.shuffle(docs)
    chars = sorted(set("".join(docs)))
    return docs, chars, init_params(len(chars) + 1)

def main(argv=None):
    parser = argparse.ArgumentParser(prog="microgpt", description="Train a tiny GPT on names, then sample new ones.")
    parser.error = lambda message: sys.exit(f"microgpt: {message}")  # one line, never a usage dump or traceback
    for flag, kind, default, what in [("--steps", int, 1000, "training steps"), ("--seed", int, 42, "random seed"),
                                      ("--lr", float, 0.01, "initial learning rate"),
                                      ("--temperature", float, 0.5, "sampling temperature"),
                                      ("--samples", int, 20, "names to sample after training")]:
        parser.add_argument(flag, type=number(kind, flag), default=default, help=f"{what} ({default})")
    parser.add_argument("--data", metavar="PATH", help="names, one per line ($MICROGPT_NAMES, else a cached download)")
    args = parser.parse_args(argv)
    try:
        docs = load_docs(find_names(args.data))
    except DataError as e:
        sys.exit(f"microgpt: {e}")
    docs, chars, weights = setup(docs, args.seed)
    print(f"num docs: {len(docs)}, vocab size: {len(chars) + 1}")
    steps_done = 0
    try:  # too large a learning rate ends in log(0) or an overflow: say so in one line, not a traceback
        for step, loss, _ in train(weights, docs, chars, args.steps, args.lr):
            if not math.isfinite(loss):
                raise OverflowError
            print(f"step {step + 1:4d} / {args.steps:4d} | loss {loss:.4f}", flush=True)
            steps_done = step + 1
    except (ValueError, OverflowError, ZeroDivisionError):
        sys.exit(f"microgpt: training diverged at step {steps_done + 1} (the loss became infinite): "
                 "try a smaller learning rate")
    print("--- inference (new, hallucinated names) ---")
    for i in range(args.samples):
        print(f"sample {i + 1:2d}: {sample(weights, chars, args.temperature)}")

LIMITS = {  # the accepted range of each flag, ends included: what trains and samples (the page's trainer reads it too)
    "--steps": (1, math.inf), "--seed": (-math.inf, math.inf), "--lr": (1e-5, 0.1),
    "--temperature": (0.01, 5.0), "--samples": (1, math.inf),
}

def number(kind, flag):  # an argparse type: a number within LIMITS[flag]
    low, high = LIMITS[flag]
    def parse(text):
        try:
            x = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a{' whole' if kind is int else ''} number")
        if not low <= x <= high:  # also rejects nan: every comparison with it is false
            span = f"at least {low:g}" if high == math.inf else f"from {low:g} to {high:g}"
            raise argparse.ArgumentTypeError(f"must be {span}, got {text}")
        return x
    return parse

if __name__ == "__main__":
    main()
