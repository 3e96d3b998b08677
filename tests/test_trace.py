"""The live-values tracer: it observes without changing anything, and scalar.py and matrix.py agree on every pair.

The pairs are docs/pairs.yml's; words include one of one letter and one of sixteen, at initialisation and after
training. The build's views are reproducible byte for byte, and a broken pair fails the strict build.
"""
import copy
import json
import pathlib
import subprocess
import sys

import pytest

from microgpt import matrix, scalar, trace
from microgpt import trace_view
from site_builder import live_values

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAIRS = ROOT / "docs" / "pairs.yml"


@pytest.fixture(scope="module")
def start(names_path):
    docs, chars, weights = matrix.setup(matrix.load_docs(names_path), 42)
    trained = copy.deepcopy(weights)
    for _ in matrix.train(trained, docs, chars, 30):
        pass
    return chars, {"init": weights, "trained": trained}


def as_values(weights):
    return {k: [[scalar.Value(x) for x in row] for row in m] for k, m in weights.items()}


def traced(chars, weights, word):
    return trace_view.trace_both(weights, chars, word)


@pytest.mark.parametrize("word", ["a", "emma", "olivia", "abcdefghijklmnop"])
@pytest.mark.parametrize("state", ["init", "trained"])
def test_every_pair_agrees_between_the_files(start, word, state):
    chars, weights = start
    pairs = live_values.load_pairs(PAIRS)
    results = trace_view.compare(pairs, traced(chars, weights[state], word))  # raises PairMismatch on a disagreement
    assert [r["id"] for r in results] == [p["id"] for p in pairs]
    positions = min(len(word) + 1, matrix.block_size)
    by_id = {r["id"]: r for r in results}
    assert len(by_id["query"]["deltas"]) == positions
    assert len(by_id["attention-weights"]["deltas"]) == positions * matrix.n_head
    assert all(d["delta"] <= 1e-12 for r in results for d in r["deltas"])


def test_a_disagreement_is_caught(start):
    chars, weights = start
    records = traced(chars, weights["init"], "emma")
    loss = next(r for r in records["matrix"] if r.get("name") == "loss")
    loss["value"] += 1e-9
    with pytest.raises(trace_view.PairMismatch, match="'loss' disagrees"):
        trace_view.compare(live_values.load_pairs(PAIRS), records)
    assert trace_view.compare(live_values.load_pairs(PAIRS), records, strict=False)  # the page shows it instead


@pytest.mark.parametrize("model", [matrix, scalar], ids=["matrix", "scalar"])
def test_the_traced_step_is_the_untraced_step(start, model):
    chars, weights = start
    make = (lambda: as_values(weights["trained"])) if model is scalar else (lambda: copy.deepcopy(weights["trained"]))
    traced_weights, plain = make(), make()
    records = trace.trace(model, traced_weights, chars, "olivia")
    line, name = (line_of(matrix, "loss = -sum"), "loss") if model is matrix else (line_of(scalar, "return (1 / n)"), "return")
    loss = next(r["value"] for r in records if r["phase"] == "step" and r["line"] == line and r["name"] == name)
    untraced = model.loss_fn(make(), model.encode("olivia", chars))
    assert loss == (untraced[0] if model is matrix else untraced.data)  # exactly
    next(model.train(plain, ["olivia"], chars, 1))
    data = lambda ws: {k: [[getattr(p, "data", p) for p in row] for row in m] for k, m in ws.items()}
    assert data(traced_weights) == data(plain)  # the traced step moved the weights exactly as an untraced one


def line_of(model, text):
    return next(n for n, line in enumerate(pathlib.Path(model.__file__).read_text().splitlines(), 1) if text in line)


def test_records_carry_context_and_summaries(start):
    chars, weights = start
    records = trace.trace(scalar, as_values(weights["init"]), chars, "emma")
    attn = [r for r in records if r.get("name") == "attn" and r["phase"] == "step"]
    assert {(r["context"]["t"], r["context"]["head"]) for r in attn} == {(t, h) for t in range(5) for h in range(4)}
    assert all(len(r["value"]) == r["context"]["t"] + 1 and abs(sum(r["value"]) - 1) < 1e-12 for r in attn)
    assert all(r["context"]["layer"] == 0 for r in attn)
    q = {r["context"]["t"]: r for r in records if r.get("name") == "q" and r["phase"] == "step"}
    assert len(q[4]["grad"]) == 16 and any(g != 0 for g in q[4]["grad"])  # filled in when backward returned
    assert all(g == 0 for g in q[0]["grad"])  # t = 0 attends to itself alone: softmax of one score is 1, whatever q
    adam = [r for r in records if r["phase"] == "step" and r["line"] == line_of(scalar, "m[i] = beta1")]
    assert len(adam) == 1 and adam[0]["first"] and adam[0]["at_least"]  # one record for the loop over all parameters
    assert adam[0]["count"] >= trace.Tracer.HOT  # counted until it is switched off for speed
    meta = records[0]
    assert meta["phase"] == "meta" and meta["values_built"] > 10000
    loss, seen, stack = scalar.loss_fn(as_values(weights["init"]), scalar.encode("emma", chars)), set(), []
    stack.append(loss)
    while stack:  # every Value the loss depends on: what backward visits
        v = stack.pop()
        if v not in seen:
            seen.add(v)
            stack.extend(v.children)
    assert meta["values_visited"] == len(seen)
    assert not any(r["phase"] == "step" and "<genexpr>" in json.dumps(r) for r in records)
    weights_rec = next(r for r in records if r.get("name") == "weights")
    assert weights_rec["value"] == {"summary": "dict", "len": 9, "numbers": 4192}


def test_tracing_never_changes_the_sources(start):
    before = {m: pathlib.Path(m.__file__).read_bytes() for m in (scalar, matrix)}
    chars, weights = start
    traced(chars, weights["init"], "ava")
    assert before == {m: pathlib.Path(m.__file__).read_bytes() for m in (scalar, matrix)}


def cli(*args):
    return subprocess.run([sys.executable, "-m", "microgpt.trace", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("word, message", [
    ("", "the word is empty"),
    ("Emma", "'E' is not in the vocabulary"),
    ("é1", "'1', 'é' are not in the vocabulary"),
])
def test_cli_refuses_a_bad_word_in_one_line(word, message):
    run = cli(word)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and message in run.stderr and "Traceback" not in run.stderr


def test_cli_prints_json_lines_and_says_when_a_word_is_cut():
    run = cli("abcdefghijklmnopqrs", "--impl", "scalar")
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert "first 16 positions" in rows[0]["note"]
    assert {r["file"] for r in rows[1:]} == {"scalar.py"}
    assert max(r["context"].get("t", 0) for r in rows[1:] if r["phase"] == "step") == 15


def test_the_build_views_are_reproducible(names_path, tmp_path):
    first = live_values.build(names_path, PAIRS, tmp_path / "a")
    second = live_values.build(names_path, PAIRS, tmp_path / "b")
    assert first == second and set(first) == {"emma-init.json", "emma-trained.json"}
    view = json.loads(first["emma-init.json"])
    assert view["tokens"] == ["BOS", "e", "m", "m", "a", "BOS"] and len(view["pairs"]) >= 14


@pytest.mark.parametrize("change, problem", [
    (("q = linear(x, weights", "q = linear(y, weights"), "matches 0 lines"),
    (("name: q}", "name: qq}"), "computes q, not 'qq'"),
])
def test_a_broken_pair_fails_the_build(tmp_path, change, problem):
    broken = tmp_path / "pairs.yml"
    broken.write_text(PAIRS.read_text().replace(*change, 1))
    with pytest.raises(live_values.PairError, match=problem):
        live_values.load_pairs(broken)
