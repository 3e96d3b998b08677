// A sample explained (templates/trainer.html, .mgt-explain): letter by letter, the probabilities the sampler drew
// each next token from at the run's temperature, as bars over the vocabulary with the drawn token marked. The
// numbers come from the worker (letter_probabilities in microgpt/session.py, the run's own model code); the bars
// reuse the explorer's live-values classes (values.css, .mgx-bars), so both read alike.
export const END = "∅"; // the BOS token drawn as a next token: the name ends there

const pct = (p) => (p >= 0.995 ? "≈1" : p < 0.0005 ? "<0.001" : p.toFixed(3));

/** Pure: one entry per row of the worker's answer: what came before, the token drawn, its probability, the likeliest. */
export function explanationRows({ name, chars, rows, drawn }) {
  const labels = [...chars, END];
  return rows.map((p, i) => {
    let top = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[top]) top = k;
    return { before: [...name].slice(0, i).join(""), drawn: drawn[i], drawnLabel: labels[drawn[i]], p: p[drawn[i]],
             top: labels[top], topP: p[top], probs: p, labels };
  });
}

function barsOf(row) {
  const box = document.createElement("div");
  box.className = "mgx-bars mgt-explain-bars";
  box.setAttribute("role", "img");
  box.setAttribute("aria-label", `drew ${row.drawnLabel} with probability ${pct(row.p)}; likeliest ${row.top} ${pct(row.topP)}`);
  row.probs.forEach((p, k) => {
    const bar = document.createElement("div");
    bar.className = "mgx-bar" + (k === row.drawn ? " mgx-bar-target" : "");
    bar.dataset.p = String(p);
    bar.title = `${row.labels[k]}: ${p.toFixed(4)}`;
    const fill = document.createElement("span");
    fill.className = "mgx-bar-fill";
    fill.style.height = `${(100 * p).toFixed(1)}%`; // absolute: a tall bar is a likely token, whatever the others
    const label = Object.assign(document.createElement("span"), { className: "mgx-bar-label", textContent: row.labels[k] });
    bar.append(fill, label);
    box.append(bar);
  });
  return box;
}

/** Fill `box` with the explanation of one sample (the worker's "explained" message and the run's implementation). */
export function renderExplanation(box, message, impl) {
  const rows = explanationRows(message);
  const shown = message.name || END;
  const head = document.createElement("div");
  head.className = "mgt-explain-head";
  const title = Object.assign(document.createElement("h4"), { textContent: `How “${shown}” was drawn, letter by letter` });
  title.tabIndex = -1;
  const close = Object.assign(document.createElement("button"), { type: "button", className: "mgt-clear", textContent: "Close" });
  close.dataset.action = "unexplain";
  head.append(title, close);
  const note = document.createElement("p");
  note.className = "mgt-hint";
  note.textContent = `Each row: the probability of every next token after the letters so far, softmax(logits / ${message.temperature}) ` +
    `at temperature ${message.temperature}, computed by ${impl}.py's own code; the drawn one is marked. ${END} ends the name.`;
  const list = document.createElement("ol");
  list.className = "mgt-explain-rows";
  for (const row of rows) {
    const li = document.createElement("li");
    li.className = "mgt-explain-row";
    const label = document.createElement("p");
    label.className = "mgt-explain-label";
    label.textContent = `${row.before ? `after “${row.before}”` : "first letter"}: drew ${row.drawnLabel === END ? `${END} (end)` : row.drawnLabel}` +
      ` · p = ${pct(row.p)}` + (row.top !== row.drawnLabel ? ` (likeliest ${row.top}, ${pct(row.topP)})` : "");
    li.append(label, barsOf(row));
    list.append(li);
  }
  box.replaceChildren(head, note, list);
  box.hidden = false;
  box.dataset.name = message.name;
  return title;
}

/** A line in place of the explanation: while it is computed, or why it cannot be. */
export function explanationNote(box, text, kind = "busy") {
  box.replaceChildren(Object.assign(document.createElement("p"), { className: `mgt-explain-note mgt-explain-note--${kind}`, textContent: text }));
  box.hidden = false;
  delete box.dataset.name;
}
