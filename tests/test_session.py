"""microgpt/session.py, the in-page trainer's session, in CPython: the same module the worker imports from the
wheel (tests/test_trainer_node.py runs it in Pyodide). A Run trains as main() does, in slices that add up to the
same losses; lr 1 ends in Diverged with the CLI's sentence; a sample's letter probabilities are distributions
over the vocabulary; source_sha256 hashes the files as imported."""
import hashlib
import json
import math

import pytest

from microgpt import matrix, scalar, session

STEPS, SEED = 12, 42


@pytest.mark.parametrize("model", [scalar, matrix], ids=["scalar", "matrix"])
def test_a_run_in_slices_trains_as_main_does(model, names_path):
    docs, chars, weights = model.setup(model.load_docs(names_path), SEED)
    expected = [loss for _, loss, _ in model.train(weights, docs, chars, STEPS, 0.01)]
    run = session.Run(model.__name__.split(".")[-1], str(names_path), SEED, STEPS, 0.01)
    rows = run.advance(0, STEPS) + run.advance(1e9, 5) + run.advance(1e9, STEPS)  # one step, to 5, the rest
    run.close()
    assert [loss for _, loss, _ in rows] == expected
    assert [step for step, _, _ in rows] == list(range(STEPS)) and run.done == STEPS
    assert (run.num_docs, run.vocab_size) == (len(docs), len(chars) + 1)


def test_lr_1_diverges_in_the_clis_words(names_path):
    run = session.Run("matrix", str(names_path), SEED, 50, 1.0)
    with pytest.raises(session.Diverged, match=r"^training diverged at step \d+ \(the loss became infinite\): try a smaller learning rate$"):
        run.advance(1e9, 50)
    run.close()


@pytest.mark.parametrize("impl", ["scalar", "matrix"])
def test_letter_probabilities_are_distributions_over_the_vocabulary(impl, names_path):
    run = session.Run(impl, str(names_path), SEED, 3, 0.01)
    run.advance(1e9, 3)
    view = json.loads(session.letter_probabilities(run, "emma", 0.5))
    assert len(view["rows"]) == len("emma") + 1 and len(view["chars"]) == run.vocab_size - 1
    assert all(len(row) == run.vocab_size and math.isclose(sum(row), 1.0) for row in view["rows"])
    assert view["drawn"] == [view["chars"].index(c) for c in "emma"] + [run.vocab_size - 1]
    with pytest.raises(ValueError, match="not in this run's vocabulary"):
        session.letter_probabilities(run, "é", 0.5)
    run.close()


def test_source_sha256_hashes_the_files_as_imported():
    for impl, info in session.source_sha256().items():
        module = {"scalar": scalar, "matrix": matrix}[impl]
        assert info["file"] == module.__file__
        with open(module.__file__, "rb") as f:
            assert info["sha256"] == hashlib.sha256(f.read()).hexdigest()
