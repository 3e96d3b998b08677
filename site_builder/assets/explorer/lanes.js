/* Sync scroll off: each file's blocks gathered into a lane of its own that scrolls independently (a region named
   by its file); back in their concept's section, in reading order, when sync is on again. */
export function createLanes({ grid, cols, paths, onScroll, behavior }) {
  const lanes = new Map();  // column -> its lane, while sync is off

  function arrange(sync) {
    if (!sync && !lanes.size) {
      for (const col of cols) {
        const lane = document.createElement("div");
        lane.className = "mgx-lane";
        lane.dataset.col = col;
        lane.setAttribute("role", "region");
        lane.setAttribute("aria-label", paths[col] || col);
        lane.append(...grid.querySelectorAll(`.mgx-block[data-col="${col}"]`));
        lane.addEventListener("scroll", onScroll, { passive: true });
        grid.append(lane);
        lanes.set(col, lane);
      }
    } else if (sync && lanes.size) {
      for (const lane of lanes.values()) {  // in column order, each block just before its concept's notes
        for (const block of [...lane.children]) {
          const section = grid.querySelector(`.mgx-concept[data-concept="${block.dataset.concept}"]`);
          section.insertBefore(block, section.querySelector(".mgx-noteblock"));
        }
        lane.remove();
      }
      lanes.clear();
    }
  }

  function scrollTo(concept) {  // every lane to the concept, then the lanes themselves below the toolbar
    for (const lane of lanes.values()) {
      const block = lane.querySelector(`.mgx-block[data-concept="${concept}"]`);
      if (block) lane.scrollTo({ top: lane.scrollTop + block.getBoundingClientRect().top - lane.getBoundingClientRect().top - 8, behavior: "auto" });  // a jump: a glide is cut short as the page moves
    }
    grid.scrollIntoView({ block: "start", behavior: behavior() });
  }

  return { arrange, scrollTo, get: (col) => lanes.get(col), get size() { return lanes.size; } };
}
