/* The notes panel: beside the code on wide screens, it shows the notes of what the reader is looking at — the hovered line, else the focused line, else a linked note, else the lines at
   the reading position — and marks those notes' lines in every column. The notes themselves stay in the page
   after each concept's code (reading order for screen readers and for no-JS); the panel shows copies. */
const KINDS = ["hover", "focus", "pin", "reading"];  // first one set wins; pin: a #note- link

export function createNotesPanel({ grid, index, titleOf, onEscape }) {
  const panel = document.createElement("aside");
  panel.className = "mgx-panel";
  panel.setAttribute("aria-label", "Notes on the lines you are reading");
  const inner = document.createElement("div");
  inner.className = "mgx-panel-in";
  const status = document.createElement("p");
  status.className = "mgx-panel-where";
  const list = document.createElement("div");
  list.className = "mgx-panel-notes";
  inner.append(status, list);
  panel.append(inner);
  grid.prepend(panel);  // before the first concept: outside every concept's reading order

  const state = Object.fromEntries(KINDS.map((k) => [k, null]));  // kind -> {notes, from}
  const copies = new Map();  // note id -> its copy in the panel
  let shown = [], marked = [], kindShown = null;

  function copyOf(note) {
    if (!copies.has(note.id)) {
      const c = note.el.cloneNode(true);
      c.removeAttribute("id"); c.removeAttribute("role"); c.removeAttribute("style");
      c.classList.remove("mgx-hl", "mgx-target");
      c.dataset.note = note.id;
      c.tabIndex = -1;
      copies.set(note.id, c);
    }
    return copies.get(note.id);
  }
  function render() {
    const kind = KINDS.find((k) => state[k] && state[k].notes.length) || null;
    const notes = kind ? state[kind].notes : [];
    for (const el of marked) el.classList.remove("mgx-hl", "mgx-cur");
    marked = [];
    const cls = kind === "reading" ? "mgx-cur" : "mgx-hl";
    for (const note of notes) for (const el of [note.el, ...note.lines]) { el.classList.add(cls); marked.push(el); }
    if (kind === kindShown && notes.length === shown.length && notes.every((n, i) => n === shown[i])) return;
    const scrolled = kind !== kindShown || notes[0] !== shown[0];
    shown = notes; kindShown = kind;
    list.replaceChildren(...notes.map(copyOf));
    for (const c of list.children) c.classList.toggle("mgx-hl", kind !== "reading");
    const first = notes[0];
    status.textContent = first ? `${notes.length === 1 ? "Note" : `${notes.length} notes`} · ${titleOf(first.concept)}` : "";
    if (scrolled) inner.scrollTop = 0;
  }

  panel.addEventListener("keydown", (e) => {
    const c = e.target.closest(".mgx-note");
    if (e.key === "Escape" && c) { e.preventDefault(); onEscape(index.byId.get(c.dataset.note), state.focus?.from); }
  });
  return {
    el: panel,
    set(kind, notes, from = null) { state[kind] = notes && notes.length ? { notes, from } : null; render(); },
    clear(kind) { state[kind] = null; render(); },
    get(kind) { return state[kind]; },
    focusNote(note) {
      const c = copies.get(note.id);
      if (c && c.isConnected) { c.focus({ preventScroll: true }); c.scrollIntoView({ block: "nearest" }); return true; }
      return false;
    },
  };
}
