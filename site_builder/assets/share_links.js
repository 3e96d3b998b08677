// share_links.js: what the Share popover offers, pure (no DOM): the embed address of a view, the <iframe> snippet
// and the Markdown link, and the words for a line range. Kept apart from the popover so Node can test the escaping.
//
// API
//   rangeWords(file, a, b)            -> "scalar.py line 141" | "scalar.py lines 141–142"
//   embedUrl(pageUrl, view)           -> "…/explorer/?embed=1&concept=attention&cols=scalar&lines=scalar-L141-L142~3f2a"
//                                        view: {concept, cols: [..], lines, note} (each optional); the target goes in
//                                        the query, never the #fragment, so loading the embed cannot scroll its host
//   explorerUrl(href)                 -> the full explorer's address for this page: an embed's own parameters
//                                        (embed, concept, lines, note, at, controls, summary, theme) and the
//                                        #fragment dropped, so a link shared from inside an embed opens the explorer
//   iframeSnippet(src, title, {width = 800, height = 500})  -> '<iframe src="…" title="…" …></iframe>' (escaped)
//   markdownLink(text, url)           -> "[text](url)" with brackets in the text and spaces/parentheses in the url escaped

export function rangeWords(file, a, b = a) {
  return b !== a ? `${file} lines ${a}\u2013${b}` : `${file} line ${a}`;
}

export function embedUrl(pageUrl, view = {}) {
  const url = new URL(pageUrl);
  url.hash = "";
  url.search = "";
  url.searchParams.set("embed", "1");
  if (view.concept) url.searchParams.set("concept", view.concept);
  if (view.cols && view.cols.length) url.searchParams.set("cols", view.cols.join(","));
  if (view.lines) url.searchParams.set("lines", view.lines);
  if (view.note) url.searchParams.set("note", view.note);
  return url.toString().replace(/%2C/gi, ",").replace(/%7E/gi, "~");  // commas and ~ read better and are legal here
}

const EMBED_ONLY = ["embed", "concept", "lines", "note", "at", "controls", "summary", "theme"];

export function explorerUrl(href) {
  const url = new URL(href);
  url.hash = "";
  if (url.searchParams.get("embed") === "1") for (const k of EMBED_ONLY) url.searchParams.delete(k);
  return url.toString().replace(/%2C/gi, ",");
}

const escapeAttr = (s) => String(s).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function iframeSnippet(src, title, { width = 800, height = 500 } = {}) {
  return `<iframe src="${escapeAttr(src)}" title="${escapeAttr(title)}" width="${width}" height="${height}"`
    + ` style="border:1px solid #ccc;max-width:100%" loading="lazy"></iframe>`;
}

export function markdownLink(text, url) {
  const label = String(text).replace(/([\\[\]])/g, "\\$1");
  const target = String(url).replace(/ /g, "%20").replace(/\(/g, "%28").replace(/\)/g, "%29");
  return `[${label}](${target})`;
}
