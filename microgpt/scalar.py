# § overview: what this file is, and the standard-library modules it needs
"""microgpt, scalar edition: a complete GPT, trained and sampled, in one standard-library Python file.

Every number in the model is a `Value` that remembers the values it was computed from and the local
derivative towards each; `backward` then applies the chain rule from the loss to all 4,192 parameters.
Read it top to bottom: data, tokenizer, autograd, parameters, model, loss, backward, Adam, training, sampling.
Run it: python -m microgpt.scalar [--steps N] [--seed S] [--lr LR] [--temperature T] [--data PATH]
"""
import argparse
import gc
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

# § autograd: a scalar that records its inputs and the local derivative towards each
class Value:
    __slots__ = ("data", "grad", "children", "local_grads")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0.0
        self.children = children  # the Values this one was computed from
        self.local_grads = local_grads  # d(self)/d(child), one per child

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, k):  # k is a plain number
        return Value(self.data**k, (self,), (k * self.data ** (k - 1),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,))

    def log(self):
        return Value(math.log(self.data), (self,), (1 / self.data,))

    def relu(self):
        return Value(max(0.0, self.data), (self,), (float(self.data > 0),))

    __radd__ = __add__
    __rmul__ = __mul__

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        return self * other**-1

# § params: the 4,192 numbers the model learns, drawn from a Gaussian
n_layer, n_embd, n_head, block_size = 1, 16, 4, 16
head_dim = n_embd // n_head

def init_params(vocab_size, std=0.08):
    matrix = lambda rows, cols: [[Value(random.gauss(0, std)) for _ in range(cols)] for _ in range(rows)]
    weights = {"wte": matrix(vocab_size, n_embd), "wpe": matrix(block_size, n_embd), "lm_head": matrix(vocab_size, n_embd)}
    for li in range(n_layer):
        for name, rows, cols in [("attn_wq", n_embd, n_embd), ("attn_wk", n_embd, n_embd), ("attn_wv", n_embd, n_embd),
                                 ("attn_wo", n_embd, n_embd), ("mlp_fc1", 4 * n_embd, n_embd), ("mlp_fc2", n_embd, 4 * n_embd)]:
            weights[f"layer{li}.{name}"] = matrix(rows, cols)
    return weights

# § linear: the two operations everything else is built from, a matrix-vector product and softmax
def linear(x, w):
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]

def softmax(logits):
    top = max(v.data for v in logits)  # exp of a large logit overflows; shifting by the max changes nothing else
    exps = [(v - top).exp() for v in logits]
    total = sum(exps)
    return [e / total for e in exps]

# § rmsnorm: rescale a vector to unit root-mean-square, so no layer sees numbers that drift in size
def rmsnorm(x):
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    return [xi * scale for xi in x]

# § attention: each position mixes in the values of itself and the positions before it
def attention(x, weights, li, keys, values):
    q = linear(x, weights[f"layer{li}.attn_wq"])
    keys.append(linear(x, weights[f"layer{li}.attn_wk"]))
    values.append(linear(x, weights[f"layer{li}.attn_wv"]))
    out = []
    for h in range(n_head):
        hs = slice(h * head_dim, (h + 1) * head_dim)
        q_h, k_h, v_h = q[hs], [k[hs] for k in keys], [v[hs] for v in values]
        scores = [sum(qi * ki for qi, ki in zip(q_h, k)) / head_dim**0.5 for k in k_h]  # sqrt keeps softmax from saturating
        attn = softmax(scores)
        out += [sum(a * v[j] for a, v in zip(attn, v_h)) for j in range(head_dim)]
    return linear(out, weights[f"layer{li}.attn_wo"])

# § mlp: a two-layer network applied at each position on its own, 4x wider inside, with ReLU
def mlp(x, weights, li):
    hidden = [h.relu() for h in linear(x, weights[f"layer{li}.mlp_fc1"])]
    return linear(hidden, weights[f"layer{li}.mlp_fc2"])

# § forward: token + position embeddings, then the residual stream through each layer, then logits
def gpt(weights, token, pos, keys, values):
    x = rmsnorm([t + p for t, p in zip(weights["wte"][token], weights["wpe"][pos])])
    for li in range(n_layer):
        x = [a + r for a, r in zip(attention(rmsnorm(x), weights, li, keys[li], values[li]), x)]
        x = [m + r for m, r in zip(mlp(rmsnorm(x), weights, li), x)]
    return linear(x, weights["lm_head"])

# § loss: cross-entropy, the average surprise at each true next character of the name
def loss_fn(weights, tokens):
    n = min(block_size, len(tokens) - 1)
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = []
    for pos in range(n):
        probs = softmax(gpt(weights, tokens[pos], pos, keys, values))
        losses.append(-probs[tokens[pos + 1]].log())
    return (1 / n) * sum(losses)

# § backward: the chain rule, from the loss back to every parameter, one recorded edge at a time
def backward(loss):
    order, seen, stack = [], set(), [(loss, False)]
    while stack:  # depth-first, iterative: a node goes in `order` after everything it was computed from
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        elif v not in seen:
            seen.add(v)
            stack.append((v, True))
            stack.extend((c, False) for c in v.children)
    loss.grad = 1.0
    for v in reversed(order):
        for child, local_grad in zip(v.children, v.local_grads):
            child.grad += local_grad * v.grad

# § adam: a step per parameter, scaled by running averages of its gradient and squared gradient
beta1, beta2, eps = 0.85, 0.99, 1e-8

def adam_step(params, m, v, step, lr):
    for i, p in enumerate(params):
        m[i] = beta1 * m[i] + (1 - beta1) * p.grad
        v[i] = beta2 * v[i] + (1 - beta2) * p.grad**2
        m_hat = m[i] / (1 - beta1 ** (step + 1))  # the averages start at 0; this undoes that bias
        v_hat = v[i] / (1 - beta2 ** (step + 1))
        p.data -= lr * m_hat / (v_hat**0.5 + eps)
        p.grad = 0.0

# § train: one name per step (forward, loss, backward, Adam), the learning rate decaying linearly to 0
def train(weights, docs, chars, num_steps=1000, learning_rate=0.01):
    """Yield (step, loss, doc) after every step, so that a caller can stop between any two."""
    params = [p for mat in weights.values() for row in mat for p in row]
    m, v = [0.0] * len(params), [0.0] * len(params)
    collecting = gc.isenabled()
    gc.disable()  # the graph has no reference cycles, so the cyclic collector would only slow each step down
    try:
        for step in range(num_steps):
            doc = docs[step % len(docs)]
            loss = loss_fn(weights, encode(doc, chars))
            backward(loss)
            adam_step(params, m, v, step, learning_rate * (1 - step / num_steps))
            yield step, loss.data, doc
    finally:
        if collecting:
            gc.enable()

# § sample: start from BOS, draw each next character from softmax(logits / temperature), stop at BOS
def sample(weights, chars, temperature=0.5, rng=random):
    bos = len(chars)
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    token, name = bos, []
    for pos in range(block_size):
        probs = softmax([logit / temperature for logit in gpt(weights, token, pos, keys, values)])
        token = rng.choices(range(bos + 1), weights=[p.data for p in probs])[0]
        if token == bos:
            break
        name.append(chars[token])
    return "".join(name)

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
