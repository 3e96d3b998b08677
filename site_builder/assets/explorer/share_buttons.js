/* Share and copy-link buttons: a Share button on each note, concept heading and the toolbar (this view), one by
   the selected lines (s on a line), and c or a click on a line number copies the line's (or the selection's) link.
   The Share popover's code (share.js) loads on the first Share. */
import { lineId } from "./lines.js";
import { explorerUrl, rangeWords } from "../share_links.js";

export function shareButton(what, label) {
  const b = Object.assign(document.createElement("button"), { type: "button", className: "mgx-share", textContent: "Share" });
  b.dataset.share = what;
  b.setAttribute("aria-label", label);
  return b;
}

export function createShareButtons({ page, index, links, ranges, toast, view }) {
  const { root, fileName, titleOf, embedded } = page;
  let box = null;  // the popover, once its module is here
  const withBox = () => (box ??= import("./share.js").then(({ createShare }) => createShare({ toast })));
  const open = (item, opener, beside) => withBox().then((b) => b.open(item, opener, beside));
  const lineButton = Object.assign(document.createElement("button"), { type: "button", className: "mgx-share-line", textContent: "Share" });
  lineButton.hidden = true;
  const pageUrl = () => explorerUrl(location.href);  // from an embed, the full explorer: a shared link opens the site
  const conceptOfLine = (col, n) => document.getElementById(lineId(col, n))?.closest(".mgx-block").dataset.concept;

  async function copyLink(hash, label) {
    const url = pageUrl() + hash;
    history.replaceState(history.state, "", hash);
    links.go(hash, false);
    try { await navigator.clipboard.writeText(url); toast(`Copied link to ${label}`); }
    catch { toast(url); }
  }
  function copySelection(ln) {
    const r = ranges.at(ln);
    copyLink(links.linkOf(r.col, r.a, r.b), rangeWords(fileName(r.col), r.a, r.b));
  }
  function shareLines(ln, opener) {
    const r = ranges.at(ln), hash = links.linkOf(r.col, r.a, r.b), concept = conceptOfLine(r.col, r.a);
    const top = document.getElementById(lineId(r.col, r.a)).getBoundingClientRect();
    const bottom = document.getElementById(lineId(r.col, r.b)).getBoundingClientRect();
    open({ title: rangeWords(fileName(r.col), r.a, r.b), url: pageUrl() + hash,
      embed: { concept: concept === conceptOfLine(r.col, r.b) ? concept : "", cols: [r.col], lines: hash.slice(1) } },
    opener, { top: top.top, bottom: bottom.bottom, left: top.left });  // beside the lines, not over them
  }
  function showLineButton(ln) {  // at the right end of the selection's first line, inside its block (scrolls with it)
    const r = ranges.at(ln), first = document.getElementById(lineId(r.col, r.a)) || ln, block = first.closest(".mgx-block");
    if (lineButton.parentElement !== block) block.append(lineButton);
    lineButton.hidden = false;
    lineButton.style.top = `${first.getBoundingClientRect().top - block.getBoundingClientRect().top}px`;
    lineButton.setAttribute("aria-label", `Share ${rangeWords(fileName(r.col), r.a, r.b)} (s)`);
    lineButton.line = ln;
  }
  function shareItem(what) {
    const [kind, id] = what.split(/:(.*)/s), cols = view.visibleCols();
    if (kind === "concept") return { title: titleOf(id), url: `${pageUrl()}#concept-${id}`, embed: { concept: id, cols } };
    const note = index.byId.get(id);
    if (kind === "note" && note) {
      return { title: `a note on ${titleOf(note.concept)}`, url: `${pageUrl()}#${id}`, embed: { concept: note.concept, cols, note: id } };
    }
    const concept = view.currentConcept().head.dataset.concept, sel = links.selection();  // the view: what is on screen, as it is set
    const here = sel ? links.linkOf(sel.col, sel.a, sel.b) : embedded ? `#concept-${concept}` : location.hash;
    return { title: `this view (${titleOf(concept)})`, url: pageUrl() + here, embed: { concept, cols, lines: sel ? here.slice(1) : "" } };
  }
  root.addEventListener("click", (e) => {  // a concept heading's or a note's own link (#) copies it
    const a = e.target.closest("a.mgx-self");
    if (!a) return;
    e.preventDefault();
    copyLink(a.getAttribute("href"), a.closest(".mgx-head") ? a.textContent : "this note");
    if (a.closest(".mgx-head")) links.go(a.getAttribute("href"));
  });
  document.addEventListener("click", (e) => {
    const b = e.target.closest(".mgx-share, .mgx-share-line");
    if (!b) return;
    e.preventDefault();
    if (b === lineButton) shareLines(lineButton.line, lineButton);
    else open(shareItem(b.dataset.share), b);
  });
  return { copySelection, shareLines, showLineButton };
}
