/* Deep links: #scalar-L42, #matrix-L10-L20~3f2a (a range, with the fingerprint of its text), #concept-attention,
   #note-attention-scores. The target is marked, its column shown, and it is scrolled to; a fingerprinted range
   that moved is found again (and the reader told), one whose lines are gone leads to the concept that held them. */
import { clampRange, fingerprint, goneMessage, movedMessage, parseLineHash, rangeHash, relocate } from "../line_links.js";
import { lineId, lineNumber } from "./lines.js";

/** What a #fragment points at: {kind: "lines", link} | {kind: "concept", id} | {kind: "note", id} | {kind: "unknown"}
 *  (a concept or note name that does not exist) | null (not ours). */
export function parseTarget(hash, cols) {
  const link = parseLineHash(hash, cols);
  if (link) return { kind: "lines", link };
  let m;
  if ((m = /^#concept-([a-z]+)$/.exec(hash))) return { kind: "concept", id: m[1] };
  if ((m = /^#(note-[a-z0-9-]+)$/.exec(hash))) return { kind: "note", id: m[1] };
  if (/^#(concept|note)-/.test(hash)) return { kind: "unknown" };
  return null;
}

/** A line link against its file: clamped to the file's `last` line; a fingerprinted one is found again in `text`
 *  (the file's lines) -> the range, with a message if it moved; or {concept, message} where its lines were (the
 *  concept of the nearest line still there, from conceptNear(n)); or {error}. */
export function locateLink(link, { last, text, name, conceptNear, titleOf }) {
  if (!link.fp) return clampRange(link, last);
  const wrong = clampRange(link, Infinity);  // reversed, or line 0: said so, fingerprint or not
  if (wrong.error) return wrong;
  const found = relocate(link, text);
  if (found.moved) return { ...link, a: found.a, b: found.b, message: movedMessage(name, link, found) };
  if (!found.gone) return { ...link, a: found.a, b: found.b };
  const concept = conceptNear(Math.max(1, Math.min(link.a, last)));
  if (!concept) return { error: `${name} has no lines in this explorer.` };
  return { concept, message: goneMessage(name, link, titleOf(concept)) };
}

export function createDeepLinks({ page, cols, index, roving, panel, popover, reading, toast, view }) {
  const { linesOf, fileName, fileText, titleOf, toolbar, embedded } = page;
  let targets = [];
  let sel = null;  // the line range linked to or selected (shift-click, shift+arrows): {col, a, b}
  const mark = (el) => { el.classList.add("mgx-target"); targets.push(el); };
  function unmark() {
    for (const el of targets) el.classList.remove("mgx-target");
    targets = [];
  }
  function locate(link) {
    const lines = linesOf.get(link.col), last = lines.length ? lineNumber(lines[lines.length - 1]) : 0;
    const conceptNear = (n) => document.getElementById(lineId(link.col, n))?.closest(".mgx-block").dataset.concept;
    return locateLink(link, { last, text: link.fp ? fileText(link.col) : null, name: fileName(link.col), conceptNear, titleOf });
  }
  function goLines(link, scroll) {  // -> the first line to scroll to (or null), or undefined when all is done
    const range = locate(link);
    if (range.error) { toast(range.error); view.markRail(); return; }
    if (range.concept) { go(`#concept-${range.concept}`, scroll); toast(range.message); return; }
    if (range.message) toast(range.message);
    sel = { col: range.col, a: range.a, b: range.b };
    view.showColumn(range.col);
    for (let n = range.a; n <= range.b; n++) {
      const ln = document.getElementById(lineId(range.col, n));
      if (ln) mark(ln);
    }
    if (targets[0]) roving.stopAt(targets[0]);  // one tab stop per column
    return targets[0] || null;
  }
  function goNote(note, scroll) {  // -> the element to scroll to (or null), or undefined when all is done
    const col = note.spans.map((s) => s.col).find((c) => view.visibleCols().includes(c)) || (note.spans[0] || {}).col;
    if (col) view.showColumn(col);
    for (const el of [note.el, ...note.lines]) mark(el);
    if (view.isMargin()) {  // the note beside its lines: its first line at the reading position, the note in the panel
      panel.set("pin", [note]);
      const first = note.lines.find((l) => l.offsetParent !== null);
      if (first && scroll) scrollBy({ top: first.getBoundingClientRect().top - reading.readingY(), behavior: "auto" });
      view.markRail();
      return;
    }
    const first = note.el.offsetParent !== null ? note.el : note.lines.find((l) => l.offsetParent !== null);
    if (first && first !== note.el && scroll) setTimeout(() => popover.open(first, [note]), 0);
    return first || null;
  }
  function go(hash, scroll = true) {
    const had = targets.length;
    unmark();
    if (had) roving.keepTabStops();  // a linked comment line hides again: its tab stop moves on
    sel = null;
    const t = parseTarget(hash, cols);
    let first = null;
    if (t?.kind === "lines") {  // clamped to the file: a link to line 999999999999 costs nothing
      first = goLines(t.link, scroll);
      if (first === undefined) return;
    } else if (t?.kind === "concept") {
      first = document.getElementById(`concept-${t.id}`);
      if (!first) toast(`There is no concept “${t.id}” in this explorer.`);
      if (first && scroll && !view.settings().sync && !page.phone.matches) view.scrollLanesTo(t.id);
    } else if (t?.kind === "note" && index.byId.has(t.id)) {
      first = goNote(index.byId.get(t.id), scroll);
      if (first === undefined) return;
    } else if (t) {  // a concept or a note that is not here
      toast(`Nothing on this page is called “${hash.slice(1)}”: it may have been renamed.`);
    }
    if (first && scroll) reveal(first, first.classList.contains("ln") ? "center" : "start");
    view.markRail();
  }
  function reveal(el, block) {
    if (!embedded) { el.scrollIntoView({ block, behavior: "auto" }); return; }
    const r = el.getBoundingClientRect(), top = Math.max(0, toolbar.getBoundingClientRect().bottom);
    const bottom = innerHeight - (view.notesMode() === "dock" ? parseFloat(getComputedStyle(page.root).paddingBottom) : 0);  // above the dock
    scrollTo({ top: scrollY + r.top - (block === "center" ? top + Math.max(0, (bottom - top - r.height) / 2) : top + 8), behavior: "auto" });
  }
  /** The link of a line range: with the fingerprint of its text, so it survives edits that move it. */
  function linkOf(col, a, b = a) {
    return `#${rangeHash(col, a, b, fingerprint(fileText(col).slice(a - 1, b)))}`;
  }
  addEventListener("hashchange", () => go(location.hash));
  return { go, linkOf, unmark, selection: () => sel };
}
