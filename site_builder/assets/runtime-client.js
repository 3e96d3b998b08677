// One client per page for the Pyodide worker (worker.mjs): created on the first load() and reused, so that the
// trainer and any other feature (the tracer, the explorer's values) share one interpreter. Anyone may subscribe()
// to the worker's messages (trainer-protocol.js); a worker that dies after it was ready is announced to all
// subscribers as a fatal error, one that fails to start rejects load() with a sentence for the reader.
import { fromWorker, toWorker } from "./trainer-protocol.js";
import { OFFLINE, workerFailure } from "./trainer-failures.js";

const NOT_STARTED = "the trainer's worker script (worker.mjs) could not be started: reload the page; " +
                    "if it happens again, the site needs rebuilding (make build)";

class RuntimeClient {
  constructor(runtimeURL) {
    this.runtimeURL = runtimeURL;
    this.worker = null;
    this.ready = null; // Promise of the worker's ready message
    this.readyInfo = null; // that message, once it came
    this.listeners = new Set();
    this.lastHeard = 0; // performance.now() of the latest message: the watchdog's clock
    this.lastFinished = null; // the latest run's finished message while the worker still holds its model
    this.runIds = 0; // run ids unique in this page, whichever panel asks, so late messages cannot be mistaken
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(message) {
    this.lastHeard = performance.now();
    if (message.type === "started") this.lastFinished = null; // the worker keeps the latest run's model only
    if (message.type === "finished") this.lastFinished = message; // for features that subscribe after the run
    for (const listener of [...this.listeners]) listener(message);
  }

  nextRunId() { return ++this.runIds; }

  get loading() { return Boolean(this.worker); }

  load() {
    if (this.ready) return this.ready;
    const worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module", name: "microgpt-trainer" });
    this.worker = worker;
    let started = false;
    this.ready = new Promise((resolve, reject) => {
      this.abort = () => { if (!started) reject(Object.assign(new Error("loading was cancelled"), { cancelled: true })); };
      const fail = (message, retry = null) => {
        if (worker !== this.worker) return;
        if (!started) reject(Object.assign(new Error(message), { retry })); // before kill() rejects it as cancelled
        this.kill();
        if (started) this.emit(fromWorker.error(null, "worker", message, { fatal: true, retry }));
      };
      worker.onmessage = ({ data }) => {
        if (worker !== this.worker) return; // a killed worker's last words
        if (data.type === "ready") { started = true; this.readyInfo = data; resolve(data); }
        if (data.type === "error" && data.during === "init") return fail(data.message, data.retry);
        if (data.type === "error" && data.fatal) return fail(data.message, data.retry);
        this.emit(data);
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        if (!navigator.onLine) fail(OFFLINE, "online");
        else fail(event.message ? workerFailure({ message: event.message }) : NOT_STARTED);
      };
      worker.onmessageerror = () => fail("a message from the worker could not be read: press Restart the worker");
      worker.postMessage(toWorker.init(this.runtimeURL));
    });
    this.ready.catch(() => {});
    return this.ready;
  }

  post(message) {
    if (!this.worker) return false;
    this.worker.postMessage(message);
    return true;
  }

  kill() {
    this.abort?.();
    this.abort = null;
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    this.readyInfo = null;
  }
}

let shared = null;

/** The page's one runtime client (the first caller's runtime URL wins: a page has one runtime). */
export function runtimeClient(runtimeURL) {
  shared ??= new RuntimeClient(runtimeURL);
  return shared;
}
