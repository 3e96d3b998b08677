// The chart's pure parts in Node: the y range survives the 140,000 losses the page keeps (7 runs of 20,000 steps).
import { test } from "node:test";
import assert from "node:assert/strict";
import { lossRange, movingAverage, uniformLines } from "../../site_builder/assets/trainer-chart.js";

test("lossRange over 7 runs of 20,000 steps does not overflow the stack", () => {
  const runs = Array.from({ length: 7 }, (_, r) => ({ losses: Array.from({ length: 20000 }, (_, i) => 3.3 - i / 20000 - r / 100) }));
  assert.throws(() => Math.min(...runs.flatMap((x) => x.losses)), RangeError); // the old way fails here
  const [lo, hi] = lossRange(runs);
  assert.equal(hi, 3.3);
  assert.ok(Math.abs(lo - (3.3 - 19999 / 20000 - 0.06)) < 1e-12);
});

test("lossRange skips non-finite losses and defaults when there are none", () => {
  assert.deepEqual(lossRange([]), [1.5, 3.5]);
  assert.deepEqual(lossRange([{ losses: [Infinity, NaN] }]), [1.5, 3.5]);
  assert.deepEqual(lossRange([{ losses: [2, Infinity, 3] }]), [2, 3]);
});

test("movingAverage is a trailing mean", () => {
  assert.deepEqual(movingAverage([1, 3, 5, 7], 2), [1, 2, 4, 6]);
});

test("the uniform guess is ln 27 for names, ln V for each other vocabulary shown", () => {
  const [names] = uniformLines([]);
  assert.equal(names.vocab, 27);
  assert.ok(Math.abs(names.loss - 3.2958) < 1e-4, names.loss);
  assert.deepEqual(uniformLines([{ vocab: 27 }, { vocab: 12 }, { vocab: 27 }]).map((u) => u.vocab), [12, 27]);
});
