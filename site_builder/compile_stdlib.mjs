// Byte-compile Pyodide's standard library, with Pyodide itself, so that the page's Python starts in ~2 s, not ~5 s.
// The npm package ships python_stdlib.zip as .py sources: every import at start-up (and urllib's, argparse's…)
// is compiled in WebAssembly on the reader's machine. Compiling them here, by the very interpreter the page runs,
// gives .pyc files whose bytecode version matches by construction (pyodide-build's py-compile needs a host
// CPython of the same version, which these machines lack). Deterministic: the same input gives the same bytes.
//   node compile_stdlib.mjs PYODIDE_DIR OUT_ZIP      (PYODIDE_DIR = node_modules/pyodide)
import path from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideDir, outZip] = process.argv.slice(2);
if (!pyodideDir || !outZip) {
  console.error("usage: node compile_stdlib.mjs PYODIDE_DIR OUT_ZIP");
  process.exit(2);
}
globalThis.fetch = (url) => Promise.reject(new Error(`fetch blocked (offline build step): ${url}`));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + path.sep, stdout: () => {}, stderr: () => {} });
pyodide.FS.writeFile("/tmp/in.zip", readFileSync(path.join(pyodideDir, "python_stdlib.zip")));
const count = pyodide.runPython(String.raw`
import importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

# Unchecked hash-based .pyc (PEP 552): valid without the .py beside it, and free of timestamps.
compiled = 0
with zipfile.ZipFile("/tmp/in.zip") as src, zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_DEFLATED) as out:
    for info in src.infolist():
        data, name = src.read(info), info.filename
        if name.endswith(".py"):
            code = compile(data, name, "exec", dont_inherit=True)
            data, name = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)), name + "c"
            compiled += 1
        entry = zipfile.ZipInfo(name, info.date_time)
        entry.external_attr, entry.compress_type = info.external_attr, zipfile.ZIP_DEFLATED
        out.writestr(entry, data)
compiled
`);
writeFileSync(outZip, pyodide.FS.readFile("/tmp/out.zip"));
console.log(`compiled ${count} stdlib modules with Pyodide ${pyodide.version} into ${outZip}`);
