/* Selecting a range of lines: shift-click or shift+arrows grow or shrink it from where it started (the line focused
   last, in the same file); the URL follows the selection. */
import { lineNumber, lineOf } from "./lines.js";

/** The range between two line numbers, either way round. */
export const between = (x, y) => ({ a: Math.min(x, y), b: Math.max(x, y) });

/** The selection if line n of col is in it, else that line alone. */
export const rangeAt = (sel, col, n) => (sel && sel.col === col && n >= sel.a && n <= sel.b ? sel : { col, a: n, b: n });

export function createRanges({ page, links, roving, onLine }) {
  const { root, colOf } = page;
  let anchor = null, extending = false;  // anchor: where a shift-selection starts (the line focused last)
  function selectTo(ln) {
    const col = colOf(ln);
    if (!anchor || !anchor.isConnected || colOf(anchor) !== col) anchor = ln;
    const { a, b } = between(lineNumber(anchor), lineNumber(ln)), hash = links.linkOf(col, a, b);
    history.replaceState(history.state, "", hash);
    links.go(hash, false);
    extending = true;
    roving.focusLine(ln);
    extending = false;
    getSelection().removeAllRanges();
    onLine(ln);
  }
  root.addEventListener("focusin", (e) => {
    const ln = lineOf(e.target);
    if (!ln) return;
    if (!extending) anchor = ln;
    onLine(ln);
  });
  return { selectTo, at: (ln) => rangeAt(links.selection(), colOf(ln), lineNumber(ln)) };
}
