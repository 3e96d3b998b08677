// The trainer's Web Worker (a module worker): runs microgpt in the site's self-hosted Pyodide, off the main
// thread so the page never freezes. Training advances in ~50 ms slices; between two slices the worker reads
// its messages, so Stop takes effect between two steps without SharedArrayBuffer (static hosts can't isolate).
//
// Page -> worker:  {type: "init", runtimeURL}                      load Python, the wheel and names.txt
//                  {type: "start", id, impl, steps, lr, seed, temperature, samples, sampleEvery, data?}
//                  {type: "stop", id}   {type: "sample", id, temperature, samples}
// Worker -> page:  loading {stage, text} | ready {sources, loadMs, python} | started {id, numDocs, vocabSize}
//                  progress {id, rows: [[step, loss, doc]...], done, stepsPerSec} | peek {id, step, names}
//                  finished {id, stopped, done, stepsPerSec} then sampling {id, done, count}… and samples {id, names}
//                  error {id?, during, message, fatal}
import { startPython } from "./trainer-session.mjs";

const SLICE_SECONDS = 0.05;
let pyodide = null;
let run = null; // {id, py, stopped}
let queue = Promise.resolve(); // init, start and sample run one after another; stop does not wait

const post = (message) => self.postMessage(message);

// A task boundary that is not clamped like nested setTimeout(0): lets queued messages (Stop) be handled.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const nextTask = () => new Promise((resolve) => { waiting.push(resolve); channel.port2.postMessage(0); });

async function init({ runtimeURL }) {
  if (pyodide) return post({ type: "ready", ...pyodide.readyInfo });
  const t0 = performance.now();
  const stages = {}; // stage -> ms since init, for the bench and for curious readers (panel's data-load-stages)
  const mark = (stage) => { stages[stage] = Math.round(performance.now() - t0); };
  post({ type: "loading", stage: "manifest", text: "Fetching the runtime manifest…" });
  const manifestURL = new URL(runtimeURL, self.location.href);
  const manifest = await fetchOK(manifestURL).then((r) => r.json());
  const at = (relative) => new URL(relative, manifestURL).href;
  const names = fetchOK(at(manifest.names)).then((r) => r.arrayBuffer()); // in parallel with Python's start
  mark("manifest");
  const { loadPyodide } = await import(at(manifest.indexURL + "pyodide.mjs"));
  const py = await startPython(loadPyodide, {
    indexURL: at(manifest.indexURL), lockFileURL: at(manifest.lockFileURL), packageBaseUrl: at(manifest.packageBaseUrl),
  }, (stage, text) => { mark(stage); post({ type: "loading", stage, text }); });
  mark("installed");
  post({ type: "loading", stage: "data", text: "Loading names.txt…" });
  const bytes = new Uint8Array(await names);
  py.FS.mkdirTree("/data");
  py.FS.writeFile("/data/names.txt", bytes);
  const digest = py.runPython("import hashlib; hashlib.sha256(open('/data/names.txt', 'rb').read()).hexdigest()");
  if (digest !== manifest.names_sha256) throw new Error(`names.txt sha256 is ${digest}, expected ${manifest.names_sha256}`);
  const sources = py.globals.get("source_sha256")().toJs({ dict_converter: Object.fromEntries });
  mark("ready");
  py.readyInfo = { sources, stages, loadMs: performance.now() - t0, python: py.runPython("import sys; sys.version.split()[0]") };
  pyodide = py;
  post({ type: "ready", ...py.readyInfo });
}

async function start(msg) {
  let path = "/data/names.txt";
  if (msg.data != null) {
    path = "/data/custom.txt";
    pyodide.FS.writeFile(path, msg.data, { encoding: "utf8" });
  }
  run?.py.destroy(); // the previous run's model: "sample again" only works for the latest run
  run = null;
  const py = pyodide.globals.get("Run")(msg.impl, path, msg.seed, msg.steps, msg.lr);
  run = { id: msg.id, py, stopped: false };
  post({ type: "started", id: msg.id, numDocs: py.num_docs, vocabSize: py.vocab_size });
  let nextPeek = msg.sampleEvery;
  try {
    while (!run.stopped && py.done < msg.steps) {
      const rows = py.advance(SLICE_SECONDS, Math.min(msg.steps, nextPeek)).toJs();
      const done = py.done;
      post({ type: "progress", id: msg.id, rows, done, stepsPerSec: done / py.train_seconds });
      if (done >= nextPeek && done < msg.steps) {
        post({ type: "peek", id: msg.id, step: done, names: py.peek(msg.peekCount ?? 5, msg.temperature).toJs() });
        nextPeek += msg.sampleEvery;
      }
      await nextTask();
    }
    const done = py.done;
    post({ type: "finished", id: msg.id, stopped: done < msg.steps, done, stepsPerSec: done / py.train_seconds,
           trainSeconds: py.train_seconds });
    py.close();
    // then the final samples, at the chosen temperature (Stop has already been answered)
    post({ type: "samples", id: msg.id, temperature: msg.temperature,
           names: drawSamples(msg.id, py, msg.samples, msg.temperature) });
  } finally {
    py.close(); // the generator's finally: scalar.py re-enables the garbage collector
  }
}

function sample(msg) {
  if (!run || run.id !== msg.id) throw new Error("this run's model is gone: train again to sample");
  post({ type: "samples", id: msg.id, temperature: msg.temperature,
         names: drawSamples(msg.id, run.py, msg.samples, msg.temperature) });
}

// Final samples, five at a time (the same draws from the same generator), telling the page after each five:
// scalar sampling can take seconds, and the page's watchdog must not mistake it for a hung worker.
function drawSamples(id, py, count, temperature) {
  const names = [];
  while (names.length < count) {
    names.push(...py.final_samples(Math.min(5, count - names.length), temperature).toJs());
    post({ type: "sampling", id, done: names.length, count });
  }
  return names;
}

self.onmessage = ({ data: msg }) => {
  if (msg.type === "stop") {
    if (run && run.id === msg.id) run.stopped = true;
    return;
  }
  const handler = { init, start, sample }[msg.type];
  queue = queue.then(() => handler(msg)).catch((error) => {
    // A Python exception leaves the interpreter usable; a JS RangeError/RuntimeError from the wasm does not.
    const fatal = !pyodide || !(error?.constructor?.name === "PythonError");
    post({ type: "error", id: msg.id, during: msg.type, message: String(error?.message ?? error), fatal });
  });
};

async function fetchOK(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}
