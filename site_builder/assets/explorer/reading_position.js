/* The reading position: which lines and which concept sit at the reading line (a third of the way down the part
   of the viewport the code can use). One measurement per frame while scrolling; listeners get a `mgx:reading`
   event on document with {concept, lines} when it changes, instead of each measuring the page. */
import { lineOf } from "./lines.js";

export function createReadingPosition({ grid, heads, visibleCols, codeTop, codeBottom }) {
  let last = { concept: null, lines: [] }, queued = false;

  function readingY() {
    const top = codeTop(), bottom = codeBottom();
    return top + (bottom - top) / 3;
  }
  function columnX(col) {
    const block = [...grid.querySelectorAll(`.mgx-block[data-col="${col}"]:not(.mgx-absent)`)].find((b) => b.offsetParent !== null);
    if (!block) return null;
    const r = block.getBoundingClientRect();
    return r.left + Math.min(40, r.width / 2);
  }
  function measure() {
    const y = readingY(), lines = [];
    for (const col of visibleCols()) {
      const x = columnX(col);
      if (x === null) continue;
      const ln = lineOf(document.elementFromPoint(x, y));
      if (ln && ln.closest(`[data-col="${col}"]`)) lines.push(ln);
    }
    let concept = heads[0]?.dataset.concept;
    const line = lines[0];
    if (line) concept = line.closest("[data-concept]").dataset.concept;
    else for (const h of heads) if (!h.hidden && h.getBoundingClientRect().top <= y) concept = h.dataset.concept;
    return { concept, lines, y };
  }
  function update(force = false) {
    const now = measure();
    const same = now.concept === last.concept && now.lines.length === last.lines.length && now.lines.every((l, i) => l === last.lines[i]);
    last = now;
    if (!same || force) document.dispatchEvent(new CustomEvent("mgx:reading", { detail: now }));
  }
  const onScroll = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; update(); });
  };
  addEventListener("scroll", onScroll, { passive: true });
  return { update, readingY };
}
