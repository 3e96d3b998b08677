// The map of the model in the explorer: a block click lights its concept (mgx:focus-concept), and the block(s) of
// the concept at the reading position (mgx:reading from the reading-position module) get aria-current. With live
// values on (mgx:values {n}), the arrows' shapes read the word's real size: n×16 becomes 5×16 for "emma".
export function markConcept(root, concept) {
  for (const a of root.querySelectorAll(".mgx-map-block")) {
    if (a.dataset.concept === concept) a.setAttribute("aria-current", "location");
    else a.removeAttribute("aria-current");
  }
}

export function initModelMap(root) {
  if (!root) return;
  root.addEventListener("click", (e) => {
    const a = e.target.closest(".mgx-map-block");
    if (!a) return;
    document.dispatchEvent(new CustomEvent("mgx:focus-concept", { detail: { concept: a.dataset.concept } }));
  });
  document.addEventListener("mgx:reading", (e) => markConcept(root, e.detail && e.detail.concept));
  document.addEventListener("mgx:values", (e) => {
    showShapes(root, e.detail && e.detail.n);
    showHeatmaps(root, e.detail && e.detail.records);
  });
}

const CELL_W = 60, CELL_H = 12;  // the heatmap's box in the map's viewBox units, left of the arrow

/** Each block's output as a small heatmap on its arrow: rows are positions, columns the output's entries. */
export function showHeatmaps(root, records) {
  for (const g of root.querySelectorAll(".mgx-map-heat")) {
    g.replaceChildren();
    const block = root.querySelector(`.mgx-map-block[data-block="${g.dataset.block}"]`);
    const rec = records && records.find((r) => r.line === +block.dataset.line && r.name === block.dataset.name);
    let value = rec && rec.value;
    if (value && block.dataset.item !== undefined) value = value[+block.dataset.item];
    if (!Array.isArray(value) || !Array.isArray(value[0])) continue;
    const rows = value.length, cols = value[0].length;
    const max = Math.max(1e-12, ...value.flat().map((x) => Math.abs(x)));
    const w = CELL_W / cols, h = Math.min(4, CELL_H / rows);
    const ns = "http://www.w3.org/2000/svg";
    value.forEach((row, i) => row.forEach((x, j) => {
      const r = document.createElementNS(ns, "rect");
      r.setAttribute("x", (j * w).toFixed(2)); r.setAttribute("y", (i * h).toFixed(2));
      r.setAttribute("width", w.toFixed(2)); r.setAttribute("height", h.toFixed(2));
      r.setAttribute("class", x < 0 ? "neg" : "pos");
      r.style.opacity = (0.15 + 0.85 * Math.abs(x) / max).toFixed(2);
      g.append(r);
    }));
  }
}

export function showShapes(root, n) {
  for (const label of root.querySelectorAll(".mgx-map-shape[data-shape]")) {
    const shape = label.dataset.shape;
    label.textContent = n ? shape.replace(/\bn\b/g, String(n)) : shape;
  }
}
