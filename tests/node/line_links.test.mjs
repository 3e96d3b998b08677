// Unit tests of site_builder/assets/line_links.js (pure link logic): node --test tests/node/
import {test} from "node:test";
import assert from "node:assert/strict";
import {lineId, rangeHash, parseLineHash, clampRange, fingerprint, relocate, parseTargetHash,
  movedMessage, goneMessage}
  from "../../site_builder/assets/line_links.js";

const COLS = ["scalar", "matrix", "pseudo"];

test("line ids and hashes round-trip", () => {
  assert.equal(lineId("scalar", 42), "scalar-L42");
  assert.equal(rangeHash("scalar", 141, 142, "3f2a"), "scalar-L141-L142~3f2a");
  assert.equal(rangeHash("matrix", 7), "matrix-L7");
  assert.deepEqual(parseLineHash("#scalar-L141", COLS), {col: "scalar", a: 141, b: 141, fp: ""});
  assert.deepEqual(parseLineHash("#scalar-L141-L142", COLS), {col: "scalar", a: 141, b: 142, fp: ""});
  assert.deepEqual(parseLineHash("#scalar-L141-L142~3f2a", COLS), {col: "scalar", a: 141, b: 142, fp: "3f2a"});
  assert.deepEqual(parseLineHash("#" + rangeHash("pseudo", 3, 9, "00ff"), COLS), {col: "pseudo", a: 3, b: 9, fp: "00ff"});
});

test("hashes that are not line links, or name an unknown column, parse to null", () => {
  for (const h of ["", "#", "#concept-attention", "#scalar-Lx", "#scalar-L", "#other-L3", "#scalar-L3-", "#scalar-L3~XYZ"]) {
    assert.equal(parseLineHash(h, COLS), null, h);
  }
  assert.deepEqual(parseLineHash("#extra-L2", [...COLS, "extra"]).col, "extra");  // columns come from the caller
});

test("huge ranges parse and clamp in O(1)", () => {
  const t0 = performance.now();
  const big = clampRange(parseLineHash("#scalar-L1-L100000000", COLS), 300);
  const huge = clampRange(parseLineHash("#scalar-L1-L999999999999", COLS), 300);
  const absurd = clampRange(parseLineHash("#scalar-L1-L" + "9".repeat(5000), COLS), 300);
  assert.ok(performance.now() - t0 < 50);
  for (const r of [big, huge, absurd]) assert.deepEqual([r.a, r.b], [1, 300]);
});

test("reversed ranges, lines past the end and line 0 are errors with a message", () => {
  const rev = clampRange(parseLineHash("#matrix-L10-L5", COLS), 300);
  assert.match(rev.error, /reversed/);
  const past = clampRange(parseLineHash("#scalar-L9999", COLS), 300);
  assert.match(past.error, /has 300 lines: there is no line 9999/);
  assert.match(clampRange(parseLineHash("#scalar-L" + "9".repeat(40), COLS), 300).error, /has 300 lines/);
  assert.match(clampRange(parseLineHash("#scalar-L0", COLS), 300).error, /no line 0/);
  assert.equal(clampRange(parseLineHash("#scalar-L300", COLS), 300).error, undefined);
});

test("fingerprint: short, stable, whitespace-insensitive, text-sensitive", () => {
  const fp = fingerprint(["def f(x):", "    return x * 2"]);
  assert.match(fp, /^[0-9a-f]{4}$/);
  assert.equal(fingerprint(["def f(x):", "    return x * 2"]), fp);
  assert.equal(fingerprint(["def  f(x):  ", "\treturn x   * 2"]), fp);
  assert.notEqual(fingerprint(["def f(x):", "    return x * 3"]), fp);
  assert.notEqual(fingerprint(["def f(x):"]), fingerprint(["def f(x):", ""]));
  assert.equal(fingerprint([""]), fingerprint(["   "]));
});

const FILE = Array.from({length: 200}, (_, i) => `line ${i + 1} = ${i * 7 % 13}`);

test("relocate: unchanged, moved, gone", () => {
  const fp = fingerprint(FILE.slice(140, 142));  // lines 141-142
  assert.deepEqual(relocate({col: "scalar", a: 141, b: 142, fp}, FILE), {a: 141, b: 142, moved: false});
  const inserted = [...FILE.slice(0, 10), "# new", "# lines", ...FILE.slice(10)];
  assert.deepEqual(relocate({col: "scalar", a: 141, b: 142, fp}, inserted), {a: 143, b: 144, moved: true, from: 141});
  const removedAbove = [...FILE.slice(0, 10), ...FILE.slice(15)];
  assert.deepEqual(relocate({col: "scalar", a: 141, b: 142, fp}, removedAbove), {a: 136, b: 137, moved: true, from: 141});
  const deleted = [...FILE.slice(0, 140), ...FILE.slice(142)];
  assert.deepEqual(relocate({col: "scalar", a: 141, b: 142, fp}, deleted), {gone: true});
  assert.deepEqual(relocate({col: "scalar", a: 141, b: 142, fp: ""}, deleted), {a: 141, b: 142, moved: false});
  assert.deepEqual(relocate({col: "scalar", a: 1, b: 300, fp: "abcd"}, FILE), {gone: true});
});

test("relocate prefers the nearest match", () => {
  const file = ["x", "a", "b", "x", "x", "x", "a", "b"];
  const fp = fingerprint(["a", "b"]);
  assert.deepEqual(relocate({col: "c", a: 5, b: 6, fp}, file), {a: 7, b: 8, moved: true, from: 5});
  assert.deepEqual(relocate({col: "c", a: 3, b: 4, fp}, file), {a: 2, b: 3, moved: true, from: 3});
});

test("note and concept hashes, with unknown targets", () => {
  const concepts = ["attention", "mlp", "rmsnorm"];
  const notes = {attention: ["scores", "soft-max"], mlp: []};
  assert.deepEqual(parseTargetHash("#concept-mlp", concepts, notes), {kind: "concept", concept: "mlp"});
  assert.match(parseTargetHash("#concept-nope", concepts, notes).error, /no concept “nope”/);
  assert.deepEqual(parseTargetHash("#note-attention-soft-max", concepts, notes),
    {kind: "note", concept: "attention", note: "soft-max"});
  assert.match(parseTargetHash("#note-attention-gone", concepts, notes).error, /attention concept has no note “gone”/);
  assert.match(parseTargetHash("#note-nope-x", concepts, notes).error, /not in this explorer/);
  assert.equal(parseTargetHash("#scalar-L3", concepts, notes), null);
  assert.equal(parseTargetHash("", concepts, notes), null);
});

test("moved and gone messages name the file, the old and the new lines", () => {
  assert.equal(movedMessage("scalar.py", {a: 141, b: 141}, {a: 143, b: 143}),
    "scalar.py line 141 has moved to line 143 since this link was made.");
  assert.equal(movedMessage("scalar.py", {a: 141, b: 142}, {a: 143, b: 144}),
    "scalar.py lines 141\u2013142 have moved to lines 143\u2013144 since this link was made.");
  assert.equal(goneMessage("matrix.py", {a: 7, b: 7}, "Attention"),
    "matrix.py line 7 changed since this link was made: here is the concept that held it, Attention.");
  assert.match(goneMessage("matrix.py", {a: 7, b: 9}, "MLP"), /lines 7\u20139 changed .* held them, MLP\.$/);
  assert.match(goneMessage("matrix.py", {a: 7, b: Infinity}, "MLP"), /matrix\.py those lines changed/);
});
