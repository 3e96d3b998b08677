// The explorer's density, measured in the page (read by bench/site.py and tests/test_browser_explorer.py):
// the concept area's height (first concept heading to the end of the last concept) divided by the tallest
// column's own code height (the sum of its line boxes). 1.0 would be code with nothing beside or between it.
() => {
  const heads = [...document.querySelectorAll(".mgx-head")];
  const parts = [...document.querySelectorAll(".mgx-head, .mgx-block:not(.mgx-noteblock)")].filter((el) => el.offsetParent !== null);
  const top = heads[0].getBoundingClientRect().top;
  const bottom = Math.max(...parts.map((el) => el.getBoundingClientRect().bottom));
  const code = {};
  for (const ln of document.querySelectorAll(".mgx-block[data-col] .ln")) {
    if (ln.offsetParent === null) continue;
    const col = ln.closest("[data-col]").dataset.col;
    code[col] = (code[col] || 0) + ln.getBoundingClientRect().height;
  }
  const tallest = Math.max(...Object.values(code));
  return { area: bottom - top, tallest, ratio: (bottom - top) / tallest, code };
}
