"""Live values: run scalar.py or matrix.py on one word and record what every executed line computes.

The tracer observes and never edits: `sys.settrace` watches the module's own frames, and after each statement
it reads the names the statement assigned (or the value it returned or appended) from the frame. Each record
carries its context — layer, position t, head h, and the line that called the function — so a line that runs
once per position or head keeps one value per position or head; a line that runs more often than that (Adam's
loop over 4,192 parameters, backward's walk over the graph) keeps its last value and a count.
One training step (forward, loss, backward, Adam) and one sampling run are traced. The explorer's build, the
page's worker and this command share the code:
    python -m microgpt.trace WORD --impl scalar|matrix [--seed S] [--steps N] [--data PATH]
prints JSON lines (file, line, context, name, value) that course authors can turn into their own figures.
"""
import argparse
import ast
import importlib
import json
import math
import random
import sys
import time

CONTEXT = {"li": "layer", "pos": "t", "h": "head"}  # loop variables and parameters that name a record's place
SKIPPED = ("<genexpr>", "<lambda>")  # sum(...)'s generator frames and init_params' matrix lambda are plumbing
FULL_NUMBERS = 4096  # a value with more numbers than this (the weights, the graph) is shown as a summary
EFFECTS = {  # call statements that return nothing: what they changed is their value
    "backward(loss)": ("grads", lambda f: {k: [[p.grad for p in row] for row in m] for k, m in f["weights"].items()}),
    "adam_step(": ("weights", lambda f: {k: [[getattr(p, "data", p) for p in row] for row in m] for k, m in f["weights"].items()}),
}


class WordError(ValueError):
    """The word cannot be traced: it is empty or has characters outside the vocabulary."""


# -- where each line's statement starts, what it assigns, and the loops around it ---------------------------
def statements(source):
    """{line: (its statement's first line, [what it computes], context names in scope, effect or None)}."""
    out = {}

    def visit(body, scope):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                params = {a.arg for a in node.args.args} & set(CONTEXT) if isinstance(node, ast.FunctionDef) else set()
                visit(node.body, params)
                continue
            inner = scope
            if isinstance(node, (ast.For, ast.While, ast.If, ast.With, ast.Try)):
                header_end = node.body[0].lineno - 1
                if isinstance(node, ast.For):
                    inner = scope | ({n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)} & set(CONTEXT))
                for line in range(node.lineno, header_end + 1):
                    out[line] = (node.lineno, None, scope, None)
                for part in (node.body, getattr(node, "orelse", []), getattr(node, "finalbody", [])):
                    visit(part, inner)
                for handler in getattr(node, "handlers", []):
                    visit(handler.body, scope)
                continue
            effect = next((EFFECTS[k] for k in EFFECTS if isinstance(node, ast.Expr) and ast.unparse(node).startswith(k)), None)
            entry = (node.lineno, [effect[0]] if effect else targets(node), scope, effect and effect[1])
            for line in range(node.lineno, node.end_lineno + 1):
                out[line] = entry

    visit(ast.parse(source).body, set())
    return out


def targets(node):
    """The source of what a simple statement computes: assigned names, 'return', an appended item, an effect."""
    if isinstance(node, ast.Assign):
        return [ast.unparse(t) for target in node.targets for t in flatten(target)]
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [ast.unparse(node.target)]
    if isinstance(node, ast.Return) or isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield):
        return ["return"]
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        call = node.value
        if isinstance(call.func, ast.Attribute) and call.func.attr == "append":
            return [ast.unparse(call.func.value) + "[-1]"]
        return []
    return []


def flatten(target):
    if isinstance(target, (ast.Tuple, ast.List)):
        return [t for elt in target.elts for t in flatten(elt)]
    return [target.value if isinstance(target, ast.Starred) else target]


# -- values as JSON: numbers exactly, Values as their data (and grad), big things as a summary ----------------
def snapshot(x, top=True):
    """A plain copy of x that later steps cannot change: a number, a vector or matrix of floats, or a summary.

    A tuple a line returns or unpacks shows each plain part; structures (caches, the weights, the graph) are
    summarised, since their parts have lines of their own."""
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if hasattr(x, "local_grads"):  # a scalar.py Value
        return x.data
    if isinstance(x, slice):
        return {"summary": "slice", "text": f"{x.start}:{x.stop}"}
    if isinstance(x, (list, tuple)):
        if not x:
            return []
        rows = plain(x)
        if rows is not None:
            return rows
        if isinstance(x, tuple) and top and len(x) <= 8:
            return [snapshot(v, False) for v in x]
    return summary(x)


def plain(x, level=0):
    """x copied as nested lists of floats, if it is a vector, a matrix (rows may differ in length, like the causal
    scores) or a list of matrices of numbers or Values, with at most FULL_NUMBERS of them; else None."""
    if not isinstance(x, (list, tuple)) or not x or level > 2 or len(x) > FULL_NUMBERS:
        return None
    first = x[0]
    if isinstance(first, (list, tuple)):
        rows = []
        for r in x:
            row = plain(r, level + 1)
            if row is None or nesting(row) != nesting(rows[0] if rows else row):
                return None
            rows.append(row)
        return rows if count(rows) <= FULL_NUMBERS else None
    if hasattr(first, "local_grads"):  # Values: their data
        try:
            return [v.data for v in x]
        except AttributeError:
            return None
    if isinstance(first, bool) or not isinstance(first, (int, float)):
        return None
    try:
        math.fsum(x)  # fast check that every entry is a number: anything else raises TypeError
    except TypeError:
        return None
    except OverflowError:  # inf - inf on the way: still numbers
        pass
    return list(x)


def nesting(x):
    d = 0
    while isinstance(x, list) and x:
        d, x = d + 1, x[0]
    return d


def count(rows):
    return sum(count(r) for r in rows) if rows and isinstance(rows[0], list) else len(rows)


def count_numbers(x, limit=FULL_NUMBERS):
    """How many numbers a nested list holds, or None if it holds anything else or more than the limit."""
    total, stack = 0, [x]
    while stack:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool) or hasattr(v, "local_grads"):
            total += 1
            if total > limit:
                return None
        else:
            return None
    return total


def summary(x):
    if isinstance(x, dict):
        numbers = sum(count_numbers(v, math.inf) or 0 for v in x.values())
        return {"summary": "dict", "len": len(x), "numbers": numbers}
    if isinstance(x, (list, tuple, set)):
        return {"summary": type(x).__name__, "len": len(x)}
    return {"summary": type(x).__name__}


def grads_of(x):
    """The .grad of every Value in a nested list, shaped like it; None where x holds no Values (or is no array)."""
    if isinstance(x, (list, tuple)) and plain(x) is None:  # checked once, not at every level below
        return None
    return grad_tree(x)


def grad_tree(x):
    if hasattr(x, "local_grads"):
        return x.grad
    if isinstance(x, (list, tuple)):
        inner = [grad_tree(v) for v in x]
        return inner if any(v is not None for v in inner) else None
    return None


# -- the tracer ------------------------------------------------------------------------------------------------
def own_code(module):
    """Every code object of the module's functions and classes, nested ones included."""
    out, stack = [], [v.__code__ for v in vars(module).values() if getattr(v, "__module__", None) == module.__name__
                      and hasattr(v, "__code__")]
    for cls in (v for v in vars(module).values() if isinstance(v, type) and v.__module__ == module.__name__):
        stack += [f.__code__ for f in vars(cls).values() if hasattr(f, "__code__")]
    while stack:
        code = stack.pop()
        if code not in out:
            out.append(code)
            stack += [c for c in code.co_consts if hasattr(c, "co_code")]
    return out


class Tracer:
    """Records, per (line, context), the value a statement computed, and how often it ran.

    sys.monitoring calls back only for the module's own functions (not Value's methods, not sum's generators),
    once per new line: a comprehension's iterations are one event. A line that repeats in one frame with no new
    layer, t or head (Adam's loop over 4,192 parameters, backward's walk over the graph) keeps its first value;
    after HOT runs its events are switched off until the frame returns, so its count reads "at least HOT"."""

    HOT = 256

    def __init__(self, module, phase):
        self.module, self.phase = module, phase
        self.file = module.__file__
        with open(self.file, encoding="utf-8") as f:
            self.stmts = statements(f.read())
        self.records, self.order = {}, []
        self.start_of = [0] * (max(self.stmts) + 2)  # line -> first line of its statement (a list: the hot path)
        for line, stmt in self.stmts.items():
            self.start_of[line] = stmt[0]
        # frame -> [statement it is running, its callers' context, {line: records} of repeats]; a frame that an
        # exception ends stays here (unwinding is not a local event) until the tracer exits
        self.frames = {}
        self.values_built, self.values_visited, self.switched_off = 0, 0, False
        self.compiled = {}
        value = getattr(module, "Value", None)
        self.value_init = value.__init__.__code__ if value else None
        self.codes = [c for c in own_code(module) if c.co_name not in SKIPPED and not c.co_qualname.startswith("Value.")]

    def __enter__(self):
        m, e = sys.monitoring, sys.monitoring.events
        self.tool = next(t for t in range(6) if m.get_tool(t) is None)
        m.use_tool_id(self.tool, "microgpt.trace")
        for event, callback in ((e.LINE, self.on_line), (e.PY_START, self.on_start), (e.PY_RESUME, self.on_start),
                                (e.PY_RETURN, self.on_return), (e.PY_YIELD, self.on_return)):
            m.register_callback(self.tool, event, callback)
        for code in self.codes:
            m.set_local_events(self.tool, code, e.LINE | e.PY_START | e.PY_RESUME | e.PY_RETURN | e.PY_YIELD)
        if self.value_init:
            m.set_local_events(self.tool, self.value_init, e.PY_START)
        return self

    def __exit__(self, *exc):
        m = sys.monitoring
        for code in self.codes + ([self.value_init] if self.value_init else []):
            m.set_local_events(self.tool, code, 0)
        m.free_tool_id(self.tool)
        self.frames.clear()

    def on_start(self, code, offset):
        if code is self.value_init:
            self.values_built += 1
            return
        frame = sys._getframe(1)
        self.frames[frame] = [0, self.outer_context(frame), {}]  # a generator's resume starts afresh

    def on_line(self, code, line):
        frame = sys._getframe(1)
        state = self.frames.get(frame)
        if state is None:
            return
        start, last = self.start_of[line], state[0]
        if start == last:
            return
        repeats = state[2]
        if last in repeats:
            recs = repeats[last]
            for rec in recs:
                rec["count"] += 1
                rec["first"] = True  # the value shown is its first run's
            state[0] = start
            if recs and recs[0]["count"] >= self.HOT:
                return self.switch_off(recs)
            return
        if last:
            recs = self.record(frame, last, None, state[1])
            if not self.stmts[last][2]:  # no layer, t or head of its own in this frame: later runs only count
                repeats[last] = recs
        state[0] = start
        if start in repeats and repeats[start] and repeats[start][0]["count"] >= self.HOT:
            return self.switch_off(repeats[start])

    def switch_off(self, recs):
        for rec in recs:
            rec["at_least"] = True  # its count stopped at HOT
        self.switched_off = True
        return sys.monitoring.DISABLE

    def on_return(self, code, offset, value):
        frame = sys._getframe(1)
        state = self.frames.pop(frame, None)
        if state and state[0]:
            if state[0] in state[2]:
                for rec in state[2][state[0]]:
                    rec["count"] += 1
            else:
                self.record(frame, state[0], value, state[1])
        if self.switched_off:  # the hot lines of the frame that ended hear again next time
            sys.monitoring.restart_events()
            self.switched_off = False
        if code.co_name == "backward" and self.value_init:
            self.values_visited = len(frame.f_locals.get("order", ()))
            self.fill_grads()

    def record(self, frame, line, returned, outer):
        _, names, scope, effect = self.stmts[line]
        recs = []
        if not names:
            return recs
        local = frame.f_locals
        context = dict(outer)
        for var in scope:
            if var in local:
                context[CONTEXT[var]] = local[var]
        ctx_key = tuple(context.get(k) for k in ("layer", "t", "head", "via"))
        for name in names:
            if name == "return":
                value = returned
            elif effect:
                value = effect(local)
            elif name in local:
                value = local[name]
            else:
                try:
                    value = self.evaluate(name, frame.f_globals, local)
                except Exception:  # a name the statement did not bind (an exception left the line early)
                    continue
            key = (line, name, ctx_key)
            rec = self.records.get(key)
            if rec is None:
                rec = self.records[key] = {"phase": self.phase, "line": line, "context": context, "name": name, "count": 0}
                self.order.append(key)
            rec["count"] += 1
            rec["value"] = snapshot(value, top=name == "return")
            if isinstance(value, dict) and all(plain(m) is not None for m in value.values()):
                rec["_raw"] = {k: snapshot(m) for k, m in value.items()}  # the page shows a summary; pairs compare all
            rec["_live"] = value if hasattr(self.module, "Value") else None
            recs.append(rec)
        return recs

    def evaluate(self, name, globals_, locals_):
        code = self.compiled.get(name) or self.compiled.setdefault(name, compile(name, "<target>", "eval"))
        return eval(code, globals_, locals_)

    def outer_context(self, frame):
        """Layer, position and head from the loops and parameters around the callers' lines, and the calling line."""
        out, f = {}, frame.f_back
        if f is not None and f.f_code.co_filename == self.file:
            out["via"] = self.start_of[f.f_lineno]
        while f is not None and f.f_code.co_filename == self.file:
            scope = self.stmts.get(f.f_lineno, (0, None, set()))[2]
            local = f.f_locals
            for var in scope:
                if CONTEXT[var] not in out and var in local:
                    out[CONTEXT[var]] = local[var]
            f = f.f_back
        return out

    def fill_grads(self):
        """At the end of backward every Value has its gradient: copy it into the records that hold Values."""
        for rec in self.records.values():
            grad = grads_of(rec.get("_live"))
            if grad is not None:
                rec["grad"] = grad

    def result(self, raw=False):
        """The records in the order their lines first ran; a helper's own lines (called from three or more
        places, like matmul or softmax) keep only shapes, since each caller's line shows the value it got."""
        callers = {}
        for line, name, context in self.order:
            callers.setdefault((line, name), set()).add(context[3])
        out = []
        for key in self.order:
            rec = dict(self.records[key])
            rec.pop("_live", None)
            if not raw:
                rec.pop("_raw", None)
            if len(callers[key[:2]]) >= 3:
                rec["value"] = shape(rec["value"])
                rec.pop("grad", None)
            out.append(rec)
        return out


def shape(value):
    """A value's kind and size: the summary a helper's line shows for its many calls."""
    if isinstance(value, list) and plain(value) is not None:
        dims, x = [], value
        while isinstance(x, list) and x:
            dims.append(len(x))
            x = x[0]
        return {"summary": "shape", "shape": dims}
    if isinstance(value, list):  # a tuple of parts
        return {"summary": "tuple", "items": [shape(v) for v in value]}
    return {"summary": "number"} if isinstance(value, float) else value


# -- what is traced: one step on the word, one sampling run -----------------------------------------------------
def check_word(word, chars, block_size):
    """The word as the model sees it, or WordError; a note when it is longer than the block size."""
    if not word:
        raise WordError("the word is empty: give at least one character")
    unknown = sorted(set(word) - set(chars))
    if unknown:
        shown = ", ".join(repr(c) for c in unknown)
        raise WordError(f"{shown} {'is' if len(unknown) == 1 else 'are'} not in the vocabulary "
                        f"({chars[0]}…{chars[-1]}, {len(chars)} characters)")
    if len(word) + 1 > block_size:
        return f"'{word}' is longer than the block size: traced on its first {block_size} positions"
    return None


def trace(module, weights, chars, word, learning_rate=0.01, temperature=0.5, seed=42, raw=False):
    """Records of one training step on `word` (which changes `weights`) and of one sampling run after it.
    With raw=True, records of dicts (the gradients, the weights) also carry them in full as "_raw"."""
    start = time.perf_counter()
    with Tracer(module, "step") as step:
        next(module.train(weights, [word], chars, 1, learning_rate))
    with Tracer(module, "sample") as sampling:
        module.sample(weights, chars, temperature, random.Random(seed))
    meta = {"phase": "meta", "word": word, "impl": module.__name__.rsplit(".", 1)[-1],
            "seconds": round(time.perf_counter() - start, 3)}
    if hasattr(module, "Value"):
        meta["values_built"], meta["values_visited"] = step.values_built, step.values_visited
    return [meta] + step.result(raw) + sampling.result(raw)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m microgpt.trace",
                                     description="Trace one training step and one sampling run on a word as JSON lines.")
    parser.error = lambda message: sys.exit(f"microgpt.trace: {message}")
    parser.add_argument("word")
    parser.add_argument("--impl", choices=("scalar", "matrix"), default="matrix")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--steps", type=int, default=0, help="train this many steps first, as the CLI does (0)")
    parser.add_argument("--data", metavar="PATH", help="names, one per line ($MICROGPT_NAMES, else a cached download)")
    args = parser.parse_args(argv)
    if args.steps < 0:
        sys.exit("microgpt.trace: --steps must be at least 0")
    module = importlib.import_module(f"microgpt.{args.impl}")
    try:
        docs, chars, weights = module.setup(module.load_docs(module.find_names(args.data)), args.seed)
        note = check_word(args.word, chars, module.block_size)
    except (module.DataError, WordError) as e:
        sys.exit(f"microgpt.trace: {e}")
    for _ in module.train(weights, docs, chars, args.steps):
        pass
    name = module.__file__.rsplit("/", 1)[-1]
    records = trace(module, weights, chars, args.word, seed=args.seed)
    if note:
        records[0]["note"] = note
    records[0].update(steps=args.steps, seed=args.seed)
    for rec in records:
        if rec["phase"] != "meta":
            rec = {"file": name, **rec}
        print(json.dumps(rec))


if __name__ == "__main__":
    main()
