"""The in-page trainer's runtime: a self-hosted Pyodide, the `microgpt` wheel and names.txt, copied into the site.

`bundle(config, site_dir)` is called by the explorer plugin after the build. It writes, offline and
deterministically, under `<site>/runtime/`:

- `pyodide/`: the Pyodide core from node_modules/pyodide (only the files a page fetches), its standard library
  byte-compiled (`compiled_stdlib`: Python then starts in less than half the time), and its pyodide-lock.json,
  with our `microgpt` wheel registered in it by `pyodide lockfile add-wheels`, so that the worker's
  `loadPackage("microgpt")` installs it with its sha256 checked;
- `names.txt`: the training data, checked against microgpt.scalar.NAMES_SHA256;
- `runtime.json`: where the worker finds all that (`indexURL`, `lockFileURL`, `names`), the wheel's sha256, and
  `files`: the size and sha256 of every file the worker fetches from this site, so that a missing, truncated or
  damaged one is named at once (the worker checks each as it arrives) instead of hanging Pyodide's start.

The plugin option `pyodide_cdn` (see OPTIONS) may name the official CDN for the core, to make deployments
smaller; the default, which the tests use, is fully self-hosted. The wheel and names.txt are always ours.
"""
import base64
import csv
import hashlib
import io
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tomllib
import zipfile

from mkdocs.config import config_options

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"  # the toolchain (like the venv); the sources come from project_root
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
RUNTIME_DIR = "runtime"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same sources always give the same wheel bytes

# Options the explorer plugin may add to its config_scheme (`config_scheme = (..., *runtime.OPTIONS)`).
OPTIONS = (
    ("pyodide_cdn", config_options.Type(str, default="")),  # e.g. https://cdn.jsdelivr.net/pyodide/v0.29.0/full/
    ("names", config_options.Type(str, default="")),  # a names.txt to serve instead of the usual search
)


def bundle(config, site_dir):
    """Copy the Pyodide core, the microgpt wheel and names.txt into `<site_dir>/runtime/`; return runtime.json's dict."""
    options = _plugin_options(config)
    root = project_root(config)
    out = pathlib.Path(site_dir) / RUNTIME_DIR
    pyodide_dir = out / "pyodide"
    if out.exists():
        shutil.rmtree(out)
    pyodide_dir.mkdir(parents=True)
    cdn = options.get("pyodide_cdn") or ""
    for name in CORE_FILES if not cdn else ("pyodide-lock.json",):
        source = PYODIDE_NPM / name
        if not source.exists():
            raise _fail(f"{source} is missing: run `npm ci` (package.json pins the pyodide package)")
        shutil.copyfile(compiled_stdlib() if name == "python_stdlib.zip" else source, pyodide_dir / name)
    wheel = build_wheel(pyodide_dir, root)
    add_to_lockfile(pyodide_dir / "pyodide-lock.json", wheel)
    names = find_names(options.get("names"), config)
    shutil.copyfile(names, out / "names.txt")
    manifest = {
        "indexURL": cdn or "pyodide/",  # relative URLs are resolved against runtime.json's own URL
        "lockFileURL": "pyodide/pyodide-lock.json",
        "packageBaseUrl": "pyodide/",
        "names": "names.txt",
        "names_sha256": _sha256(out / "names.txt"),
        "wheel": wheel.name,
        "wheel_sha256": _sha256(wheel),
        "files": {path.relative_to(out).as_posix(): {"size": path.stat().st_size, "sha256": _sha256(path)}
                  for path in sorted(out.rglob("*")) if path.is_file()},
    }
    (out / "runtime.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def compiled_stdlib():
    """Pyodide's python_stdlib.zip with .pyc for .py, made by compile_stdlib.mjs in Node and cached in node_modules."""
    source, script = PYODIDE_NPM / "python_stdlib.zip", pathlib.Path(__file__).with_name("compile_stdlib.mjs")
    key = hashlib.sha256(source.read_bytes() + script.read_bytes()).hexdigest()[:16]
    cached = PYODIDE_NPM.parent / ".cache" / "microgpt-explorer" / f"python_stdlib-{key}.zip"
    if cached.exists():
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".part")
    try:
        run = subprocess.run(["node", str(script), str(PYODIDE_NPM), str(partial)], capture_output=True, text=True)
    except FileNotFoundError:
        raise _fail("`node` is missing: it byte-compiles Pyodide's standard library (apt-get install nodejs)") from None
    if run.returncode or not zipfile.is_zipfile(partial):
        raise _fail(f"compiling Pyodide's standard library failed (exit {run.returncode}):\n{run.stdout}\n{run.stderr}")
    os.replace(partial, cached)  # all or nothing: an interrupted compile never becomes the cache
    return cached


def project_root(config):
    """The folder of the mkdocs.yml being built (its microgpt/ is the one served), or this checkout without one."""
    path = config.get("config_file_path") if config else None
    return pathlib.Path(path).resolve().parent if path else ROOT


def build_wheel(dest_dir, root=ROOT):
    """A pure-Python wheel of `root`/microgpt alone, built with zipfile: deterministic and offline."""
    pyproject = root / "pyproject.toml" if (root / "pyproject.toml").is_file() else ROOT / "pyproject.toml"
    version = tomllib.loads(pyproject.read_text())["project"]["version"]
    package = root / "microgpt"
    dist_info = f"microgpt-{version}.dist-info"
    files = [(f"microgpt/{p.relative_to(package).as_posix()}", p.read_bytes())
             for p in sorted(package.rglob("*")) if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    files += [
        (f"{dist_info}/METADATA", (f"Metadata-Version: 2.1\nName: microgpt\nVersion: {version}\n"
                                   "Summary: A complete GPT, trained and sampled, in standard-library Python.\n"
                                   "Requires-Python: >=3.12\n").encode()),
        (f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: microgpt-explorer\nRoot-Is-Purelib: true\n"
                               b"Tag: py3-none-any\n"),
        (f"{dist_info}/top_level.txt", b"microgpt\n"),
    ]
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([name, f"sha256={digest}", len(data)])
    writer.writerow([f"{dist_info}/RECORD", "", ""])
    files.append((f"{dist_info}/RECORD", record.getvalue().encode()))
    wheel = pathlib.Path(dest_dir) / f"microgpt-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return wheel


def add_to_lockfile(lockfile, wheel):
    """Register the wheel in pyodide-lock.json with `pyodide lockfile add-wheels` (from this interpreter's venv)."""
    pyodide_cli = pathlib.Path(sys.executable).parent / "pyodide"
    if not pyodide_cli.exists():
        raise _fail(f"{pyodide_cli} is missing: install the dev dependencies (pip install -e '.[dev]': pyodide-build, pkginfo)")
    run = subprocess.run([str(pyodide_cli), "lockfile", "add-wheels", "--input", str(lockfile), "--output", str(lockfile),
                          "--base-path", str(pathlib.Path(lockfile).parent), str(wheel)],
                         capture_output=True, text=True, cwd=pathlib.Path(lockfile).parent)
    entry = json.loads(pathlib.Path(lockfile).read_text())["packages"].get("microgpt") if run.returncode == 0 else None
    if not entry or entry["sha256"] != _sha256(wheel) or entry["file_name"] != wheel.name:
        raise _fail(f"`pyodide lockfile add-wheels` did not register {wheel.name} (exit {run.returncode}):\n"
                    f"{run.stdout}\n{run.stderr}\nlock entry: {entry}")
    return entry


def find_names(option, config):
    """names.txt: the plugin option, $MICROGPT_NAMES, the microgpt download cache, or ../shared/data; sha256-checked."""
    from microgpt.scalar import NAMES_SHA256
    cache = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "microgpt" / "names.txt"
    project = project_root(config)
    candidates = [pathlib.Path(p) for p in (option, os.environ.get("MICROGPT_NAMES")) if p]
    candidates += [cache, project.parent / "shared" / "data" / "names.txt", ROOT.parent / "shared" / "data" / "names.txt"]
    for path in candidates:
        if path.is_file():
            if _sha256(path) != NAMES_SHA256:
                raise _fail(f"{path} is not makemore's names.txt: its sha256 is {_sha256(path)}, expected {NAMES_SHA256}")
            return path
    from microgpt import matrix
    try:  # nothing local: download makemore's names.txt once into the cache, checked by sha256
        return pathlib.Path(matrix.find_names())
    except matrix.DataError as e:
        raise _fail(f"names.txt not found (looked at {', '.join(map(str, candidates))}) and {e}") from None


def _plugin_options(config):
    """This project's plugin options from the MkDocs config, or {} (defaults) when absent."""
    plugins = config.get("plugins") if config else None
    for name, plugin in (plugins or {}).items():
        if name.split("/")[-1] in ("microgpt-explorer", "microgpt_explorer"):
            return dict(getattr(plugin, "config", {}) or {})
    return {}


def _sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def _fail(message):
    from mkdocs.exceptions import PluginError
    return PluginError(f"microgpt trainer runtime: {message}")
