/* The notes follow the reader: the panel beside the code shows the hovered line's notes, else the focused line's,
   else those at the reading position, and marks their lines in every column; Enter on a line opens its note (in
   the panel, in place, or in the popover) and Esc from a note goes back to the line. Lanes that scroll on their
   own (sync off) bring a hovered line's counterparts into view. */
import { lineId, lineOf } from "./lines.js";
import { createNotesPanel } from "./notes_panel.js";

export const MAX_READING = 4;  // notes the panel shows for the reading position

/** A line's notes, those that start on it first: a hovered first line leads with its note. */
export function leadingFirst(list, id) {
  const starts = (n) => n.spans.some((s) => lineId(s.col, s.a) === id);
  return [...list.filter(starts), ...list.filter((n) => !starts(n))];
}

/** The notes of the lines at the reading position, each once, in the lines' order, at most max. */
export function notesAt(lines, notesOf, max = MAX_READING) {
  const seen = new Set(), list = [];
  for (const ln of lines) for (const n of notesOf(ln)) if (!seen.has(n)) { seen.add(n); list.push(n); }
  return list.slice(0, max);
}

/** The line to go back to from a note: the one the reader came from if it is the note's, else its first shown. */
export const lineToReturnTo = (note, from) => (from && note.lines.includes(from) ? from : note.lines.find((l) => l.offsetParent !== null));

export function createNoteFollow({ page, index, roving, popover, lanes, isMargin }) {
  const { grid, root, heads, titleOf, onScreen, behavior } = page;
  const notesOf = (ln) => leadingFirst(index.ofLine.get(ln) || [], ln.id);
  const panel = createNotesPanel({ grid, index: { byId: index.byId }, titleOf, onEscape: (note, from) => {
    const back = lineToReturnTo(note, from);
    if (back) roving.focusLine(back);
  } });
  panel.el.style.gridRow = `1 / ${heads.length * 2 + 1}`;

  document.addEventListener("mgx:reading", (e) => {
    // a focused line, or a linked note's lines, that has scrolled away no longer holds the panel
    const focused = panel.get("focus")?.from, pinned = panel.get("pin")?.notes[0];
    if (focused && !onScreen(focused)) panel.clear("focus");
    if (pinned && !pinned.lines.some(onScreen)) panel.clear("pin");
    const list = notesAt(e.detail.lines, notesOf);
    if (!isMargin()) panel.set("reading", []);  // no panel on screen: mark nothing
    else if (list.length) panel.set("reading", list);  // a blank line or a gap keeps the last notes
  });
  function revealCounterparts(list, from) {  // lanes that scroll on their own (sync off) bring counterparts into view
    for (const note of list) {
      for (const { col, a } of note.spans) {
        const lane = lanes.get(col), ln = document.getElementById(lineId(col, a));
        if (!lane || !ln || lane.contains(from) || getComputedStyle(lane).overflowY !== "auto") continue;
        const lr = lane.getBoundingClientRect(), r = ln.getBoundingClientRect();
        if (r.top >= lr.top && r.bottom <= lr.bottom) continue;
        const by = r.top - lr.top - lr.height / 3;  // far away: jump; nearby: glide (unless reduced motion)
        lane.scrollTo({ top: lane.scrollTop + by, behavior: Math.abs(by) > 2 * lr.height ? "auto" : behavior() });
      }
    }
  }
  const noteIn = (el) => { const n = el.closest(".mgx-note"); return n && index.byId.get(n.dataset.note || n.id); };
  grid.addEventListener("mouseover", (e) => {
    const ln = lineOf(e.target), note = noteIn(e.target);
    if (ln) { const list = notesOf(ln); panel.set("hover", list); revealCounterparts(list, ln); }
    else if (note && !panel.el.contains(e.target)) panel.set("hover", [note]);
  });
  grid.addEventListener("mouseleave", () => panel.clear("hover"));
  root.addEventListener("focusin", (e) => {
    const ln = lineOf(e.target), note = noteIn(e.target);
    if (ln) {
      roving.stopAt(ln);
      const list = notesOf(ln);
      panel.set("focus", list, ln);
      revealCounterparts(list, ln);
    } else if (note && !panel.el.contains(e.target)) panel.set("focus", [note], panel.get("focus")?.from);
  });

  let noteFrom = null;  // the line whose Enter focused a note: Esc goes back to it
  function open(ln) {  // Enter on a line, or a tap where notes are not on screen
    const list = index.ofLine.get(ln);
    if (!list) return false;
    if (isMargin() && panel.focusNote(list[0])) return true;
    const shown = list[0].el.offsetParent !== null && !popover.contains(list[0].el);
    if (shown) {
      noteFrom = ln;
      list[0].el.focus({ preventScroll: true });
      list[0].el.scrollIntoView({ block: "nearest", behavior: behavior() });
    } else popover.open(ln, list);
    return true;
  }
  function back(noteEl) {  // Esc in a note of the page: true if the focus went back to a line
    const to = lineToReturnTo(index.byId.get(noteEl.id), noteFrom);
    if (to) roving.focusLine(to);
    return !!to;
  }
  return { panel, open, back };
}
