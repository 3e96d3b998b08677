/* The explorer's behaviour, on top of a page that is complete without it (server-rendered by the plugin). This
   file only wires the parts under explorer/, each with one job: the page's facts (page.js), the display settings
   (settings.js, also inlined to apply them before the first paint; here they are edited, saved and written into
   the URL), roving focus, the notes that follow the reader, note placement, the popover, deep links, ranges,
   Share, the keyboard, the phone's column switch, embeds, the walkthrough, identifiers and the live values'
   switch. Plain ES modules, no dependencies. */
import * as S from "./explorer/settings.js";
import { readPage } from "./explorer/page.js";
import { createToast } from "./explorer/toast.js";
import { indexNotes } from "./explorer/notes_index.js";
import { createRoving } from "./explorer/roving.js";
import { createPopover } from "./explorer/popover.js";
import { createNoteFollow } from "./explorer/note_follow.js";
import { placeNotes } from "./explorer/note_place.js";
import { createReadingPosition } from "./explorer/reading_position.js";
import { createDeepLinks } from "./explorer/deep_links.js";
import { createRanges } from "./explorer/ranges.js";
import { createShareButtons, shareButton } from "./explorer/share_buttons.js";
import { createKeys } from "./explorer/keys.js";
import { createLineClicks } from "./explorer/line_clicks.js";
import { createPhoneSwitch } from "./explorer/phone_switch.js";
import { createValuesSwitch } from "./explorer/values_switch.js";
import { setUpEmbed } from "./explorer/embed.js";
import { scopeEmbed } from "./explorer/embed_scope.js";
import { createWalkthrough } from "./explorer/walkthrough.js";
import { initModelMap } from "./model_map.js";
import { createFontFit } from "./explorer/font_fit.js";
import { createIdentifiers } from "./explorer/identifiers.js";
import { createGlossaryTips } from "./explorer/glossary_tips.js";
import { clampSummaries } from "./explorer/summaries.js";
import { createLanes } from "./explorer/lanes.js";
import { createRail } from "./explorer/rail.js";
import { createDisplayForm } from "./explorer/display_form.js";

const root = document.getElementById("mgx");
if (root) init();

function init() {
  const page = readPage(root, S.COLS);
  const { html, grid, heads, toolbar, switcher, wide, phone, embedded } = page;
  const toast = createToast(document.querySelector(".mgx-toast"));
  let settings = S.load();

  // the view as the settings and the screen make it; modules read it through these, never a copy
  const view = {
    settings: () => settings,
    visibleCols: () => (phone.matches ? [settings.col] : settings.cols),
    // an embed too narrow for the panel beside the code: one column reads its notes inline, several dock the panel
    // at the frame's bottom, so the columns stay aligned (a frame in someone's page has no room to hunt for notes)
    notesMode: () => (settings.notes === "margin" && !wide.matches && embedded
      ? (view.visibleCols().length > 1 ? "dock" : "inline") : settings.notes),
    isMargin: () => settings.notes === "margin" && (wide.matches || view.notesMode() === "dock"),  // notes in the panel
    update, markRail: () => rail.mark(), currentConcept: () => rail.current(), scrollLanesTo: (c) => lanes.scrollTo(c),
    showColumn(col) {
      if (phone.matches) { if (settings.col !== col) update({ ...settings, col }, false); }
      else if (!settings.cols.includes(col)) update({ ...settings, cols: [...settings.cols, col] }, false);
    },
  };

  const index = indexNotes(root);
  for (const note of index.notes) note.el.querySelector(".mgx-note-refs").append(shareButton(`note:${note.id}`, "Share this note"));
  for (const head of heads) {  // and a Share button on each concept's heading
    head.append(shareButton(`concept:${head.dataset.concept}`, `Share ${head.querySelector("h2").textContent.trim()}`));
  }
  const roving = createRoving({ page, notesOfLine: index.ofLine });
  const lanesOf = { get: (col) => lanes.get(col) };  // the lanes come after the rail, which they report scrolls to
  const popover = createPopover(document.querySelector(".mgx-pop"));
  const follow = createNoteFollow({ page, index, roving, popover, lanes: lanesOf, isMargin: view.isMargin });
  const panel = follow.panel;
  const reading = createReadingPosition({ grid, heads, visibleCols: view.visibleCols,
    codeTop: () => Math.max(0, toolbar.getBoundingClientRect().bottom),
    codeBottom: () => { const r = panel.el.getBoundingClientRect(); return view.notesMode() === "dock" && r.height ? r.top : innerHeight; } });
  const links = createDeepLinks({ page, cols: S.COLS, index, roving, panel, popover, reading, toast, view });
  let share = null;  // the ranges tell Share where the selection is; Share needs the ranges
  const ranges = createRanges({ page, links, roving, onLine: (ln) => share.showLineButton(ln) });
  share = createShareButtons({ page, index, links, ranges, toast, view });
  createLineClicks({ page, index, ranges, share, popover, view });
  createKeys({ page, index, roving, ranges, follow, popover, share, view });

  // ---- concept rail and lanes (sync scroll off) ----
  const rail = createRail({ root, grid, heads, lanes: lanesOf, settings: () => settings, phone });
  const lanes = createLanes({ grid, cols: S.COLS, paths: page.paths, onScroll: rail.onScroll, behavior: page.behavior });
  root.querySelector(".mgx-rail").addEventListener("click", (e) => {
    const a = e.target.closest("a[data-concept]");
    if (!a || settings.sync || phone.matches) return;
    e.preventDefault();
    history.replaceState(history.state, "", a.getAttribute("href"));
    lanes.scrollTo(a.dataset.concept);
  });
  createPhoneSwitch({ page, view, currentConcept: rail.current });

  // ---- display settings ----
  const display = createDisplayForm({ root, switcher, current: () => settings, change: (next, save) => update(next, save) });
  function update(next, save = true) {
    settings = S.clean(next);
    S.apply(html, settings);
    if (save) S.save(settings);
    const q = S.toQuery(settings, location.search);
    history.replaceState(history.state, "", `${location.pathname}${q ? `?${q}` : ""}${location.hash}`);
    display.show(settings);
    relayout();
  }
  const fit = createFontFit({ grid, html });
  function relayout() {
    html.setAttribute("data-mgx-notes", view.notesMode());
    lanes.arrange(settings.sync);
    placeNotes(index.notes, view.notesMode() === "inline", view.visibleCols());
    const fitted = fit.update(settings, view.visibleCols(), S.SCHEMA.font);  // after the notes: the panel takes room
    if (fitted !== null) { display.fontOut(fitted); S.rememberFit(settings, fitted); }
    roving.keepTabStops();
    for (const a of root.querySelectorAll(".mgx-noteblock a")) a.tabIndex = view.isMargin() ? -1 : 0;  // the panel's copies take the focus
    reading.update(true);
    rail.mark();
  }

  // ---- embed: just the code, optionally one concept ----
  const params = new URLSearchParams(location.search);
  if (embedded) setUpEmbed({ html, params });
  const scope = scopeEmbed({ root, grid, titles: page.titles, toast, params });
  clampSummaries(root);  // two lines each, and a button for the rest

  // ---- skip link: straight to the first line of the first column shown ----
  document.querySelector(".mgx-skip")?.addEventListener("click", (e) => {
    const first = roving.shownLines(view.visibleCols()[0])[0];
    if (!first) return;
    e.preventDefault();
    roving.focusLine(first);
  });

  // ---- start ----
  display.show(settings);
  relayout();
  let lastWidth = grid.clientWidth;
  new ResizeObserver(() => {
    if (grid.clientWidth === lastWidth) return;
    lastWidth = grid.clientWidth;
    relayout();
  }).observe(grid);
  for (const mq of [wide, phone]) mq.addEventListener("change", relayout);
  const walk = createWalkthrough({ toolbar, notes: index.notes, titleOf: page.titleOf, show: (note) => links.go(`#${note.id}`),
    leave: () => { panel.clear("pin"); links.unmark(); popover.close(false); } });
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
  createValuesSwitch({ toolbar, toast, titleOf: page.titleOf });

  const walkParam = new URLSearchParams(location.search).get("walk");  // as the settings left the query
  // an embed's target is in its query (?lines=scalar-L3-L5~3f2a, ?note=…): a #fragment would scroll the host page
  // (at= is a #fragment the pre-paint script moved into the query)
  const embedTarget = embedded && ["lines", "note", "at"].map((k) => params.get(k)).filter(Boolean).map((t) => `#${t}`)[0];
  const target = () => embedTarget || location.hash;
  const arrive = () => { if (walkParam) walk.enter(walkParam, location.hash.slice(1)); else if (target()) links.go(target()); };
  arrive();
  if (scope.only && scope.showTargetConcept()) { relayout(); arrive(); }
  // the browser's own jump to the #fragment may come after ours (the note itself is off-screen text): arrive again
  if (target() && document.readyState !== "complete") addEventListener("load", () => requestAnimationFrame(arrive), { once: true });
  html.classList.add("mgx-ready");
}
