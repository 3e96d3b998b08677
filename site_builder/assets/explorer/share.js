/* The Share popover: for a line, a range, a note, a concept or the current view, it offers the link, a Markdown
   link and an <iframe> snippet of an embed of that view, each with a Copy button, and a live preview of the embed
   (loaded only while the popover is open). What to share is the caller's; the strings come from share_links.js. */
import { embedUrl, iframeSnippet, markdownLink } from "../share_links.js";

const SIZE = { width: 800, height: 500 };  // the snippet's frame: the preview shows it scaled to fit

export function createShare({ toast }) {
  const box = document.createElement("div");
  box.className = "mgx-sharebox md-typeset";
  box.hidden = true;
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-modal", "false");
  box.setAttribute("aria-labelledby", "mgx-share-title");
  box.innerHTML = `<p class="mgx-share-title" id="mgx-share-title"></p>
    <button type="button" class="mgx-share-close" aria-label="Close sharing">&times;</button>
    ${field("link", "Link", "input")}${field("md", "Markdown link", "input")}${field("embed", "Embed (HTML)", "textarea")}
    <figure class="mgx-share-preview"><div class="mgx-share-frame"><iframe title="Preview of the embed" tabindex="-1" loading="lazy"></iframe></div>
    <figcaption>Preview of the embed at ${SIZE.width} × ${SIZE.height}, scaled to fit</figcaption></figure>`;
  document.body.append(box);
  const title = box.querySelector(".mgx-share-title"), frame = box.querySelector("iframe");
  const out = Object.fromEntries(["link", "md", "embed"].map((k) => [k, box.querySelector(`[name="${k}"]`)]));
  let from = null;

  box.addEventListener("click", async (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    if (b.classList.contains("mgx-share-close")) { close(); return; }
    const el = out[b.dataset.copy];
    try { await navigator.clipboard.writeText(el.value); }
    catch { el.select(); document.execCommand("copy"); }  // no clipboard API (plain http): the old way
    toast(`Copied the ${b.dataset.what}`);
  });
  box.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); close(); } });
  for (const el of Object.values(out)) el.addEventListener("focus", () => el.select());
  document.addEventListener("pointerdown", (e) => {
    if (!box.hidden && !box.contains(e.target) && !e.target.closest(".mgx-share, .mgx-share-line")) close(false);
  });

  /** item: {title, url, embed: {concept, cols, lines, note}}; opener: the element to return the focus to;
   *  near: the rectangle to open beside (a range's lines, so the popover does not cover them), else the opener's. */
  function open(item, opener, near) {
    from = opener || document.activeElement;
    const src = embedUrl(item.url, item.embed);
    title.textContent = `Share ${item.title}`;
    out.link.value = item.url;
    out.md.value = markdownLink(item.title, item.url);
    out.embed.value = iframeSnippet(src, `microgpt explorer: ${item.title}`, SIZE);
    box.hidden = false;
    const rect = near || (opener && opener.isConnected ? opener : document.body).getBoundingClientRect();
    place(rect);
    const scale = box.querySelector(".mgx-share-frame").clientWidth / SIZE.width;
    Object.assign(frame.style, { width: `${SIZE.width}px`, height: `${SIZE.height}px`, transform: `scale(${scale})` });
    box.querySelector(".mgx-share-frame").style.height = `${SIZE.height * scale}px`;
    if (frame.src !== src) frame.src = src;
    place(rect);  // again: the preview's height is known now
    out.link.focus({ preventScroll: true });
  }
  function place(r) {  // below the rectangle, else above it, inside the window (a sheet at the bottom on phones)
    const w = box.offsetWidth, h = box.offsetHeight;
    const top = r.bottom + 6 + h < innerHeight ? r.bottom + 6 : Math.max(6, r.top - h - 6);
    box.style.top = `${Math.max(6, Math.min(top, innerHeight - h - 6))}px`;
    box.style.left = `${Math.min(Math.max(6, r.left), innerWidth - w - 6)}px`;
  }
  function close(refocus = true) {
    if (box.hidden) return;
    box.hidden = true;
    frame.src = "about:blank";  // the preview stops: nothing runs while the popover is shut
    if (refocus && from && from.isConnected) from.focus({ preventScroll: true });
    from = null;
  }
  return { open, close, el: box };
}

function field(name, label, tag) {
  const id = `mgx-share-${name}`;
  const control = tag === "textarea" ? `<textarea id="${id}" name="${name}" rows="3" readonly spellcheck="false"></textarea>`
    : `<input id="${id}" name="${name}" readonly spellcheck="false">`;
  return `<div class="mgx-share-row"><label for="${id}">${label}</label>${control}`
    + `<button type="button" data-copy="${name}" data-what="${label.toLowerCase()}">Copy</button></div>`;
}
