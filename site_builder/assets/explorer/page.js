/* The explorer page's parts, looked up once: the grid, the concept headings, each file's lines in order, the
   files' names and the concepts' titles, and the media queries the layout follows. Read-only facts about the
   server-rendered page, shared by every other module. */
import { lineNumber, lineText } from "./lines.js";

export function readPage(root, cols) {
  const html = document.documentElement;
  const grid = root.querySelector(".mgx-grid");
  const heads = [...root.querySelectorAll(".mgx-head")];
  // each file's lines in order (the page is in reading order, concept by concept, and each file's sections follow
  // the concept order); a line's file is its block's data-col
  const linesOf = new Map(cols.map((c) => [c, [...grid.querySelectorAll(`.mgx-block[data-col="${c}"] .ln`)]]));
  const paths = Object.fromEntries([...root.querySelectorAll(".mgx-colhead[data-col]")].map((h) => [h.dataset.col, h.textContent]));
  const titles = new Map(heads.map((h) => [h.dataset.concept, h.querySelector("h2").textContent.trim()]));
  const reduce = matchMedia("(prefers-reduced-motion: reduce)");
  const texts = new Map();  // column -> its lines' text, read once from the page
  return {
    html, root, grid, heads, linesOf, paths, titles,
    toolbar: root.querySelector(".mgx-toolbar"),
    switcher: root.querySelector(".mgx-switch"),
    wide: matchMedia("(min-width: 76.25em)"), phone: matchMedia("(max-width: 44.984em)"),
    // an embed scrolls its own page only: scrollIntoView would scroll the host page around the iframe too
    embedded: html.classList.contains("mgx-embed"),
    behavior: () => (reduce.matches ? "auto" : "smooth"),
    colOf: (el) => el.closest(".mgx-block").dataset.col,
    fileName: (col) => (paths[col] || col).split("/").pop(),
    titleOf: (concept) => titles.get(concept) || concept,
    fileText(col) {
      if (!texts.has(col)) {
        const out = [];
        for (const ln of linesOf.get(col)) out[lineNumber(ln) - 1] = lineText(ln);
        texts.set(col, Array.from(out, (t) => t ?? ""));
      }
      return texts.get(col);
    },
    onScreen: (el) => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; },
  };
}
