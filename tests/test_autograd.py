"""Finite-difference checks of scalar.py's autograd: every Value operation, then the whole model on a short name."""
import random

import pytest

from microgpt import scalar

H = 1e-6

OPS = {  # name: (function of Values, inputs in the op's domain)
    "add": (lambda a, b: a + b, [0.7, -1.3]),
    "radd": (lambda a: 2.5 + a, [0.4]),
    "mul": (lambda a, b: a * b, [0.7, -1.3]),
    "rmul": (lambda a: -3.0 * a, [0.4]),
    "pow": (lambda a: a**3, [1.1]),
    "pow_negative_half": (lambda a: a**-0.5, [2.3]),
    "exp": (lambda a: a.exp(), [0.3]),
    "log": (lambda a: a.log(), [1.7]),
    "relu_positive": (lambda a: a.relu(), [0.9]),
    "relu_negative": (lambda a: a.relu(), [-0.9]),
    "neg": (lambda a: -a, [0.6]),
    "sub": (lambda a, b: a - b, [0.7, -1.3]),
    "truediv": (lambda a, b: a / b, [0.7, -1.3]),
    "chain": (lambda a, b: ((a * b).exp() + a**2).log() - b / a, [0.5, 0.8]),
    "shared_input": (lambda a: a * a + a, [1.2]),
}


def numeric_grads(f, xs):
    grads = []
    for i in range(len(xs)):
        up = [x + H * (j == i) for j, x in enumerate(xs)]
        down = [x - H * (j == i) for j, x in enumerate(xs)]
        grads.append((f(*map(scalar.Value, up)).data - f(*map(scalar.Value, down)).data) / (2 * H))
    return grads


@pytest.mark.parametrize("name", OPS)
def test_each_value_op_matches_finite_differences(name):
    f, xs = OPS[name]
    leaves = [scalar.Value(x) for x in xs]
    out = f(*leaves)
    scalar.backward(out)
    for leaf, expected in zip(leaves, numeric_grads(f, xs)):
        assert leaf.grad == pytest.approx(expected, rel=1e-6, abs=1e-8), name


def test_backward_visits_a_shared_node_once():
    a = scalar.Value(3.0)
    b = a * a  # b is used twice below: its gradient must be the sum of both uses, counted once each
    scalar.backward(b + b)
    assert a.grad == 12.0


def test_whole_model_gradients_match_finite_differences(names_path):
    docs = scalar.load_docs(names_path)
    chars = sorted(set("".join(docs)))
    random.seed(0)
    weights = scalar.init_params(len(chars) + 1)
    tokens = scalar.encode("emma", chars)
    loss = scalar.loss_fn(weights, tokens)
    scalar.backward(loss)
    params = [p for mat in weights.values() for row in mat for p in row]
    rng = random.Random(1)
    checked = 0
    # every matrix gets checked, and some parameters of each at random
    for name, mat in weights.items():
        flat = [p for row in mat for p in row]
        if name in ("wte",):  # only the rows of tokens in "emma" (and BOS) get a gradient; check those and others
            flat = [mat[t][j] for t in set(tokens) for j in range(3)] + [mat[chars.index("z")][0]]
        for p in rng.sample(flat, min(8, len(flat))):
            old = p.data
            p.data = old + H
            up = scalar.loss_fn(weights, tokens).data
            p.data = old - H
            down = scalar.loss_fn(weights, tokens).data
            p.data = old
            assert p.grad == pytest.approx((up - down) / (2 * H), rel=1e-5, abs=1e-9), name
            checked += 1
    assert checked >= 60 and len(params) == 4192
