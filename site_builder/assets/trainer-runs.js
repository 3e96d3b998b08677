// The trainer's run records: one per Start, with its settings, its losses as they arrive and how it ended, and
// the words the legend shows for it (average loss, stopped or failed, and whether an earlier run of the other
// implementation with the same settings matches it). Pure: tests/node/trainer.test.mjs.
import { RUN_COLORS } from "./trainer-chart.js";

const fmt = (x) => x.toLocaleString("en");

/** A new run: id from the page's runtime client (unique in the page), settings as parsed by trainer-input.js. */
export function createRun(id, settings, ordinal) {
  return {
    id, impl: settings.impl, settings, losses: [], done: 0, end: null, // end: null | finished | stopped | failed
    color: RUN_COLORS[(ordinal - 1) % RUN_COLORS.length],
    label: `#${id} ${settings.impl} · seed ${settings.seed} · lr ${settings.lr} · ${fmt(settings.steps)} steps` +
           (settings.data ? " · your words" : ""),
  };
}

/** An earlier run of the other implementation with the same schedule and data: its losses should coincide. */
export function twinOf(runs, run) {
  const same = (a, b) => ["steps", "lr", "seed", "data"].every((k) => a.settings[k] === b.settings[k]);
  const other = runs.find((r) => r !== run && r.impl !== run.impl && same(r, run) && r.id < run.id);
  if (!other) return null;
  const n = Math.min(run.losses.length, other.losses.length);
  if (!n) return null;
  let diff = 0;
  for (let i = 0; i < n; i++) diff = Math.max(diff, Math.abs(run.losses[i] - other.losses[i]) / Math.abs(other.losses[i]));
  return { run: other, diff };
}

/** What the legend says of a twin: same schedule, and whether the losses agree (float rounding: < 1e-9). */
export function twinText(twin) {
  if (!twin) return "";
  const diff = `max rel. diff ${twin.diff.toExponential(0)}`;
  if (twin.diff === 0) return ` — same schedule as #${twin.run.id}, identical losses`;
  return twin.diff < 1e-9 ? ` — same schedule as #${twin.run.id}: matches run #${twin.run.id} (${diff})`
                          : ` — same schedule as #${twin.run.id}, yet the losses differ (${diff})`;
}

/** The legend's line for a run: label, average of the last `window` losses, how it ended, its twin. */
export function legendText(runs, run, window) {
  const tail = run.losses.slice(-window);
  const avg = tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : null;
  const twin = twinOf(runs, run);
  return run.label + (avg != null ? ` — avg loss ${avg.toFixed(3)}` : "") +
    (run.end === "failed" ? " (failed)" : run.end === "stopped" ? " (stopped)" : "") +
    twinText(twin);
}
