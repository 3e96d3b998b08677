/* The explorer's display settings as data — each setting's default, allowed values and URL key — and their pure
   parts: clean (anything in, a valid settings object out), fromQuery/toQuery (the address), attributesOf (what
   <html> gets). Precedence: URL query > localStorage > defaults. This one file is also the pre-paint script: the
   plugin inlines it in the explorer's <head> with `export` removed and calls boot(), so the two cannot drift.
   Rules that keep it inlinable: no imports, `export` only at the start of a line, never a closing-tag "<" + "/". */

// The columns, in mkdocs.yml's order ({key, label, path}), and whether live values can run: written by the build in
// <script type="application/json" id="mgx-columns"> before this script (site_builder/columns.py), read once here.
function readColumns() {
  try { return JSON.parse(document.getElementById("mgx-columns").textContent); } catch { return { columns: [], values: false }; }
}
const PAGE = readColumns();
export const COLUMNS = PAGE.columns;
export const COLS = COLUMNS.map((c) => c.key);
export const VALUES = PAGE.values === true;  // Values compare scalar.py and matrix.py: only with both columns
export const labelOf = (col) => COLUMNS.find((c) => c.key === col)?.label ?? col;

// kind: "list" an ordered, non-empty subset of values; "choice" one of values; "flag" true/false;
// "size" a whole number of px in min..max, or one of values (words such as "fit")
export const SCHEMA = {
  cols: { kind: "list", values: COLS, default: COLS, url: "cols" },
  font: { kind: "size", min: 10, max: 24, values: ["fit"], default: 13, url: "font" },
  wrap: { kind: "flag", default: true, url: "wrap" },
  ln: { kind: "flag", default: true, url: "ln" },
  notes: { kind: "choice", values: ["margin", "inline", "hidden"], default: "margin", url: "notes" },
  comments: { kind: "choice", values: ["all", "headers", "none"], default: "all", url: "comments" },
  sync: { kind: "flag", default: true, url: "sync" },
  col: { kind: "choice", values: COLS, default: COLS[0], url: "col", orFirstOf: "cols" },  // the phone's column
};

export const DEFAULTS = Object.fromEntries(Object.entries(SCHEMA).map(([k, d]) => [k, d.kind === "list" ? d.default.slice() : d.default]));

const FLAGS = { 1: true, true: true, on: true, 0: false, false: false, off: false };

function cleanOne(d, v) {  // the value if the schema allows it (strings from the URL read as their type), else undefined
  if (d.kind === "list") {
    const list = (Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : []).filter((c, i, a) => d.values.includes(c) && a.indexOf(c) === i);
    return list.length ? list : undefined;
  }
  if (d.kind === "choice") return d.values.includes(v) ? v : undefined;
  if (d.kind === "flag") return typeof v === "boolean" ? v : Object.hasOwn(FLAGS, v) ? FLAGS[v] : undefined;
  if (d.values.includes(v)) return v;
  const n = typeof v === "number" || (typeof v === "string" && v.trim() !== "") ? Number(v) : NaN;
  return n >= d.min && n <= d.max ? Math.round(n) : undefined;
}

export function clean(s) {
  const out = {}, given = s && typeof s === "object" ? s : {};
  for (const [k, d] of Object.entries(SCHEMA)) {
    const v = cleanOne(d, given[k]);
    out[k] = v !== undefined ? v : d.orFirstOf ? out[d.orFirstOf][0] : DEFAULTS[k];
    if (Array.isArray(out[k])) out[k] = out[k].slice();
  }
  return out;
}

export function fromQuery(search) {  // the settings named in a query string, as given (clean() judges them)
  const q = new URLSearchParams(search), s = {};
  for (const [k, d] of Object.entries(SCHEMA)) if (q.has(d.url)) s[k] = q.get(d.url);
  return s;
}

const asQuery = (v) => (Array.isArray(v) ? v.join(",") : v === true ? "1" : v === false ? "0" : String(v));

export function toQuery(s, search = "") {  // only what differs from the defaults; other keys (embed, walk, concept) kept
  const q = new URLSearchParams(search);
  for (const [k, d] of Object.entries(SCHEMA)) {
    q.delete(d.url);
    const fallback = d.orFirstOf ? s[d.orFirstOf][0] : DEFAULTS[k];
    if (asQuery(s[k]) !== asQuery(fallback)) q.set(d.url, asQuery(s[k]));
  }
  return q.toString().replace(/%2C/g, ",");
}

export function read(search, stored) {  // stored: the parsed localStorage object, or anything
  const from = stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
  return clean({ ...from, ...fromQuery(search) });
}

export function attributesOf(s) {  // data-mgx-* on <html> and CSS variables on its style; null removes a variable
  const on = (b) => (b ? "on" : "off");
  const attrs = { cols: s.cols.join(" "), hide: COLS.filter((c) => !s.cols.includes(c)).join(" "), wrap: on(s.wrap),
    ln: on(s.ln), notes: s.notes, comments: s.comments, sync: on(s.sync), phone: s.col, font: typeof s.font === "number" ? "px" : s.font };
  // the default size grows with wide screens (explorer.css); "fit" is measured by explorer.js once there is a layout
  const vars = { "--mgx-fs": typeof s.font === "number" && s.font !== SCHEMA.font.default ? `${s.font}px` : null, "--mgx-n": String(s.cols.length) };
  for (const c of COLS) vars[`--mgx-pos-${c}`] = String(s.cols.indexOf(c) + 1 || 1);
  return { attrs, vars };
}

export const storageKey = (search) => (new URLSearchParams(search).get("embed") === "1" ? "mgx-embed-settings" : "mgx-settings");  // embeds never write the explorer's

export function apply(html, s) {
  const { attrs, vars } = attributesOf(s);
  html.classList.add("mgx-js");
  for (const [k, v] of Object.entries(attrs)) html.setAttribute(`data-mgx-${k}`, v);
  for (const [k, v] of Object.entries(vars)) if (v === null) html.style.removeProperty(k); else html.style.setProperty(k, v);
}

export function load(search = location.search) {
  try { return read(search, JSON.parse(localStorage.getItem(storageKey(search)))); } catch { return read(search, {}); }
}

export function save(s, search = location.search) {
  try { localStorage.setItem(storageKey(search), JSON.stringify(s)); } catch { /* private mode: settings last for this page */ }
}

export function forget(search = location.search) {
  try { localStorage.removeItem(storageKey(search)); } catch { /* nothing stored */ }
}

// the last "fit" size and the layout it was measured in, so that a reload paints at that size from the start
const FIT_KEY = "mgx-fit";
export const fitLayout = (s, width) => [width, s.cols.join(), s.notes, s.ln, s.comments, s.sync, s.col].join(" ");

export function rememberFit(s, px) {
  try { localStorage.setItem(FIT_KEY, JSON.stringify([fitLayout(s, innerWidth), px])); } catch { /* not stored: measured again */ }
}

export function rememberedFit(s, width, stored) {  // stored: the raw localStorage text; null unless it fits this layout
  try {
    const [layout, px] = JSON.parse(stored);
    return s.font === "fit" && layout === fitLayout(s, width) && px >= SCHEMA.font.min && px <= SCHEMA.font.max ? px : null;
  } catch { return null; }
}

export function boot() {  // the pre-paint step, before any of the page is drawn
  const html = document.documentElement, s = load();
  const q = new URLSearchParams(location.search);
  if (q.get("embed") === "1") {
    html.classList.add("mgx-embed");
    // a #fragment in an embed makes the browser scroll the host page to it: moved into the query (?at=) at once
    if ((location.hash || "").length > 1) {
      q.set("at", location.hash.slice(1));
      history.replaceState(history.state, "", `${location.pathname}?${q.toString().replace(/%2C/gi, ",").replace(/%7E/gi, "~")}`);
    }
  }
  apply(html, s);
  let px = null;
  try { px = rememberedFit(s, innerWidth, localStorage.getItem(FIT_KEY)); } catch { /* no storage */ }
  if (px !== null) html.style.setProperty("--mgx-fs", `${px}px`);
}
