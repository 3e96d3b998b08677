"""scalar.py and matrix.py are one algorithm: same weights, same gradients, same losses, same samples.

And both reproduce the reference microgpt's numbers from seed 42."""
import pathlib

import pytest

from microgpt import concepts, matrix, scalar

ROOT = pathlib.Path(__file__).resolve().parent.parent


def setup(module, names_path, seed=42):
    return module.setup(module.load_docs(names_path), seed)


def as_floats(weights):
    return {name: [[p.data if isinstance(p, scalar.Value) else p for p in row] for row in mat] for name, mat in weights.items()}


def test_same_seed_draws_the_same_weights(names_path):
    *_, ws = setup(scalar, names_path)
    *_, wm = setup(matrix, names_path)
    assert list(ws) == list(wm) == ["wte", "wpe", "lm_head", "layer0.attn_wq", "layer0.attn_wk", "layer0.attn_wv",
                                    "layer0.attn_wo", "layer0.mlp_fc1", "layer0.mlp_fc2"]
    assert as_floats(ws) == wm
    assert sum(len(row) for mat in wm.values() for row in mat) == 4192


@pytest.mark.parametrize("doc", ["emma", "yuheng", "a", "christopherjohnson"])  # the last is longer than block_size
def test_matrix_backward_equals_scalar_autograd(names_path, doc):
    _, chars, ws = setup(scalar, names_path)
    *_, wm = setup(matrix, names_path)
    tokens = scalar.encode(doc, chars)
    loss = scalar.loss_fn(ws, tokens)
    scalar.backward(loss)
    loss_m, cache = matrix.loss_fn(wm, tokens)
    grads = matrix.backward(wm, cache)
    assert loss_m == pytest.approx(loss.data, rel=1e-12)
    diffs = [abs(p.grad - g) for name in ws for rs, rg in zip(ws[name], grads[name]) for p, g in zip(rs, rg)]
    assert len(diffs) == 4192
    assert max(diffs) < 1e-10
    assert sum(abs(p.grad) for mat in ws.values() for row in mat for p in row) > 1  # the gradients are not all zero


def test_first_20_steps_and_samples_agree(names_path):
    runs = {}
    for module in (scalar, matrix):
        docs, chars, weights = setup(module, names_path)
        losses, seen = [], []
        for step, loss, doc in module.train(weights, docs, chars, 1000):
            losses.append(loss)
            seen.append(doc)
            if step == 19:
                break
        runs[module.__name__] = losses, seen, [module.sample(weights, chars, 0.5) for _ in range(20)]
    (ls, ds, ss), (lm, dm, sm) = runs.values()
    assert ds == dm
    for a, b in zip(ls, lm):
        assert abs(a - b) / abs(a) < 1e-9
    assert ss == sm and len(set(ss)) > 10
    # the reference microgpt.py's losses at steps 1 and 20 (of 1000), from seed 42
    assert ls[0] == pytest.approx(3.36596694758485, abs=1e-9)
    assert ls[19] == pytest.approx(2.74528539365564, abs=1e-9)


def test_full_matrix_training_matches_the_reference(names_path):
    docs, chars, weights = setup(matrix, names_path)
    losses = [loss for _, loss, _ in matrix.train(weights, docs, chars, 1000)]
    assert len(losses) == 1000
    assert sum(losses[-100:]) / 100 < 2.35
    assert [matrix.sample(weights, chars, 0.5) for _ in range(3)] == ["kamon", "ann", "karai"]


@pytest.mark.parametrize("path", ["microgpt/scalar.py", "microgpt/matrix.py", "microgpt/pseudocode.txt"])
def test_every_file_presents_the_concepts_in_the_shared_order(path):
    found = [cid for cid, *_ in concepts.sections((ROOT / path).read_text(encoding="utf-8"))]
    expected = [c for c in concepts.CONCEPTS if c != "autograd" or path.endswith("scalar.py") or path.endswith(".txt")]
    assert found == expected


def test_sections_reject_unknown_and_out_of_order_concepts():
    with pytest.raises(ValueError, match="unknown concept 'attn'"):
        concepts.sections("# § overview: x\n# § attn: y\n")
    with pytest.raises(ValueError, match="in the order"):
        concepts.sections("# § overview: x\n# § mlp: y\n# § attention: z\n")
    with pytest.raises(ValueError, match="first line"):
        concepts.sections("import os\n# § overview: x\n")
