"""The in-page trainer's session: what the Web Worker (site_builder/assets/worker.mjs) runs in Pyodide, imported
from this wheel, so CPython tests (tests/test_session.py) and Node (tests/node/train.mjs) prove the page's code.
Not one of the readable implementations: it drives them as microgpt's main() does.

- `Run`: seeds and trains exactly as main() does, stepped in short time slices so that the worker hears Stop
  between two steps; mid-run samples draw from their own random.Random; a loss that is not finite, or a step
  failing on log(0) or an overflow, raises Diverged with the CLI's wording;
- `letter_probabilities(run, name, temperature)`: the distributions a sample was drawn from, letter by letter,
  from the run's own model module (its gpt or forward, and its softmax), so they are the sampler's numbers;
- `source_sha256()`: the sha256 of scalar.py and matrix.py as imported, for the page's integrity check;
- `trace_word(...)`: the explorer's live values for the reader's word or run (microgpt.trace_view).
"""

import hashlib
import importlib
import json
import math
import random
import time


def source_sha256():
    """The sha256 of each implementation file as imported, for the page's integrity check."""
    out = {}
    for impl in ("scalar", "matrix"):
        module = importlib.import_module(f"microgpt.{impl}")
        with open(module.__file__, "rb") as f:
            out[impl] = {"sha256": hashlib.sha256(f.read()).hexdigest(), "file": module.__file__}
    return out


class Diverged(Exception):
    """Training blew up (the CLI's main() words it the same): a loss that is not finite, or log(0), an overflow
    or a division by zero inside a step."""

    def __init__(self, step):
        super().__init__(f"training diverged at step {step} (the loss became infinite): try a smaller learning rate")


class Run:
    """One training run, seeded as microgpt's main(): seed, shuffle, vocabulary, init_params, train."""

    def __init__(self, impl, data_path, seed, num_steps, learning_rate):
        self.model = importlib.import_module(f"microgpt.{impl}")
        docs, self.chars, self.weights = self.model.setup(self.model.load_docs(data_path), seed)
        self.num_docs, self.vocab_size = len(docs), len(self.chars) + 1
        self.steps = self.model.train(self.weights, docs, self.chars, num_steps, learning_rate)
        self.peek_rng = random.Random(seed)  # mid-run samples: their own generator, training's stays untouched
        self.done, self.train_seconds = 0, 0.0

    def advance(self, seconds, until):
        """Train until the seconds have passed or step until is done; return [(step, loss, doc), ...]."""
        out, start = [], time.perf_counter()
        while self.done < until:
            try:
                step, loss, doc = next(self.steps)
            except StopIteration:
                break
            except (ValueError, OverflowError, ZeroDivisionError):
                raise Diverged(self.done + 1) from None
            if not math.isfinite(loss):
                raise Diverged(step + 1)
            self.done = step + 1
            out.append((step, loss, doc))
            if time.perf_counter() - start >= seconds:
                break
        self.train_seconds += time.perf_counter() - start
        return out

    def peek(self, count, temperature):
        return [self.model.sample(self.weights, self.chars, temperature, self.peek_rng) for _ in range(count)]

    def final_samples(self, count, temperature):  # the global random, as main() does: same names as the CLI
        return [self.model.sample(self.weights, self.chars, temperature) for _ in range(count)]

    def close(self):
        self.steps.close()  # runs train()'s finally: scalar.py turns the garbage collector back on


def letter_probabilities(run, name, temperature):
    """JSON {chars, rows, drawn}: for each position of a sampled name, then its end, softmax(logits / temperature)
    over the vocabulary (BOS last), as sample() computed it before drawing the next token (drawn[i])."""
    model, chars = run.model, run.chars
    bos = len(chars)
    unknown = sorted(set(name) - set(chars))
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not in this run's vocabulary")
    tokens = ([bos] + [chars.index(c) for c in name])[:model.block_size]
    drawn = ([chars.index(c) for c in name] + [bos])[:len(tokens)]
    scale = lambda logits: [logit / temperature for logit in logits]
    if hasattr(model, "gpt"):  # scalar.py: one position at a time with its keys and values, as its sample() does
        keys, values = [[] for _ in range(model.n_layer)], [[] for _ in range(model.n_layer)]
        rows = [[p.data for p in model.softmax(scale(model.gpt(run.weights, token, pos, keys, values)))]
                for pos, token in enumerate(tokens)]
    else:  # matrix.py: every position at once; the causal mask makes row i what sample() saw at step i
        rows = [model.softmax(scale(logits)) for logits in model.forward(run.weights, tokens)[0]]
    return json.dumps({"chars": chars, "rows": rows, "drawn": drawn})


trained_weights = {}  # (data path, seed, steps) -> matrix.py's weights after that many steps: retrained once


def trace_word(word, pairs_json, data_path, seed, state, run=None):
    """The explorer's live values for one word, as JSON (microgpt.trace_view, as the build makes them): from the
    seed's initial weights, from the build's 1000-step run (retrained here once), or from the reader's run."""
    from microgpt import matrix, trace, trace_view  # here: a training run never pays for the tracer's import
    if run is not None:
        chars, steps = run.chars, run.done
        weights = {k: [[getattr(p, "data", p) for p in row] for row in m] for k, m in run.weights.items()}
    else:
        steps = 1000 if state == "trained" else 0
        docs, chars, weights = matrix.setup(matrix.load_docs(data_path), seed)
        key = (data_path, seed, steps)
        if key not in trained_weights:
            for _ in matrix.train(weights, docs, chars, steps):
                pass
            trained_weights[key] = weights
        weights = trained_weights[key]
    trace.check_word(word, chars, matrix.block_size)  # a WordError says which character is not in the vocabulary
    records = trace_view.trace_both(weights, chars, word, seed)
    view = trace_view.page_view(records, json.loads(pairs_json), chars, word, state, steps, seed, strict=False, timings=True)
    return json.dumps(view)
