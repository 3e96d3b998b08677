/* Live values, the pure part: which traced record a line shows for the chosen position and head, and how a value
   reads in a few characters at the end of its line ("[0.12, −0.03, … ×16]", "5×16", "3.3660"), as a table,
   and beside its counterpart in the other file. No DOM here, so Node tests it (tests/node/values.test.mjs). */

const MINUS = "\u2212";

/** A number in at most `digits` significant figures, a true minus sign, no "-0". */
export function num(x, digits = 4) {
  if (typeof x === "string") return x;  // "inf" / "nan" from the build
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  const text = a >= 1e-3 && a < 1e5 ? Number(x.toPrecision(digits)).toString() : x.toExponential(Math.max(0, digits - 2)).replace("e+", "e");
  return text.replace(/^-/, MINUS);
}

/** Rows × columns of a nested array, e.g. [5, 16]; [] for a number. */
export function dims(value) {
  const out = [];
  let v = value;
  while (Array.isArray(v)) { out.push(v.length); v = v[0]; }
  return out;
}

/** Is every leaf a number (or "inf"/"nan") and every row of one length? */
export function isArray(value) {
  if (!Array.isArray(value)) return false;
  const d = dims(value);
  const check = (v, depth) => depth === d.length ? typeof v === "number" || typeof v === "string"
    : Array.isArray(v) && v.length === d[depth] && v.every((x) => check(x, depth + 1));
  return d.length <= 3 && check(value, 0);
}

/** Rows of numbers of different lengths, like the causal scores S (row t has t + 1 entries). */
export function isRagged(value) {
  return Array.isArray(value) && value.length > 1 && value.every((r) => Array.isArray(r) && r.every((x) => typeof x === "number"))
    && new Set(value.map((r) => r.length)).size > 1;
}

/** What a summary record says: "dict · 9 · 4,192 numbers", "list of 5,361", "5×16". */
export function summaryText(s) {
  if (s.summary === "shape") return s.shape.join("\u00d7");
  if (s.summary === "number") return "a number";
  if (s.summary === "slice") return `slice ${s.text}`;
  if (s.items) return `(${s.items.map((x) => (x && x.summary ? summaryText(x) : compact(x))).join(", ")})`;
  if (s.summary === "dict") return `${s.len} entries · ${s.numbers.toLocaleString("en")} numbers`;
  if ("len" in s) return `${s.summary} of ${s.len.toLocaleString("en")}`;
  return s.summary;
}

/** A value in a few characters, for the end of its line. */
export function compact(value) {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < 1e6 ? String(value).replace("-", MINUS) : num(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (!Array.isArray(value)) return summaryText(value);
  if (isRagged(value)) {
    const lens = value.map((r) => r.length);
    return `${value.length} rows of ${Math.min(...lens)}\u2026${Math.max(...lens)}`;
  }
  if (!isArray(value)) return `(${value.map(compact).join(", ")})`;
  const d = dims(value);
  if (d.length === 1) {
    if (value.length <= 3) return `[${value.map((x) => num(x, 3)).join(", ")}]`;
    return `[${num(value[0], 2)}, ${num(value[1], 2)}, \u2026 \u00d7${value.length}]`;
  }
  return d.join("\u00d7");
}

/** The records a line shows: those of its phase whose t and head (where they have one) are the chosen ones.
    Returns {line: [{name, rec, calls}]}, one entry per name, `calls` counting records of other callers. */
export function pick(records, { phase, t, head }) {
  const out = new Map();
  for (const rec of records) {
    if (rec.phase !== phase) continue;
    const c = rec.context || {};
    if ("t" in c && c.t !== t) continue;
    if ("head" in c && c.head !== head) continue;
    if (!out.has(rec.line)) out.set(rec.line, []);
    const names = out.get(rec.line);
    const seen = names.find((n) => n.name === rec.name);
    if (seen) seen.calls += 1;
    else names.push({ name: rec.name, rec, calls: 1 });
  }
  return out;
}

/** How a repeated line's value was kept: "first of 4,192", "first of 257+" (counting stopped), "last of 16". */
export function runs(rec) {
  return `${rec.first ? "first" : "last"} of ${rec.count.toLocaleString("en")}${rec.at_least ? "+" : ""}`;
}

/** The text at a line's end: one value as is, several as "Q 5×16 · K 5×16". */
export function lineText(entries) {
  const one = (e) => compact(e.rec.value) + (e.calls > 1 ? ` (1 of ${e.calls} calls)` : e.rec.count > 1 ? ` (${runs(e.rec)})` : "");
  if (entries.length === 1) return one(entries[0]);
  return entries.map((e) => `${e.name} ${one(e)}`).join(" \u00b7 ");
}

/** The pair mark: "= matrix row 3 · |Δ| 2e-16" on the scalar line, "row 3 = scalar · |Δ| …" on the matrix one. */
export function pairText(pair, side, { t, head }) {
  const d = pair.deltas.find((x) => (!("t" in x) || x.t === t) && (!("head" in x) || x.head === head));
  if (!d) return "";
  const delta = d.delta === 0 ? "0" : num(d.delta, 1);
  const row = "t" in d ? ` row ${d.t}` : "";
  return side === "scalar" ? `= matrix${row} \u00b7 |\u0394| ${delta}` : `${row ? `row ${d.t} ` : ""}= scalar \u00b7 |\u0394| ${delta}`;
}

/** The marks of every pair on one line (matrix.py's Q, K, V line holds three): one pair's text as is, several
    as "Q, K, V row 3 = scalar · |Δ| 2e-16" with the largest difference. */
export function pairsText(pairs, side, choice) {
  if (pairs.length === 1) return pairText(pairs[0], side, choice);
  const found = pairs.map((p) => p.deltas.find((x) => (!("t" in x) || x.t === choice.t) && (!("head" in x) || x.head === choice.head))).filter(Boolean);
  if (!found.length) return "";
  const worst = { ...found[0], delta: Math.max(...found.map((d) => d.delta)) };
  const names = pairs.map((p) => (p.names ? p.names[side] : p.id)).join(", ");
  return `${names} ${pairText({ deltas: [worst] }, side, choice)}`;
}

/** Labels for a table's rows or columns of length n: the word's tokens, the vocabulary, or indices. */
export function axisLabels(n, { tokens, chars }) {
  if (tokens && n === tokens.length - 1) return tokens.slice(0, n);
  if (chars && n === chars.length + 1) return [...chars, "BOS"];
  return Array.from({ length: n }, (_, i) => String(i));
}

/** Is this vector a probability distribution (non-negative, summing to 1)? */
export function isDistribution(v) {
  if (!Array.isArray(v) || v.length < 2 || !v.every((x) => typeof x === "number" && x >= 0)) return false;
  return Math.abs(v.reduce((a, b) => a + b, 0) - 1) < 1e-4;
}

/** Colour strength in [-1, 1] for a heatmap: sequential (0..max) for non-negative data, diverging otherwise. */
export function scale(values) {
  const flat = values.flat(2).filter((x) => typeof x === "number");
  const max = Math.max(1e-300, ...flat.map(Math.abs).slice(0, 5000));
  const diverging = flat.some((x) => x < 0);
  return { diverging, at: (x) => (typeof x === "number" ? x / max : 0) };
}

/** The lines of one file in the order a training step first ran them (at the chosen t and head): the path
    "one step, slowly" walks, forward → loss → backward → Adam. */
export function stepOrder(records, { t, head }) {
  const seen = new Set(), out = [];
  for (const line of pick(records, { phase: "step", t, head }).keys()) {
    if (!seen.has(line)) { seen.add(line); out.push(line); }
  }
  return out;
}
