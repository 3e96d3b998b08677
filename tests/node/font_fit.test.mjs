// Unit tests of site_builder/assets/explorer/font_fit.js (the "fit" font size): run by tests/test_settings_node.py
import {test} from "node:test";
import assert from "node:assert/strict";
import {fitFontSize, displayLength, STEP} from "../../site_builder/assets/explorer/font_fit.js";

const CW = 0.602;  // DejaVu Sans Mono: px of width per px of size

test("one column: the largest step whose longest line fits", () => {
  const {size, fits} = fitFontSize({widths: [881], longest: [128], charWidth: CW, padPerPx: 3.9});
  assert.ok(fits);
  assert.ok(size * (CW * 128 + 3.9) <= 881, "it fits");
  assert.ok((size + STEP) * (CW * 128 + 3.9) > 881, "one step more would not");
  assert.equal(size % STEP, 0);
});

test("several columns: the narrowest need decides", () => {
  const wide = fitFontSize({widths: [600, 600], longest: [40, 80], charWidth: CW}).size;
  assert.equal(wide, fitFontSize({widths: [600], longest: [80], charWidth: CW}).size);
  assert.ok(wide < fitFontSize({widths: [600], longest: [40], charWidth: CW, max: 99}).size);
});

test("never below the floor nor above the maximum", () => {
  assert.deepEqual(fitFontSize({widths: [283, 283, 283], longest: [128, 128, 110], charWidth: CW, padPerPx: 3.9}), {size: 10, fits: false});
  assert.deepEqual(fitFontSize({widths: [2000], longest: [20], charWidth: CW, max: 24}), {size: 24, fits: true});
  assert.deepEqual(fitFontSize({widths: [], longest: [], charWidth: CW, max: 20}), {size: 20, fits: true});
  assert.equal(fitFontSize({widths: [0], longest: [10], charWidth: CW}).size, 10);
  assert.equal(fitFontSize({widths: [500], longest: [0], charWidth: CW, max: 18}).size, 18, "an empty column needs nothing");
});

test("exact fits are not lost to rounding", () => {
  // 10 characters of 0.5 px per px in 60 px: exactly 12 px
  assert.equal(fitFontSize({widths: [60], longest: [10], charWidth: 0.5}).size, 12);
  assert.equal(fitFontSize({widths: [59.99], longest: [10], charWidth: 0.5}).size, 11.75);
});

test("display length: code points, combining marks take no room, tabs run to the next stop", () => {
  assert.equal(displayLength("x = 1"), 5);
  assert.equal(displayLength("m̂ ← m / (1 − β₁)"), 16);
  assert.equal(displayLength("Σ_t Wᵀx"), 7);
  assert.equal(displayLength("\tx"), 5);
  assert.equal(displayLength("ab\tx"), 5);
  assert.equal(displayLength("😀"), 1);
});
