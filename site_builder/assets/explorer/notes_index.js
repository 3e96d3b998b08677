/* The notes and the lines they explain, read once from the server-rendered page: each note's spans (data-spans
   "scalar:141-142 matrix:99-100"), its lines, and for every line the notes that cover it (written on the line as
   data-notes and aria-describedby, so a screen reader hears a line's notes as its description). Each note also
   gets its links: to its lines in every file, and to itself. */
import { lineId } from "./lines.js";
import { labelOf } from "./settings.js";

/** "scalar:141-142 matrix:99" -> [{col, a, b}] */
export function parseSpans(text) {
  return (text || "").split(" ").filter(Boolean).map((s) => {
    const [col, range] = s.split(":"), [a, b = a] = range.split("-").map(Number);
    return { col, a, b };
  });
}

export function indexNotes(root) {
  const notes = [...root.querySelectorAll(".mgx-note")].map((el) => ({
    el, id: el.id, home: el.parentElement, concept: el.closest("[data-concept]").dataset.concept,
    spans: parseSpans(el.dataset.spans), lines: [],
  }));
  const byId = new Map(notes.map((n) => [n.id, n]));
  const ofLine = new Map();
  for (const note of notes) {
    note.el.append(refsOf(note));
    for (const { col, a, b } of note.spans) {
      for (let n = a; n <= b; n++) {
        const ln = document.getElementById(lineId(col, n));
        if (!ln) continue;
        note.lines.push(ln);
        if (!ofLine.has(ln)) ofLine.set(ln, []);
        ofLine.get(ln).push(note);
      }
    }
  }
  for (const [ln, list] of ofLine) {
    ln.dataset.notes = list.map((n) => n.id).join(" ");
    ln.setAttribute("aria-describedby", ln.dataset.notes);
  }
  return { notes, byId, ofLine };
}

function refsOf(note) {  // links to the note's lines and to the note itself (built here: they are derivable)
  const refs = document.createElement("p");
  refs.className = "mgx-note-refs";
  for (const { col, a, b } of note.spans) {
    const link = document.createElement("a");
    link.href = `#${lineId(col, a)}${b !== a ? `-L${b}` : ""}`;
    link.textContent = `${labelOf(col)} L${a}${b !== a ? `\u2013${b}` : ""}`;
    refs.append(link);
  }
  const self = document.createElement("a");
  self.className = "mgx-self"; self.href = `#${note.id}`; self.textContent = "#";
  self.setAttribute("aria-label", "Copy link to this note");
  refs.append(self);
  return refs;
}
