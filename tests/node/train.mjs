// Node proof of the in-page trainer: load the site's self-hosted Pyodide offline, install the microgpt wheel
// from its pyodide-lock.json (sha256 checked here: Node's loadPackage reads the file without checking), run the
// very session code the Web Worker runs, and print JSON with the losses of N steps of each implementation.
//   node tests/node/train.mjs RUNTIME_DIR [STEPS] [SEED]     (RUNTIME_DIR = <site>/runtime)
import path from "node:path";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { pathToFileURL, fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [runtimeDir, steps = "50", seed = "42"] = process.argv.slice(2);
const fail = (message) => { console.error(`train.mjs: ${message}`); process.exit(1); };
if (!runtimeDir) fail("usage: node train.mjs RUNTIME_DIR [STEPS] [SEED]");

// Any fetch would be a CDN fallback or a stray download: this proof runs offline, so forbid them all.
const requests = [];
globalThis.fetch = (url) => { requests.push(String(url)); return Promise.reject(new Error(`fetch blocked: ${url}`)); };

const runtime = JSON.parse(readFileSync(path.join(runtimeDir, "runtime.json"), "utf8"));
const pyodideDir = path.resolve(runtimeDir, runtime.indexURL) + path.sep;
const lock = JSON.parse(readFileSync(path.join(pyodideDir, "pyodide-lock.json"), "utf8"));
const entry = lock.packages.microgpt ?? fail("no microgpt in pyodide-lock.json");
const wheelSha = createHash("sha256").update(readFileSync(path.join(pyodideDir, entry.file_name))).digest("hex");
if (wheelSha !== entry.sha256) fail(`sha256 of ${entry.file_name} is ${wheelSha}, the lock says ${entry.sha256}`);

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const { startPython } = await import(pathToFileURL(path.join(here, "../../site_builder/assets/trainer-session.mjs")).href);
const t0 = performance.now();
const { pyodide, session } = await startPython(loadPyodide, {
  indexURL: pyodideDir, lockFileURL: path.join(pyodideDir, "pyodide-lock.json"), packageBaseUrl: pyodideDir,
});
const loadMs = performance.now() - t0;
pyodide.FS.writeFile("/tmp/names.txt", readFileSync(path.join(runtimeDir, runtime.names)));

const result = { loadedPackages: pyodide.loadedPackages, loadMs, requests,
                 stdlibFile: pyodide.runPython("import argparse; argparse.__file__"),
                 sources: session.source_sha256().toJs({ dict_converter: Object.fromEntries }) };
for (const impl of ["scalar", "matrix"]) {
  const run = session.Run(impl, "/tmp/names.txt", Number(seed), Number(steps), 0.01);
  const t = performance.now();
  const rows = run.advance(1e9, Number(steps)).toJs();
  result[impl] = { losses: rows.map(([, loss]) => loss), docs: rows.map(([, , doc]) => doc),
                   seconds: (performance.now() - t) / 1000, samples: run.final_samples(5, 0.5).toJs() };
  // the sample explained: the distributions behind "emma" at temperature 0.5, from the run's own model code
  result[impl].explained = JSON.parse(session.letter_probabilities(run, "emma", 0.5));
  run.close();
  run.destroy();
}
if (requests.length) fail(`network requests: ${requests.join(", ")}`);
console.log(JSON.stringify(result));
