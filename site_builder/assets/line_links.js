// line_links.js: the explorer's link format, pure (no DOM): build, parse, clamp and relocate line links, and parse
// note/concept links. One place for the format, so the share menu, the hash router and the tests agree.
//
// API (every function takes the column keys as an argument: no column is hard-coded here)
//   lineId(col, n)                  -> "scalar-L42"                  the id of a line's element and its link hash
//   rangeHash(col, a, b, fp)        -> "scalar-L141-L142~3f2a"       (no "#"; b and fp optional)
//   parseLineHash(hash, cols)       -> {col, a, b, fp} | null        "#scalar-L141", "#scalar-L141-L142",
//                                      "#scalar-L141-L142~3f2a"; null when the hash is not a line link at all.
//                                      a, b are Numbers (digits beyond 15 are read as Infinity: never looped over)
//   clampRange(link, lineCount)     -> {col, a, b, fp} | {error}     checks a line link against its file:
//                                      reversed range and a line past the end are errors with a human message;
//                                      an end past the file is clamped to the last line (O(1) for any number)
//   fingerprint(lineTexts)          -> "3f2a"                        4 hex chars: FNV-1a of the lines, each with its
//                                      whitespace collapsed and trimmed, joined by "\n" (stable across reindents)
//   relocate(link, fileLines, maxDistance = 400)
//                                   -> {a, b, moved: false}          the text at a..b still matches (or no fp)
//                                    | {a, b, moved: true, from}     found by fingerprint, nearest the old line
//                                    | {gone: true}                  no span of that length matches any more
//   parseTargetHash(hash, concepts, notesByConcept)
//                                   -> {kind: "concept", concept} | {kind: "note", concept, note}
//                                    | {kind: "note"|"concept", error} (unknown target) | null (another hash)
//                                      "#concept-<id>", "#note-<concept>-<id>"; notesByConcept: {concept: [note ids]}
//   movedMessage(file, link, found) -> "scalar.py line 141 has moved to line 143 since this link was made."
//   goneMessage(file, link, title)  -> "scalar.py lines 141–142 changed since this link was made: …, Attention."

const MAX_DIGITS = 15;  // beyond this a line number cannot be real; Number() keeps it exact enough to compare

export function lineId(col, n) {
  return `${col}-L${n}`;
}

export function rangeHash(col, a, b = a, fp = "") {
  return lineId(col, a) + (b !== a ? `-L${b}` : "") + (fp ? `~${fp}` : "");
}

export function parseLineHash(hash, cols) {
  const m = /^#?([A-Za-z0-9_]+)-L(\d+)(?:-L(\d+))?(?:~([0-9a-f]{1,16}))?$/.exec(hash || "");
  if (!m || !cols.includes(m[1])) return null;
  const num = (s) => (s.replace(/^0+/, "").length > MAX_DIGITS ? Infinity : Number(s));
  const a = num(m[2]);
  return {col: m[1], a, b: m[3] === undefined ? a : num(m[3]), fp: m[4] || ""};
}

export function clampRange(link, lineCount) {
  const {col, a, b} = link;
  if (a < 1) return {error: `There is no line 0 in ${col}: lines start at 1.`};
  if (b < a) return {error: `The range ${col} lines ${a}–${b} is reversed: the first line must come first.`};
  if (a > lineCount) {
    const at = Number.isFinite(a) ? `line ${a}` : "that line";
    return {error: `${col} has ${lineCount} lines: there is no ${at}.`};
  }
  return {...link, b: Math.min(b, lineCount)};
}

export function fingerprint(lineTexts) {
  const text = lineTexts.map((t) => t.replace(/\s+/g, " ").trim()).join("\n");
  let h = 0x811c9dc5;  // FNV-1a, 32 bits, over UTF-16 code units
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return ((h >>> 16) ^ (h & 0xffff)).toString(16).padStart(4, "0");  // fold to 16 bits: 4 hex chars
}

export function relocate(link, fileLines, maxDistance = 400) {
  const {a, b, fp} = link;
  const span = b - a + 1;
  const at = (start) => fingerprint(fileLines.slice(start - 1, start - 1 + span));
  if (!fp || (b <= fileLines.length && at(a) === fp)) return {a, b, moved: false};
  if (span > fileLines.length) return {gone: true};
  const last = fileLines.length - span + 1;  // nearest first: a+1, a-1, a+2, a-2 ... within maxDistance
  for (let d = 1; d <= maxDistance; d++) {
    for (const start of [a + d, a - d]) {
      if (start >= 1 && start <= last && at(start) === fp) return {a: start, b: start + span - 1, moved: true, from: a};
    }
  }
  return {gone: true};
}

export function parseTargetHash(hash, concepts, notesByConcept = {}) {
  const h = (hash || "").replace(/^#/, "");
  if (h.startsWith("concept-")) {
    const concept = h.slice("concept-".length);
    return concepts.includes(concept) ? {kind: "concept", concept}
      : {kind: "concept", error: `There is no concept “${concept}” in this explorer.`};
  }
  if (h.startsWith("note-")) {
    const rest = h.slice("note-".length);
    // concept ids may not contain "-", note ids may: the concept is the longest known prefix
    const concept = concepts.filter((c) => rest.startsWith(c + "-")).sort((x, y) => y.length - x.length)[0];
    if (!concept) return {kind: "note", error: `There is no note “${rest}”: its concept is not in this explorer.`};
    const note = rest.slice(concept.length + 1);
    return (notesByConcept[concept] || []).includes(note) ? {kind: "note", concept, note}
      : {kind: "note", concept, error: `The ${concept} concept has no note “${note}”.`};
  }
  return null;
}

const lines = (a, b) => (b !== a ? `lines ${a}\u2013${b}` : `line ${a}`);

export function movedMessage(file, link, found) {
  const verb = link.b !== link.a ? "have" : "has";
  return `${file} ${lines(link.a, link.b)} ${verb} moved to ${lines(found.a, found.b)} since this link was made.`;
}

export function goneMessage(file, link, title) {
  const what = Number.isFinite(link.b) ? lines(link.a, link.b) : "those lines";
  const it = link.b !== link.a ? "them" : "it";
  return `${file} ${what} changed since this link was made: here is the concept that held ${it}, ${title}.`;
}
