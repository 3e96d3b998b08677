/* The identifier index, pure (no DOM, so Node tests it): which tokens of a line bind a name (its definitions),
   the index of every name's occurrences per file, alias resolution across files (docs/aliases.yml) and the status
   line's words. A token is {text, start, cls, ...}: start is its offset in the line's code, the line with
   comments and strings blanked to spaces (so `=` inside them is not an assignment); other fields pass through. */

const OPEN = "([{", CLOSE = ")]}";

/** Indices of the tokens that bind their name on this line: def/class names, parameters, assignment, for, as, import. */
export function bindings(code, tokens) {
  const out = new Set();
  const within = (a, b) => tokens.forEach((t, i) => { if (t.start >= a && t.start < b) out.add(i); });
  tokens.forEach((t, i) => { if (/\b(nf|nc)\b/.test(t.cls)) out.add(i); });
  const def = /^\s*(?:def|function|class)\s+[^\s(]+\s*\(/.exec(code) || /^(?:[^\W\d]\w*)\s*\((?=[^()]*\)\s*=(?!=))/u.exec(code);
  if (def) {  // parameters: a name after ( , * or ; (a default value after = is a use)
    const end = matchingClose(code, def[0].length - 1);
    tokens.forEach((t, i) => {
      if (t.start >= def[0].length - 1 && t.start < end && "(,*;".includes(code.slice(0, t.start).trimEnd().slice(-1))) out.add(i);
    });
  }
  for (const m of code.matchAll(/\bfor\b(.*?)(?:\bin\b|∈)/gu)) within(m.index + 3, m.index + 3 + m[1].length);
  for (const m of code.matchAll(/\blambda\b([^:]*):/g)) within(m.index + 6, m.index + 6 + m[1].length);
  for (const m of code.matchAll(/\bas\s+(\w+)/g)) within(m.index + m[0].length - m[1].length, m.index + m[0].length);
  const imp = /^\s*(?:from\s+\S+\s+)?import\s+/.exec(code);
  if (imp) within(imp[0].length, code.length);
  for (const [a, b] of assignmentTargets(code)) {
    tokens.forEach((t, i) => {
      if (t.start < a || t.start >= b || depthAt(code, a, t.start) !== 0) return;
      const after = code.slice(t.start + t.text.length).trimStart()[0];
      if (after !== "[" && after !== "." && after !== "(") out.add(i);  // m[i] = …, x.y = …: x is used, not bound
    });
  }
  return out;
}

function matchingClose(code, open) {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (OPEN.includes(code[i])) depth++;
    else if (CLOSE.includes(code[i]) && --depth === 0) return i;
  }
  return code.length;
}

function depthAt(code, from, to) {
  let depth = 0;
  for (let i = from; i < to; i++) depth += OPEN.includes(code[i]) ? 1 : CLOSE.includes(code[i]) ? -1 : 0;
  return depth;
}

/** [start, end) of each statement's target: the text before its top-level `=` or `←` (not ==, <=, +=, …). */
export function assignmentTargets(code) {
  const out = [];
  let depth = 0, start = 0, found = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && ch === ";") { start = i + 1; found = false; }
    else if (depth === 0 && !found && (ch === "←" || (ch === "=" && !"=<>!+-*/%&|^@:".includes(code[i - 1] || "") && code[i + 1] !== "="))) {
      out.push([start, i]);
      found = true;
    }
  }
  return out;
}

/** name -> col -> [token with def: true|false], in page order; lines: [{col, code, tokens}]. */
export function buildIndex(lines) {
  const index = new Map();
  for (const { col, code, tokens } of lines) {
    const defs = bindings(code, tokens);
    tokens.forEach((t, i) => {
      t.def = defs.has(i);
      if (!index.has(t.text)) index.set(t.text, new Map());
      const byCol = index.get(t.text);
      if (!byCol.has(col)) byCol.set(col, []);
      byCol.get(col).push(t);
    });
  }
  return index;
}

/** {col: [names]} to mark for `name` clicked in `col`: its alias entry's names, else the same spelling. */
export function resolve(aliases, cols, col, name) {
  const entry = aliases.find((g) => (g[col] || []).includes(name));
  return Object.fromEntries(cols.map((c) => [c, entry && entry[c] ? entry[c] : [name]]));
}

/** Occurrences of the resolved names, per column: {col: [tokens]}. */
export function occurrences(index, targets) {
  return Object.fromEntries(Object.entries(targets).map(([col, names]) =>
    [col, names.flatMap((n) => index.get(n)?.get(col) || [])]));
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "head_dim: 1 definition, 9 uses in scalar.py · …", aliases named where the spelling differs. */
export function summary(name, targets, found, labels) {
  const parts = Object.entries(found).map(([col, list]) => {
    const defs = list.filter((t) => t.def).length, uses = list.length - defs;
    const names = targets[col].join(", "), as = names === name ? "" : ` (${names})`;
    if (!list.length) return `none in ${labels[col]}${as}`;
    return `${defs ? `${plural(defs, "definition")}, ` : ""}${plural(uses, "use")} in ${labels[col]}${as}`;
  });
  return `${name}: ${parts.join(" · ")}`;
}
