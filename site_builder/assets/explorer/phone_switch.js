/* The phone's column switch: one file at a time, and switching keeps the current concept where it was on screen
   (the same fraction of the way through it, at the same height). */
export function createPhoneSwitch({ page, view, currentConcept }) {
  const { heads, grid, switcher } = page;
  switcher.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-col]");
    if (!b) return;
    const { head, frac, y } = currentConcept();
    view.update({ ...view.settings(), col: b.dataset.col });
    const i = heads.indexOf(head), next = heads.slice(i + 1).find((h) => !h.hidden);
    const top = head.getBoundingClientRect().top, bottom = next ? next.getBoundingClientRect().top : grid.getBoundingClientRect().bottom;
    scrollBy({ top: top + frac * (bottom - top) - y, behavior: "auto" });
  });
}
