/* Roving focus over the code: one line per file is in the tab order (the last one focused), arrows move between
   lines; lines the comments setting hides are skipped; a line's counterpart in another file is where Left/Right
   land. */
import { lineId } from "./lines.js";

/** Index i moved by step, kept inside a list of n. */
export const stepIndex = (i, step, n) => Math.min(n - 1, Math.max(0, i + step));

export function createRoving({ page, notesOfLine }) {
  const { grid, linesOf, colOf } = page;
  for (const lines of linesOf.values()) lines.forEach((l, i) => (l.tabIndex = i === 0 ? 0 : -1));

  const shownLines = (col) => linesOf.get(col).filter((l) => l.offsetParent !== null);  // comments may hide some
  const stopAt = (ln) => linesOf.get(colOf(ln)).forEach((l) => (l.tabIndex = l === ln ? 0 : -1));
  function nextShown(ln) {
    const shown = shownLines(colOf(ln));
    return shown.find((l) => ln.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING) || shown[shown.length - 1] || ln;
  }
  function focusLine(to) {
    const ln = to.offsetParent !== null ? to : nextShown(to);  // a hidden comment line: the next line shown
    stopAt(ln);
    ln.focus({ preventScroll: true });
    ln.scrollIntoView({ block: "nearest" });
  }
  function keepTabStops() {  // each column's tab stop on a line that is shown (the comments setting may hide it)
    for (const lines of linesOf.values()) {
      const i = Math.max(0, lines.findIndex((l) => l.tabIndex === 0)), stop = lines[i];
      if (!stop || stop.offsetParent !== null) continue;
      const to = lines.slice(i).find((l) => l.offsetParent !== null) || lines.find((l) => l.offsetParent !== null);
      if (to) { stop.tabIndex = -1; to.tabIndex = 0; }
    }
  }
  function counterpart(ln, col) {  // the same place in another column: a tied line, else the same concept, else the same height
    for (const note of notesOfLine.get(ln) || []) {
      const span = note.spans.find((s) => s.col === col);
      if (span) return document.getElementById(lineId(col, span.a));
    }
    const here = ln.closest(".mgx-block");
    const there = grid.querySelector(`.mgx-block[data-col="${col}"][data-concept="${here.dataset.concept}"]`);
    const inBlock = there && [...there.querySelectorAll(".ln")];
    if (inBlock && inBlock.length) {
      const k = [...here.querySelectorAll(".ln")].indexOf(ln);
      return inBlock[Math.min(k, inBlock.length - 1)];
    }
    const y = ln.getBoundingClientRect().top, lines = linesOf.get(col);
    return lines.find((l) => l.getBoundingClientRect().top >= y) || lines[lines.length - 1];
  }
  return { shownLines, stopAt, focusLine, keepTabStops, counterpart };
}
