/* Glossary in place: hovering or focusing a term link (a.mgx-term, in notes, summaries, the notes panel and
   popovers) shows the term's definition beside it, from the definitions the build embeds (#mgx-glossary), so the
   reader never leaves the explorer. Esc closes it; the pointer can move into it (WCAG 1.4.13); on touch the first
   tap shows it and the second follows the link to the glossary page. */
const TERM = "a.mgx-term";

export function createGlossaryTips() {
  const defs = JSON.parse(document.getElementById("mgx-glossary")?.textContent || "{}");
  const tip = document.createElement("div");
  tip.className = "mgx-tip md-typeset";
  tip.id = "mgx-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.append(tip);
  let from = null, hideTimer = 0, touch = false, openOnTap = null;

  const idOf = (a) => decodeURIComponent((a.getAttribute("href") || "").split("#term-")[1] || "");
  function show(a) {
    const def = defs[idOf(a)];
    if (!def) return false;
    clearTimeout(hideTimer);
    if (from === a && !tip.hidden) return true;
    hide();
    a.removeAttribute("title");  // the browser's own tooltip would say it again
    tip.innerHTML = `<p class="mgx-tip-term"></p>${def.html}`;
    tip.firstChild.textContent = def.term;
    tip.hidden = false;
    from = a;
    a.setAttribute("aria-describedby", tip.id);
    place(a);
    return true;
  }
  function place(a) {
    const r = a.getBoundingClientRect(), w = tip.offsetWidth, h = tip.offsetHeight;
    const below = r.bottom + 6 + h < innerHeight || r.top - 6 - h < 0;
    tip.style.top = `${Math.max(4, below ? r.bottom + 6 : r.top - h - 6)}px`;
    tip.style.left = `${Math.min(Math.max(4, r.left), innerWidth - w - 8)}px`;
  }
  function hide() {
    clearTimeout(hideTimer);
    if (tip.hidden) return;
    tip.hidden = true;
    from?.removeAttribute("aria-describedby");
    from = null;
  }
  const hideSoon = () => { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 200); };  // time to reach the tip

  document.addEventListener("pointerdown", (e) => {
    touch = e.pointerType === "touch";
    openOnTap = tip.hidden ? null : from;  // the tap's focus shows the tip too: remember whether it was open before
    if (!tip.hidden && !tip.contains(e.target) && !e.target.closest?.(TERM)) hide();
  });
  document.addEventListener("mouseover", (e) => {
    if (touch) return;
    const a = e.target.closest?.(TERM);
    if (a && !tip.contains(a)) show(a);
    else if (tip.contains(e.target)) clearTimeout(hideTimer);
    else if (!tip.hidden) hideSoon();
  });
  document.addEventListener("focusin", (e) => {
    const a = e.target.closest?.(TERM);
    if (a && !tip.contains(a)) show(a);
    else if (!tip.contains(e.target)) hide();
  });
  document.addEventListener("click", (e) => {  // touch: the first tap on a term shows it, the second follows it
    const a = e.target.closest?.(TERM);
    if (!a || !touch || tip.contains(a)) return;
    if (openOnTap !== a && show(a)) e.preventDefault();
  }, true);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !tip.hidden) { e.stopPropagation(); hide(); }
  }, true);
  addEventListener("scroll", () => { if (from) place(from); }, { passive: true });
  return { show, hide, isOpen: () => !tip.hidden };
}
