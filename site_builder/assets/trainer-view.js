// What the trainer panel shows (templates/trainer.html): status line, progress, the step being trained, samples,
// legend and the integrity check. Writes the DOM only; the panel (trainer.js) decides what and when.
import { legendText } from "./trainer-runs.js";

const fmt = (x) => x.toLocaleString("en");

export function formatSeconds(s) {
  if (s < 1) return "under a second";
  if (s < 90) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export class TrainerView {
  constructor(root) {
    this.root = root;
    this.$ = (sel) => root.querySelector(sel);
  }

  fieldMessage(input, error, note = null) {
    const el = this.root.querySelector(`#${input.getAttribute("aria-describedby")}`);
    el.textContent = error || note || el.dataset.hint;
    el.classList.toggle("mgt-msg--error", Boolean(error));
    el.classList.toggle("mgt-msg--note", Boolean(!error && note));
    input.setAttribute("aria-invalid", error ? "true" : "false");
  }

  status(text, kind, action = null) { // action: {name, label} for a button after the sentence
    const box = this.$(".mgt-status");
    box.hidden = !text;
    box.className = `mgt-status mgt-status--${kind}`;
    delete box.dataset.fix;
    box.textContent = text;
    if (action) {
      const button = Object.assign(document.createElement("button"), { type: "button", className: "mgt-btn", textContent: action.label });
      button.dataset.action = action.name;
      box.append(" ", button);
    }
  }

  buttons(allowed) { // {start, stop, sample}: booleans
    for (const [name, on] of Object.entries(allowed)) this.$(`[data-action="${name}"]`).disabled = !on;
  }

  progress(run) {
    const { done } = run, total = run.settings.steps;
    this.$(".mgt-progress").hidden = false;
    const bar = this.$(".mgt-progress progress");
    bar.max = total;
    bar.value = done;
    const rate = run.stepsPerSec && done ? run.stepsPerSec : null;
    const left = rate ? (total - done) / rate : null;
    this.$(".mgt-progress-text").textContent = `step ${fmt(done)} / ${fmt(total)}` +
      (rate ? ` · ${rate.toFixed(rate < 10 ? 1 : 0)} steps/s` : "") +
      (left != null && done < total && !run.end ? ` · ${formatSeconds(left)} left` : "") +
      (run.end === "failed" ? " · failed" : "");
    this.root.dataset.done = done;
  }

  live(step, doc) { // the step just trained and its document; null hides the line (a new or failed run)
    const box = this.$(".mgt-live");
    box.hidden = step == null;
    this.$(".mgt-step").textContent = step == null ? "" : fmt(step);
    this.$(".mgt-doc").textContent = doc ?? "";
    if (step == null) this.peek(null);
  }

  peek(step, names) {
    this.$(".mgt-peek-line").hidden = step == null;
    this.$(".mgt-peek-step").textContent = step == null ? "" : fmt(step);
    this.$(".mgt-peek").textContent = step == null ? "" : names.map((n) => n || "∅").join(", ");
    this.$(".mgt-peek-empty").hidden = step == null || !names.includes("");
  }

  samples(names, run, temperature) {
    this.$(".mgt-final").hidden = !names;
    this.$(".mgt-explain").hidden = true;
    if (!names) return;
    this.$(".mgt-final-note").textContent = `from run #${run.id} at temperature ${temperature}` +
      (run.end === "stopped" ? ` (stopped at step ${fmt(run.done)})` : "");
    this.$(".mgt-names").replaceChildren(...names.map((n) => {
      const li = document.createElement("li");
      const button = Object.assign(document.createElement("button"), { type: "button", className: "mgt-sample", textContent: n || "∅" });
      button.dataset.action = "explain";
      button.dataset.name = n;
      button.setAttribute("aria-label", `${n || "an empty name"}: show the probabilities it was drawn from`);
      li.append(button);
      return li;
    }));
    this.$(".mgt-empty-hint").hidden = !names.includes("");
  }

  samplingNote(text) { this.$(".mgt-final-note").textContent = text; }

  legend(runs, windowOf) {
    const legend = this.$(".mgt-legend"), empty = legend.querySelector(".mgt-empty");
    this.$(".mgt-clear").hidden = !runs.length;
    empty.hidden = runs.length > 0;
    legend.replaceChildren(empty, ...runs.map((run) => {
      const item = document.createElement("span");
      item.className = `mgt-key mgt-key-${run.impl}`;
      item.dataset.run = run.id;
      item.style.setProperty("--run-color", run.color);
      item.textContent = legendText(runs, run, windowOf(run));
      return item;
    }));
  }

  integrity(sources) {
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
