// Unit tests of the explorer's pure parts (explorer/*.js): where a deep link leads, which notes follow the reader,
// range and key arithmetic, where a note or the popover goes. Run by tests/test_node_units.py.
import {test} from "node:test";
import assert from "node:assert/strict";
import {parseTarget, locateLink} from "../../site_builder/assets/explorer/deep_links.js";
import {leadingFirst, notesAt, lineToReturnTo, MAX_READING} from "../../site_builder/assets/explorer/note_follow.js";
import {between, rangeAt} from "../../site_builder/assets/explorer/ranges.js";
import {stepIndex} from "../../site_builder/assets/explorer/roving.js";
import {moveIndex} from "../../site_builder/assets/explorer/keys.js";
import {inlineSpan} from "../../site_builder/assets/explorer/note_place.js";
import {popoverPlace} from "../../site_builder/assets/explorer/popover.js";
import {toastMs} from "../../site_builder/assets/explorer/toast.js";
import {fingerprint} from "../../site_builder/assets/line_links.js";

const COLS = ["scalar", "matrix", "pseudo"];

test("a #fragment names lines, a concept, a note, something unknown, or nothing of ours", () => {
  assert.deepEqual(parseTarget("#scalar-L3-L5~3f2a", COLS), {kind: "lines", link: {col: "scalar", a: 3, b: 5, fp: "3f2a"}});
  assert.deepEqual(parseTarget("#concept-attention", COLS), {kind: "concept", id: "attention"});
  assert.deepEqual(parseTarget("#note-attention-scores", COLS), {kind: "note", id: "note-attention-scores"});
  assert.deepEqual(parseTarget("#concept-Attention", COLS), {kind: "unknown"});  // not a concept id: said so
  assert.deepEqual(parseTarget("#note-", COLS), {kind: "unknown"});
  for (const h of ["", "#", "#train", "#other-L3"]) assert.equal(parseTarget(h, COLS), null, h);
});

const FILE = ["def f(x):", "    return x", "", "def g(y):", "    return y * 2", "", "print(g(1))"];
const where = (over = {}) => ({last: FILE.length, text: FILE, name: "scalar.py", titleOf: (c) => c.toUpperCase(),
  conceptNear: (n) => (n <= 3 ? "intro" : n <= 7 ? "rest" : undefined), ...over});
const fp = (a, b, lines = FILE) => fingerprint(lines.slice(a - 1, b));

test("a plain line link is clamped to its file", () => {
  assert.deepEqual(locateLink({col: "scalar", a: 2, b: 99, fp: ""}, where()), {col: "scalar", a: 2, b: 7, fp: ""});
  assert.match(locateLink({col: "scalar", a: 50, b: 50, fp: ""}, where()).error, /has 7 lines/);
  assert.match(locateLink({col: "scalar", a: 0, b: 2, fp: ""}, where()).error, /no line 0/);
});

test("a fingerprinted link stays, follows its lines where they moved, or leads to the concept that held them", () => {
  const here = {col: "scalar", a: 4, b: 5, fp: fp(4, 5)};
  assert.deepEqual(locateLink(here, where()), {...here});
  const moved = ["# a new first line", ...FILE];
  const found = locateLink(here, where({text: moved, last: moved.length}));
  assert.equal(found.a, 5); assert.equal(found.b, 6);
  assert.match(found.message, /scalar\.py lines 4–5 have moved to lines 5–6/);
  const gone = locateLink({col: "scalar", a: 2, b: 2, fp: "ffff"}, where());
  assert.equal(gone.concept, "intro");
  assert.match(gone.message, /here is the concept that held it, INTRO/);
  assert.match(locateLink({col: "scalar", a: 2, b: 2, fp: "ffff"}, where({conceptNear: () => undefined})).error, /no lines in this explorer/);
  assert.equal(locateLink({col: "scalar", a: 50, b: 50, fp: "ffff"}, where()).concept, "rest");  // past the end: the last line's
  assert.match(locateLink({col: "scalar", a: 5, b: 4, fp: "ffff"}, where()).error, /reversed/);  // fingerprint or not
});

const note = (id, ...spans) => ({id, spans: spans.map(([col, a, b = a]) => ({col, a, b})), lines: []});

test("a line's notes lead with those that start on it", () => {
  const long = note("long", ["scalar", 1, 9]), here = note("here", ["matrix", 2], ["scalar", 5, 6]);
  assert.deepEqual(leadingFirst([long, here], "scalar-L5").map((n) => n.id), ["here", "long"]);
  assert.deepEqual(leadingFirst([long, here], "scalar-L1").map((n) => n.id), ["long", "here"]);
  assert.deepEqual(leadingFirst([long, here], "scalar-L7").map((n) => n.id), ["long", "here"]);  // neither starts: as they were
});

test("the reading position's notes: each once, in line order, at most a few", () => {
  const [a, b, c, d, e] = "abcde".split("").map((id) => note(id));
  const of = new Map([[1, [a, b]], [2, [b, c]], [3, []], [4, [d, e]]]);
  assert.deepEqual(notesAt([1, 2, 3], (ln) => of.get(ln)).map((n) => n.id), ["a", "b", "c"]);
  assert.equal(notesAt([1, 2, 3, 4], (ln) => of.get(ln)).length, MAX_READING);
  assert.deepEqual(notesAt([3], (ln) => of.get(ln)), []);
});

test("Esc from a note goes back to the line the reader came from, if it is the note's", () => {
  const hidden = {offsetParent: null}, shown = {offsetParent: {}}, other = {offsetParent: {}};
  const n = {lines: [hidden, shown]};
  assert.equal(lineToReturnTo(n, hidden), hidden);
  assert.equal(lineToReturnTo(n, other), shown);  // not one of its lines: its first line shown
  assert.equal(lineToReturnTo(n, null), shown);
});

test("ranges: either way round; a line inside the selection means the selection", () => {
  assert.deepEqual(between(9, 4), {a: 4, b: 9});
  const sel = {col: "matrix", a: 10, b: 12};
  assert.equal(rangeAt(sel, "matrix", 11), sel);
  assert.deepEqual(rangeAt(sel, "matrix", 13), {col: "matrix", a: 13, b: 13});
  assert.deepEqual(rangeAt(sel, "scalar", 11), {col: "scalar", a: 11, b: 11});
  assert.deepEqual(rangeAt(null, "scalar", 2), {col: "scalar", a: 2, b: 2});
});

test("keys move along the file and stop at its ends", () => {
  assert.equal(stepIndex(0, -1, 10), 0);
  assert.equal(stepIndex(5, 20, 10), 9);
  assert.equal(moveIndex("ArrowDown", 3, 10), 4);
  assert.equal(moveIndex("PageUp", 3, 10), 0);
  assert.equal(moveIndex("Home", 7, 10), 0);
  assert.equal(moveIndex("End", 0, 10), 9);
  assert.equal(moveIndex("ArrowLeft", 3, 10), null);
  assert.equal(moveIndex("Enter", 3, 10), null);
});

test("an inline note follows its span in the first visible column that it covers", () => {
  const n = note("n", ["scalar", 3, 4], ["pseudo", 8]);
  assert.deepEqual(inlineSpan(n, ["matrix", "pseudo", "scalar"]), {col: "pseudo", a: 8, b: 8});
  assert.deepEqual(inlineSpan(n, ["scalar", "pseudo"]), {col: "scalar", a: 3, b: 4});
  assert.equal(inlineSpan(n, ["matrix"]), undefined);
});

test("the popover goes below its line when it fits, else above, always inside the window", () => {
  const view = {w: 400, h: 800}, size = {w: 300, h: 200};
  assert.deepEqual(popoverPlace({top: 100, bottom: 120, left: 50}, size, view), {top: 124, left: 74});
  assert.deepEqual(popoverPlace({top: 700, bottom: 720, left: 50}, size, view), {top: 496, left: 74});
  assert.equal(popoverPlace({top: 100, bottom: 120, left: 390}, size, view).left, 92);  // not past the right edge
  assert.equal(popoverPlace({top: 10, bottom: 700, left: 0}, {w: 300, h: 790}, view).top, 4);  // not above the top
});

test("a message stays long enough to read", () => {
  assert.equal(toastMs("Copied"), 2500);
  assert.ok(toastMs("x".repeat(200)) > toastMs("x".repeat(100)));
});
