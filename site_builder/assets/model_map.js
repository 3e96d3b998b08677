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
  document.addEventListener("mgx:values", (e) => showShapes(root, e.detail && e.detail.n));
}

export function showShapes(root, n) {
  for (const label of root.querySelectorAll(".mgx-map-shape[data-shape]")) {
    const shape = label.dataset.shape;
    label.textContent = n ? shape.replace(/\bn\b/g, String(n)) : shape;
  }
}
