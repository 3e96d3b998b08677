// Unit tests of site_builder/assets/explorer/identifier_index.js (pure identifier logic): node --test tests/node/
import {test} from "node:test";
import assert from "node:assert/strict";
import {bindings, assignmentTargets, buildIndex, resolve, occurrences, summary}
  from "../../site_builder/assets/explorer/identifier_index.js";

// a line's identifier tokens, found the way the page's spans would be: names not inside strings or comments
const tokenize = (code, cls = {}) => [...code.matchAll(/[\p{L}_][\p{L}\p{N}_\u0300-\u036f\u2080-\u209c]*/gu)]
  .filter((m) => !["def", "for", "in", "return", "lambda", "function", "import", "as", "end", "if", "class"].includes(m[0]))
  .map((m) => ({text: m[0], start: m.index, cls: cls[m[0]] || "n"}));
const bound = (code, cls) => { const t = tokenize(code, cls); return [...bindings(code, t)].sort((a, b) => a - b).map((i) => t[i].text); };

test("assignment targets: top-level = and ←, not comparisons, augmented or keyword arguments", () => {
  assert.deepEqual(assignmentTargets("x = f(a=1)"), [[0, 2]]);
  assert.deepEqual(assignmentTargets("if a == b: pass"), []);
  assert.deepEqual(assignmentTargets("x += 1; y <= 2; z != 3"), []);
  assert.deepEqual(assignmentTargets("chars ← sort(docs);   BOS ← |chars|"), [[0, 6], [19, 26]]);
});

test("bindings: definitions, parameters, assignments, loops, lambdas, imports", () => {
  assert.deepEqual(bound("def rmsnorm(x, eps=eps):", {rmsnorm: "nf"}).sort(), ["eps", "rmsnorm", "x"]);
  assert.deepEqual(bound("head_dim = n_embd // n_head"), ["head_dim"]);
  assert.deepEqual(bound("n_layer, n_embd = 1, 16"), ["n_layer", "n_embd"]);
  assert.deepEqual(bound("m[i] = beta1 * m[i]"), []);  // an item is set, m is used
  assert.deepEqual(bound("self.data = data"), ["data"]);  // the attribute is bound, self and the value used
  assert.deepEqual(bound("x += delta"), []);
  assert.deepEqual(bound("for li, w in zip(a, b):"), ["li", "w"]);
  assert.deepEqual(bound("out = [v * k for v in vs]"), ["out", "v"]);  // the comprehension's variable at its for
  assert.deepEqual(bound("f = lambda rows, cols: rows"), ["f", "rows", "cols"]);
  assert.deepEqual(bound("import urllib", {urllib: "nn"}), ["urllib"]);
  assert.deepEqual(bound("except OSError as e:", {OSError: "nc"}).sort(), ["OSError", "e"]);
  assert.deepEqual(bound("    P_h ← softmax(S_h)", {softmax: "nb"}), ["P_h"]);
  assert.deepEqual(bound("function attention(H)", {attention: "nf"}), ["attention", "H"]);
  assert.deepEqual(bound("encode(doc) = [BOS] ++ doc", {encode: "nf"}), ["encode", "doc"]);
  assert.deepEqual(bound("    m̂ ← m / (1 − β₁)"), ["m̂"]);
});

const LINES = [
  {col: "scalar", code: "head_dim = n_embd // n_head"},
  {col: "scalar", code: "scores = [q / head_dim for q in qs]"},
  {col: "scalar", code: "attn = softmax(scores)", cls: {softmax: "n"}},
  {col: "matrix", code: "head_dim = n_embd // n_head"},
  {col: "matrix", code: "P = [softmax(row) for row in S]"},
  {col: "matrix", code: "Ph = P[h]"},
  {col: "pseudo", code: "P_h ← softmax(S_h)", cls: {softmax: "nb"}},
  {col: "pseudo", code: "S_h ← causal(Q_h / √head_dim)"},
].map((l) => ({...l, tokens: tokenize(l.code, l.cls)}));
const COLS = ["scalar", "matrix", "pseudo"], LABELS = {scalar: "scalar.py", matrix: "matrix.py", pseudo: "pseudocode"};
const ALIASES = [{scalar: ["attn"], matrix: ["P", "Ph"], pseudo: ["P_h"]}];

test("the index has every occurrence of a name, per column, with its definitions", () => {
  const index = buildIndex(LINES);
  const hd = index.get("head_dim");
  assert.deepEqual([...hd.keys()], COLS);
  assert.deepEqual(hd.get("scalar").map((t) => t.def), [true, false]);
  assert.deepEqual(hd.get("pseudo").map((t) => t.def), [false]);
  const total = LINES.reduce((n, l) => n + l.tokens.filter((t) => t.text === "head_dim").length, 0);
  assert.equal([...hd.values()].flat().length, total);
});

test("aliases: a listed name marks its entry's names; anything else the same spelling everywhere", () => {
  assert.deepEqual(resolve(ALIASES, COLS, "scalar", "attn"), {scalar: ["attn"], matrix: ["P", "Ph"], pseudo: ["P_h"]});
  assert.deepEqual(resolve(ALIASES, COLS, "matrix", "Ph"), {scalar: ["attn"], matrix: ["P", "Ph"], pseudo: ["P_h"]});
  assert.deepEqual(resolve(ALIASES, COLS, "pseudo", "attn"), {scalar: ["attn"], matrix: ["attn"], pseudo: ["attn"]});  // not pseudo's name
  assert.deepEqual(resolve([{scalar: ["gpt"], matrix: ["forward"]}], COLS, "scalar", "gpt"),
    {scalar: ["gpt"], matrix: ["forward"], pseudo: ["gpt"]});  // a column the entry leaves out keeps the spelling
});

test("the status counts definitions and uses per file and names the aliases", () => {
  const index = buildIndex(LINES);
  let t = resolve(ALIASES, COLS, "scalar", "head_dim");
  assert.equal(summary("head_dim", t, occurrences(index, t), LABELS),
    "head_dim: 1 definition, 1 use in scalar.py · 1 definition, 0 uses in matrix.py · 1 use in pseudocode");
  t = resolve(ALIASES, COLS, "scalar", "attn");
  const found = occurrences(index, t);
  assert.deepEqual(Object.fromEntries(Object.entries(found).map(([c, l]) => [c, l.length])), {scalar: 1, matrix: 3, pseudo: 1});
  assert.equal(summary("attn", t, found, LABELS),
    "attn: 1 definition, 0 uses in scalar.py · 2 definitions, 1 use in matrix.py (P, Ph) · 1 definition, 0 uses in pseudocode (P_h)");
  t = resolve(ALIASES, COLS, "scalar", "qs");
  assert.match(summary("qs", t, occurrences(index, t), LABELS), /none in matrix\.py · none in pseudocode$/);
});
