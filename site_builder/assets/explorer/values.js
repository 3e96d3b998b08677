/* Live values on the code. A Values switch (off by default: nothing is fetched until it is on) adds a bar under
   the toolbar — weights, training step or sampling, position t, head h — and puts at the end of every traced line
   of scalar.py and matrix.py the value it computed, with "= matrix row 3 · |Δ| 2e-16" where docs/pairs.yml ties
   the two files. Hover, tap, or press v on a line to see a value in full (values_view.js). The views are the
   build's traces (site_builder/live_values.py), one JSON file per weight state. */
import { lineId } from "./lines.js";
import { lineText, pairsText, pick } from "./values_format.js";
import { createValueView } from "./values_view.js";

const STATES = { init: "initial (seed 42)", trained: "trained 1000 steps" };
const PHASES = { step: "a training step", sample: "sampling" };
const COLS = ["scalar", "matrix"];

export function createValues({ tools, toolbar, toast }) {
  const toggle = document.createElement("button");
  toggle.type = "button"; toggle.className = "mgx-values-toggle"; toggle.textContent = "Values";
  toggle.setAttribute("aria-pressed", "false");
  toggle.title = "Show what every line computes on a word (v on a line opens its value)";
  tools.prepend(toggle);
  const bar = buildBar();
  bar.hidden = true;
  toolbar.append(bar);
  const status = bar.querySelector(".mgx-vstatus");
  const view = createValueView();
  const cache = new Map();  // state -> Promise of the view's JSON
  let data = null, on = false, choice = { state: "init", phase: "step", t: 3, head: 0 };
  let drawn = [];

  toggle.addEventListener("click", () => (on ? switchOff() : switchOn()));
  bar.addEventListener("input", (e) => {
    const f = bar.querySelector("form");
    if (e.target.name === "word") return checkWord(e.target.value);
    choice = { state: f.state.value, phase: f.phase.value, t: +f.t.value, head: +f.head.value };
    if (e.target.name === "state") load(); else draw();
  });
  bar.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); checkWord(bar.querySelector("form").word.value); });

  function fetchState(state) {
    if (!cache.has(state)) {
      const url = new URL(`../values/emma-${state}.json`, import.meta.url);
      cache.set(state, fetch(url).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status} for ${url.pathname.split("/").pop()}`);
        return r.json();
      }));
      cache.get(state).catch(() => cache.delete(state));  // a failed load is retried next time
    }
    return cache.get(state);
  }

  async function switchOn() {
    on = true;
    toggle.setAttribute("aria-pressed", "true");
    bar.hidden = false;
    document.documentElement.classList.add("mgx-values-on");
    await load();
  }

  function switchOff() {
    on = false;
    toggle.setAttribute("aria-pressed", "false");
    bar.hidden = true;
    document.documentElement.classList.remove("mgx-values-on");
    view.close();
    clear();
  }

  async function load() {
    status.textContent = "loading values\u2026";
    try {
      data = await fetchState(choice.state);
    } catch (e) {
      status.textContent = `Values could not load (${e.message}); check the connection and switch Values on again.`;
      return;
    }
    if (!on) return;
    draw();
  }

  function positions() {  // t runs over the word's positions in a step, over the sampled name's in sampling
    if (choice.phase === "step") return data.tokens.slice(0, -1);
    const name = data.impls.matrix.records.find((r) => r.phase === "sample" && r.name === "return" && typeof r.value === "string");
    return ["BOS", ...(name ? [...name.value] : [])].slice(0, 16);
  }

  function draw() {
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
    const { values_built: built, values_visited: visited } = data.impls.scalar;
    status.textContent = `${shown} lines · word "${data.word}" ${STATES[data.state]} · ${PHASES[choice.phase]}` +
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

  function checkWord(word) {
    const f = bar.querySelector("form"), msg = bar.querySelector(".mgx-vword-msg");
    const chars = data ? data.chars : "abcdefghijklmnopqrstuvwxyz";
    const bad = [...new Set([...word].filter((c) => !chars.includes(c)))];
    f.word.setAttribute("aria-invalid", String(!!bad.length || !word));
    if (!word) msg.textContent = "Type a word of letters a to z.";
    else if (bad.length) msg.textContent = `${bad.map((c) => `\u201c${c}\u201d`).join(", ")} ${bad.length > 1 ? "are" : "is"} not in the vocabulary (a to z, lower case).`;
    else if (word !== data?.word) msg.textContent = `The page has ${data?.word || "emma"} traced ahead of time; tracing \u201c${word}\u201d runs Python in the trainer (not in this build yet).`;
    else msg.textContent = "";
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

function buildBar() {
  const bar = document.createElement("div");
  bar.className = "mgx-vbar";
  bar.innerHTML = `<form class="mgx-vform" aria-label="Live values">
    <label>Word <input name="word" value="emma" size="8" autocomplete="off" spellcheck="false"></label>
    <label>Weights <select name="state">${Object.entries(STATES).map(([k, v]) => `<option value="${k}">${v}</option>`).join("")}</select></label>
    <label>Run <select name="phase">${Object.entries(PHASES).map(([k, v]) => `<option value="${k}">${v}</option>`).join("")}</select></label>
    <label>Position <input type="range" name="t" min="0" max="4" value="3"> <output name="tout">0</output></label>
    <label>Head <select name="head">${[0, 1, 2, 3].map((h) => `<option>${h}</option>`).join("")}</select></label>
    <span class="mgx-vword-msg" role="status" aria-live="polite"></span>
    <span class="mgx-vstatus" role="status" aria-live="polite"></span>
  </form>`;
  return bar;
}
