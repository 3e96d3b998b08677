/* Live values on the code. A Values switch (off by default: nothing is fetched until it is on) adds a bar under
   the toolbar — weights, training step or sampling, position t, head h — and puts at the end of every traced line
   of scalar.py and matrix.py the value it computed, with "= matrix row 3 · |Δ| 2e-16" where docs/pairs.yml ties
   the two files. Hover, tap, or press v on a line to see a value in full (values_view.js). The word emma comes
   traced by the build (site_builder/live_values.py, one JSON file per weight state); another word, or the weights
   of the reader's own training run, is traced in the trainer's worker by the same Python (microgpt/trace_view.py). */
import { lineId } from "./lines.js";
import { VALUES } from "./settings.js";
import { lineText, pairsText, pick, stepOrder } from "./values_format.js";
import { createStepPlayer } from "./step_player.js";
import { createValueView } from "./values_view.js";

const STATES = { init: "initial (seed 42)", trained: "trained 1000 steps", run: "your training run" };
const DEFAULT_WORD = "emma", SEED = 42;
const PHASES = { step: "a training step", sample: "sampling" };
const COLS = ["scalar", "matrix"];

export function createValues({ toggle, toolbar, toast, titleOf = () => "" }) {
  // a site without both scalar and matrix columns has no values to show (the build traced none): an inert switch
  if (!VALUES) return { switchOn() {}, switchOff() {}, isOn: () => false };
  const bar = buildBar();
  bar.hidden = true;
  toolbar.append(bar);
  const status = bar.querySelector(".mgx-vstatus");
  const view = createValueView();
  const player = createStepPlayer({
    bar, titleOf: (ln) => titleOf(ln.closest(".mgx-block")?.dataset.concept),
    lineOf: (col, n) => document.getElementById(lineId(col, n)),
    announce: (text) => { status.textContent = text; },
    plan: () => {  // matrix.py when it is shown (its step is the shorter walk), else scalar.py
      const col = document.getElementById(lineId("matrix", 1))?.offsetParent ? "matrix" : "scalar";
      return { col, order: data && choice.phase === "step" ? stepOrder(data.impls[col].records, choice) : [] };
    },
  });
  const cache = new Map();  // "word|state|run" -> Promise of that view
  let data = null, on = false, choice = { word: DEFAULT_WORD, state: "init", phase: "step", t: 3, head: 0 };
  let drawn = [], lastRun = null, client = null, toWorker = null;
  const form = bar.querySelector("form"), runOption = form.state.querySelector('option[value="run"]');
  const heard = (m) => {  // the trainer's runs: the latest finished one can be traced
    if (m.type === "started") { lastRun = null; runOption.disabled = true; runOption.textContent = "your run (training\u2026)"; }
    if (m.type === "finished" && m.done > 0) {
      lastRun = { id: m.id, done: m.done };
      runOption.disabled = false;
      runOption.textContent = `your run #${m.id} (${m.done.toLocaleString("en")} steps)`;
    }
  };
  async function connect() {  // the runtime client is the trainer's code: loaded once Values is on, not before
    if (client) return client;
    const [{ runtimeClient }, protocol] = await Promise.all([import("../runtime-client.js"), import("../trainer-protocol.js")]);
    toWorker = protocol.toWorker;
    client = runtimeClient(runtimeURL());
    if (client.lastFinished) heard(client.lastFinished);  // a run that finished before Values was switched on
    client.subscribe(heard);
    return client;
  }

  toggle.addEventListener("click", () => (on ? switchOff() : switchOn()));
  document.addEventListener("mgx:show-values", async () => {  // the trainer's "Show this model's values on the code"
    await connect();
    if (!lastRun) return;
    choice = { ...choice, state: "run" };
    form.state.value = "run";
    if (!on) await switchOn(); else await load();
    const docked = document.querySelector("#train")?.getAttribute("role") === "dialog";  // the drawer leaves the code in view
    if (!docked) document.querySelector(".mgx-grid")?.scrollIntoView({ block: "start" });
  });
  bar.addEventListener("input", (e) => {
    if (e.target.name === "word") return checkWord(e.target.value);
    choice = { ...choice, state: form.state.value, phase: form.phase.value, t: +form.t.value, head: +form.head.value };
    if (e.target.name === "state") load(); else if (data) draw();
  });
  form.addEventListener("submit", (e) => {  // Enter or Trace: the word, traced
    e.preventDefault();
    const word = form.word.value;
    if (!checkWord(word)) return;
    choice = { ...choice, word };
    load();
  });

  function fetchBuilt(state) {
    const url = new URL(`../values/${DEFAULT_WORD}-${state}.json`, import.meta.url);
    return fetch(url).then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status} for ${url.pathname.split("/").pop()}`);
      return r.json();
    });
  }

  function viewFor(word, state) {
    const key = `${word}|${state}|${state === "run" ? lastRun?.id : ""}`;
    if (!cache.has(key)) {
      const view = word === DEFAULT_WORD && state !== "run" ? fetchBuilt(state) : traceInPage(word, state);
      cache.set(key, view);
      view.catch(() => cache.delete(key));  // a failed load is tried again next time
    }
    return cache.get(key);
  }

  async function traceInPage(word, state) {  // in the trainer's worker: one Python for the page
    if (state === "run" && !lastRun) throw new Error("train a model below first, then its values can be shown");
    const built = await viewFor(DEFAULT_WORD, "init");  // its pairs, as the build resolved them
    await connect();
    const off = client.subscribe((m) => { if (m.type === "loading") status.textContent = `${m.text} Then \u201c${word}\u201d is traced.`; });
    try { await client.load(); } finally { off(); }
    const id = client.nextRunId();
    return new Promise((resolve, reject) => {
      const stop = client.subscribe((m) => {
        if (m.type === "traced" && m.id === id) { stop(); resolve({ ...JSON.parse(m.view), tracedHere: true }); }
        else if (m.type === "error" && (m.id === id || m.fatal)) { stop(); reject(new Error(m.message)); }
      });
      status.textContent = state === "trained" ? `Training 1000 steps in your browser (once), then tracing \u201c${word}\u201d\u2026`
        : `Tracing \u201c${word}\u201d in your browser\u2026`;
      client.post(toWorker.trace(id, word, state, SEED, JSON.stringify(built.resolved), state === "run" ? lastRun.id : null));
    });
  }

  async function switchOn() {
    on = true;
    toggle.setAttribute("aria-pressed", "true");
    bar.hidden = false;
    document.documentElement.classList.add("mgx-values-on");
    connect().catch(() => {});  // to hear of the reader's runs; tracing says so if the client cannot load
    await load();
  }

  function switchOff() {
    on = false;
    toggle.setAttribute("aria-pressed", "false");
    bar.hidden = true;
    document.documentElement.classList.remove("mgx-values-on");
    view.close();
    player.stop();
    clear();
    document.dispatchEvent(new CustomEvent("mgx:values", { detail: { n: null } }));
  }

  async function load() {
    const { word, state } = choice;
    status.textContent = "loading values\u2026";
    let view;
    try {
      view = await viewFor(word, state);
    } catch (e) {
      status.textContent = `Values could not load: ${e.message}.`;
      return;
    }
    if (!on || word !== choice.word || state !== choice.state) return;  // a later choice has taken over
    data = view;
    if (form.word.value === word) bar.querySelector(".mgx-vword-msg").textContent = "";
    draw();
  }

  function positions() {  // t runs over the word's positions in a step, over the sampled name's in sampling
    if (choice.phase === "step") return data.tokens.slice(0, -1);
    const name = data.impls.matrix.records.find((r) => r.phase === "sample" && r.name === "return" && typeof r.value === "string");
    return ["BOS", ...(name ? [...name.value] : [])].slice(0, 16);
  }

  function draw() {
    player.stop();
    clear();
    const f = bar.querySelector("form"), tokens = positions();
    f.t.max = String(tokens.length - 1);
    if (choice.t > tokens.length - 1) choice.t = tokens.length - 1, f.t.value = String(choice.t);
    const next = choice.phase === "step" ? data.tokens[choice.t + 1] : tokens[choice.t + 1] || "BOS";
    f.tout.value = `${choice.t}: ${tokens[choice.t]} \u2192 ${next}`;
    const pairs = new Map(COLS.map((c) => [c, new Map()]));  // column -> line -> the pairs on it
    for (const p of data.pairs) for (const c of COLS) pairs.get(c).set(p[c], [...(pairs.get(c).get(p[c]) || []), p]);
    let shown = 0;
    for (const col of COLS) {
      const picked = pick(data.impls[col].records, choice);
      for (const [line, entries] of picked) {
        const ln = document.getElementById(lineId(col, line));
        if (!ln) continue;
        const val = document.createElement("span");
        val.className = "mgx-val";
        val.textContent = lineText(entries);
        val.dataset.col = col;
        ln.append(val);
        drawn.push(val);
        const pair = choice.phase === "step" && pairs.get(col).get(line);
        const mark = pair && pairsText(pair, col, choice);
        if (mark) {
          const eq = document.createElement("span");
          eq.className = "mgx-eq"; eq.textContent = mark;
          eq.title = `${pair.map((p) => p.label).join(", ")}: the two files agree`;
          val.after(eq);
          drawn.push(eq);
        }
        val._entries = { col, line, entries, pair };
        shown++;
      }
    }
    shown += drawPseudo();
    const n = choice.phase === "step" ? data.tokens.length - 1 : tokens.length;
    const records = data.impls.matrix.records.filter((r) => r.phase === choice.phase);
    document.dispatchEvent(new CustomEvent("mgx:values", { detail: { n, records } }));
    const { values_built: built, values_visited: visited } = data.impls.scalar;
    status.textContent = `${shown} lines · \u201c${data.word}\u201d ${STATES[data.state]}${data.state === "run" ? ` (${data.steps} steps)` : ""} · ${PHASES[choice.phase]}` +
      (data.note ? ` · ${data.note}` : "") +
      (data.tracedHere ? ` · traced here in ${data.impls.matrix.seconds} s (matrix.py), ${data.impls.scalar.seconds} s (scalar.py)` : "") +
      (built && choice.phase === "step" ? ` · scalar.py built ${built.toLocaleString("en")} Values; backward visited ${visited.toLocaleString("en")}` : "");
  }

  function drawPseudo() {  // a pseudocode line tied by a pair to a matrix line shows that line's value
    const picked = pick(data.impls.matrix.records, choice), byLine = new Map();
    for (const p of data.pairs) {
      if (!p.pseudo) continue;
      const entry = (picked.get(p.matrix) || []).find((e) => e.name === p.names.matrix);
      if (!entry) continue;
      if (!byLine.has(p.pseudo)) byLine.set(p.pseudo, { line: p.matrix, entries: [] });
      const tie = byLine.get(p.pseudo);
      if (!tie.entries.includes(entry)) tie.entries.push(entry);
    }
    for (const [n, tie] of byLine) {
      const ln = document.getElementById(lineId("pseudo", n));
      if (!ln) continue;
      const val = document.createElement("span");
      val.className = "mgx-val";
      val.textContent = `${lineText(tie.entries)} (matrix.py L${tie.line})`;
      val.dataset.col = "pseudo";
      val._entries = { col: "matrix", line: tie.line, entries: tie.entries, pair: null };
      ln.append(val);
      drawn.push(val);
    }
    return byLine.size;
  }

  function clear() {
    for (const el of drawn) el.remove();
    drawn = [];
  }

  function checkWord(word) {  // the vocabulary's characters only: say which are not, beside the field
    const msg = bar.querySelector(".mgx-vword-msg");
    const chars = data ? data.chars : "abcdefghijklmnopqrstuvwxyz";
    const bad = [...new Set([...word].filter((c) => !chars.includes(c)))];
    const ok = Boolean(word) && !bad.length;
    form.word.setAttribute("aria-invalid", String(!ok));
    if (!word) msg.textContent = "Type a word of letters a to z.";
    else if (bad.length) msg.textContent = `${bad.map((c) => `\u201c${c}\u201d`).join(", ")} ${bad.length > 1 ? "are" : "is"} not in the vocabulary (a to z, lower case).`;
    else msg.textContent = word === choice.word ? "" : "Press Enter to trace it.";
    return ok;
  }

  // a value opens in full on hover, tap, or v on its line
  const entryOf = (el) => el && el.closest(".ln")?.querySelector(".mgx-val")?._entries;
  document.addEventListener("mouseover", (e) => {
    const val = on && e.target.closest && e.target.closest(".mgx-val, .mgx-eq");
    if (val) view.open(entryOf(val), val, data, choice, false);
  });
  document.addEventListener("click", (e) => {
    const val = on && e.target.closest && e.target.closest(".mgx-val, .mgx-eq");
    if (val) { e.stopPropagation(); view.open(entryOf(val), val, data, choice, true); }
  }, true);
  document.addEventListener("keydown", (e) => {
    if (!on || e.key !== "v" || e.ctrlKey || e.metaKey || e.altKey) return;
    const ln = e.target.closest && e.target.closest(".ln"), entry = entryOf(ln);
    if (entry) { e.preventDefault(); view.open(entry, ln.querySelector(".mgx-val"), data, choice, true); }
    else if (ln) toast("This line has no traced value.");
  });
  return { switchOn, switchOff, isOn: () => on };
}

function runtimeURL() {  // the trainer's own runtime URL, so that the page's one runtime client serves both
  const trainer = document.querySelector("[data-mgt-trainer]");
  return new URL(trainer?.dataset.runtime || new URL("../../../runtime/runtime.json", import.meta.url).href, document.baseURI).href;
}

function buildBar() {
  const bar = document.createElement("div");
  bar.className = "mgx-vbar";
  bar.innerHTML = `<form class="mgx-vform" aria-label="Live values">
    <label>Word <input name="word" value="emma" size="8" maxlength="64" autocomplete="off" spellcheck="false"></label>
    <button type="submit" class="mgx-vtrace">Trace</button>
    <label>Weights <select name="state">${Object.entries(STATES).map(([k, v]) => `<option value="${k}"${k === "run" ? " disabled" : ""}>${k === "run" ? "your run (train below first)" : v}</option>`).join("")}</select></label>
    <label>Run <select name="phase">${Object.entries(PHASES).map(([k, v]) => `<option value="${k}">${v}</option>`).join("")}</select></label>
    <label>Position <input type="range" name="t" min="0" max="4" value="3"> <output name="tout">0</output></label>
    <label>Head <select name="head">${[0, 1, 2, 3].map((h) => `<option>${h}</option>`).join("")}</select></label>
    <span class="mgx-vword-msg" role="status" aria-live="polite"></span>
    <span class="mgx-vstatus" role="status" aria-live="polite"></span>
  </form>`;
  return bar;
}
