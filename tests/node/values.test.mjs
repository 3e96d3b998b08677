// Unit tests of site_builder/assets/explorer/values_format.js (live values, the pure part): node --test
import {test} from "node:test";
import assert from "node:assert/strict";
import {num, dims, isArray, isRagged, compact, pick, lineText, pairText, axisLabels, isDistribution, scale, summaryText}
  from "../../site_builder/assets/explorer/values_format.js";

test("numbers read short, with a true minus and exponents only when needed", () => {
  assert.equal(num(3.365951), "3.366");
  assert.equal(num(-0.0312345), "\u22120.03123");
  assert.equal(num(0), "0");
  assert.equal(num(2.2e-16, 1), "2e-16");
  assert.equal(num(-1.5e-7), "\u22121.50e-7");
  assert.equal(num("inf"), "inf");
});

test("a value at a line's end: vectors, matrices, tuples, summaries", () => {
  assert.equal(compact(3.3659), "3.366");
  assert.equal(compact(26), "26");
  assert.equal(compact([0.123, -0.0345, 0.5, 0.7]), "[0.12, \u22120.035, \u2026 \u00d74]");
  assert.equal(compact([[1, 2], [3, 4], [5, 6]]), "3\u00d72");
  assert.equal(compact([[0.5], [0.1, 0.2], [0.3, 0.4, 0.5]]), "3 rows of 1\u20263");
  assert.equal(compact([[[1, 2], [3, 4]], 0.5]), "(2\u00d72, 0.5)");
  assert.equal(compact({summary: "dict", len: 9, numbers: 4192}), "9 entries \u00b7 4,192 numbers");
  assert.equal(compact({summary: "list", len: 39703}), "list of 39,703");
  assert.equal(compact("emma"), '"emma"');
  assert.equal(summaryText({summary: "shape", shape: [5, 16]}), "5\u00d716");
  assert.equal(summaryText({summary: "slice", text: "4:8"}), "slice 4:8");
  assert.deepEqual(dims([[1, 2, 3], [4, 5, 6]]), [2, 3]);
  assert.ok(isArray([[1, 2], [3, 4]]) && !isArray([[1, 2], [3]]) && isRagged([[1], [2, 3]]) && !isRagged([[1, 2], [3, 4]]));
});

const records = [
  {phase: "step", line: 142, context: {layer: 0, t: 0, head: 0}, name: "attn", count: 1, value: [1]},
  {phase: "step", line: 142, context: {layer: 0, t: 1, head: 0}, name: "attn", count: 1, value: [0.4, 0.6]},
  {phase: "step", line: 142, context: {layer: 0, t: 1, head: 1}, name: "attn", count: 1, value: [0.3, 0.7]},
  {phase: "step", line: 74, context: {via: 95}, name: "return", count: 1, value: {summary: "shape", shape: [5, 16]}},
  {phase: "step", line: 74, context: {via: 108}, name: "return", count: 1, value: {summary: "shape", shape: [5, 64]}},
  {phase: "step", line: 95, context: {layer: 0}, name: "Q", count: 1, value: [[1, 2], [3, 4]]},
  {phase: "step", line: 95, context: {layer: 0}, name: "K", count: 1, value: [[5, 6], [7, 8]]},
  {phase: "step", line: 192, context: {}, name: "m[i]", count: 257, first: true, at_least: true, value: 0.001},
  {phase: "sample", line: 142, context: {layer: 0, t: 1, head: 0}, name: "attn", count: 1, value: [0.9, 0.1]},
];

test("a line shows the record of the chosen phase, position and head", () => {
  const picked = pick(records, {phase: "step", t: 1, head: 1});
  assert.deepEqual(picked.get(142).map((e) => e.rec.value), [[0.3, 0.7]]);
  assert.equal(picked.get(74)[0].calls, 2);  // a helper called from two lines
  assert.deepEqual(picked.get(95).map((e) => e.name), ["Q", "K"]);
  assert.equal(lineText(picked.get(95)), "Q 2\u00d72 \u00b7 K 2\u00d72");
  assert.equal(lineText(picked.get(74)), "5\u00d716 (1 of 2 calls)");
  assert.equal(lineText(picked.get(192)), "0.001 (first of 257+)");
  assert.deepEqual(pick(records, {phase: "sample", t: 1, head: 0}).get(142)[0].rec.value, [0.9, 0.1]);
  assert.equal(pick(records, {phase: "step", t: 7, head: 0}).has(142), false);
});

test("the pair mark names the row and the difference", () => {
  const pair = {id: "q", label: "query q", scalar: 134, matrix: 95, deltas: [{t: 0, delta: 0}, {t: 3, delta: 2.2e-16}]};
  assert.equal(pairText(pair, "scalar", {t: 3, head: 0}), "= matrix row 3 \u00b7 |\u0394| 2e-16");
  assert.equal(pairText(pair, "matrix", {t: 0, head: 0}), "row 0 = scalar \u00b7 |\u0394| 0");
  assert.equal(pairText(pair, "scalar", {t: 9, head: 0}), "");
  const loss = {id: "loss", label: "loss", deltas: [{delta: 0}]};
  assert.equal(pairText(loss, "scalar", {t: 2, head: 1}), "= matrix \u00b7 |\u0394| 0");
});

test("axes, distributions and the colour scale", () => {
  const data = {tokens: ["BOS", "e", "m", "m", "a", "BOS"], chars: "abcdefghijklmnopqrstuvwxyz"};
  assert.deepEqual(axisLabels(5, data), ["BOS", "e", "m", "m", "a"]);
  assert.equal(axisLabels(27, data)[26], "BOS");
  assert.deepEqual(axisLabels(3, data), ["0", "1", "2"]);
  assert.ok(isDistribution([0.25, 0.75]) && !isDistribution([0.5, 0.6]) && !isDistribution([-0.5, 1.5]));
  const s = scale([[1, -2], [0.5, 0]]);
  assert.ok(s.diverging);
  assert.equal(s.at(-2), -1);
  assert.equal(scale([[0.2, 0.4]]).diverging, false);
});

test("several pairs on one line read as one mark with the largest difference", async () => {
  const {pairsText} = await import("../../site_builder/assets/explorer/values_format.js");
  const mk = (name, delta) => ({names: {scalar: name.toLowerCase(), matrix: name}, deltas: [{t: 3, delta}]});
  assert.equal(pairsText([mk("Q", 1e-16), mk("K", 3e-16), mk("V", 0)], "matrix", {t: 3, head: 0}),
               "Q, K, V row 3 = scalar \u00b7 |\u0394| 3e-16");
});

test("one step, slowly walks the lines in the order the step first ran them, at the chosen t and head", async () => {
  const {stepOrder} = await import("../../site_builder/assets/explorer/values_format.js");
  const recs = [
    {phase: "step", line: 10, context: {}, name: "a", count: 1, value: 1},
    {phase: "step", line: 12, context: {t: 0}, name: "b", count: 1, value: 1},
    {phase: "step", line: 11, context: {t: 1}, name: "c", count: 1, value: 1},
    {phase: "step", line: 12, context: {t: 1}, name: "b", count: 1, value: 2},
    {phase: "sample", line: 9, context: {}, name: "d", count: 1, value: 1},
    {phase: "step", line: 20, context: {}, name: "e", count: 1, value: 1},
  ];
  assert.deepEqual(stepOrder(recs, {t: 1, head: 0}), [10, 11, 12, 20]);
  assert.deepEqual(stepOrder(recs, {t: 0, head: 0}), [10, 12, 20]);
});
