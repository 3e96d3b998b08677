// Starting the in-page trainer's Python, shared by the Web Worker (worker.mjs) and the Node test (tests/node/train.mjs),
// so that the test proves the very code the page runs.
//   startPython(loadPyodide, runtime, onStage) -> {pyodide, session}: load the self-hosted Pyodide, install the
//     microgpt wheel from the site's pyodide-lock.json and fail loudly if it did not load (loadPackage never throws,
//     and in Node it quietly retries from the CDN); `session` is the wheel's microgpt.session module (Run,
//     letter_probabilities, source_sha256, trace_word), Python in a .py file that CPython tests import too.

export async function startPython(loadPyodide, runtime, onStage = () => {}) {
  onStage("python", "Starting Python (downloading the 16 MB runtime the first time)…");
  const pyodide = await loadPyodide({
    indexURL: runtime.indexURL,
    lockFileURL: runtime.lockFileURL,
    packageBaseUrl: runtime.packageBaseUrl, // also where Node's "try the CDN" retry goes: never off-site
    stdout: () => {},
    stderr: () => {},
  });
  onStage("package", "Installing microgpt…");
  const errors = [];
  await pyodide.loadPackage("microgpt", { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  if (errors.length || !pyodide.loadedPackages.microgpt) {
    throw new Error(`loadPackage("microgpt") failed: ${errors.join("; ") || "not in pyodide.loadedPackages"}`);
  }
  return { pyodide, session: pyodide.pyimport("microgpt.session") };
}
