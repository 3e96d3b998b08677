/* An embed of one concept (?embed=1&concept=attention): the other concepts hidden (the rail keeps them all); a
   concept that does not exist shows all of them, and says so; lines linked outside the concept bring the concept
   that holds them. */
export function scopeEmbed({ root, grid, titles, toast, params }) {
  const only = params.get("embed") === "1" && params.get("concept");
  const parts = () => [...root.querySelectorAll("[data-concept]")].filter((el) => !el.closest(".mgx-rail"));
  if (only && !titles.has(only)) toast(`There is no concept “${only}” in this explorer: here are all of them.`);
  else if (only) for (const el of parts()) if (el.dataset.concept !== only) el.hidden = true;

  /** Shows the hidden concepts that hold a target; true if there were any. */
  function showTargetConcept() {
    const held = new Set([...grid.querySelectorAll(".mgx-target")].map((el) => el.closest("[data-concept][hidden]")?.dataset.concept).filter(Boolean));
    for (const el of parts()) if (held.has(el.dataset.concept)) el.hidden = false;
    return held.size > 0;
  }
  return { only, showTargetConcept };
}
