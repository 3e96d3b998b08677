// The trainer's input rules: every setting parsed strictly (no silent coercion of "1e9", "0" or "abc") and the
// reader's own word list checked for size and characters, each failure with a message to show beside its field.
// Nothing reaches the worker unless these accept it. Words of 17-32 characters are accepted with a note: the
// model sees at most BLOCK_SIZE (16) tokens, so it learns only their first 16 characters (and not where they end).
export const MAX_WORD_BYTES = 1_000_000, MAX_WORDS = 50_000, MIN_WORDS = 5, MAX_WORD_CHARS = 32, MAX_VOCAB = 100;
export const BLOCK_SIZE = 16; // microgpt's block_size (scalar.py, matrix.py)
const fmt = (x) => x.toLocaleString("en");

// lr and temperature are microgpt's LIMITS (scalar.py, matrix.py); tests/test_trainer_node.py keeps them equal
export const FIELDS = {
  steps: { whole: true, min: 1, max: 20_000, tooBig: "at most 20,000 steps (that would already take a while)" },
  lr: { min: 1e-5, max: 0.1, tooSmall: "at least 0.00001: smaller rates learn nothing", tooBig: "at most 0.1: larger rates make the loss blow up" },
  seed: { whole: true, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, tooBig: "too large to be exact" },
  temperature: { min: 0.01, max: 5, tooSmall: "at least 0.01: colder than that is always the likeliest letter", tooBig: "at most 5: hotter than that is noise" },
  samples: { whole: true, min: 1, max: 100, tooBig: "at most 100 samples" },
};
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

export function parseField(name, text) {
  const rule = FIELDS[name];
  const t = String(text).trim();
  if (!t) return { error: "required" };
  if (!NUMBER.test(t)) return { error: `“${t.slice(0, 20)}” is not a number` };
  const x = Number(t);
  if (!Number.isFinite(x)) return { error: rule.tooBig };
  if (rule.whole && !Number.isInteger(x)) return { error: "must be a whole number" };
  if (x < rule.min) return { error: rule.tooSmall || `must be at least ${fmt(rule.min)}` };
  if (x > rule.max) return { error: rule.tooBig };
  return { value: x };
}

export function parseWords(text) {
  if (new TextEncoder().encode(text).length > MAX_WORD_BYTES) return { error: "more than 1 MB: use a smaller list" };
  const lines = text.split(/\r\n|\n|\r/).map((l) => l.trim()).filter(Boolean);
  if (lines.length < MIN_WORDS) return { error: `at least ${MIN_WORDS} words, one per line (found ${lines.length})` };
  if (lines.length > MAX_WORDS) return { error: `at most ${fmt(MAX_WORDS)} lines (found ${fmt(lines.length)})` };
  const chars = new Set();
  const long = [];
  for (const [i, line] of lines.entries()) {
    const cps = [...line];
    if (cps.length > BLOCK_SIZE) long.push(line);
    if (cps.length > MAX_WORD_CHARS) return { error: `“${cps.slice(0, 12).join("")}…” (word ${i + 1}) is longer than ${MAX_WORD_CHARS} characters` };
    if (/[\p{C}]/u.test(line)) return { error: `word ${i + 1} holds a control or invisible character` };
    cps.forEach((c) => chars.add(c));
  }
  if (chars.size + 1 > MAX_VOCAB) return { error: `${chars.size} distinct characters: at most ${MAX_VOCAB - 1}` };
  const note = long.length ? `${long.length === 1 ? "1 word is" : `${fmt(long.length)} words are`} longer than ${BLOCK_SIZE} ` +
    `characters (“${long[0]}”): the model sees ${BLOCK_SIZE} at a time, so it learns only their first ${BLOCK_SIZE} characters` : null;
  return { value: lines.join("\n") + "\n", count: lines.length, vocab: chars.size + 1, note };
}

/** An uploaded word list: refused (with the reason) if over 1 MB or not UTF-8, as the CLI refuses it. */
export async function readWordFile(file) {
  if (file.size > MAX_WORD_BYTES) {
    return { error: `${file.name} is ${(file.size / 1e6).toFixed(1)} MB, more than 1 MB: it was not loaded; upload a smaller list` };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer()) };
  } catch {
    return { error: `${file.name} is not UTF-8 text: it was not loaded; save it as UTF-8 and upload it again` };
  }
}
