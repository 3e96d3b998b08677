// The in-page trainer's panel (templates/trainer.html): takes the settings from trainer-form.js, moves through the states of
// trainer-states.js, talks to the page's one Pyodide worker through runtime-client.js, keeps a record per run
// (trainer-runs.js) and draws through trainer-view.js and trainer-chart.js; a sample opens its letter-by-letter
// probabilities (trainer-explain.js). When this browser holds the whole runtime (runtime-cache.js), the panel starts
// Python as it appears, so that on a return visit Start only trains. Messages for a run the panel no
// longer keeps (reset, restarted, cleared) are ignored, and every timer and listener it starts goes with it.
import { LossChart } from "./trainer-chart.js";
import { TrainerForm } from "./trainer-form.js";
import { runtimeClient } from "./runtime-client.js";
import { clearRuntimeCache, runtimeCached } from "./runtime-cache.js";
import { toWorker } from "./trainer-protocol.js";
import { STATES, next } from "./trainer-states.js";
import { createRun } from "./trainer-runs.js";
import { explanationNote, renderExplanation } from "./trainer-explain.js";
import { TrainerView } from "./trainer-view.js";
import { outOfMemory } from "./trainer-failures.js";

const fmt = (x) => x.toLocaleString("en");
const panels = new Set();
const RESTART = { name: "restart", label: "Restart the worker" };

class TrainerPanel {
  constructor(root) {
    this.root = root;
    this.view = new TrainerView(root);
    this.rates = { matrix: null, scalar: null }; // steps/s measured in this page, for the time estimates
    this.form = new TrainerForm(root, this.view, this.rates);
    this.chart = new LossChart(root.querySelector(".mgt-plot"));
    this.runs = []; // run records (trainer-runs.js), oldest first, as long as the chart shows them
    this.current = null; // the run being trained
    this.pending = null; // {values} of a Start waiting for the runtime: Stop or Reset cancel it
    this.awaiting = null; // id of the run whose samples the panel waits for
    this.held = null; // the run whose model the worker holds: the only one "Sample again" can use
    this.state = "idle";
    this.runtime = runtimeClient(new URL(root.dataset.runtime || "runtime/runtime.json", document.baseURI).href);
    this.unsubscribe = this.runtime.subscribe((m) => this.onMessage(m));
    this.bind();
    this.setState("idle");
    this.watchdogTimer = setInterval(() => this.watchdog(), 1000);
    panels.add(this);
    this.prewarm();
  }

  /** A return visit: when the whole runtime is in this browser's cache, start Python now, so Start only trains.
   *  Never without the cache (a first-time visitor downloads 16 MB only on pressing Start); a failure here is
   *  silent, and Start loads again and reports it. */
  async prewarm() {
    const data = this.root.dataset;
    if (this.runtime.loading || typeof WebAssembly !== "object") return;
    if (!(await runtimeCached(this.runtime.runtimeURL))) { data.prewarm = "not cached"; return; }
    if (this.runtime.loading || !this.root.isConnected) return; // Start came first, or the page moved on
    data.prewarm = "loading";
    this.runtime.load().then(() => { data.prewarm = "ready"; }, () => { data.prewarm = "failed"; });
  }

  bind() {
    this.form.element.addEventListener("submit", (e) => { e.preventDefault(); this.start(); });
    this.root.addEventListener("click", (e) => {
      const target = e.target.closest("[data-action]"), action = target?.dataset.action;
      const handler = { stop: this.stop, reset: this.reset, clear: this.clearChart, sample: this.sampleAgain, restart: this.restart,
                        explain: this.explain, unexplain: this.unexplain, values: this.showValues, uncache: this.uncache }[action];
      handler?.call(this, target);
    });
    // Leaving mid-run loses the run: let the browser ask first (it shows its own wording).
    this.onBeforeUnload = (event) => { if (this.state === "running" || this.state === "loading") event.preventDefault(); };
    this.onOnline = () => { if (this.state === "waiting" && this.pending && this.go("online")) this.load(this.pending); };
    addEventListener("beforeunload", this.onBeforeUnload);
    addEventListener("online", this.onOnline);
  }

  /** The panel is gone (Material's instant navigation swapped the page): release what it holds. */
  dispose() {
    if (this.current) this.runtime.post(toWorker.stop(this.current.id));
    clearInterval(this.watchdogTimer);
    clearTimeout(this.legendTimer);
    this.unsubscribe();
    this.chart.dispose();
    removeEventListener("beforeunload", this.onBeforeUnload);
    removeEventListener("online", this.onOnline);
    panels.delete(this);
    this.root.dataset.disposed = "true";
  }

  // -- running -------------------------------------------------------------------------------------------------
  /** Start a run with the form's settings (`override` replaces some: tests use it to send what the form refuses). */
  start(override = null) {
    if (!STATES[this.state].start) return;
    const values = this.form.read();
    if (!values) return;
    if (typeof WebAssembly !== "object") return this.showRecorded("This browser cannot run WebAssembly, which Python in the page needs.");
    Object.assign(values, override);
    if (this.state === "waiting") this.pending = null;
    this.go("start");
    this.load({ values, t0: performance.now() });
  }

  async load(ticket) {
    this.pending = ticket;
    this.view.status(this.runtime.loading ? "Preparing…" : "Loading Python for the first time…", "busy");
    let ready;
    try {
      ready = await this.runtime.load();
    } catch (error) {
      if (this.pending === ticket) this.loadFailed(error);
      return;
    }
    if (this.pending !== ticket) return; // Stop or Reset came first
    this.pending = null;
    this.root.dataset.loadMs = Math.round(ready.loadMs);
    this.root.dataset.loadStages = JSON.stringify(ready.stages ?? {});
    this.view.integrity(ready.sources);
    this.go("ready");
    this.begin(ticket);
  }

  loadFailed(error) {
    if (error.retry === "online") { // keep the ticket: the browser's "online" event tries again
      this.go("offline");
      this.view.status(error.message, "busy"); // not the reader's fault, and it resolves itself
      return;
    }
    this.pending = null;
    this.go("failed");
    this.view.status(`Python could not be loaded: ${error.message}`, "error", RESTART);
    if (outOfMemory(error.message)) this.showRecorded(error.message, RESTART);
  }

  /** Where Pyodide cannot run, the build's recorded run (the same code, run at build time), labelled as such;
   *  `action`: the status line's button (Restart the worker, after one killed for memory). */
  async showRecorded(reason, action = null) {
    let rec;
    try {
      const response = await fetch(new URL("recorded-run.json", import.meta.url));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      rec = await response.json();
    } catch (e) {
      this.view.status(`${reason} The build's recorded run could not be loaded either (${e.message}).`, "error");
      return;
    }
    const id = "recorded";
    if (this.runs.some((r) => r.id === id)) return this.view.status(`${reason} The build's recorded run is shown below.`, "error", action);
    const run = { id, impl: rec.impl, settings: { impl: rec.impl, steps: rec.steps, lr: rec.lr, seed: rec.seed, data: null },
                  losses: rec.losses, done: rec.steps, end: "finished", color: "#767676",
                  label: `recorded at build time: ${rec.impl} · seed ${rec.seed} · lr ${rec.lr} · ${rec.steps.toLocaleString("en")} steps` };
    this.runs.push(run);
    this.chart.add({ id, label: run.label, impl: rec.impl, total: rec.steps, color: run.color });
    this.chart.vocab(id, rec.vocab);
    this.chart.push(id, rec.losses);
    this.drawLegend();
    this.view.samples(rec.samples, { id: "recorded", end: "finished" }, rec.temperature);
    this.view.samplingNote(`recorded at build time (${rec.impl}.py, ${rec.steps} steps from seed ${rec.seed}, temperature ${rec.temperature})`);
    for (const b of this.root.querySelectorAll(".mgt-names [data-action=explain]")) b.disabled = true;  // no model here to ask
    this.root.dataset.recorded = "shown";
    this.view.status(`${reason} Showing the build's recorded run instead: the same Python, run when this site was built ` +
                     `(${rec.impl}.py, ${rec.steps.toLocaleString("en")} steps from seed ${rec.seed}).`, "error", action);
  }

  begin({ values, t0 }) {
    const run = createRun(this.runtime.nextRunId(), values, this.runs.length + 1);
    Object.assign(run, { startedAt: t0, firstLossAt: null });
    this.runs.push(run);
    this.current = run;
    this.held = null; // the worker frees the previous run's model when this one starts
    this.chart.add({ id: run.id, label: run.label, impl: run.impl, total: values.steps, color: run.color });
    this.drawLegend();
    this.view.status(`Training ${run.impl}…`, "busy");
    this.view.live(null);
    this.view.progress(run);
    this.awaiting = run.id;
    this.runtime.post(toWorker.start(run.id, values, Math.max(1, Math.round(values.steps / 10))));
  }

  stop() {
    if (this.state === "loading" || this.state === "waiting") return this.cancelLoad();
    if (this.state !== "running" || !this.current) return;
    this.runtime.post(toWorker.stop(this.current.id));
    this.current.stopRequestedAt = performance.now();
    this.go("stop");
    this.view.status("Stopping after this step…", "busy");
  }

  cancelLoad() {
    this.pending = null;
    if (!this.runtime.readyInfo || this.state === "waiting") this.runtime.kill(); // stops the download; the next Start begins again
    this.go("cancel");
    this.view.status("Loading stopped: press Start to load Python and train.", "ok");
  }

  onMessage(m) {
    const run = m.id == null ? null : this.runs.find((r) => r.id === m.id) ?? (this.held?.id === m.id ? this.held : null);
    if (m.id != null && !run) return; // a run this panel no longer keeps (reset, cleared, another panel's)
    switch (m.type) {
      case "loading": if (this.state === "loading") this.view.status(m.text, "busy"); break;
      case "started": run.startedIn = m.at; run.vocab = m.vocabSize; run.numDocs = m.numDocs; this.chart.vocab(run.id, m.vocabSize); break;
      case "progress": if (run === this.current) this.progressed(run, m); break;
      case "peek": if (run === this.current) this.view.peek(m.step, m.names); break;
      case "finished": if (run === this.current) this.finished(run, m); break;
      case "sampling":
        if (m.id !== this.awaiting || m.count <= 5) break;
        if (this.resampling) this.view.status(`Drawing samples… ${m.done} / ${m.count}`, "busy");
        else this.view.samplingNote(`drawing… ${m.done} / ${m.count}`);
        break;
      case "samples": if (m.id === this.awaiting) this.sampled(run, m); break;
      case "explained": if (m.id === this.explaining?.id && m.name === this.explaining.name) this.explained(run, m); break;
      case "error":
        if (m.during === "explain" && !m.fatal) { if (m.id === this.explaining?.id) this.explainFailed(m.message); break; }
        this.failed(m, run);
        break;
    }
  }

  progressed(run, m) {
    if (run.firstLossAt == null) {
      run.firstLossAt = performance.now();
      this.root.dataset.firstLossMs = Math.round(run.firstLossAt - run.startedAt);
      this.root.dataset.firstLossStages = JSON.stringify(firstLossStages(run, this.runtime.readyInfo));
    }
    const losses = m.rows.map((r) => r[1]);
    run.losses.push(...losses);
    run.done = m.done;
    run.stepsPerSec = m.stepsPerSec;
    this.chart.push(run.id, losses);
    this.view.progress(run);
    const [step, , doc] = m.rows.at(-1) ?? [];
    if (doc !== undefined) this.view.live(step + 1, doc);
    this.drawLegendSoon();
  }

  finished(run, m) {
    Object.assign(run, { end: m.stopped ? "stopped" : "finished", done: m.done, stepsPerSec: m.stepsPerSec });
    this.root.dataset.stepsPerSec = m.stepsPerSec.toFixed(2);
    if (m.done >= 5) { this.rates[run.impl] = m.stepsPerSec; this.form.hintImpl(); }
    if (run.stopRequestedAt) this.root.dataset.stopMs = Math.round(performance.now() - run.stopRequestedAt);
    this.view.progress(run);
    if (m.stopped) this.chart.end(run.id);
    this.current = null;
    this.go("finished"); // the final samples follow
    this.view.status(m.stopped ? `Stopped at step ${fmt(m.done)} of ${fmt(run.settings.steps)}.`
                               : `Done: ${fmt(m.done)} steps in ${m.trainSeconds.toFixed(1)} s (${m.stepsPerSec.toFixed(1)} steps/s).`, "ok");
    this.drawLegend();
  }

  async uncache() {  // the service worker's copy of the runtime (sw.js): the next Start downloads it again
    const cleared = await clearRuntimeCache();
    this.view.status(cleared ? "The cached runtime is cleared: the next Start downloads it again (16 MB)."
                                 : "No runtime is cached in this browser.", "ok");
  }

  showValues() {  // the explorer's live values take the run held in the worker (explorer/values.js listens)
    document.dispatchEvent(new CustomEvent("mgx:show-values", { detail: { runId: this.held?.id } }));
  }

  sampled(run, m) {
    this.awaiting = null;
    this.held = run;
    this.sampleTemperature = m.temperature; // the shown samples were drawn at it: their explanation uses it too
    this.explaining = null;
    this.view.samples(m.names, run, m.temperature);
    const values = this.root.querySelector(".mgt-show-values");
    if (values) values.hidden = !document.querySelector(".mgx-values-toggle");  // on the explorer, beside its code
    this.go("samples");
    if (this.resampling) this.view.status(`${m.names.length} new samples from run #${run.id}.`, "ok");
    this.resampling = false;
  }

  failed(m, run) {
    if (m.fatal) return this.died(m.message);
    if (run && run === this.current) this.endCurrent();
    if (m.during === "start") this.held = null; // a failed run's model is freed
    this.awaiting = null;
    this.resampling = false;
    this.go("failed");
    this.view.status(m.message, "error");
    this.drawLegend();
  }

  endCurrent() {
    const run = this.current;
    if (!run) return;
    run.end = "failed";
    this.view.progress(run);
    this.view.live(null);
    this.chart.end(run.id);
    this.current = null;
  }

  died(sentence) {
    this.runtime.kill();
    this.endCurrent();
    this.pending = this.awaiting = this.held = null;
    this.resampling = false;
    this.go("died");
    this.view.status(`${sentence} The chart and samples are kept.`, "error", RESTART);
    this.drawLegend();
    if (outOfMemory(sentence)) this.showRecorded(sentence, RESTART);
  }

  watchdog() {
    if (!this.root.isConnected) return this.dispose();
    const limit = STATES[this.state].hungAfterMs;
    if (!limit) return;
    const heard = Math.max(this.runtime.lastHeard, this.stateSince);
    if (performance.now() - heard > limit) {
      this.died(`The training worker crashed or stopped answering (no word from it for ${Math.round(limit / 1000)} s): restart it to train again.`);
    }
  }

  restart() {
    this.runtime.kill();
    this.held = null;
    this.go("restart");
    this.view.status("The worker was restarted: press Start to train again.", "ok");
  }

  sampleAgain() {
    const run = this.held;
    if (!run || !STATES[this.state].sample) return;
    const { temperature, samples } = this.form.sampling() ?? {};
    if (!samples || !this.runtime.post(toWorker.sample(run.id, temperature, samples))) return;
    this.awaiting = run.id;
    this.resampling = true;
    this.go("resample");
  }

  // -- a sample explained ---------------------------------------------------------------------------------------
  explain(button) {
    const box = this.root.querySelector(".mgt-explain"), name = button.dataset.name ?? "";
    const run = this.held;
    if (!run || !STATES[this.state].sample) {
      return explanationNote(box, run ? "Wait until training and sampling are done, then open the name again."
                                       : "This run's model is no longer in memory (a new run started or the worker restarted): train again to see how samples were drawn.", "error");
    }
    this.explaining = { id: run.id, name, from: button };
    explanationNote(box, `Computing how “${name || "∅"}” was drawn…`);
    if (!this.runtime.post(toWorker.explain(run.id, name, this.sampleTemperature))) this.explainFailed("The worker is not running: press Start to train again.");
  }

  explained(run, m) {
    const box = this.root.querySelector(".mgt-explain");
    for (const b of this.root.querySelectorAll(".mgt-sample")) b.setAttribute("aria-expanded", String(b === this.explaining.from));
    renderExplanation(box, m, run.impl).focus({ preventScroll: false });
  }

  explainFailed(message) {
    this.explaining = null;
    explanationNote(this.root.querySelector(".mgt-explain"), message, "error");
  }

  unexplain() {
    const from = this.explaining?.from;
    this.explaining = null;
    this.root.querySelector(".mgt-explain").hidden = true;
    for (const b of this.root.querySelectorAll(".mgt-sample")) b.removeAttribute("aria-expanded");
    if (from?.isConnected) from.focus();
  }

  reset() {
    if (this.current && (this.state === "running" || this.state === "stopping")) this.runtime.post(toWorker.stop(this.current.id));
    if (this.state === "loading" || this.state === "waiting") this.cancelLoad();
    this.current = this.pending = this.awaiting = this.held = null; // whatever the worker still says about them is ignored
    this.resampling = false;
    this.form.reset();
    this.clearChart();
    this.view.samples(null);
    this.view.live(null);
    this.root.querySelector(".mgt-progress").hidden = true;
    const dead = this.state === "dead";
    this.go("reset");
    if (!dead) this.view.status("", "");
  }

  clearChart() {
    this.runs = this.runs.filter((r) => r === this.current);
    this.chart.clear();
    for (const run of this.runs) {
      this.chart.add({ id: run.id, label: run.label, impl: run.impl, total: run.settings.steps, color: run.color, vocab: run.vocab });
      this.chart.push(run.id, run.losses);
    }
    this.drawLegend();
  }

  // -- state and drawing ---------------------------------------------------------------------------------------
  go(event) {
    const to = next(this.state, event);
    if (to) this.setState(to);
    return Boolean(to);
  }

  setState(state) {
    this.state = state;
    this.stateSince = performance.now();
    this.root.dataset.state = state;
    this.refreshButtons();
  }

  refreshButtons() {
    const allowed = STATES[this.state];
    this.view.buttons({ start: allowed.start, stop: allowed.stop, sample: allowed.sample && Boolean(this.held) });
  }

  drawLegendSoon() {
    if (this.legendTimer) return;
    this.legendTimer = setTimeout(() => { this.legendTimer = null; this.drawLegend(); }, 250);
  }

  drawLegend() {
    this.view.legend(this.runs, (run) => this.chart.window({ total: run.settings.steps }));
    this.refreshButtons();
  }
}

/** Where Start -> first loss went, ms since Start for each of the worker's stages (bench/browser_training.py). */
function firstLossStages(run, ready) {
  const start = performance.timeOrigin + run.startedAt, since = (at) => Math.round(at - start);
  const out = {};
  for (const [stage, at] of Object.entries(ready?.stagesAt ?? {})) if (at >= start) out[stage] = since(at);
  if (run.startedIn) out.started = since(run.startedIn);
  out.firstLoss = since(performance.timeOrigin + run.firstLossAt);
  return out;
}

function mount() {
  for (const panel of panels) if (!panel.root.isConnected) panel.dispose();
  for (const root of document.querySelectorAll("[data-mgt-trainer]")) {
    if (root.mgtPanel) continue;
    root.mgtPanel = new TrainerPanel(root);
  }
}

// Material's instant navigation swaps the page without re-running modules: mount on each new document.
if (window.document$?.subscribe) window.document$.subscribe(mount);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();
