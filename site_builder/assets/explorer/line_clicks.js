/* A click on a line: shift-click selects up to it (without selecting text), a click in the line-number gutter
   copies the line's link, a plain click focuses the line and, where its notes are not on screen, opens them in
   the popover. */
export function createLineClicks({ page, index, ranges, share, popover, view }) {
  const { grid } = page;
  grid.addEventListener("mousedown", (e) => { if (e.shiftKey && e.target.closest(".ln")) e.preventDefault(); });  // no text selection
  grid.addEventListener("click", (e) => {
    const ln = e.target.closest(".ln");
    if (!ln) return;
    const rect = ln.getBoundingClientRect(), pad = parseFloat(getComputedStyle(ln).paddingLeft);
    if (e.shiftKey) { ranges.selectTo(ln); return; }
    if (view.settings().ln && e.clientX - rect.left < pad) { share.copySelection(ln); return; }
    if (!getSelection().isCollapsed) return;
    ln.focus({ preventScroll: true });
    const list = index.ofLine.get(ln);
    if (list && list[0].el.offsetParent === null) popover.open(ln, list);
  });
}
