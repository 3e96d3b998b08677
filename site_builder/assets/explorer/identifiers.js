/* Identifiers: click a name in any column, or press i on a focused line to step through its names (Shift+I back),
   to mark that name's definitions and uses in all three files, its aliases from docs/aliases.yml included, with
   the counts in a status bar; Esc, a second click or the bar's button clears. The index is built from the page's
   own name spans (one per name, site_builder/sources.py) on first use, so a reader who never clicks pays nothing. */
import { buildIndex, resolve, occurrences, summary } from "./identifier_index.js";

const NAME = ".n, .nb, .nf, .nc, .nd, .nn";  // a string key ("attn_wq") is class "s n"
const BLANK = ".c, .s:not(.n), .sd, .se";  // comments and strings: their `=` assigns nothing
const SKIP = ".mgx-val, .mgx-eq";  // live values appended to a line are not code
const MARKS = ["mgx-id", "mgx-id-def", "mgx-id-cur"];

export function createIdentifiers({ grid, cols, labels }) {
  const aliases = JSON.parse(document.getElementById("mgx-aliases")?.textContent || "[]");
  let index = null, tokensOf = null, marked = [], current = null;
  const bar = document.createElement("div");
  bar.className = "mgx-idbar";
  bar.innerHTML = '<p class="mgx-idbar-text" role="status"></p>'
    + '<button type="button" class="mgx-idbar-close" aria-keyshortcuts="Escape">Clear <kbd>Esc</kbd></button>';
  const text = bar.querySelector("p");
  document.body.append(bar);
  bar.querySelector("button").addEventListener("click", () => clear());

  function build() {  // [{col, code, tokens}] from the page, each token {text, start, cls, el, ln}
    const lines = [];
    tokensOf = new Map();
    for (const col of cols) {
      for (const ln of grid.querySelectorAll(`.mgx-block[data-col="${col}"] .ln`)) {
        const tokens = [];
        let code = "";
        for (const node of ln.childNodes) {
          const el = node.nodeType === 1 ? node : null, s = node.textContent;
          if (el && el.matches(SKIP)) continue;
          if (el && el.matches(NAME)) tokens.push({ text: s, start: code.length, cls: el.className, el, ln });
          code += el && el.matches(BLANK) ? " ".repeat(s.length) : s;
        }
        tokensOf.set(ln, tokens);
        lines.push({ col, code, tokens });
      }
    }
    index = buildIndex(lines);
  }

  function mark(col, name, from) {
    if (!index) build();
    clear(false);
    const targets = resolve(aliases, cols, col, name), found = occurrences(index, targets);
    for (const t of Object.values(found).flat()) {
      t.el.classList.add("mgx-id");
      if (t.def) t.el.classList.add("mgx-id-def");
      marked.push(t.el);
    }
    current = from;
    from.classList.add("mgx-id-cur");
    bar.classList.add("mgx-on");
    text.textContent = summary(name, targets, found, labels);
  }

  function clear(hide = true) {
    for (const el of marked) el.classList.remove(...MARKS);
    current?.classList.remove(...MARKS);
    marked = []; current = null;
    if (hide) { bar.classList.remove("mgx-on"); text.textContent = ""; }
  }

  const colOf = (el) => el.closest(".mgx-block[data-col]")?.dataset.col;
  grid.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest(NAME);
    if (!el || !el.closest(".mgx-code .ln") || el.closest(SKIP) || !getSelection().isCollapsed) return;
    if (el === current) clear();
    else mark(colOf(el), el.textContent, el);
  });
  grid.addEventListener("keydown", (e) => {  // i / Shift+I: the focused line's names, one after another
    const ln = e.target;
    if ((e.key !== "i" && e.key !== "I") || e.ctrlKey || e.metaKey || e.altKey || !ln.classList?.contains("ln")) return;
    if (!index) build();
    const seen = new Set(), names = (tokensOf.get(ln) || []).filter((t) => !seen.has(t.text) && seen.add(t.text));
    if (!names.length) return;
    e.preventDefault();
    const at = names.findIndex((t) => t.el === current), step = e.key === "I" ? -1 : 1;
    const next = names[at < 0 ? (step > 0 ? 0 : names.length - 1) : (at + step + names.length) % names.length];
    mark(colOf(ln), next.text, next.el);
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && current) clear(); });
  return { mark, clear, active: () => current !== null };
}
