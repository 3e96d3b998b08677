/* The walkthrough: step note by note through the whole program in concept order (or a route through some
   concepts, ?walk=newcomer), with Next / Previous and the keys j / k; Esc leaves. Each step shows its note beside
   its lines (through `show`) and puts the note's id in the URL (?walk=1#note-…), so a course can link to a step. */
export const ROUTES = { newcomer: ["data", "tokenizer", "forward", "attention", "loss", "backward", "adam", "sample"] };

/** Pure: the notes a walk visits, in page order. */
export function walkNotes(notes, route) {
  const concepts = ROUTES[route];
  return concepts ? notes.filter((n) => concepts.includes(n.concept)) : notes;
}

export function createWalkthrough({ toolbar, notes, titleOf, show, leave }) {
  const start = Object.assign(document.createElement("button"), { type: "button", className: "mgx-walk-start", textContent: "Walkthrough" });
  start.title = "Step through the notes one at a time (j / k)";
  const settings = toolbar.querySelector(".mgx-settings"), tools = document.createElement("div");
  tools.className = "mgx-tools";  // the toolbar's buttons, together at its right end
  settings.before(tools);
  tools.append(start, settings);
  const bar = document.createElement("div");
  bar.className = "mgx-walk";
  bar.hidden = true;
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Walkthrough");
  bar.innerHTML = '<button type="button" data-step="-1">&larr; Previous <kbd>k</kbd></button>'
    + '<p class="mgx-walk-where" aria-live="polite"></p>'
    + '<button type="button" data-step="1">Next <kbd>j</kbd> &rarr;</button>'
    + '<button type="button" data-step="0" aria-label="Leave the walkthrough (Esc)">&times;</button>';
  document.body.append(bar);
  const where = bar.querySelector(".mgx-walk-where");
  let list = [], at = -1, route = "1";

  function go(i) {
    at = Math.max(0, Math.min(list.length - 1, i));
    const note = list[at];
    where.textContent = `note ${at + 1} of ${list.length} · ${titleOf(note.concept)}`;
    bar.querySelector('[data-step="-1"]').disabled = at === 0;
    bar.querySelector('[data-step="1"]').disabled = at === list.length - 1;
    const q = new URLSearchParams(location.search);
    q.set("walk", route);
    history.replaceState(history.state, "", `${location.pathname}?${q.toString()}#${note.id}`);
    show(note);
  }
  function enter(which = "1", fromId = null) {
    route = ROUTES[which] ? which : "1";
    list = walkNotes(notes, route);
    if (!list.length) return;
    bar.hidden = false;
    document.documentElement.classList.add("mgx-walking");
    const i = list.findIndex((n) => n.id === fromId);
    go(i >= 0 ? i : 0);
  }
  function exit() {
    if (bar.hidden) return;
    bar.hidden = true;
    document.documentElement.classList.remove("mgx-walking");
    const q = new URLSearchParams(location.search);
    q.delete("walk");
    history.replaceState(history.state, "", `${location.pathname}${q.size ? `?${q}` : ""}${location.hash}`);
    leave();
    start.focus({ preventScroll: true });
  }
  start.addEventListener("click", () => enter("1", location.hash.slice(1)));
  bar.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-step]");
    if (!b) return;
    const step = Number(b.dataset.step);
    if (step) go(at + step); else exit();
  });
  document.addEventListener("keydown", (e) => {
    if (bar.hidden || e.altKey || e.ctrlKey || e.metaKey || e.target.closest("input, textarea, select, [contenteditable]")) return;
    if (e.key === "j") { e.preventDefault(); go(at + 1); }
    else if (e.key === "k") { e.preventDefault(); go(at - 1); }
    else if (e.key === "Escape") exit();
  });
  return { enter, exit, active: () => !bar.hidden };
}
