// The trainer's Web Worker (a module worker): runs microgpt in the site's self-hosted Pyodide, off the main
// thread so the page never freezes. Training advances in ~50 ms slices; between two slices the worker reads
// its messages, so Stop takes effect between two steps without SharedArrayBuffer (static hosts can't isolate).
//
// Messages: trainer-protocol.js (shared with the page). Errors reach the page as one sentence (trainer-failures.js):
// a runtime file is checked as it arrives (runtime-files.js), so a missing or broken one is named at once.
import { startPython } from "./trainer-session.mjs";
import { fromWorker } from "./trainer-protocol.js";
import { checkedFetch, fileTable, parseJSON } from "./runtime-files.js";
import { MEMORY, OFFLINE, fileFailure, pythonException, pythonFailure, workerFailure } from "./trainer-failures.js";

const SLICE_SECONDS = 0.05;
const epoch = () => Math.round(performance.timeOrigin + performance.now()); // comparable with the page's clock
const booted = { created: Math.round(performance.timeOrigin), evaluated: epoch() }; // for the bench's breakdown
let pyodide = null;
let session = null; // microgpt.session (the wheel's), once Python is ready
let run = null; // {id, py, stopped}
let queue = Promise.resolve(); // init, start and sample run one after another; stop does not wait

const post = (message) => self.postMessage(message);

// A task boundary that is not clamped like nested setTimeout(0): lets queued messages (Stop) be handled.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const nextTask = () => new Promise((resolve) => { waiting.push(resolve); channel.port2.postMessage(0); });

// A refusal the page can recover from without a new worker (its message is already a sentence for the reader).
class Refusal extends Error {}
const realFetch = self.fetch.bind(self);

async function init({ runtimeURL }) {
  if (pyodide) return post(fromWorker.ready(pyodide.readyInfo));
  const t0 = performance.now();
  const stages = {}; // stage -> ms since init, for the bench and for curious readers (panel's data-load-stages)
  const stagesAt = { ...booted, init: epoch() }; // the same, as epoch ms: the bench sets them against Start
  const mark = (stage) => { stages[stage] = Math.round(performance.now() - t0); stagesAt[stage] = epoch(); };
  post(fromWorker.loading("manifest", "Fetching the runtime manifest…"));
  const manifestURL = new URL(runtimeURL, self.location.href);
  const manifest = await fetchManifest(manifestURL);
  const at = (relative) => new URL(relative, manifestURL).href;
  const guard = checkedFetch(fileTable(manifest, manifestURL), realFetch, { online: () => navigator.onLine });
  self.fetch = guard.fetch; // Pyodide fetches the wasm, the stdlib, the lock file and the wheel through it
  const names = guard.fetch(at(manifest.names)).then((r) => r.arrayBuffer()); // in parallel with Python's start
  names.catch(() => {});
  mark("manifest");
  const started = await Promise.race([guard.failed, (async () => {
    const { loadPyodide } = await importModule(at(manifest.indexURL + "pyodide.mjs"));
    return startPython(loadPyodide, {
      indexURL: at(manifest.indexURL), lockFileURL: at(manifest.lockFileURL), packageBaseUrl: at(manifest.packageBaseUrl),
    }, (stage, text) => { mark(stage); post(fromWorker.loading(stage, text)); });
  })()]);
  const py = started.pyodide;
  mark("installed");
  post(fromWorker.loading("data", "Loading names.txt…"));
  const bytes = new Uint8Array(await Promise.race([guard.failed, names]));
  py.FS.mkdirTree("/data");
  py.FS.writeFile("/data/names.txt", bytes); // its size and sha256 were checked as it arrived (checkedFetch)
  mark("data");
  const sources = started.session.source_sha256().toJs({ dict_converter: Object.fromEntries });
  mark("ready");
  py.readyInfo = { sources, stages, stagesAt, loadMs: performance.now() - t0, python: py.runPython("import sys; sys.version.split()[0]") };
  pyodide = py;
  session = started.session;
  post(fromWorker.ready(py.readyInfo));
}

async function fetchManifest(url) {
  const name = "runtime/runtime.json";
  let response;
  try {
    response = await realFetch(url);
  } catch (error) {
    throw Object.assign(new Refusal(navigator.onLine ? fileFailure({ name, cause: "network", detail: error.message }) : OFFLINE),
                        { retry: "online" });
  }
  if (!response.ok) throw new Refusal(fileFailure({ name, cause: response.status === 404 ? "missing" : "http", status: response.status }));
  const manifest = parseJSON(await response.text(), name, (sentence) => new Refusal(sentence));
  for (const key of ["indexURL", "lockFileURL", "packageBaseUrl", "names", "names_sha256", "files"]) {
    if (!(key in manifest)) throw new Refusal(`${name} has no "${key}": it comes from an older build; the site needs rebuilding (make build).`);
  }
  return manifest;
}

async function importModule(url) { // pyodide.mjs is imported, not fetched: name it if that fails
  try {
    return await import(url);
  } catch (error) {
    if (!navigator.onLine) throw Object.assign(new Refusal(OFFLINE), { retry: "online" });
    const name = "runtime/" + new URL(url).pathname.split("/runtime/").at(-1);
    throw new Refusal(`${name} could not be loaded (${String(error.message).split("\n")[0]}): the site needs rebuilding (make build) and redeploying.`);
  }
}

async function start(msg) {
  let path = "/data/names.txt";
  if (msg.data != null) {
    path = "/data/custom.txt";
    pyodide.FS.writeFile(path, msg.data, { encoding: "utf8" });
  }
  run?.py.destroy(); // the previous run's model: "sample again" only works for the latest run
  run = null;
  const py = session.Run(msg.impl, path, msg.seed, msg.steps, msg.lr);
  run = { id: msg.id, py, stopped: false };
  post(fromWorker.started(msg.id, py.num_docs, py.vocab_size, epoch()));
  let nextPeek = msg.sampleEvery;
  try {
    while (!run.stopped && py.done < msg.steps) {
      const slice = py.done === 0 ? 0 : SLICE_SECONDS; // the first slice is one step: the first loss shows at once
      const rows = py.advance(slice, Math.min(msg.steps, nextPeek)).toJs();
      const done = py.done;
      post(fromWorker.progress(msg.id, rows, done, done / py.train_seconds));
      if (done >= nextPeek && done < msg.steps) {
        post(fromWorker.peek(msg.id, done, sampling(() => py.peek(msg.peekCount ?? 5, msg.temperature).toJs())));
        nextPeek += msg.sampleEvery;
      }
      await nextTask();
    }
    const done = py.done;
    post(fromWorker.finished(msg.id, done, done < msg.steps, done / py.train_seconds, py.train_seconds));
    py.close();
    // then the final samples, at the chosen temperature (Stop has already been answered)
    const names = sampling(() => drawSamples(msg.id, py, msg.samples, msg.temperature));
    post(fromWorker.samples(msg.id, names, msg.temperature));
  } catch (error) {
    try { py.close(); } catch {} // train()'s finally first (the garbage collector back on), then free the model
    py.destroy(); // a failed run's model cannot be sampled
    run = null;
    throw error;
  } finally {
    if (run) py.close(); // the generator's finally: scalar.py re-enables the garbage collector
  }
}

// Samples drawn inside a run (mid-run peeks, the final ones): a failure is told as sampling's, not training's.
function sampling(draw) {
  try {
    return draw();
  } catch (error) {
    throw Object.assign(error, { during: "sample" });
  }
}

// Live values for the explorer (explorer/values.js): the same tracer as the build, on the reader's word or run.
function trace(msg) {
  if (msg.runId != null && (!run || run.id !== msg.runId)) {
    throw new Refusal(`run #${msg.runId}'s model is no longer in memory: train again to see its values.`);
  }
  const traceWord = session.trace_word;
  try {
    const view = traceWord(msg.word, msg.pairs, "/data/names.txt", msg.seed, msg.state, msg.runId != null ? run.py : undefined);  // undefined is Python's None (null is not)
    post(fromWorker.traced(msg.id, view));
  } finally {
    traceWord.destroy();
  }
}

function sample(msg) {
  if (!run || run.id !== msg.id) throw new Refusal(`run #${msg.id}'s model is no longer in memory: train again to sample.`);
  post(fromWorker.samples(msg.id, drawSamples(msg.id, run.py, msg.samples, msg.temperature), msg.temperature));
}

// A sample explained (trainer-explain.js): the probabilities it was drawn from, by the run's own model code.
function explain(msg) {
  if (!run || run.id !== msg.id) throw new Refusal(`run #${msg.id}'s model is no longer in memory: train again to see how its samples were drawn.`);
  const probabilities = session.letter_probabilities;
  try {
    post(fromWorker.explained(msg.id, msg.name, msg.temperature, JSON.parse(probabilities(run.py, msg.name, msg.temperature))));
  } finally {
    probabilities.destroy();
  }
}

// Final samples, five at a time (the same draws from the same generator), telling the page after each five:
// scalar sampling can take seconds, and the page's watchdog must not mistake it for a hung worker.
function drawSamples(id, py, count, temperature) {
  const names = [];
  while (names.length < count) {
    names.push(...py.final_samples(Math.min(5, count - names.length), temperature).toJs());
    post(fromWorker.sampling(id, names.length, count));
  }
  return names;
}

// One sentence for the reader whatever failed; the full Python traceback goes to the console for developers.
function failure(error, msg) {
  if (error instanceof Refusal || error?.name === "RuntimeFileError") return fromWorker.error(msg.id, msg.type, error.message, { fatal: !pyodide, retry: error.retry ?? null });
  if (error?.constructor?.name === "PythonError" && pyodide) { // the interpreter is still usable
    console.info(error.message);
    const exception = pythonException(error);
    if (exception.type === "MemoryError") return fromWorker.error(msg.id, msg.type, MEMORY, { fatal: true }); // a new worker frees it all
    const sentence = pythonFailure({ ...exception, during: error.during ?? msg.type, temperature: msg.temperature });
    return fromWorker.error(msg.id, msg.type, sentence);
  }
  console.info(error);
  return fromWorker.error(msg.id, msg.type, workerFailure(error), { fatal: true }); // e.g. a RangeError from the wasm
}

self.onmessage = ({ data: msg }) => {
  if (msg.type === "stop") {
    if (run && run.id === msg.id) run.stopped = true;
    return;
  }
  const handler = { init, start, sample, trace, explain }[msg.type];
  queue = queue.then(() => handler(msg)).catch((error) => post(failure(error, msg)));
};
