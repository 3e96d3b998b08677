// The trainer's loss chart: an SVG drawn by hand (no library), one faint line per step's loss and a bold moving
// average per run. Runs stay until cleared, so a reader can compare settings, and scalar against matrix from the
// same seed (scalar is drawn dashed, on top: where the curves coincide, both stay visible). Axes are labelled
// (step, loss) and a dashed line marks ln(vocabulary size), the loss of a uniform guess: ln 27 ≈ 3.30 for names.
const SVG = "http://www.w3.org/2000/svg";
export const RUN_COLORS = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"];
const PAD = { left: 54, right: 22, top: 10, bottom: 40 };
export const NAMES_VOCAB = 27; // 26 letters and BOS: the uniform guess of names.txt, until a run says its own

/** The uniform-guess losses to mark: ln(V) for each vocabulary size among the runs (names.txt's when none). */
export function uniformLines(runs) {
  const sizes = new Set(runs.map((r) => r.vocab ?? NAMES_VOCAB));
  if (!sizes.size) sizes.add(NAMES_VOCAB);
  return [...sizes].sort((a, b) => a - b).map((vocab) => ({ vocab, loss: Math.log(vocab) }));
}

const el = (name, attrs = {}, parent) => {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  parent?.append(node);
  return node;
};

/** A trailing moving average over `window` steps, as the reader's eye would smooth a noisy curve. */
export function movingAverage(values, window) {
  const out = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v - (i >= window ? values[i - window] : 0);
    out.push(sum / Math.min(i + 1, window));
  });
  return out;
}

/** The y range of every stored loss, by a loop: spreading 140,000+ losses into Math.min overflows the stack. */
export function lossRange(runs) {
  let lo = Infinity, hi = -Infinity;
  for (const run of runs) for (const v of run.losses) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return lo <= hi ? [lo, hi] : [1.5, 3.5];
}

function niceTicks(lo, hi, count) {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(+t.toFixed(10));
  return ticks;
}

export class LossChart {
  constructor(svg) {
    this.svg = svg;
    this.runs = [];
    this.pending = false;
    this.resizer = new ResizeObserver(() => this.draw());
    this.resizer.observe(svg);
  }

  dispose() { this.resizer.disconnect(); } // the panel is going: stop redrawing on resizes

  add(run) { // run: {id, label, impl, total, color}
    this.runs.push({ ...run, losses: [] });
    this.schedule();
  }

  push(id, losses) {
    const run = this.runs.find((r) => r.id === id);
    if (!run) return;
    run.losses.push(...losses);
    this.schedule();
  }

  /** A run that ended early (stopped or failed) no longer claims its planned length on the x axis. */
  end(id) {
    const run = this.runs.find((r) => r.id === id);
    if (run) { run.total = Math.max(1, run.losses.length); this.schedule(); }
  }

  /** The run's vocabulary size (the worker says it once the data is read): where its uniform guess lies. */
  vocab(id, size) {
    const run = this.runs.find((r) => r.id === id);
    if (run && run.vocab !== size) { run.vocab = size; this.schedule(); }
  }

  clear() {
    this.runs = [];
    this.schedule();
  }

  window(run) { return Math.max(5, Math.min(100, Math.round(run.total / 20))); }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  draw() {
    const { svg } = this;
    const width = svg.clientWidth || 600, height = svg.clientHeight || 260;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.replaceChildren();
    const plotW = width - PAD.left - PAD.right, plotH = height - PAD.top - PAD.bottom;
    const total = this.runs.length ? this.runs.reduce((m, r) => Math.max(m, r.total), 2) : 1000;
    const uniform = uniformLines(this.runs);
    let [lo, hi] = lossRange(this.runs);
    hi = Math.max(hi, uniform.at(-1).loss + 0.1); // the uniform guess is always in view: it is the yardstick
    lo = Math.min(lo, uniform[0].loss - 0.1);
    lo = Math.floor(lo * 2) / 2; hi = Math.ceil(hi * 2) / 2;
    if (hi - lo < 0.5) hi = lo + 0.5;
    const x = (step) => PAD.left + (step / total) * plotW;
    const y = (loss) => PAD.top + (1 - (loss - lo) / (hi - lo)) * plotH;
    this.axes({ width, height, plotH, total, lo, hi, x, y });
    this.uniform(uniform, { width, y });

    const line = (values) => values.map((v, i) => `${i ? "L" : "M"}${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`).join("");
    const ordered = [...this.runs].sort((a, b) => (a.impl === "scalar") - (b.impl === "scalar")); // scalar on top
    for (const run of ordered) {
      if (!run.losses.length) continue;
      const g = el("g", { class: `mgt-run mgt-run-${run.impl}`, "data-run": run.id, style: `--run-color:${run.color}` }, svg);
      el("path", { d: line(run.losses), class: "mgt-raw" }, g);
      el("path", { d: line(movingAverage(run.losses, this.window(run))), class: "mgt-avg" }, g);
    }
  }

  axes({ width, height, plotH, total, lo, hi, x, y }) {
    const axes = el("g", { class: "mgt-axes" }, this.svg);
    for (const t of niceTicks(lo, hi, 5)) {
      el("line", { x1: PAD.left, x2: width - PAD.right, y1: y(t), y2: y(t), class: "mgt-grid" }, axes);
      el("text", { x: PAD.left - 6, y: y(t), class: "mgt-tick mgt-tick-y" }, axes).textContent = t.toFixed(1);
    }
    for (const t of niceTicks(0, total, 6).filter(Number.isInteger)) {
      el("line", { x1: x(t), x2: x(t), y1: PAD.top + plotH, y2: PAD.top + plotH + 4, class: "mgt-axis" }, axes);
      el("text", { x: x(t), y: PAD.top + plotH + 17, class: "mgt-tick mgt-tick-x" }, axes).textContent = t.toLocaleString("en");
    }
    el("line", { x1: PAD.left, x2: width - PAD.right, y1: PAD.top + plotH, y2: PAD.top + plotH, class: "mgt-axis" }, axes);
    el("text", { x: PAD.left + (width - PAD.left - PAD.right) / 2, y: height - 5, class: "mgt-axis-label mgt-axis-x" }, axes).textContent = "step";
    const cy = PAD.top + plotH / 2;
    el("text", { x: 14, y: cy, transform: `rotate(-90 14 ${cy})`, class: "mgt-axis-label mgt-axis-y" }, axes).textContent = "loss";
  }

  uniform(lines, { width, y }) {
    const g = el("g", { class: "mgt-uniform" }, this.svg);
    for (const { vocab, loss } of lines) {
      el("line", { x1: PAD.left, x2: width - PAD.right, y1: y(loss), y2: y(loss), class: "mgt-uniform-line", "data-loss": loss }, g);
      el("text", { x: width - PAD.right - 4, y: y(loss) - 5, class: "mgt-uniform-label" }, g).textContent =
        `uniform guess: ln ${vocab} ≈ ${loss.toFixed(2)}`;
    }
  }
}
