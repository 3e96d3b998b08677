// What went wrong, as one plain sentence that says what to do: for a runtime file that is missing, truncated,
// damaged or not JSON, for being offline, and for a Python exception (never its traceback). The worker builds its
// error messages here; pure, so tests/node/trainer.test.mjs checks each wording.
const fmt = (x) => x.toLocaleString("en");
const REBUILD = "the site needs rebuilding (make build) and redeploying";
export const OFFLINE = "You are offline: the Python runtime (about 16 MB) downloads from this site on first use. " +
                       "Training starts by itself when the network is back.";

/** {name, cause: missing|http|truncated|damaged|json|network, status?, got?, want?, detail?} -> a sentence */
export function fileFailure({ name, cause, status, got, want, detail }) {
  switch (cause) {
    case "missing": return `${name} is missing from the site (HTTP ${status}): ${REBUILD}.`;
    case "http": return `${name} could not be downloaded (HTTP ${status}): try again in a while; if it persists, ${REBUILD}.`;
    case "truncated": return `${name} arrived truncated (${fmt(got)} of ${fmt(want)} bytes): reload the page to fetch it again; if it happens again, ${REBUILD}.`;
    case "damaged": return `${name} is damaged (${fmt(got)} bytes, not the ${fmt(want)} this site was built with): reload the page; if it happens again, ${REBUILD}.`;
    case "json": return `${name} is not valid JSON (${detail}): ${REBUILD}.`;
    case "network": return `${name} could not be downloaded (${detail || "the connection failed"}): training starts by itself when the network is back.`;
    default: return `${name} could not be used (${cause}): ${REBUILD}.`;
  }
}

const NUMERIC = new Set(["ValueError", "OverflowError", "ZeroDivisionError"]);

/** A Python exception {type, text} raised while `during` (start | sample | trace | explain) -> a sentence for the reader. */
export function pythonFailure({ type, text, during, temperature }) {
  if (type === "Diverged") return text; // the CLI's own wording, built in microgpt/session.py
  if (during === "sample" && NUMERIC.has(type)) {
    return `sampling failed at temperature ${temperature} (the probabilities became infinite): try a temperature from 0.01 to 5.`;
  }
  if (type === "DataError") return `your words could not be used: ${text}.`;
  if (type === "WordError") return `that word cannot be traced: ${text}.`;
  if (during === "explain") return `that sample's probabilities could not be computed (${type}: ${text}): sample again and open another.`;
  if (during === "trace") return `tracing stopped with an unexpected ${type}: try another word, and reload the page if it happens again.`;
  const doing = during === "sample" ? "sampling" : during === "start" ? "training" : "starting";
  return `Python stopped with an unexpected ${type} while ${doing}: press Start to try again, and reload the page if it happens again.`;
}

/** The exception's type and message from a Pyodide PythonError (its .type, and the traceback's last line, where
 *  an exception from a module is named with it: "microgpt.session.Diverged: …"). */
export function pythonException(error) {
  const last = String(error?.message ?? "").trim().split("\n").at(-1) ?? "";
  const colon = last.indexOf(": ");
  const head = colon >= 0 ? last.slice(0, colon) : last;
  const named = /^[\w.]+$/.test(head) ? head.split(".").at(-1) : null; // the traceback's own name for the type
  const type = error?.type || named || "Exception";
  const text = named === type ? (colon >= 0 ? last.slice(colon + 2) : "") : last;
  return { type, text };
}

// How a browser words a worker that ran out of memory: WebAssembly.Memory.grow failing, an ArrayBuffer refused,
// emscripten's abort ("Cannot enlarge memory arrays ... (OOM)"), or Python's own MemoryError.
const OUT_OF_MEMORY = /out of memory|\bOOM\b|cannot enlarge memory|maximum memory size exceeded|array buffer allocation failed|MemoryError/i;
export const MEMORY = "This browser stopped the Python runtime: it ran out of memory. Close other tabs or windows, then press Restart the worker.";

/** Does this error text (or a sentence built here) say the worker ran out of memory? */
export const outOfMemory = (text) => OUT_OF_MEMORY.test(String(text ?? ""));

/** A JavaScript-side failure of the worker (not a Python exception) -> a sentence. */
export function workerFailure(error) {
  const text = String(error?.message ?? error);
  if (outOfMemory(text)) return MEMORY; // before the stack test: an allocation failure is a RangeError too
  if (error?.name === "RangeError" || /call stack/i.test(text)) {
    return "Python ran out of stack and cannot continue: press Restart the worker, then Start again.";
  }
  return `the Python runtime failed (${text.split("\n")[0].slice(0, 160)}): press Restart the worker, and reload the page if it happens again.`;
}
