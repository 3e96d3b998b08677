// Unit tests of site_builder/assets/explorer/settings.js (the display settings' schema and pure parts), and of the
// pre-paint script the plugin makes from it (path in $PREPAINT_JS): run by tests/test_settings_node.py
import {test} from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import vm from "node:vm";
// the page's column list as the build writes it (<script id="mgx-columns">), from $MGX_COLUMNS_JSON (the default
// columns: tests/test_settings_node.py and tests/test_node_units.py set it from site_builder/columns.py)
const COLUMNS_JSON = process.env.MGX_COLUMNS_JSON;
if (!COLUMNS_JSON) throw new Error("set MGX_COLUMNS_JSON to the page's column list (site_builder.columns.page_json)");
const page = {getElementById: (id) => (id === "mgx-columns" && COLUMNS_JSON ? {textContent: COLUMNS_JSON} : null)};
globalThis.document = page;
const {SCHEMA, DEFAULTS, COLS, clean, fromQuery, toQuery, read, attributesOf, storageKey, fitLayout, rememberedFit} =
  await import("../../site_builder/assets/explorer/settings.js");

test("the columns come from the page, in its order", () => {
  assert.deepEqual(COLS, JSON.parse(COLUMNS_JSON).columns.map((c) => c.key));
  assert.deepEqual(DEFAULTS.cols, COLS);
  assert.equal(DEFAULTS.col, COLS[0]);
});

test("every setting has a default its own clean() keeps, and a URL key of its own", () => {
  assert.deepEqual(clean({}), DEFAULTS);
  assert.deepEqual(clean(DEFAULTS), DEFAULTS);
  const keys = Object.values(SCHEMA).map((d) => d.url);
  assert.equal(new Set(keys).size, keys.length);
  for (const [k, d] of Object.entries(SCHEMA)) {
    assert.deepEqual(clean({[k]: d.default})[k], d.default, k);
    for (const v of d.values || []) assert.deepEqual(clean({[k]: d.kind === "list" ? [v] : v})[k], d.kind === "list" ? [v] : v, `${k}=${v}`);
  }
});

test("the two new settings: font 'fit' and comments all / headers / none", () => {
  assert.equal(clean({font: "fit"}).font, "fit");
  assert.equal(clean({font: "FIT"}).font, DEFAULTS.font);
  for (const c of ["all", "headers", "none"]) assert.equal(clean({comments: c}).comments, c);
  assert.equal(clean({comments: "some"}).comments, "all");
  assert.deepEqual(fromQuery("?font=fit&comments=none"), {font: "fit", comments: "none"});
  assert.equal(toQuery(clean({font: "fit", comments: "headers"})), "font=fit&comments=headers");
});

test("bad values fall back to the default, one setting at a time", () => {
  const s = clean({cols: ["nope", "matrix", "matrix"], font: "9", wrap: "maybe", ln: 0, notes: "side", sync: "off", col: "x",
    comments: ["none"]});
  assert.deepEqual(s.cols, ["matrix"]);
  assert.equal(s.font, 13);
  assert.equal(s.wrap, true);
  assert.equal(s.ln, false, "0 from the URL or storage is off");
  assert.equal(s.notes, "margin");
  assert.equal(s.sync, false);
  assert.equal(s.col, "matrix", "the phone's column falls back to the first column shown");
  assert.equal(s.comments, "all");
  for (const font of ["", " ", "25", "9.4", "1e1x", null, "constructor"]) assert.equal(clean({font}).font, 13, String(font));
  for (const wrap of ["constructor", "__proto__", "toString"]) assert.equal(clean({wrap}).wrap, true, wrap);
  assert.equal(clean({font: "16.4"}).font, 16);
  assert.deepEqual(clean(null), DEFAULTS);
  assert.deepEqual(clean("junk"), DEFAULTS);
  assert.deepEqual(clean({cols: []}).cols, COLS);
});

test("the query wins over what is stored, and only what differs from the defaults goes in the URL", () => {
  const s = read("?cols=pseudo,scalar&wrap=0&font=16", {wrap: true, notes: "inline", font: 20, comments: "none"});
  assert.deepEqual(s.cols, ["pseudo", "scalar"]);
  assert.equal(s.wrap, false);
  assert.equal(s.font, 16);
  assert.equal(s.notes, "inline");
  assert.equal(s.comments, "none");
  assert.equal(toQuery(s), "cols=pseudo,scalar&font=16&wrap=0&notes=inline&comments=none");
  assert.equal(toQuery(DEFAULTS), "");
  assert.deepEqual(read("", "not an object"), DEFAULTS);
  assert.deepEqual(read("", [1, 2]), DEFAULTS);
});

test("toQuery keeps the keys that are not settings, and round-trips through fromQuery", () => {
  assert.equal(toQuery(clean({notes: "hidden"}), "?embed=1&concept=attention&notes=inline"), "embed=1&concept=attention&notes=hidden");
  assert.equal(toQuery(DEFAULTS, "?walk=1&font=fit"), "walk=1");
  const views = [{cols: ["matrix"], col: "matrix"}, {cols: ["scalar", "pseudo"], col: "pseudo", ln: false},
    {font: "fit", comments: "headers", sync: false}, {font: 10, wrap: false}];
  for (const v of views) {
    const s = clean(v);
    assert.deepEqual(read(`?${toQuery(s)}`, {}), s, JSON.stringify(v));
  }
});

test("attributes: what CSS reads from <html>", () => {
  const {attrs, vars} = attributesOf(clean({cols: ["pseudo", "scalar"], wrap: false, comments: "none", font: "fit"}));
  assert.deepEqual(attrs, {cols: "pseudo scalar", hide: "matrix", wrap: "off", ln: "on", notes: "margin", comments: "none",
    sync: "on", phone: "pseudo", font: "fit"});
  assert.equal(vars["--mgx-fs"], null, "fit is measured once there is a layout");
  assert.equal(vars["--mgx-n"], "2");
  assert.deepEqual([vars["--mgx-pos-scalar"], vars["--mgx-pos-matrix"], vars["--mgx-pos-pseudo"]], ["2", "1", "1"]);
  assert.equal(attributesOf(clean({font: 16})).vars["--mgx-fs"], "16px");
  assert.equal(attributesOf(DEFAULTS).vars["--mgx-fs"], null, "the default size grows with wide screens");
  assert.equal(attributesOf(DEFAULTS).attrs.font, "px");
});

test("embeds keep settings of their own", () => {
  assert.equal(storageKey("?embed=1&concept=loss"), "mgx-embed-settings");
  assert.equal(storageKey(""), "mgx-settings");
});

test("a remembered fit size applies only to the layout it was measured in", () => {
  const s = clean({font: "fit", cols: ["scalar"]});
  const stored = JSON.stringify([fitLayout(s, 1440), 10.75]);
  assert.equal(rememberedFit(s, 1440, stored), 10.75);
  assert.equal(rememberedFit(s, 1441, stored), null, "another window width");
  assert.equal(rememberedFit({...s, comments: "none"}, 1440, stored), null, "other comments");
  assert.equal(rememberedFit({...s, font: 13}, 1440, stored), null, "not fit");
  assert.equal(rememberedFit(s, 1440, JSON.stringify([fitLayout(s, 1440), 99])), null, "out of range");
  for (const junk of [null, "", "{", "[]", "5"]) assert.equal(rememberedFit(s, 1440, junk), null, String(junk));
});

// the pre-paint script run as a browser runs it, against a fake page: it must set what the module computes
function prepaint(search, stored) {
  const attrs = {}, vars = {}, classes = new Set(), writes = [];
  const html = {setAttribute: (k, v) => (attrs[k] = v), classList: {add: (c) => classes.add(c)},
    style: {setProperty: (k, v) => (vars[k] = v), removeProperty: (k) => delete vars[k]}};
  const localStorage = {getItem: (k) => (k in stored ? stored[k] : null), setItem: (k, v) => writes.push([k, v]), removeItem() {}};
  vm.runInNewContext(fs.readFileSync(process.env.PREPAINT_JS, "utf8"),
    {document: {documentElement: html, getElementById: page.getElementById}, location: {search}, localStorage, URLSearchParams, innerWidth: 1440});
  return {attrs, vars, classes, writes};
}

test("the inlined pre-paint script agrees with the module on every default and allowed value", {skip: !process.env.PREPAINT_JS}, () => {
  const cases = [["", {}], ["?font=fit&comments=none", {}], ["?embed=1", {"mgx-embed-settings": '{"notes":"hidden"}'}],
    ["", {"mgx-settings": '{"cols":["matrix"],"font":18,"ln":false}'}], ["", {"mgx-settings": "not json"}],
    ["?cols=pseudo,nope&sync=0&notes=inline&wrap=off&col=pseudo", {"mgx-settings": '{"comments":"headers"}'}],
    ["?font=fit&cols=scalar", {"mgx-fit": JSON.stringify([fitLayout(clean({font: "fit", cols: ["scalar"]}), 1440), 10.75])}],
    ["?font=fit", {"mgx-fit": JSON.stringify([fitLayout(clean({font: "fit", cols: ["scalar"]}), 1440), 10.75])}]];
  for (const [k, d] of Object.entries(SCHEMA)) {
    for (const v of [d.default, ...(d.values || []), d.min, d.max, "bogus"]) if (v !== undefined) cases.push([`?${d.url}=${v}`, {}]);
  }
  for (const [search, stored] of cases) {
    const got = prepaint(search, stored);
    let fromStore = {};
    try { fromStore = JSON.parse(stored[storageKey(search)] ?? "null"); } catch { /* unreadable: nothing */ }
    const want = attributesOf(read(search, fromStore));
    assert.deepEqual(got.attrs, Object.fromEntries(Object.entries(want.attrs).map(([k, v]) => [`data-mgx-${k}`, v])), search);
    const fit = rememberedFit(read(search, fromStore), 1440, stored["mgx-fit"] ?? null);
    if (fit !== null) want.vars["--mgx-fs"] = `${fit}px`;
    assert.deepEqual(got.vars, Object.fromEntries(Object.entries(want.vars).filter(([, v]) => v !== null)), search);
    assert.ok(got.classes.has("mgx-js"));
    assert.equal(got.classes.has("mgx-embed"), search.includes("embed=1"));
    assert.deepEqual(got.writes, [], "the pre-paint script reads, never writes");
  }
  const layout = fitLayout(clean({font: "fit", cols: ["scalar"]}), 1440);
  assert.equal(prepaint("?font=fit&cols=scalar", {"mgx-fit": JSON.stringify([layout, 10.75])}).vars["--mgx-fs"], "10.75px");
});
