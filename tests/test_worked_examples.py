"""The concept pages' worked examples are computed by running the code, not typed in."""
import math
import re

import pytest

import json
import pathlib

from microgpt import matrix
from site_builder import live_values, worked_examples

PAIRS = pathlib.Path(__file__).resolve().parent.parent / "docs" / "pairs.yml"


def init_view(names_path):
    return live_values.views(names_path, live_values.load_pairs(PAIRS))["init"]


@pytest.fixture(scope="module")
def examples(names_path):
    return worked_examples.examples(names_path, init_view(names_path))


def test_every_concept_has_an_example(examples):
    from microgpt.concepts import CONCEPTS
    assert set(examples) == set(CONCEPTS)
    assert all(len(text) > 80 for text in examples.values())


def test_numbers_match_an_independent_run(examples, names_path):
    docs, chars, weights = matrix.setup(matrix.load_docs(names_path), 42)
    tokens = matrix.encode("emma", chars)
    loss, _ = matrix.loss_fn(weights, tokens)
    assert str(tokens) in examples["tokenizer"]
    assert f"**{loss:.4f}**" in examples["loss"] and f"**{loss:.4f}**" in examples["overview"]
    assert "| 1 | " + docs[0] + " |" in examples["data"]
    rows = re.findall(r"^\| \d: \w+ \| (.*) \|$", examples["attention"], re.M)
    assert len(rows) == len(tokens) - 1
    for t, row in enumerate(rows):  # each row of attention weights sums to 1 over positions 0..t
        cells = [float(c) for c in row.split(" | ") if c.strip()]
        assert len(cells) == t + 1 and math.isclose(sum(cells), 1, abs_tol=0.003)
    agree = float(re.search(r"to within \*\*([0-9.e+-]+)\*\*", examples["backward"]).group(1))
    assert agree < 1e-10


def test_examples_follow_the_code_when_it_changes(examples, names_path, monkeypatch):
    drawn = matrix.init_params
    monkeypatch.setattr(matrix, "init_params", lambda vocab_size: drawn(vocab_size, std=0.5))
    changed = worked_examples.examples(names_path, init_view(names_path))
    assert changed["tokenizer"] == examples["tokenizer"]  # the tokenizer does not depend on the weights
    for concept in ("params", "attention", "loss", "backward"):
        assert changed[concept] != examples[concept], concept
    assert "standard deviation 0.50" in changed["params"]


def test_concept_pages_open_with_their_worked_example(site_dir, examples):
    for concept in ("tokenizer", "attention", "loss"):
        page = (site_dir / "concepts" / concept / "index.html").read_text(encoding="utf-8")
        assert 'id="example"' in page
        first_number = re.search(r"\d\.\d{3,4}|\[\d+(, \d+)+\]", examples[concept]).group(0)
        assert first_number in page, (concept, first_number)
        assert page.index('id="example"') < page.index("in the explorer")  # the example comes first


def test_the_attention_example_is_the_explorers_trace(site_dir):
    """The concept page's table and the explorer's live values are one trace: the same head-0 weights."""
    view = json.loads((site_dir / "assets" / "microgpt" / "values" / "emma-init.json").read_text())
    head0 = worked_examples.traced(view, "matrix", "P = [softmax(row)", "P", head=0)
    page = (site_dir / "concepts" / "attention" / "index.html").read_text(encoding="utf-8")
    for t, row in enumerate(head0):
        for p in row[:t + 1]:
            assert f"<td>{p:.3f}</td>" in page, (t, p)
