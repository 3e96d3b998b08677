// The trainer panel's states and what moves it between them, as data: which buttons each state allows, how long
// a silent worker is tolerated in it, and next(state, event), which returns null for an event the state ignores
// (e.g. a second Start while loading). Pure: tests/node/trainer.test.mjs walks the tricky paths.
//   idle -start-> loading -ready-> running -stop-> stopping -finished-> sampling -samples-> idle
//   loading -offline-> waiting -online-> loading;  any busy state -reset/cancel-> idle;  -died-> dead
export const STATES = {
  idle: { start: true, stop: false, sample: true },
  loading: { start: false, stop: true, sample: false, hungAfterMs: 60_000 }, // Stop cancels the first 16 MB load
  waiting: { start: true, stop: true, sample: false }, // offline: waits for the browser's "online" (or a new Start)
  running: { start: false, stop: true, sample: false, hungAfterMs: 30_000 },
  stopping: { start: false, stop: false, sample: false, hungAfterMs: 10_000 },
  sampling: { start: false, stop: false, sample: false, hungAfterMs: 30_000 },
  dead: { start: true, stop: false, sample: false },
};

const BUSY = ["loading", "waiting", "running", "stopping", "sampling"];
const TABLE = {
  idle: { start: "loading", resample: "sampling", restart: "idle" },
  dead: { start: "loading", restart: "idle" },
  loading: { ready: "running", offline: "waiting", failed: "dead", cancel: "idle" },
  waiting: { online: "loading", start: "loading", cancel: "idle" },
  running: { stop: "stopping", finished: "sampling", failed: "idle", cancel: "idle" },
  stopping: { finished: "sampling", failed: "idle", cancel: "idle" },
  sampling: { samples: "idle", failed: "idle", cancel: "idle" },
};

/** The state after `event` in `state`, or null if the state ignores it. "died" and "reset" apply to every state. */
export function next(state, event) {
  if (event === "died") return "dead";
  if (event === "reset") return state === "dead" ? "dead" : "idle";
  return TABLE[state]?.[event] ?? null;
}

export const isBusy = (state) => BUSY.includes(state);
