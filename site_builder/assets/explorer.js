/* The explorer's behaviour, on top of a page that is complete without it (server-rendered by the plugin):
   hover/focus a line to light up its notes and their counterpart lines in the other columns; deep links
   (#scalar-L42, #matrix-L10-L20, #concept-attention, #note-attention-scores); copy-link; keyboard navigation
   (roving focus: arrows between lines and columns, Enter opens a note); margin / inline / popover notes;
   display settings (explorer/settings.js, also inlined to apply them before the first paint; here they are
   edited, saved and written into the URL; font "fit" is measured by explorer/font_fit.js); the phone column
   switcher; embed mode. Plain ES module, no dependencies. */
import { lineId, lineOf, lineNumber, lineText } from "./explorer/lines.js";
import { clampRange, fingerprint, goneMessage, movedMessage, parseLineHash, rangeHash, relocate } from "./line_links.js";
import { explorerUrl, rangeWords } from "./share_links.js";
import { createShare } from "./explorer/share.js";
import { setUpEmbed } from "./explorer/embed.js";
import { createNotesPanel } from "./explorer/notes_panel.js";
import { createReadingPosition } from "./explorer/reading_position.js";
import { createWalkthrough } from "./explorer/walkthrough.js";
import { initModelMap } from "./model_map.js";
import * as S from "./explorer/settings.js";
import { createFontFit } from "./explorer/font_fit.js";
import { createIdentifiers } from "./explorer/identifiers.js";
import { createGlossaryTips } from "./explorer/glossary_tips.js";
import { indexNotes } from "./explorer/notes_index.js";
import { clampSummaries } from "./explorer/summaries.js";
import { createLanes } from "./explorer/lanes.js";
import { createRail } from "./explorer/rail.js";
import { createDisplayForm } from "./explorer/display_form.js";

const root = document.getElementById("mgx");
if (root) init();

function init() {
  const html = document.documentElement;
  const grid = root.querySelector(".mgx-grid");
  const heads = [...root.querySelectorAll(".mgx-head")];
  // each file's lines in order (the page is in reading order, concept by concept, and each file's sections follow
  // the concept order); a line's file is its block's data-col
  const linesOf = new Map(S.COLS.map((c) => [c, [...grid.querySelectorAll(`.mgx-block[data-col="${c}"] .ln`)]]));
  const colOf = (el) => el.closest(".mgx-block").dataset.col;
  const pop = document.querySelector(".mgx-pop"), popBody = pop.querySelector(".mgx-pop-body");
  const toastEl = document.querySelector(".mgx-toast");
  const reduce = matchMedia("(prefers-reduced-motion: reduce)");
  const wide = matchMedia("(min-width: 76.25em)"), phone = matchMedia("(max-width: 44.984em)");
  const behavior = () => (reduce.matches ? "auto" : "smooth");
  let settings = S.load();

  // ---- notes and the lines they cover ----
  const { notes, byId: noteById, ofLine: notesOfLine } = indexNotes(root);
  for (const note of notes) note.el.querySelector(".mgx-note-refs").append(shareButton(`note:${note.id}`, "Share this note"));
  for (const head of heads) {  // and a Share button on each concept's heading
    head.append(shareButton(`concept:${head.dataset.concept}`, `Share ${head.querySelector("h2").textContent.trim()}`));
  }

  // ---- roving focus: one line per lane is in the tab order ----
  for (const lines of linesOf.values()) {
    lines.forEach((l, i) => (l.tabIndex = i === 0 ? 0 : -1));
  }
  const visibleCols = () => (phone.matches ? [settings.col] : settings.cols);
  // an embed too narrow for the panel beside the code: one column reads its notes inline, several dock the panel
  // at the frame's bottom, so the columns stay aligned (a frame in someone's page has no room to hunt for notes)
  const notesMode = () => (settings.notes === "margin" && !wide.matches && html.classList.contains("mgx-embed")
    ? (visibleCols().length > 1 ? "dock" : "inline") : settings.notes);
  const isMargin = () => settings.notes === "margin" && (wide.matches || notesMode() === "dock");  // notes in the panel

  // ---- the notes panel beside the code: the hovered line's notes, else the focused line's, else those at the
  // reading position; it marks their lines in every column (notes stay after each concept's code, for reading order)
  const notesOf = (ln) => {  // notes that start on this line first, so a hovered first line leads with its note
    const list = notesOfLine.get(ln) || [];
    const starts = (n) => n.spans.some((s) => lineId(s.col, s.a) === ln.id);
    return [...list.filter(starts), ...list.filter((n) => !starts(n))];
  };
  const titles = new Map(heads.map((h) => [h.dataset.concept, h.querySelector("h2").textContent.trim()]));
  const titleOf = (concept) => titles.get(concept) || concept;
  const lineToReturnTo = (note, from) => (from && note.lines.includes(from) ? from : note.lines.find((l) => l.offsetParent !== null));
  const onScreen = (el) => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; };
  const panel = createNotesPanel({ grid, index: { byId: noteById }, titleOf, onEscape: (note, from) => {
    const back = lineToReturnTo(note, from);
    if (back) focusLine(back);
  } });
  panel.el.style.gridRow = `1 / ${heads.length * 2 + 1}`;
  const toolbar = root.querySelector(".mgx-toolbar");
  const reading = createReadingPosition({ grid, heads, visibleCols: () => visibleCols(),
    codeTop: () => Math.max(0, toolbar.getBoundingClientRect().bottom),
    codeBottom: () => { const r = panel.el.getBoundingClientRect(); return notesMode() === "dock" && r.height ? r.top : innerHeight; } });
  document.addEventListener("mgx:reading", (e) => {
    // a focused line, or a linked note's lines, that has scrolled away no longer holds the panel
    const focused = panel.get("focus")?.from, pinned = panel.get("pin")?.notes[0];
    if (focused && !onScreen(focused)) panel.clear("focus");
    if (pinned && !pinned.lines.some(onScreen)) panel.clear("pin");
    const seen = new Set(), list = [];
    for (const ln of e.detail.lines) for (const n of notesOf(ln)) if (!seen.has(n)) { seen.add(n); list.push(n); }
    if (!isMargin()) panel.set("reading", []);  // no panel on screen: mark nothing
    else if (list.length) panel.set("reading", list.slice(0, 4));  // a blank line or a gap keeps the last notes
  });
  function light(list, reveal) {
    panel.set("hover", list);
    if (reveal) revealCounterparts(list, reveal);
  }
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
  const noteIn = (el) => { const n = el.closest(".mgx-note"); return n && noteById.get(n.dataset.note || n.id); };
  grid.addEventListener("mouseover", (e) => {
    const ln = lineOf(e.target), note = noteIn(e.target);
    if (ln) light(notesOf(ln), ln);
    else if (note && !panel.el.contains(e.target)) light([note]);
  });
  grid.addEventListener("mouseleave", () => panel.clear("hover"));
  root.addEventListener("focusin", (e) => {
    const ln = lineOf(e.target), note = noteIn(e.target);
    if (ln) {
      linesOf.get(colOf(ln)).forEach((l) => (l.tabIndex = l === ln ? 0 : -1));
      const list = notesOf(ln);
      panel.set("focus", list, ln);
      revealCounterparts(list, ln);
    } else if (note && !panel.el.contains(e.target)) panel.set("focus", [note], panel.get("focus")?.from);
  });

  // ---- notes: margin (aligned with their first line), inline (after their last line), or popover ----
  function placeNotes() {
    const inline = notesMode() === "inline";
    const cols = visibleCols();
    const after = new Map();
    for (const note of notes) {
      const span = inline && cols.map((c) => note.spans.find((s) => s.col === c)).find(Boolean);
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
  let popFrom = null;
  function openPopover(ln, list) {
    popBody.replaceChildren(...list.map((n) => {
      const c = n.el.cloneNode(true);
      c.removeAttribute("id"); c.removeAttribute("tabindex"); c.removeAttribute("style"); c.classList.remove("mgx-hl", "mgx-target");
      return c;
    }));
    pop.hidden = false;
    const r = ln.getBoundingClientRect(), w = pop.offsetWidth, h = pop.offsetHeight;
    const below = r.bottom + 4 + h < innerHeight;
    pop.style.top = `${Math.max(4, below ? r.bottom + 4 : r.top - h - 4)}px`;
    pop.style.left = `${Math.min(Math.max(4, r.left + 24), innerWidth - w - 8)}px`;
    popFrom = ln;
    pop.querySelector(".mgx-pop-close").focus({ preventScroll: true });
  }
  function closePopover(refocus = true) {
    if (pop.hidden) return;
    pop.hidden = true;
    if (refocus && popFrom) popFrom.focus({ preventScroll: true });
    popFrom = null;
  }
  pop.querySelector(".mgx-pop-close").addEventListener("click", () => closePopover());
  pop.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); closePopover(); } });
  pop.addEventListener("click", (e) => { if (e.target.closest("a")) closePopover(false); });
  document.addEventListener("pointerdown", (e) => {
    if (!pop.hidden && !pop.contains(e.target) && !e.target.closest(".ln[data-notes]")) closePopover(false);
  });
  let noteFrom = null;  // the line whose Enter focused a note: Esc goes back to it
  function openNotes(ln) {  // Enter on a line, or a tap where notes are not on screen
    const list = notesOfLine.get(ln);
    if (!list) return false;
    if (isMargin() && panel.focusNote(list[0])) return true;
    const shown = list[0].el.offsetParent !== null && !pop.contains(list[0].el);
    if (shown) {
      noteFrom = ln;
      list[0].el.focus({ preventScroll: true });
      list[0].el.scrollIntoView({ block: "nearest", behavior: behavior() });
    } else openPopover(ln, list);
    return true;
  }
  grid.addEventListener("mousedown", (e) => { if (e.shiftKey && e.target.closest(".ln")) e.preventDefault(); });  // no text selection
  grid.addEventListener("click", (e) => {
    const ln = e.target.closest(".ln");
    if (!ln) return;
    const rect = ln.getBoundingClientRect(), pad = parseFloat(getComputedStyle(ln).paddingLeft);
    if (e.shiftKey) { selectTo(ln); return; }
    if (settings.ln && e.clientX - rect.left < pad) { copySelection(ln); return; }
    if (!getSelection().isCollapsed) return;
    ln.focus({ preventScroll: true });
    const list = notesOfLine.get(ln);
    if (list && list[0].el.offsetParent === null) openPopover(ln, list);
  });

  // ---- keyboard ----
  grid.addEventListener("keydown", (e) => {
    const note = e.target.closest && e.target.closest(".mgx-note");
    if (e.key === "Escape" && note && noteById.has(note.id)) {  // back to the line the reader came from
      const back = lineToReturnTo(noteById.get(note.id), noteFrom);
      if (back) { e.preventDefault(); focusLine(back); }
      return;
    }
    const ln = e.target;
    if (!ln.classList || !ln.classList.contains("ln") || e.altKey || e.ctrlKey || e.metaKey) return;
    const col = colOf(ln), lines = shownLines(col), i = lines.indexOf(ln);
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 }[e.key];
    let to = null;
    if (step && e.shiftKey) {  // shift+arrows: the selection grows or shrinks from where it started
      e.preventDefault();
      to = lines[Math.min(lines.length - 1, Math.max(0, i + step))];
      if (to !== ln) selectTo(to);
      return;
    }
    if (step) to = lines[Math.min(lines.length - 1, Math.max(0, i + step))];
    else if (e.key === "Home") to = lines[0];
    else if (e.key === "End") to = lines[lines.length - 1];
    else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      const cols = visibleCols(), j = cols.indexOf(col) + (e.key === "ArrowRight" ? 1 : -1);
      if (j >= 0 && j < cols.length) to = counterpart(ln, cols[j]);
    } else if (e.key === "Enter") { if (openNotes(ln)) e.preventDefault(); return; }
    else if (e.key === "Escape") { closePopover(); return; }
    else if (e.key === "c" || e.key === "C") { copySelection(ln); return; }
    else if (e.key === "s" || e.key === "S") { e.preventDefault(); shareLines(ln, ln); return; }
    else return;
    e.preventDefault();
    if (to && to !== ln) focusLine(to);
  });
  function focusLine(to) {
    const ln = to.offsetParent !== null ? to : nextShown(to);  // a hidden comment line: the next line shown
    linesOf.get(colOf(ln)).forEach((l) => (l.tabIndex = l === ln ? 0 : -1));
    ln.focus({ preventScroll: true });
    ln.scrollIntoView({ block: "nearest" });
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

  // ---- deep links ----
  let targets = [];
  let sel = null;  // the line range linked to or selected (shift-click, shift+arrows): {col, a, b}
  function go(hash, scroll = true) {
    for (const el of targets) el.classList.remove("mgx-target");
    if (targets.length) keepTabStops();  // a linked comment line hides again: its tab stop moves on
    targets = [];
    sel = null;
    let m, first = null;
    const link = parseLineHash(hash, S.COLS);
    if (link) {  // clamped to the file: a link to line 999999999999 costs nothing
      const range = locate(link);
      if (range.error) { toast(range.error); markRail(); return; }
      if (range.concept) { go(`#concept-${range.concept}`, scroll); toast(range.message); return; }
      if (range.message) toast(range.message);
      sel = { col: range.col, a: range.a, b: range.b };
      showColumn(range.col);
      for (let n = range.a; n <= range.b; n++) {
        const ln = document.getElementById(lineId(range.col, n));
        if (ln) { ln.classList.add("mgx-target"); targets.push(ln); }
      }
      first = targets[0];
      if (first) linesOf.get(range.col).forEach((l) => (l.tabIndex = l === first ? 0 : -1));  // one tab stop per column
    } else if ((m = /^#concept-([a-z]+)$/.exec(hash))) {
      first = document.getElementById(`concept-${m[1]}`);
      if (!first) toast(`There is no concept “${m[1]}” in this explorer.`);
      if (first && scroll && !settings.sync && !phone.matches) scrollLanesTo(m[1]);
    } else if ((m = /^#(note-[a-z0-9-]+)$/.exec(hash)) && noteById.has(m[1])) {
      const note = noteById.get(m[1]);
      const col = note.spans.map((s) => s.col).find((c) => visibleCols().includes(c)) || (note.spans[0] || {}).col;
      if (col) showColumn(col);
      for (const el of [note.el, ...note.lines]) { el.classList.add("mgx-target"); targets.push(el); }
      if (isMargin()) {  // the note beside its lines: its first line at the reading position, the note in the panel
        panel.set("pin", [note]);
        first = note.lines.find((l) => l.offsetParent !== null);
        if (first && scroll) scrollBy({ top: first.getBoundingClientRect().top - reading.readingY(), behavior: "auto" });
        markRail();
        return;
      }
      first = note.el.offsetParent !== null ? note.el : note.lines.find((l) => l.offsetParent !== null);
      if (first && first !== note.el && scroll) setTimeout(() => openPopover(first, [note]), 0);
    } else if (/^#(concept|note)-/.test(hash)) {
      toast(`Nothing on this page is called “${hash.slice(1)}”: it may have been renamed.`);
    }
    if (first && scroll) reveal(first, first.classList.contains("ln") ? "center" : "start");
    markRail();
  }
  // a line link against the page: clamped to its file; a fingerprinted one (~3f2a) is found again where its lines
  // moved to, or, if they are gone, leads to the concept that held them (that of the nearest line still there)
  function locate(link) {
    const lines = linesOf.get(link.col), last = lines.length ? lineNumber(lines[lines.length - 1]) : 0;
    if (!link.fp) return clampRange(link, last);
    const wrong = clampRange(link, Infinity);  // reversed, or line 0: said so, fingerprint or not
    if (wrong.error) return wrong;
    const found = relocate(link, fileText(link.col));
    if (found.moved) return { ...link, a: found.a, b: found.b, message: movedMessage(fileName(link.col), link, found) };
    if (!found.gone) return { ...link, a: found.a, b: found.b };
    const near = document.getElementById(lineId(link.col, Math.max(1, Math.min(link.a, last))));
    const concept = near && near.closest(".mgx-block").dataset.concept;
    if (!concept) return { error: `${fileName(link.col)} has no lines in this explorer.` };
    return { concept, message: goneMessage(fileName(link.col), link, titleOf(concept)) };
  }
  const texts = new Map();  // column -> its lines' text, read once from the page
  function fileText(col) {
    if (!texts.has(col)) {
      const out = [];
      for (const ln of linesOf.get(col)) out[lineNumber(ln) - 1] = lineText(ln);
      texts.set(col, Array.from(out, (t) => t ?? ""));
    }
    return texts.get(col);
  }
  const paths = Object.fromEntries([...root.querySelectorAll(".mgx-colhead[data-col]")].map((h) => [h.dataset.col, h.textContent]));
  const fileName = (col) => (paths[col] || col).split("/").pop();
  // an embed scrolls its own page only: scrollIntoView would scroll the host page around the iframe too
  const embedded = html.classList.contains("mgx-embed");
  function reveal(el, block) {
    if (!embedded) { el.scrollIntoView({ block, behavior: "auto" }); return; }
    const r = el.getBoundingClientRect(), top = Math.max(0, toolbar.getBoundingClientRect().bottom);
    const bottom = innerHeight - (notesMode() === "dock" ? parseFloat(getComputedStyle(root).paddingBottom) : 0);  // above the dock
    scrollTo({ top: scrollY + r.top - (block === "center" ? top + Math.max(0, (bottom - top - r.height) / 2) : top + 8), behavior: "auto" });
  }
  /** The link of a line range: with the fingerprint of its text, so it survives edits that move it. */
  function linkOf(col, a, b = a) {
    return `#${rangeHash(col, a, b, fingerprint(fileText(col).slice(a - 1, b)))}`;
  }
  function showColumn(col) {
    if (phone.matches) { if (settings.col !== col) update({ ...settings, col }, false); }
    else if (!settings.cols.includes(col)) update({ ...settings, cols: [...settings.cols, col] }, false);
  }
  const scrollLanesTo = (concept) => lanes.scrollTo(concept);
  addEventListener("hashchange", () => go(location.hash));

  // ---- copy link ----
  let toastTimer;
  function toast(text) {
    toastEl.textContent = text;
    toastEl.classList.add("mgx-on");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => toastEl.classList.remove("mgx-on"), Math.max(2500, text.length * 50));  // time to read it
  }
  async function copyLink(hash, label) {
    const url = pageUrl() + hash;
    history.replaceState(history.state, "", hash);
    go(hash, false);
    try { await navigator.clipboard.writeText(url); toast(`Copied link to ${label}`); }
    catch { toast(url); }
  }
  root.addEventListener("click", (e) => {
    const a = e.target.closest("a.mgx-self");
    if (!a) return;
    e.preventDefault();
    copyLink(a.getAttribute("href"), a.closest(".mgx-head") ? a.textContent : "this note");
    if (a.closest(".mgx-head")) go(a.getAttribute("href"));
  });

  // ---- ranges and Share: shift-click or shift+arrows select lines (the URL follows); c copies the link of the
  // selection (or the line), s or the Share button by the line shares it; concepts, notes and the view have theirs ----
  let anchor = null, extending = false;  // anchor: where a shift-selection starts (the line focused last)
  const shareBox = createShare({ toast });
  const lineButton = Object.assign(document.createElement("button"), { type: "button", className: "mgx-share-line", textContent: "Share" });
  lineButton.hidden = true;
  const pageUrl = () => explorerUrl(location.href);  // from an embed, the full explorer: a shared link opens the site
  function selectTo(ln) {
    const col = colOf(ln);
    if (!anchor || !anchor.isConnected || colOf(anchor) !== col) anchor = ln;
    const x = lineNumber(anchor), y = lineNumber(ln), hash = linkOf(col, Math.min(x, y), Math.max(x, y));
    history.replaceState(history.state, "", hash);
    go(hash, false);
    extending = true;
    focusLine(ln);
    extending = false;
    getSelection().removeAllRanges();
    showLineButton(ln);
  }
  function rangeAt(ln) {  // the selection if the line is in it, else the line
    const col = colOf(ln), n = lineNumber(ln);
    return sel && sel.col === col && n >= sel.a && n <= sel.b ? sel : { col, a: n, b: n };
  }
  function copySelection(ln) {
    const r = rangeAt(ln);
    copyLink(linkOf(r.col, r.a, r.b), rangeWords(fileName(r.col), r.a, r.b));
  }
  const conceptOfLine = (col, n) => document.getElementById(lineId(col, n))?.closest(".mgx-block").dataset.concept;
  function shareLines(ln, opener) {
    const r = rangeAt(ln), hash = linkOf(r.col, r.a, r.b), concept = conceptOfLine(r.col, r.a);
    const top = document.getElementById(lineId(r.col, r.a)).getBoundingClientRect();
    const bottom = document.getElementById(lineId(r.col, r.b)).getBoundingClientRect();
    shareBox.open({ title: rangeWords(fileName(r.col), r.a, r.b), url: pageUrl() + hash,
      embed: { concept: concept === conceptOfLine(r.col, r.b) ? concept : "", cols: [r.col], lines: hash.slice(1) } },
    opener, { top: top.top, bottom: bottom.bottom, left: top.left });  // beside the lines, not over them
  }
  function showLineButton(ln) {  // at the right end of the selection's first line, inside its block (scrolls with it)
    const r = rangeAt(ln), first = document.getElementById(lineId(r.col, r.a)) || ln, block = first.closest(".mgx-block");
    if (lineButton.parentElement !== block) block.append(lineButton);
    lineButton.hidden = false;
    lineButton.style.top = `${first.getBoundingClientRect().top - block.getBoundingClientRect().top}px`;
    lineButton.setAttribute("aria-label", `Share ${rangeWords(fileName(r.col), r.a, r.b)} (s)`);
    lineButton.line = ln;
  }
  root.addEventListener("focusin", (e) => {
    const ln = lineOf(e.target);
    if (!ln) return;
    if (!extending) anchor = ln;
    showLineButton(ln);
  });
  function shareButton(what, label) {
    const b = Object.assign(document.createElement("button"), { type: "button", className: "mgx-share", textContent: "Share" });
    b.dataset.share = what;
    b.setAttribute("aria-label", label);
    return b;
  }
  function shareItem(what) {
    const [kind, id] = what.split(/:(.*)/s), cols = visibleCols();
    if (kind === "concept") return { title: titleOf(id), url: `${pageUrl()}#concept-${id}`, embed: { concept: id, cols } };
    const note = noteById.get(id);
    if (kind === "note" && note) {
      return { title: `a note on ${titleOf(note.concept)}`, url: `${pageUrl()}#${id}`, embed: { concept: note.concept, cols, note: id } };
    }
    const concept = currentConcept().head.dataset.concept;  // the view: what is on screen, as it is set
    const here = sel ? linkOf(sel.col, sel.a, sel.b) : embedded ? `#concept-${concept}` : location.hash;
    return { title: `this view (${titleOf(concept)})`, url: pageUrl() + here, embed: { concept, cols, lines: sel ? linkOf(sel.col, sel.a, sel.b).slice(1) : "" } };
  }
  document.addEventListener("click", (e) => {
    const b = e.target.closest(".mgx-share, .mgx-share-line");
    if (!b) return;
    e.preventDefault();
    if (b === lineButton) shareLines(lineButton.line, lineButton);
    else shareBox.open(shareItem(b.dataset.share), b);
  });

  // ---- concept rail and lanes (sync scroll off) ----
  const rail = createRail({ root, grid, heads, lanes: { get: (col) => lanes.get(col) }, settings: () => settings, phone });
  const lanes = createLanes({ grid, cols: S.COLS, paths, onScroll: rail.onScroll, behavior });
  const currentConcept = rail.current, markRail = rail.mark;
  const arrangeLanes = () => lanes.arrange(settings.sync);
  root.querySelector(".mgx-rail").addEventListener("click", (e) => {
    const a = e.target.closest("a[data-concept]");
    if (!a || settings.sync || phone.matches) return;
    e.preventDefault();
    history.replaceState(history.state, "", a.getAttribute("href"));
    scrollLanesTo(a.dataset.concept);
  });

  // ---- phone: switch column, keeping the current concept where it is ----
  const switcher = root.querySelector(".mgx-switch");
  switcher.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-col]");
    if (!b) return;
    const { head, frac, y } = currentConcept();
    update({ ...settings, col: b.dataset.col });
    const i = heads.indexOf(head), next = heads.slice(i + 1).find((h) => !h.hidden);
    const top = head.getBoundingClientRect().top, bottom = next ? next.getBoundingClientRect().top : grid.getBoundingClientRect().bottom;
    scrollBy({ top: top + frac * (bottom - top) - y, behavior: "auto" });
  });

  // ---- display settings ----
  const display = createDisplayForm({ root, switcher, current: () => settings, change: (next, save) => update(next, save) });
  const syncForm = () => display.show(settings);

  function update(next, save = true) {
    settings = S.clean(next);
    S.apply(html, settings);
    if (save) S.save(settings);
    const q = S.toQuery(settings, location.search);
    history.replaceState(history.state, "", `${location.pathname}${q ? `?${q}` : ""}${location.hash}`);
    syncForm();
    relayout();
  }
  const fit = createFontFit({ grid, html });
  function relayout() {
    html.setAttribute("data-mgx-notes", notesMode());
    arrangeLanes();
    placeNotes();
    const fitted = fit.update(settings, visibleCols(), S.SCHEMA.font);  // after the notes: the panel takes room
    if (fitted !== null) { display.fontOut(fitted); S.rememberFit(settings, fitted); }
    keepTabStops();
    for (const a of root.querySelectorAll(".mgx-noteblock a")) a.tabIndex = isMargin() ? -1 : 0;  // the panel's copies take the focus
    reading.update(true);
    markRail();
  }

  function nextShown(ln) {
    const shown = shownLines(colOf(ln));
    return shown.find((l) => ln.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING) || shown[shown.length - 1] || ln;
  }
  function shownLines(col) { return linesOf.get(col).filter((l) => l.offsetParent !== null); }  // comments may hide some
  function keepTabStops() {  // each column's tab stop on a line that is shown (the comments setting may hide it)
    for (const lines of linesOf.values()) {
      const i = Math.max(0, lines.findIndex((l) => l.tabIndex === 0)), stop = lines[i];
      if (!stop || stop.offsetParent !== null) continue;
      const to = lines.slice(i).find((l) => l.offsetParent !== null) || lines.find((l) => l.offsetParent !== null);
      if (to) { stop.tabIndex = -1; to.tabIndex = 0; }
    }
  }

  // ---- embed: just the code, optionally one concept ----
  const params = new URLSearchParams(location.search);
  if (embedded) setUpEmbed({ html, params });
  const only = params.get("embed") === "1" && params.get("concept");
  if (only && !titles.has(only)) toast(`There is no concept “${only}” in this explorer: here are all of them.`);
  else if (only) {
    for (const el of root.querySelectorAll("[data-concept]")) {
      if (el.closest(".mgx-rail")) continue;
      if (el.dataset.concept !== only) el.hidden = true;
    }
  }

  function showTargetConcept() {  // an embed's lines outside its concept: the concept that holds them is shown too
    const held = new Set([...grid.querySelectorAll(".mgx-target")].map((el) => el.closest("[data-concept][hidden]")?.dataset.concept).filter(Boolean));
    for (const el of root.querySelectorAll("[data-concept]")) if (held.has(el.dataset.concept) && !el.closest(".mgx-rail")) el.hidden = false;
    return held.size > 0;
  }

  clampSummaries(root);  // two lines each, and a button for the rest

  // ---- skip link: straight to the first line of the first column shown ----
  document.querySelector(".mgx-skip")?.addEventListener("click", (e) => {
    const first = shownLines(visibleCols()[0])[0];
    if (!first) return;
    e.preventDefault();
    focusLine(first);
  });

  // ---- start ----
  syncForm();
  relayout();
  let lastWidth = grid.clientWidth;
  new ResizeObserver(() => {
    if (grid.clientWidth === lastWidth) return;
    lastWidth = grid.clientWidth;
    relayout();
  }).observe(grid);
  for (const mq of [wide, phone]) mq.addEventListener("change", relayout);
  const walk = createWalkthrough({ toolbar, notes, titleOf, show: (note) => go(`#${note.id}`),
    leave: () => { panel.clear("pin"); for (const el of targets) el.classList.remove("mgx-target"); targets = []; closePopover(false); } });
  const landing = () => {  // where scrolled-to things land: below the sticky toolbar, however tall it is now
    html.style.setProperty("--mgx-top", `${parseFloat(getComputedStyle(toolbar).top) + toolbar.offsetHeight}px`);
  };
  new ResizeObserver(landing).observe(toolbar);
  landing();
  initModelMap(root.querySelector(".mgx-map"));
  document.addEventListener("mgx:focus-concept", (e) => {  // a block of the map: light its concept's code everywhere
    for (const b of grid.querySelectorAll(".mgx-block.mgx-lit")) b.classList.remove("mgx-lit");
    for (const b of grid.querySelectorAll(`.mgx-block[data-concept="${e.detail.concept}"]:not(.mgx-noteblock)`)) b.classList.add("mgx-lit");
  });
  createIdentifiers({ grid, cols: S.COLS, labels: Object.fromEntries([...switcher.querySelectorAll("button[data-col]")].map((b) => [b.dataset.col, b.textContent])) });  // click a name, or i on a line: its uses in every file
  createGlossaryTips();  // a term's definition in place
  toolbar.querySelector(".mgx-tools").prepend(shareButton("view", "Share this view"));
  // ---- live values: the switch from the start, its code (≈ 30 KB) when the reader first turns it on ----
  const valuesToggle = Object.assign(document.createElement("button"), { type: "button", className: "mgx-values-toggle", textContent: "Values",
    title: "Show what every line computes on a word (v on a line opens its value)" });
  valuesToggle.setAttribute("aria-pressed", "false");
  toolbar.querySelector(".mgx-tools").prepend(valuesToggle);
  let values = null, valuesReady = null;  // the promise too, so that two early calls make one bar
  const withValues = () => (valuesReady ??= import("./explorer/values.js").then(({ createValues }) =>
    (values = createValues({ toggle: valuesToggle, toolbar, toast, titleOf }))));
  valuesToggle.addEventListener("click", () => { if (!values) withValues().then((v) => v.switchOn()); }, { once: true });
  document.addEventListener("mgx:show-values", (e) => {  // the trainer's button, before the module is here
    if (!values) withValues().then(() => document.dispatchEvent(new CustomEvent("mgx:show-values", { detail: e.detail })));
  }, { once: true });
  if (new URLSearchParams(location.search).has("values")) withValues().then((v) => v.switchOn());  // ?values: a course links to them on
  const walkParam = new URLSearchParams(location.search).get("walk");
  // an embed's target is in its query (?lines=scalar-L3-L5~3f2a, ?note=…): a #fragment would scroll the host page
  // (at= is a #fragment the pre-paint script moved into the query)
  const embedTarget = embedded && ["lines", "note", "at"].map((k) => params.get(k)).filter(Boolean).map((t) => `#${t}`)[0];
  const target = () => embedTarget || location.hash;
  const arrive = () => { if (walkParam) walk.enter(walkParam, location.hash.slice(1)); else if (target()) go(target()); };
  arrive();
  if (only && showTargetConcept()) { relayout(); arrive(); }
  // the browser's own jump to the #fragment may come after ours (the note itself is off-screen text): arrive again
  if (target() && document.readyState !== "complete") addEventListener("load", () => requestAnimationFrame(arrive), { once: true });
  html.classList.add("mgx-ready");
}
