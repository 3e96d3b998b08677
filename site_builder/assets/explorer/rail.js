/* The concept rail: which concept the reader is in (the last heading above the toolbar's foot, and how far into
   it; with sync off, what the first lane shows at its top), marked aria-current, kept in view on a phone's strip. */
export function createRail({ root, grid, heads, lanes, settings, phone }) {
  const links = [...root.querySelectorAll(".mgx-rail ol a")];

  function current() {
    const y = Math.max(0, root.querySelector(".mgx-toolbar").getBoundingClientRect().bottom);  // where content starts
    const s = settings();
    if (!s.sync && !phone.matches) {  // heads are hidden: ask the first visible lane what it shows at its top
      const lane = lanes.get(s.cols[0]), top = lane.getBoundingClientRect().top + 8;
      const blocks = [...lane.querySelectorAll(".mgx-block")];
      const block = blocks.filter((b) => b.getBoundingClientRect().top <= top).pop() || blocks[0];
      return { head: heads.find((h) => h.dataset.concept === block.dataset.concept), frac: 0, y };
    }
    let cur = heads[0];
    for (const h of heads) if (!h.hidden && h.getBoundingClientRect().top <= y + 8) cur = h;
    const i = heads.indexOf(cur), top = cur.getBoundingClientRect().top;
    const next = heads.slice(i + 1).find((h) => !h.hidden);
    const bottom = next ? next.getBoundingClientRect().top : grid.getBoundingClientRect().bottom;
    const frac = bottom > top ? Math.min(1, Math.max(0, (y - top) / (bottom - top))) : 0;
    return { head: cur, frac, y };
  }

  function mark() {
    const { head } = current();
    for (const a of links) {
      const on = a.dataset.concept === head.dataset.concept;
      if (on && a.getAttribute("aria-current") !== "true" && phone.matches) {  // keep it in view in the phone's strip
        const rail = a.closest(".mgx-rail");
        rail.scrollLeft = a.offsetLeft - rail.clientWidth / 3;
      }
      a.setAttribute("aria-current", on ? "true" : "false");
    }
  }

  let queued = false;
  const onScroll = () => {  // one mark per frame however fast the reader scrolls
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; mark(); });
  };
  addEventListener("scroll", onScroll, { passive: true });
  return { current, mark, onScroll };
}
