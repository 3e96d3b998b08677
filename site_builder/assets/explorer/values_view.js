/* One value in full, in a popover beside it: a heatmap table for vectors and matrices (rows labelled with the
   word's letters or the vocabulary, attention weights lower-triangular, gradients on a diverging scale), bars
   over the vocabulary for a probability vector with the target or sampled letter marked, and the pair's
   agreement. Hover opens it for a look; a tap or v pins it until Esc, the close button or a tap elsewhere. */
import { axisLabels, compact, dims, isArray, isDistribution, isRagged, num, pairText, scale } from "./values_format.js";

export function createValueView() {
  const pop = document.createElement("div");
  pop.className = "mgx-vpop md-typeset";
  pop.setAttribute("role", "dialog");
  pop.hidden = true;
  pop.innerHTML = `<button type="button" class="mgx-vpop-close" aria-label="Close value">&times;</button><div class="mgx-vpop-body"></div>`;
  document.body.append(pop);
  const body = pop.querySelector(".mgx-vpop-body");
  let pinned = false, anchor = null, returnTo = null, hideTimer = 0;

  pop.querySelector(".mgx-vpop-close").addEventListener("click", () => close());
  pop.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); close(); } });
  pop.addEventListener("mouseenter", () => clearTimeout(hideTimer));
  pop.addEventListener("mouseleave", () => { if (!pinned) hideSoon(); });
  document.addEventListener("pointerdown", (e) => {
    if (!pop.hidden && !pop.contains(e.target) && !e.target.closest(".mgx-val, .mgx-eq")) close(false);
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !pop.hidden) close(); });

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => { if (!pinned) close(false); }, 250);
  }

  function open(entry, el, data, choice, pin) {
    if (!entry) return;
    if (!pin && pinned) return;  // a pinned view stays until it is closed
    clearTimeout(hideTimer);
    pinned = pin;
    if (anchor !== el || pop.hidden) render(entry, data, choice);
    anchor = el;
    if (!pin) el.addEventListener("mouseleave", hideSoon, { once: true });
    pop.hidden = false;
    place(el);
    if (pin) {
      returnTo = el.closest(".ln");
      pop.setAttribute("tabindex", "-1");
      pop.focus({ preventScroll: true });
    }
  }

  function close(refocus = true) {
    if (pop.hidden) return;
    pop.hidden = true;
    pinned = false;
    anchor = null;
    if (refocus && returnTo) returnTo.focus({ preventScroll: true });
    returnTo = null;
  }

  function place(el) {
    const r = el.getBoundingClientRect(), w = pop.offsetWidth, h = pop.offsetHeight;
    const left = Math.max(8, Math.min(innerWidth - w - 8, r.left));
    const below = r.bottom + 6 + h < innerHeight;
    pop.style.left = `${left}px`;
    pop.style.top = `${Math.max(8, below ? r.bottom + 6 : r.top - h - 6)}px`;
  }

  function render(entry, data, choice) {
    const { col, line, entries, pair } = entry;
    const file = data.impls[col].file;
    body.replaceChildren();
    for (const { name, rec, calls } of entries) {
      const ctx = Object.entries(rec.context || {}).filter(([k]) => k !== "via").map(([k, v]) => `${k} ${v}`);
      const title = `${file} line ${line}: ${name === "return" ? "returns" : name}` + (ctx.length ? ` (${ctx.join(", ")})` : "");
      const h = document.createElement("p");
      h.className = "mgx-vtitle";
      h.textContent = title + (rec.count > 1 ? ` · ran ${rec.at_least ? "at least " : ""}${rec.count.toLocaleString("en")} times, the ${rec.first ? "first" : "last"} shown` : "")
        + (calls > 1 ? ` · 1 of ${calls} calls` : "");
      body.append(h);
      body.append(figure(rec.value, { name, data, choice, col, kind: "value" }));
      if (rec.grad !== undefined && rec.grad !== null) {
        const g = document.createElement("p");
        g.className = "mgx-vtitle"; g.textContent = `its gradient (.grad after backward)`;
        body.append(g, figure(rec.grad, { name, data, choice, col, kind: "grad" }));
      }
    }
    for (const one of (pair && choice.phase === "step" ? pair : [])) {
      const p = document.createElement("p");
      p.className = "mgx-vpair";
      const label = one.label.replace("head h", `head ${choice.head}`);
      p.textContent = `${label}: ${pairText(one, col, choice)} (the largest difference between the two files)`;
      body.append(p);
    }
    pop.setAttribute("aria-label", `Value at ${file} line ${line}`);
  }
  return { open, close };
}

function figure(value, ctx) {
  if (isDistribution(value) && value.length === ctx.data.chars.length + 1) return bars(value, ctx);
  if (isRagged(value)) {  // pad the causal rows: the cells after t are the masked future
    const width = Math.max(...value.map((r) => r.length));
    return table(value.map((r) => [...r, ...Array(width - r.length).fill(null)]), { ...ctx, masked: true }, `${value.length} rows, row t of t + 1`);
  }
  if (!isArray(value)) {
    const p = document.createElement("p");
    p.className = "mgx-vtext";
    p.textContent = typeof value === "number" ? num(value, 17) : compact(value);
    return p;
  }
  const d = dims(value);
  if (d.length === 3) {  // one matrix per head: show the chosen head's
    const wrap = document.createElement("div");
    wrap.append(table(value[ctx.choice.head] || value[0], ctx, `head ${ctx.choice.head}`));
    return wrap;
  }
  return table(d.length === 1 ? [value] : value, ctx, d.length === 1 ? "" : `${d[0]}\u00d7${d[1]}`);
}

function table(rows, { data, choice, kind, name, masked }, caption) {
  const t = document.createElement("table");
  t.className = "mgx-heat";
  const tokens = choice.phase === "step" ? data.tokens : null;
  const rowLabels = rows.length > 1 ? axisLabels(rows.length, { tokens, chars: data.chars }) : [""];
  const width = rows[0].length;
  const positions = /^(P|attn|scores|S)$/.test(name) && tokens;  // attention runs over positions: label them
  const colLabels = positions ? tokens.slice(0, width) : axisLabels(width, { tokens, chars: data.chars });
  const attention = masked || (/^(P|attn)$/.test(name) && rows.length > 1 && rows.length === width);
  const { diverging, at } = scale(rows);
  const words = [caption, kind === "grad" ? "blue: raising this number raises the loss; red: lowers it"
    : diverging ? "blue positive, red negative" : ""].filter(Boolean).join(" \u00b7 ");
  if (words) t.dataset.caption = words;
  const wrap = document.createElement("figure");
  wrap.className = "mgx-heatwrap";
  if (words) { const c = document.createElement("figcaption"); c.textContent = words; wrap.append(c); }
  wrap.append(t);
  const head = t.createTHead().insertRow();
  head.append(document.createElement("th"));
  for (const l of colLabels) { const th = document.createElement("th"); th.scope = "col"; th.textContent = l; head.append(th); }
  const tb = t.createTBody();
  rows.forEach((row, i) => {
    const tr = tb.insertRow();
    const th = document.createElement("th");
    th.scope = "row"; th.textContent = rowLabels[i];
    if (rows.length > 1 && i === choice.t) tr.className = "mgx-heat-t";
    tr.append(th);
    row.forEach((x, j) => {
      const td = tr.insertCell();
      if (attention && rows.length > 1 && (j > i || x === null)) { td.className = "mgx-heat-masked"; td.setAttribute("aria-label", "masked"); return; }
      td.textContent = num(x, 3);
      const s = at(x);
      td.style.setProperty("--s", Math.abs(s).toFixed(3));
      td.className = s < 0 ? "neg" : "pos";
    });
  });
  return wrap;
}

/** The letter to mark over the vocabulary at position t: the word's next letter in a step, the drawn one in sampling. */
function markedLetter(data, choice) {
  if (choice.phase === "step") return { letter: data.tokens[choice.t + 1], role: "target" };
  const name = data.impls.matrix.records.find((r) => r.phase === "sample" && r.name === "return" && typeof r.value === "string");
  if (!name) return { letter: null, role: "" };
  return { letter: choice.t < name.value.length ? name.value[choice.t] : "BOS", role: "drawn" };
}

function bars(p, { data, choice }) {
  const labels = [...data.chars, "BOS"];
  const { letter: target, role } = markedLetter(data, choice);
  const box = document.createElement("div");
  box.className = "mgx-bars";
  box.setAttribute("role", "img");
  const top = p.indexOf(Math.max(...p));
  box.setAttribute("aria-label", `probabilities over the vocabulary; highest ${labels[top]} ${num(p[top], 3)}` +
    (target ? `; the ${role} letter ${target} ${num(p[labels.indexOf(target)], 3)}` : ""));
  const max = Math.max(...p);
  p.forEach((x, i) => {
    const b = document.createElement("div");
    b.className = "mgx-bar" + (labels[i] === target ? " mgx-bar-target" : "");
    b.title = `${labels[i]}: ${num(x, 4)}`;
    b.innerHTML = `<span class="mgx-bar-fill" style="height:${(100 * x / max).toFixed(1)}%"></span><span class="mgx-bar-label">${labels[i] === "BOS" ? "\u2205" : labels[i]}</span>`;
    box.append(b);
  });
  if (target) {
    const note = document.createElement("p");
    note.className = "mgx-vtext";
    note.textContent = `${role} letter ${target === "BOS" ? "BOS (the name ends)" : target}: ${num(p[labels.indexOf(target)], 4)} (marked)`;
    const wrap = document.createElement("div");
    wrap.append(box, note);
    return wrap;
  }
  return box;
}
