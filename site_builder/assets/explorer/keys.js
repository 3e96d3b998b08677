/* The keyboard on the code: arrows, Page Up/Down, Home/End move between lines (Left/Right to the counterpart in
   the next visible file), shift+arrows select, Enter opens the line's notes, c copies its link, s shares it, Esc
   closes the popover or goes back from a note to its line. (j/k, i and v belong to the walkthrough, identifiers
   and values.) */
import { stepIndex } from "./roving.js";

export const STEPS = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 };

/** The line index a key moves to from i among n lines, or null if the key does not move along the file. */
export function moveIndex(key, i, n) {
  if (STEPS[key]) return stepIndex(i, STEPS[key], n);
  if (key === "Home") return 0;
  if (key === "End") return n - 1;
  return null;
}

export function createKeys({ page, index, roving, ranges, follow, popover, share, view }) {
  page.grid.addEventListener("keydown", (e) => {
    const note = e.target.closest && e.target.closest(".mgx-note");
    if (e.key === "Escape" && note && index.byId.has(note.id)) {  // back to the line the reader came from
      if (follow.back(note)) e.preventDefault();
      return;
    }
    const ln = e.target;
    if (!ln.classList || !ln.classList.contains("ln") || e.altKey || e.ctrlKey || e.metaKey) return;
    const col = page.colOf(ln), lines = roving.shownLines(col), i = lines.indexOf(ln);
    if (STEPS[e.key] && e.shiftKey) {  // shift+arrows: the selection grows or shrinks from where it started
      e.preventDefault();
      const to = lines[stepIndex(i, STEPS[e.key], lines.length)];
      if (to !== ln) ranges.selectTo(to);
      return;
    }
    let to = null;
    const k = moveIndex(e.key, i, lines.length);
    if (k !== null) to = lines[k];
    else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      const cols = view.visibleCols(), j = cols.indexOf(col) + (e.key === "ArrowRight" ? 1 : -1);
      if (j >= 0 && j < cols.length) to = roving.counterpart(ln, cols[j]);
    } else if (e.key === "Enter") { if (follow.open(ln)) e.preventDefault(); return; }
    else if (e.key === "Escape") { popover.close(); return; }
    else if (e.key === "c" || e.key === "C") { share.copySelection(ln); return; }
    else if (e.key === "s" || e.key === "S") { e.preventDefault(); share.shareLines(ln, ln); return; }
    else return;
    e.preventDefault();
    if (to && to !== ln) roving.focusLine(to);
  });
}
