/* Font size "fit": the largest code size at which every visible column's longest line fits without wrapping.
   The size is a pure function of the columns' widths, their longest lines (in characters) and the monospace
   font's width per px of size (measured once in the page); the page then checks the few longest lines really
   fit (a glyph from a fallback font can be wider) and steps down if one does not. */

export const STEP = 0.25;  // px: fine enough to use the room, coarse enough to be stable

// widths[i] px of column i; longest[i] characters of its longest line; charWidth px per px of font size;
// padPerPx the line's own horizontal padding (gutter for line numbers) per px of font size
export function fitFontSize({ widths, longest, charWidth, padPerPx = 0, min = 10, max = 24, step = STEP }) {
  let best = max;
  widths.forEach((w, i) => {
    const perPx = charWidth * longest[i] + padPerPx;  // a line of longest[i] characters at size f is f * perPx px wide
    if (perPx > 0) best = Math.min(best, Math.max(0, w) / perPx);
  });
  const size = Math.floor(best / step + 1e-9) * step;
  return { size: Math.min(max, Math.max(min, size)), fits: size >= min };
}

// characters a line takes on screen: code points, combining marks take none, a tab runs to the next stop
export function displayLength(text, tabSize = 4) {
  let n = 0;
  for (const ch of text.replace(/\p{M}/gu, "")) n = ch === "\t" ? (Math.floor(n / tabSize) + 1) * tabSize : n + 1;
  return n;
}

// a line's own code: its nodes without the decorations other features add (values, marks: class mgx-…)
const codeNodes = (line) => [...line.childNodes].filter((n) => !(n.nodeType === 1 && /(^| )mgx-/.test(n.className)));

// the text of a line as shown: without its comment when comments are hidden (the comment hides with its spaces)
export function shownText(line, hideComment) {
  let text = "";
  for (const node of codeNodes(line)) if (!(hideComment && node.nodeType === 1 && node.classList.contains("c"))) text += node.textContent;
  return text.trimEnd();
}

// does the code of a line (decorations aside) take more than one row, or run past its box?
function codeOverflows(ln, size) {
  const nodes = codeNodes(ln);
  if (!nodes.length) return false;
  const range = document.createRange();
  range.setStartBefore(nodes[0]);
  range.setEndAfter(nodes[nodes.length - 1]);
  const r = range.getBoundingClientRect(), box = ln.parentElement.getBoundingClientRect();
  return r.height > 2.25 * size || r.right > box.right + 1;
}

export function createFontFit({ grid, html = document.documentElement }) {
  let charWidth = 0;
  const longestOf = new Map();  // "col comments" -> {length, lines: the longest few}: the text never changes
  function measureCharWidth(code) {
    const probe = Object.assign(document.createElement("span"), { textContent: "0".repeat(100) });
    probe.style.cssText = "position:absolute;visibility:hidden;white-space:pre;font-size:100px";
    code.append(probe);
    charWidth = probe.getBoundingClientRect().width / 100 / 100;
    probe.remove();
  }
  function longest(col, comments) {
    const key = `${col} ${comments}`;
    if (!longestOf.has(key)) {
      const skip = comments === "none" ? ".cmt" : comments === "headers" ? ".cmt:not(.sec)" : null;
      const sized = [];
      for (const ln of grid.querySelectorAll(`.mgx-block[data-col="${col}"] .ln`)) {
        if (!skip || !ln.matches(skip)) sized.push([displayLength(shownText(ln, comments === "none")), ln]);
      }
      sized.sort((a, b) => b[0] - a[0]);
      longestOf.set(key, { length: sized.length ? sized[0][0] : 0, lines: sized.slice(0, 12).map((x) => x[1]) });
    }
    return longestOf.get(key);
  }
  // sets --mgx-fs for the visible columns; returns the size, or null when the font is not "fit"
  function update(settings, cols, { min, max }) {
    if (settings.font !== "fit") return null;
    const codes = cols.map((c) => grid.querySelector(`.mgx-block[data-col="${c}"] .mgx-code`)).filter((el) => el && el.clientWidth);
    if (!codes.length) return null;
    if (!charWidth) measureCharWidth(codes[0]);
    const first = codes[0].querySelector(".ln"), cs = getComputedStyle(first);
    const padPerPx = (parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight)) / parseFloat(cs.fontSize);
    const found = codes.map((el) => longest(el.closest(".mgx-block").dataset.col, settings.comments));
    let { size } = fitFontSize({ widths: codes.map((el) => el.clientWidth), longest: found.map((f) => f.length), charWidth, padPerPx, min, max });
    const check = found.flatMap((f) => f.lines);
    for (;;) {  // the pure size, unless a wide fallback glyph or rounding makes one of the longest lines wrap after all
      html.style.setProperty("--mgx-fs", `${size}px`);
      if (size <= min || !check.some((ln) => ln.offsetParent !== null && codeOverflows(ln, size))) return size;
      size = Math.max(min, size - STEP);
    }
  }
  return { update };
}
