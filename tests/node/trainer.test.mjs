// The trainer's pure parts in Node: the state machine's tricky paths, run records and the legend, the failure
// sentences, the checked fetch of runtime files (missing, truncated, damaged, not JSON, offline), word input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { STATES, next } from "../../site_builder/assets/trainer-states.js";
import { createRun, legendText, twinOf } from "../../site_builder/assets/trainer-runs.js";
import { MEMORY, fileFailure, outOfMemory, pythonException, pythonFailure, workerFailure } from "../../site_builder/assets/trainer-failures.js";
import { checkedFetch, fileTable, parseJSON } from "../../site_builder/assets/runtime-files.js";
import { parseWords, readWordFile } from "../../site_builder/assets/trainer-input.js";
import { fromWorker, toWorker } from "../../site_builder/assets/trainer-protocol.js";

const walk = (state, ...events) => events.reduce((s, e) => next(s, e) ?? s, state);

test("a second Start while loading or running is ignored; Stop cancels the first load", () => {
  assert.equal(next("loading", "start"), null);
  assert.equal(next("running", "start"), null);
  assert.equal(STATES.loading.stop, true);
  assert.equal(next("loading", "cancel"), "idle");
});

test("reset from any busy state goes idle, a dead worker stays dead until restarted", () => {
  for (const s of ["loading", "waiting", "running", "stopping", "sampling"]) assert.equal(next(s, "reset"), "idle");
  assert.equal(next("dead", "reset"), "dead");
  assert.equal(walk("dead", "restart", "start", "ready"), "running");
});

test("offline at first load waits, and online (or Start) loads again", () => {
  assert.equal(walk("idle", "start", "offline"), "waiting");
  assert.equal(next("waiting", "online"), "loading");
  assert.equal(next("waiting", "start"), "loading");
});

test("a full run: start, ready, stop, finished, samples", () => {
  assert.equal(walk("idle", "start", "ready", "stop", "finished"), "sampling");
  assert.equal(walk("idle", "start", "ready", "stop", "finished", "samples"), "idle");
  assert.equal(walk("idle", "start", "ready", "failed"), "idle");
  for (const [name, s] of Object.entries(STATES)) if (s.hungAfterMs) assert.ok(s.hungAfterMs >= 10_000, name);
});

const settings = (impl, extra = {}) => ({ impl, steps: 3, lr: 0.01, seed: 42, temperature: 0.5, samples: 5, data: null, ...extra });

test("run records: label, twin across implementations, legend text", () => {
  const a = createRun(1, settings("matrix"), 1), b = createRun(2, settings("scalar"), 2), c = createRun(3, settings("scalar", { seed: 1 }), 3);
  a.losses = [3, 2.5, 2]; b.losses = [3, 2.5, 2 * (1 + 1e-12)];
  assert.equal(a.label, "#1 matrix · seed 42 · lr 0.01 · 3 steps");
  assert.equal(twinOf([a, b, c], b).run, a);
  assert.equal(twinOf([a, b, c], c), null, "another seed is no twin");
  assert.equal(twinOf([a, b, c], a), null, "only an earlier run is a twin");
  b.end = "stopped";
  assert.match(legendText([a, b], b, 2), /avg loss 2\.250 \(stopped\) — same schedule as #1: matches run #1 \(max rel\. diff 1e-12\)/);
  b.losses = [3, 2.5, 2.1];
  assert.match(legendText([a, b], b, 2), /same schedule as #1, yet the losses differ \(max rel\. diff 5e-2\)/);
  const short = createRun(4, settings("scalar", { steps: 2 }), 4);
  short.losses = [3, 2.5];
  assert.doesNotMatch(legendText([a, short], short, 2), /same schedule/, "fewer steps is another schedule: no claim");
  a.end = "failed";
  assert.match(legendText([a], a, 5), /\(failed\)$/);
});

test("failure sentences name the file and say what to do", () => {
  const name = "runtime/pyodide/pyodide.asm.wasm";
  assert.match(fileFailure({ name, cause: "missing", status: 404 }), /^runtime\/pyodide\/pyodide\.asm\.wasm is missing from the site \(HTTP 404\): the site needs rebuilding/);
  assert.match(fileFailure({ name, cause: "truncated", got: 1000, want: 9_598_218 }), /arrived truncated \(1,000 of 9,598,218 bytes\): reload the page/);
  assert.match(pythonFailure({ type: "ValueError", text: "Total of weights must be finite", during: "sample", temperature: 5e-324 }),
               /^sampling failed at temperature 5e-324/);
  assert.equal(pythonFailure({ type: "Diverged", text: "training diverged at step 2 (x)", during: "start" }), "training diverged at step 2 (x)");
  assert.equal(pythonFailure({ type: "WordError", text: "'E' is not in the vocabulary", during: "trace" }),
               "that word cannot be traced: 'E' is not in the vocabulary.");
  assert.match(pythonFailure({ type: "KeyError", text: "x", during: "trace" }), /^tracing stopped with an unexpected KeyError/);
  const other = pythonFailure({ type: "KeyError", text: "'q'", during: "start" });
  assert.match(other, /unexpected KeyError while training: press Start/);
  assert.doesNotMatch(other, /Traceback|'q'/);
  assert.match(workerFailure(new RangeError("Maximum call stack size exceeded")), /ran out of stack/);
});

test("a worker out of memory is told as such, however the browser words it", () => {
  for (const text of ["WebAssembly.Memory.grow(): Maximum memory size exceeded", "Array buffer allocation failed",
                      "Aborted(Cannot enlarge memory arrays to size 2147549184 bytes (OOM).)",
                      "WebAssembly.instantiate(): Out of memory: Cannot allocate Wasm memory for new instance"]) {
    assert.equal(workerFailure(new RangeError(text)), MEMORY, text);
  }
  assert.ok(outOfMemory(MEMORY)); // the panel recognises the worker's sentence and shows the recorded run
  assert.ok(!outOfMemory("Maximum call stack size exceeded") && !outOfMemory("memory access out of bounds"));
  assert.match(MEMORY, /ran out of memory/);
});

test("pythonException reads the type and message off a traceback", () => {
  const error = { type: "Diverged", message: "Traceback (most recent call last):\n  File \"<exec>\", line 3\nDiverged: training diverged at step 2" };
  assert.deepEqual(pythonException(error), { type: "Diverged", text: "training diverged at step 2" });
  const fromModule = { type: "Diverged", message: "Traceback (most recent call last):\nmicrogpt.session.Diverged: training diverged at step 2" };
  assert.deepEqual(pythonException(fromModule), { type: "Diverged", text: "training diverged at step 2" }); // microgpt/session.py's
  assert.deepEqual(pythonException({ message: "Traceback\nMemoryError" }), { type: "MemoryError", text: "" });
  assert.deepEqual(pythonException({ message: "Traceback\nKeyError: 'q'" }), { type: "KeyError", text: "'q'" });
});

const BODY = new TextEncoder().encode("{\"ok\": true}");
const sha = (b) => createHash("sha256").update(b).digest("hex");
const table = (name) => fileTable({ files: { [name]: { size: BODY.length, sha256: sha(BODY) } } }, "http://h/runtime/runtime.json");

async function fetchWith(name, respond, online = true) {
  const guard = checkedFetch(table(name), async () => respond(), { online: () => online });
  const result = await guard.fetch(`http://h/runtime/${name}`, { integrity: "sha256-xyz" }).then((r) => r.text(), (e) => e);
  const failure = result instanceof Error ? await guard.failed.catch((e) => e) : null; // `failed` settles only on a failure
  return { result, failure };
}

test("checkedFetch passes a good file through and names a missing, truncated, damaged or non-JSON one", async () => {
  assert.equal((await fetchWith("a.bin", () => new Response(BODY))).result, "{\"ok\": true}");
  const missing = await fetchWith("a.bin", () => new Response("no", { status: 404 }));
  assert.match(missing.failure.message, /^runtime\/a\.bin is missing from the site \(HTTP 404\)/);
  assert.equal(missing.result, missing.failure, "the fetch and `failed` reject with the same sentence");
  assert.match((await fetchWith("a.bin", () => new Response(BODY.slice(0, 4)))).failure.message, /arrived truncated \(4 of 12 bytes\)/);
  assert.match((await fetchWith("a.bin", () => new Response(new Uint8Array(BODY.length)))).failure.message, /is damaged/);
  assert.match((await fetchWith("a.json", () => new Response("{ nope"))).failure.message, /^runtime\/a\.json is not valid JSON/);
  const offline = await fetchWith("a.bin", () => { throw new TypeError("Failed to fetch"); }, false);
  assert.equal(offline.failure.retry, "online");
  assert.match(offline.failure.message, /downloads from this site on first use/);
});

test("checkedFetch leaves files it does not list alone", async () => {
  const guard = checkedFetch(new Map(), async () => new Response("x", { status: 404 }));
  assert.equal((await guard.fetch("http://h/other")).status, 404);
});

test("parseJSON names the file", () => {
  assert.throws(() => parseJSON("{", "runtime/runtime.json"), /runtime\/runtime\.json is not valid JSON/);
});

test("words: long ones are accepted with a note, files must be UTF-8 and at most 1 MB", async () => {
  const ok = parseWords("ann\nbob\ncid\ndee\nabcdefghijklmnopq\n");
  assert.equal(ok.error, undefined);
  assert.match(ok.note, /^1 word is longer than 16 characters .*only their first 16 characters/);
  assert.equal(parseWords("ann\nbob\ncid\ndee\neve\n").note, null);
  assert.match((await readWordFile(new File([new Uint8Array([99, 97, 102, 0xe9])], "w.txt"))).error, /^w\.txt is not UTF-8 text/);
  assert.match((await readWordFile(new File([new Uint8Array(1_000_001)], "big.txt"))).error, /^big\.txt is 1\.0 MB, more than 1 MB/);
  assert.equal((await readWordFile(new File(["\ufeffcafé\n"], "u.txt"))).text, "café\n");
});

test("protocol builders carry their type and the page's settings", () => {
  for (const [type, build] of [...Object.entries(toWorker), ...Object.entries(fromWorker)]) assert.equal(build(1, {}, 1).type, type);
  assert.deepEqual(toWorker.start(7, settings("matrix"), 1), { type: "start", id: 7, impl: "matrix", steps: 3, lr: 0.01, seed: 42,
    temperature: 0.5, samples: 5, sampleEvery: 1, data: null });
});

test("a sample explained: one row per letter and one for the end, the drawn token and its probability", async () => {
  const { explanationRows, END } = await import("../../site_builder/assets/trainer-explain.js");
  const chars = ["a", "b"], rows = [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]];
  const out = explanationRows({ name: "a", chars, rows, drawn: [0, 2] });
  assert.equal(out.length, 2);
  assert.deepEqual(out.map((r) => [r.before, r.drawnLabel, r.p, r.top]), [["", "a", 0.7, "a"], ["a", END, 0.6, END]]);
  assert.match(pythonFailure({ type: "ValueError", text: "'é' is not in this run's vocabulary", during: "explain" }), /^that sample's probabilities could not be computed/);
});
