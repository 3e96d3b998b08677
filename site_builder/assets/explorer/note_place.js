/* Where the notes sit in the page: inline (after their last line in the first visible file that has them), or back
   home in their concept's notes block (margin and popover), in document order. */
import { lineId } from "./lines.js";

/** The span an inline note follows: its span in the first of the visible columns that it covers, or undefined. */
export const inlineSpan = (note, cols) => cols.map((c) => note.spans.find((s) => s.col === c)).find(Boolean);

export function placeNotes(notes, inline, cols) {
  const after = new Map();
  for (const note of notes) {
    const span = inline && inlineSpan(note, cols);
    if (span) {
      const last = document.getElementById(lineId(span.col, span.b));
      (after.get(last) || last).after(note.el);
      after.set(last, note.el);
    } else if (note.el.parentElement !== note.home || inline) {
      note.home.append(note.el);
    }
  }
  if (!inline) {  // back in document order within each notes block
    for (const note of notes) if (note.el.parentElement === note.home) note.home.append(note.el);
  }
}
