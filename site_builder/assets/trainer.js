// The in-page trainer's panel (the partial templates/trainer.html): validates the settings, creates the Pyodide
// worker (worker.mjs) lazily on the first Start and reuses it, draws progress, the loss chart, the current
// document and the samples, checks that the Python the worker imported is the code shown on the page, and
// reports a crashed or silent worker with a way to restart it. Nothing is sent to the worker until valid.
import { LossChart, RUN_COLORS } from "./trainer-chart.js";
import { FIELDS, MAX_WORD_BYTES, parseField, parseWords } from "./trainer-input.js";

const HUNG_AFTER_MS = { loading: 120_000, running: 30_000, stopping: 10_000, sampling: 30_000 }; // silence that means trouble
const fmt = (x) => x.toLocaleString("en");

// -- the worker: one per page, created on the first Start, kept for later runs ---------------------------------
class Runtime {
  constructor(runtimeURL, onMessage, onDeath) {
    this.runtimeURL = runtimeURL;
    this.onMessage = onMessage;
    this.onDeath = onDeath;
    this.worker = null;
    this.ready = null; // Promise of the ready message
  }

  load() {
    if (this.ready) return this.ready;
    this.ready = new Promise((resolve, reject) => {
      this.worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module", name: "microgpt-trainer" });
      this.worker.onmessage = ({ data }) => {
        if (data.type === "ready") resolve(data);
        else if (data.type === "error" && data.during === "init") reject(new Error(data.message));
        this.onMessage(data);
      };
      this.worker.onerror = (event) => {
        event.preventDefault?.();
        const message = event.message || "the worker failed to start (its script could not be loaded)";
        reject(new Error(message));
        this.onDeath(message);
      };
      this.worker.onmessageerror = () => this.onDeath("a message from the worker could not be read");
      this.worker.postMessage({ type: "init", runtimeURL: this.runtimeURL });
    });
    this.ready.catch(() => {});
    return this.ready;
  }

  post(message) { this.worker?.postMessage(message); }

  kill() {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
  }
}

let sharedRuntime = null;

// -- the panel --------------------------------------------------------------------------------------------------
class TrainerPanel {
  constructor(root) {
    this.root = root;
    const $ = (sel) => root.querySelector(sel);
    this.$ = $;
    this.form = $(".mgt-form");
    this.chart = new LossChart($(".mgt-plot"));
    this.runs = []; // {id, impl, settings, losses, color, done, finished}
    this.current = null; // the run in progress
    this.state = "idle"; // idle | loading | running | stopping | sampling | dead
    this.lastHeard = 0;
    this.touched = new Set();
    this.rates = { matrix: null, scalar: null }; // steps/s measured in this page, for the time estimates
    const runtimeURL = new URL(root.dataset.runtime || "runtime/runtime.json", document.baseURI).href;
    // One worker per page load, shared by the panels Material's instant navigation may mount: the newest listens.
    sharedRuntime ??= new Runtime(runtimeURL, (m) => sharedRuntime.panel?.onMessage(m), (why) => sharedRuntime.panel?.onDeath(why));
    this.runtime = sharedRuntime;
    this.runtime.panel = this;
    this.bind();
    this.setState("idle");
    this.hintImpl();
    setInterval(() => this.watchdog(), 1000);
    // Leaving mid-run loses the run: let the browser ask first (it shows its own wording).
    addEventListener("beforeunload", (event) => {
      if (this.root.isConnected && (this.state === "running" || this.state === "loading")) event.preventDefault();
    });
  }

  bind() {
    const { form, $ } = this;
    form.addEventListener("submit", (e) => { e.preventDefault(); this.start(); });
    form.addEventListener("input", (e) => { this.validateOne(e.target, false); if (e.target.name === "steps") this.hintImpl(); });
    form.addEventListener("focusout", (e) => this.validateOne(e.target, true));
    form.addEventListener("change", (e) => {
      if (e.target.name === "data") { $(".mgt-own").hidden = e.target.value !== "own"; this.validateWords(false); }
      if (e.target.name === "impl") this.hintImpl();
    });
    $('input[type="file"]').addEventListener("change", (e) => this.upload(e.target.files[0]));
    this.root.addEventListener("click", (e) => {
      const action = e.target.closest("[data-action]")?.dataset.action;
      if (action === "stop") this.stop();
      else if (action === "reset") this.reset();
      else if (action === "clear") this.clearChart();
      else if (action === "sample") this.sampleAgain();
      else if (action === "restart") this.restart();
    });
  }

  // -- validation ----------------------------------------------------------------------------------------------
  showMessage(input, msg, error) {
    const el = this.root.querySelector(`#${input.getAttribute("aria-describedby")}`);
    el.textContent = error || el.dataset.hint;
    el.classList.toggle("mgt-msg--error", Boolean(error));
    input.setAttribute("aria-invalid", error ? "true" : "false");
  }

  validateOne(input, leaving) {
    if (input.name in FIELDS) {
      if (leaving) this.touched.add(input.name);
      const { error } = parseField(input.name, input.value);
      if (error && !this.touched.has(input.name)) return; // no red while the reader is still typing a first value
      this.showMessage(input, null, error);
    } else if (input.name === "words") {
      this.validateWords(leaving);
    }
  }

  validateWords(show) {
    const area = this.$("#mgt-words");
    if (this.form.elements.data.value !== "own") { this.showMessage(area, null, null); return { value: null }; }
    const result = parseWords(area.value);
    if (show || !result.error || area.getAttribute("aria-invalid") === "true") {
      this.showMessage(area, null, result.error);
      if (!result.error) this.$("#mgt-words-msg").textContent = `${fmt(result.count)} words, ${result.vocab} tokens`;
    }
    return result;
  }

  async upload(file) {
    if (!file) return;
    const area = this.$("#mgt-words");
    if (file.size > MAX_WORD_BYTES) { this.showMessage(area, null, `${file.name} is larger than 1 MB`); return; }
    const text = await file.text();
    area.value = text;
    this.validateWords(true);
  }

  settings() {
    const values = {}, errors = [];
    for (const name of Object.keys(FIELDS)) {
      const input = this.form.elements[name];
      this.touched.add(name);
      const { value, error } = parseField(name, input.value);
      this.showMessage(input, null, error);
      if (error) errors.push(input); else values[name] = value;
    }
    const words = this.validateWords(true);
    if (words.error) errors.push(this.$("#mgt-words"));
    values.data = words.value ?? null;
    values.impl = this.form.elements.impl.value;
    return { values, errors };
  }

  hintImpl() {
    const impl = this.form.elements.impl.value;
    this.root.classList.toggle("mgt--scalar", impl === "scalar");
    const steps = parseField("steps", this.form.elements.steps.value).value;
    const rate = this.rates[impl];
    let text = "";
    if (steps && rate) text = `≈ ${formatSeconds(steps / rate)} for ${fmt(steps)} ${impl} steps at the speed measured here`;
    else if (impl === "scalar") text = "Expect a minute or more per 1,000 steps (several on a slow machine): try 100–200 steps first.";
    this.$(".mgt-estimate").textContent = text;
  }

  // -- running -------------------------------------------------------------------------------------------------
  async start() {
    if (this.state === "running" || this.state === "stopping" || this.state === "loading" || this.state === "sampling") return;
    const { values, errors } = this.settings();
    if (errors.length) {
      errors[0].focus();
      this.status(`Fix the ${errors.length === 1 ? "field" : `${errors.length} fields`} marked in red first.`, "error");
      return;
    }
    this.setState("loading");
    const t0 = performance.now();
    this.status(this.runtime.worker ? "Preparing…" : "Loading Python for the first time…", "busy");
    let ready;
    try {
      ready = await this.runtime.load();
    } catch (error) {
      this.runtime.kill();
      this.setState("dead");
      this.status(`Python could not be loaded: ${error.message}`, "error", true);
      return;
    }
    this.checkIntegrity(ready.sources);
    const id = (this.runs.at(-1)?.id ?? 0) + 1;
    const run = { id, impl: values.impl, settings: values, losses: [], color: RUN_COLORS[(id - 1) % RUN_COLORS.length],
                  done: 0, finished: false, startedAt: t0, requestedAt: performance.now(), firstLossAt: null };
    run.label = `#${id} ${run.impl} · seed ${values.seed} · lr ${values.lr} · ${fmt(values.steps)} steps` +
                (values.data ? " · your words" : "");
    this.runs.push(run);
    this.current = run;
    this.chart.add({ id, label: run.label, impl: run.impl, total: values.steps, color: run.color });
    this.renderLegend();
    this.setState("running");
    this.status(`Training ${run.impl}…`, "busy");
    this.$(".mgt-progress").hidden = false;
    this.$(".mgt-live").hidden = false;
    this.$(".mgt-peek-line").hidden = true;
    this.progress(run, 0);
    const sampleEvery = Math.max(1, Math.round(values.steps / 10));
    this.runtime.post({ type: "start", id, impl: run.impl, steps: values.steps, lr: values.lr, seed: values.seed,
                        temperature: values.temperature, samples: values.samples, sampleEvery, data: values.data });
  }

  stop() {
    if (this.state !== "running" || !this.current) return;
    this.runtime.post({ type: "stop", id: this.current.id });
    this.current.stopRequestedAt = performance.now();
    this.setState("stopping");
    this.status("Stopping after this step…", "busy");
  }

  onMessage(m) {
    this.lastHeard = performance.now();
    const run = this.runs.find((r) => r.id === m.id);
    switch (m.type) {
      case "loading":
        if (this.state === "loading") this.status(m.text, "busy");
        break;
      case "ready":
        this.root.dataset.loadMs = Math.round(m.loadMs);
        this.root.dataset.loadStages = JSON.stringify(m.stages ?? {});
        break;
      case "started":
        if (run) run.vocab = m.vocabSize, run.numDocs = m.numDocs;
        break;
      case "progress":
        if (!run) break;
        if (run.firstLossAt == null) {
          run.firstLossAt = performance.now();
          this.root.dataset.firstLossMs = Math.round(run.firstLossAt - run.startedAt);
        }
        run.losses.push(...m.rows.map((r) => r[1]));
        run.done = m.done;
        run.stepsPerSec = m.stepsPerSec;
        this.chart.push(run.id, m.rows.map((r) => r[1]));
        if (run === this.current) {
          this.progress(run, m.done);
          const [step, , doc] = m.rows.at(-1) ?? [];
          if (doc !== undefined) { this.$(".mgt-step").textContent = fmt(step + 1); this.$(".mgt-doc").textContent = doc; }
        }
        this.renderLegendSoon();
        break;
      case "peek":
        if (run !== this.current) break;
        this.$(".mgt-peek-line").hidden = false;
        this.$(".mgt-peek-step").textContent = fmt(m.step);
        this.$(".mgt-peek").textContent = m.names.map((n) => n || "∅").join(", ");
        break;
      case "finished":
        if (!run) break;
        run.finished = true;
        run.stopped = m.stopped;
        run.done = m.done;
        run.stepsPerSec = m.stepsPerSec;
        this.root.dataset.stepsPerSec = m.stepsPerSec.toFixed(2);
        if (m.done >= 5) { this.rates[run.impl] = m.stepsPerSec; this.hintImpl(); }
        if (run.stopRequestedAt) this.root.dataset.stopMs = Math.round(performance.now() - run.stopRequestedAt);
        this.progress(run, m.done);
        if (m.stopped) this.chart.end(run.id);
        this.setState("sampling"); // the final samples follow
        this.status(m.stopped ? `Stopped at step ${fmt(m.done)} of ${fmt(run.settings.steps)}.`
                              : `Done: ${fmt(m.done)} steps in ${m.trainSeconds.toFixed(1)} s (${m.stepsPerSec.toFixed(1)} steps/s).`, "ok");
        this.current = null;
        this.renderLegend();
        break;
      case "sampling":
        if (this.resampling && m.count > 5) this.status(`Drawing samples… ${m.done} / ${m.count}`, "busy");
        else if (m.count > 5) this.$(".mgt-final-note").textContent = `drawing… ${m.done} / ${m.count}`;
        break;
      case "samples": {
        if (run) this.showSamples(m.names, run, m.temperature, run.stopped);
        const again = this.state === "sampling" && this.resampling;
        this.resampling = false;
        this.setState("idle");
        if (again) this.status(`${m.names.length} new samples from run #${run?.id}.`, "ok");
        break;
      }
      case "error":
        if (m.during === "init") break; // reported by start()
        if (m.fatal) { this.onDeath(m.message); break; }
        this.endFailed();
        this.setState("idle");
        this.status(`Python raised an error: ${m.message}`, "error");
        this.renderLegend();
        break;
    }
  }

  endFailed() {
    const run = this.current;
    if (!run) return;
    run.finished = run.failed = true;
    this.progress(run, run.done);
    this.chart.end(run.id);
    this.current = null;
  }

  onDeath(why) {
    this.runtime.kill();
    this.endFailed();
    this.setState("dead");
    this.status(`The training worker crashed or stopped answering (${why}). The chart and samples are kept.`, "error", true);
    this.renderLegend();
  }

  watchdog() {
    const limit = HUNG_AFTER_MS[this.state];
    if (!limit || !this.lastHeard) return;
    if (performance.now() - this.lastHeard > limit) {
      this.onDeath(`no word from it for ${Math.round(limit / 1000)} s`);
    }
  }

  restart() {
    this.runtime.kill();
    this.setState("idle");
    this.status("The worker was restarted: press Start to train again.", "ok");
  }

  sampleAgain() {
    const run = this.runs.findLast((r) => r.finished && !r.failed);
    if (!run || this.state !== "idle") return;
    const t = parseField("temperature", this.form.elements.temperature.value);
    const n = parseField("samples", this.form.elements.samples.value);
    this.showMessage(this.form.elements.temperature, null, t.error);
    this.showMessage(this.form.elements.samples, null, n.error);
    if (t.error || n.error) return;
    this.resampling = true;
    this.setState("sampling");
    this.runtime.post({ type: "sample", id: run.id, temperature: t.value, samples: n.value });
  }

  reset() {
    if (this.current && (this.state === "running" || this.state === "stopping")) {
      this.runtime.post({ type: "stop", id: this.current.id });
    }
    this.form.reset();
    for (const input of this.form.querySelectorAll("[aria-describedby]")) this.showMessage(input, null, null);
    this.touched.clear();
    this.$(".mgt-own").hidden = true;
    this.hintImpl();
    this.clearChart();
    this.$(".mgt-final").hidden = true;
    this.$(".mgt-live").hidden = true;
    this.$(".mgt-progress").hidden = true;
    if (this.state !== "dead") this.status("", "");
  }

  clearChart() {
    this.runs = this.runs.filter((r) => r === this.current);
    this.chart.clear();
    if (this.current) this.chart.add({ id: this.current.id, label: this.current.label, impl: this.current.impl,
                                       total: this.current.settings.steps, color: this.current.color });
    if (this.current) this.chart.push(this.current.id, this.current.losses);
    this.renderLegend();
  }

  // -- drawing -------------------------------------------------------------------------------------------------
  setState(state) {
    this.state = state;
    this.root.dataset.state = state;
    this.lastHeard = performance.now();
    const busy = state === "loading" || state === "running" || state === "stopping" || state === "sampling";
    this.$('[data-action="start"]').disabled = busy;
    this.$('[data-action="stop"]').disabled = state !== "running";
    this.$('[data-action="sample"]').disabled = busy;
  }

  status(text, kind, restart = false) {
    const box = this.$(".mgt-status");
    box.hidden = !text;
    box.className = `mgt-status mgt-status--${kind}`;
    box.textContent = text;
    if (restart) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "mgt-btn";
      button.dataset.action = "restart";
      button.textContent = "Restart the worker";
      box.append(" ", button);
    }
  }

  progress(run, done) {
    const total = run.settings.steps;
    const bar = this.$(".mgt-progress progress");
    bar.max = total;
    bar.value = done;
    const rate = run.stepsPerSec && done ? run.stepsPerSec : null;
    const left = rate ? (total - done) / rate : null;
    this.$(".mgt-progress-text").textContent = `step ${fmt(done)} / ${fmt(total)}` +
      (rate ? ` · ${rate.toFixed(rate < 10 ? 1 : 0)} steps/s` : "") +
      (left != null && done < total && !run.finished ? ` · ${formatSeconds(left)} left` : "");
    this.root.dataset.done = done;
  }

  showSamples(names, run, temperature, partial) {
    const box = this.$(".mgt-final");
    box.hidden = false;
    this.$(".mgt-final-note").textContent = `from run #${run.id} at temperature ${temperature}` +
      (partial ? ` (stopped at step ${fmt(run.done)})` : "");
    this.$(".mgt-names").replaceChildren(...names.map((n) => {
      const li = document.createElement("li");
      li.textContent = n || "∅";
      if (!n) li.title = "an empty sample: the model ended the word at once";
      return li;
    }));
  }

  renderLegendSoon() {
    if (this.legendTimer) return;
    this.legendTimer = setTimeout(() => { this.legendTimer = null; this.renderLegend(); }, 250);
  }

  renderLegend() {
    const legend = this.$(".mgt-legend");
    this.$(".mgt-clear").hidden = !this.runs.length;
    if (!this.runs.length) {
      legend.replaceChildren(legend.querySelector(".mgt-empty") ?? "");
      legend.querySelector(".mgt-empty").hidden = false;
      return;
    }
    const items = this.runs.map((run) => {
      const item = document.createElement("span");
      item.className = `mgt-key mgt-key-${run.impl}`;
      item.dataset.run = run.id;
      item.style.setProperty("--run-color", run.color);
      const w = this.chart.window({ total: run.settings.steps });
      const tail = run.losses.slice(-w);
      const avg = tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : null;
      const twin = this.twinOf(run);
      item.textContent = run.label + (avg != null ? ` — avg loss ${avg.toFixed(3)}` : "") +
        (run.failed ? " (failed)" : run.stopped ? " (stopped)" : "") +
        (twin ? ` — ${twin.diff === 0 ? "identical to" : "matches"} #${twin.run.id} (max rel. diff ${twin.diff.toExponential(0)})` : "");
      return item;
    });
    const empty = legend.querySelector(".mgt-empty");
    legend.replaceChildren(...(empty ? [empty] : []), ...items);
    if (empty) empty.hidden = true;
  }

  /** An earlier run of the other implementation with the same settings: its losses should coincide with this one's. */
  twinOf(run) {
    const same = (a, b) => ["steps", "lr", "seed", "data"].every((k) => a.settings[k] === b.settings[k]);
    const other = this.runs.find((r) => r !== run && r.impl !== run.impl && same(r, run) && r.id < run.id);
    if (!other) return null;
    const n = Math.min(run.losses.length, other.losses.length);
    if (!n) return null;
    let diff = 0;
    for (let i = 0; i < n; i++) diff = Math.max(diff, Math.abs(run.losses[i] - other.losses[i]) / Math.abs(other.losses[i]));
    return { run: other, diff };
  }

  checkIntegrity(sources) {
    const box = this.$(".mgt-integrity");
    let expected = null;
    try { expected = JSON.parse(document.getElementById("microgpt-sources")?.textContent ?? "null"); } catch {}
    box.hidden = false;
    if (!expected) {
      box.className = "mgt-integrity mgt-integrity--unknown";
      box.textContent = "This page carries no reference checksums: the code that runs could not be compared with the code shown.";
      this.root.dataset.integrity = "unknown";
      return;
    }
    const rows = Object.entries(expected).map(([impl, { sha256, path }]) => ({
      impl, path, ok: sources[impl]?.sha256 === sha256, want: sha256, got: sources[impl]?.sha256 ?? "missing",
    }));
    const bad = rows.filter((r) => !r.ok);
    this.root.dataset.integrity = bad.length ? "mismatch" : "ok";
    box.className = `mgt-integrity mgt-integrity--${bad.length ? "mismatch" : "ok"}`;
    box.textContent = bad.length
      ? `Integrity check FAILED: the Python running in the worker is not the code on this page. ` +
        bad.map((r) => `${r.path}: page ${r.want.slice(0, 12)}…, worker ${r.got.slice(0, 12)}…`).join("; ") +
        ". Rebuild the site (make build) so that both come from the same files."
      : `✓ The worker runs exactly the code on this page: ` +
        rows.map((r) => `${r.path} sha256 ${r.got.slice(0, 12)}…`).join(", ");
  }
}

function formatSeconds(s) {
  if (s < 1) return "under a second";
  if (s < 90) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function mount() {
  for (const root of document.querySelectorAll("[data-mgt-trainer]")) {
    if (root.mgtPanel) continue;
    root.mgtPanel = new TrainerPanel(root);
  }
}

// Material's instant navigation swaps the page without re-running modules: mount on each new document.
if (window.document$?.subscribe) window.document$.subscribe(mount);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();
