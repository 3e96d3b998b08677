// The worker's fetch for the runtime's files, checked against runtime.json's `files` (size and sha256 of each):
// Pyodide only logs a missing or truncated pyodide.asm.wasm and then waits forever, reads a missing stdlib as
// "exit(1)" and a truncated wheel as a missing one. Checking each file as it arrives names the file and the
// cause at once; the first failure rejects `failed`, which the worker races against Pyodide's start.
import { fileFailure, OFFLINE } from "./trainer-failures.js";

export const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (bytes) => hex(await crypto.subtle.digest("SHA-256", bytes));

/**
 * files: Map absolute URL -> {name (for the reader), size, sha256}; realFetch: the fetch to wrap.
 * Returns {fetch, failed}: fetch behaves like realFetch, with the listed files verified (and re-served from the
 * verified bytes); failed is a promise rejected with the first failure's sentence (an Error with .retry).
 */
export function checkedFetch(files, realFetch, { online = () => true } = {}) {
  let reject;
  const failed = new Promise((_, r) => { reject = r; });
  failed.catch(() => {});
  const fail = (sentence, retry = null) => {
    const error = Object.assign(new Error(sentence), { name: "RuntimeFileError", retry });
    reject(error);
    return error;
  };
  async function fetch(input, init) {
    const url = String(input?.url ?? input).split(/[?#]/)[0];
    const file = files.get(url);
    let response;
    try {
      // a listed file is checked here (size and sha256): the browser's own integrity check would only say "Failed to fetch"
      response = await realFetch(input, file && init?.integrity ? { ...init, integrity: undefined } : init);
    } catch (error) {
      if (!file) throw error;
      throw online() ? fail(fileFailure({ name: file.name, cause: "network", detail: String(error?.message ?? error) }), "online")
                     : fail(OFFLINE, "online");
    }
    if (!file) return response;
    if (!response.ok) throw fail(fileFailure({ name: file.name, cause: response.status === 404 ? "missing" : "http", status: response.status }));
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length !== file.size || (await sha256(bytes)) !== file.sha256) {
      if (file.name.endsWith(".json")) parseJSON(new TextDecoder().decode(bytes), file.name, fail); // say "not JSON" if so
      const cause = bytes.length < file.size ? "truncated" : "damaged";
      throw fail(fileFailure({ name: file.name, cause, got: bytes.length, want: file.size }));
    }
    return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
  return { fetch, failed };
}

/** runtime.json's `files` ({relative path: {size, sha256}}) as checkedFetch's Map, names relative to the site. */
export function fileTable(manifest, manifestURL, siteName = "runtime/") {
  const table = new Map();
  for (const [path, info] of Object.entries(manifest.files ?? {})) {
    table.set(new URL(path, manifestURL).href, { name: siteName + path, ...info });
  }
  return table;
}

/** Parse runtime.json (or any JSON) with a failure that names the file. */
export function parseJSON(text, name, fail = (sentence) => new Error(sentence)) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw fail(fileFailure({ name, cause: "json", detail: String(error.message).split("\n")[0].slice(0, 80) }));
  }
}
