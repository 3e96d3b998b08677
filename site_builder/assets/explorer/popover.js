/* The notes popover: a line's notes beside it where they are not on screen (hidden, or a phone's one column).
   Copies of the notes, so the page keeps its own; Esc or a tap elsewhere closes it, back to the line. */

/** Where the popover goes: below the line if it fits, else above; inside the window. */
export function popoverPlace(line, size, view) {
  const below = line.bottom + 4 + size.h < view.h;
  return { top: Math.max(4, below ? line.bottom + 4 : line.top - size.h - 4),
    left: Math.min(Math.max(4, line.left + 24), view.w - size.w - 8) };
}

export function createPopover(pop) {
  const body = pop.querySelector(".mgx-pop-body"), closer = pop.querySelector(".mgx-pop-close");
  let from = null;
  function open(ln, list) {
    body.replaceChildren(...list.map((n) => {
      const c = n.el.cloneNode(true);
      c.removeAttribute("id"); c.removeAttribute("tabindex"); c.removeAttribute("style"); c.classList.remove("mgx-hl", "mgx-target");
      return c;
    }));
    pop.hidden = false;
    const at = popoverPlace(ln.getBoundingClientRect(), { w: pop.offsetWidth, h: pop.offsetHeight }, { w: innerWidth, h: innerHeight });
    pop.style.top = `${at.top}px`;
    pop.style.left = `${at.left}px`;
    from = ln;
    closer.focus({ preventScroll: true });
  }
  function close(refocus = true) {
    if (pop.hidden) return;
    pop.hidden = true;
    if (refocus && from) from.focus({ preventScroll: true });
    from = null;
  }
  closer.addEventListener("click", () => close());
  pop.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); close(); } });
  pop.addEventListener("click", (e) => { if (e.target.closest("a")) close(false); });
  document.addEventListener("pointerdown", (e) => {
    if (!pop.hidden && !pop.contains(e.target) && !e.target.closest(".ln[data-notes]")) close(false);
  });
  return { open, close, contains: (el) => pop.contains(el) };
}
