"""The in-page trainer's Python, proven in Node: the site's self-hosted Pyodide installs the microgpt wheel
offline and trains 50 steps of each implementation with the same losses as CPython (relative difference < 1e-9).

Runs tests/node/train.mjs (the worker's own session code) on a runtime bundled by site_builder.runtime.
"""
import hashlib
import json
import pathlib
import shutil
import subprocess

import pytest

from microgpt import matrix, scalar
from site_builder import runtime

ROOT = pathlib.Path(__file__).resolve().parent.parent
STEPS, SEED = 50, 42


@pytest.fixture(scope="module")
def runtime_dir(tmp_path_factory):
    site = tmp_path_factory.mktemp("runtime-site")
    runtime.bundle(None, site)
    return site / runtime.RUNTIME_DIR


@pytest.fixture(scope="module")
def node_run(runtime_dir):
    node = shutil.which("node") or pytest.fail("node is not installed (apt-get install nodejs)")
    run = subprocess.run([node, str(ROOT / "tests" / "node" / "train.mjs"), str(runtime_dir), str(STEPS), str(SEED)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"node train.mjs failed:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    return json.loads(run.stdout)


def cpython_run(model, names_path):
    docs, chars, weights = model.setup(model.load_docs(names_path), SEED)
    rows = list(model.train(weights, docs, chars, STEPS, 0.01))
    return [loss for _, loss, _ in rows], [doc for _, _, doc in rows], [model.sample(weights, chars, 0.5) for _ in range(5)]


def test_bundle_is_self_hosted_and_deterministic(runtime_dir, tmp_path):
    manifest = json.loads((runtime_dir / "runtime.json").read_text())
    assert not manifest["indexURL"].startswith("http")
    for name in runtime.CORE_FILES + (manifest["wheel"],):
        assert (runtime_dir / "pyodide" / name).is_file(), name
    assert hashlib.sha256((runtime_dir / "names.txt").read_bytes()).hexdigest() == scalar.NAMES_SHA256
    entry = json.loads((runtime_dir / "pyodide" / "pyodide-lock.json").read_text())["packages"]["microgpt"]
    assert entry["sha256"] == manifest["wheel_sha256"] and entry["imports"] == ["microgpt"]
    assert runtime.build_wheel(tmp_path).read_bytes() == (runtime_dir / "pyodide" / manifest["wheel"]).read_bytes()


def test_manifest_lists_the_size_and_sha256_of_every_file_the_worker_fetches(runtime_dir):
    """runtime.json's `files` let the worker name a missing, truncated or damaged file at once (runtime-files.js)."""
    files = json.loads((runtime_dir / "runtime.json").read_text())["files"]
    served = {p.relative_to(runtime_dir).as_posix() for p in runtime_dir.rglob("*") if p.is_file() and p.name != "runtime.json"}
    assert set(files) == served and "pyodide/pyodide.asm.wasm" in files and "names.txt" in files
    for path, info in files.items():
        data = (runtime_dir / path).read_bytes()
        assert info == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}, path


def test_stdlib_is_byte_compiled_module_for_module(runtime_dir):
    import zipfile
    with zipfile.ZipFile(runtime.PYODIDE_NPM / "python_stdlib.zip") as npm, \
            zipfile.ZipFile(runtime_dir / "pyodide" / "python_stdlib.zip") as ours:
        sources, served = set(npm.namelist()), set(ours.namelist())
        assert ours.testzip() is None
    assert not any(n.endswith(".py") for n in served)
    assert served == {n + "c" if n.endswith(".py") else n for n in sources}


def test_node_imports_the_stdlib_from_bytecode(node_run):
    assert node_run["stdlibFile"].endswith("/argparse.pyc"), node_run["stdlibFile"]


def test_wheel_holds_only_the_microgpt_package(runtime_dir):
    import zipfile
    manifest = json.loads((runtime_dir / "runtime.json").read_text())
    with zipfile.ZipFile(runtime_dir / "pyodide" / manifest["wheel"]) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
    assert all(n.startswith(("microgpt/", "microgpt-")) for n in names), names
    assert {"microgpt/scalar.py", "microgpt/matrix.py", "microgpt/session.py"} <= set(names)  # session: the worker imports it
    assert not any("__pycache__" in n for n in names)


def test_node_loads_the_wheel_offline_and_imports_our_files(node_run):
    assert node_run["requests"] == []
    assert "microgpt" in node_run["loadedPackages"]
    for impl in ("scalar", "matrix"):
        expected = hashlib.sha256((ROOT / "microgpt" / f"{impl}.py").read_bytes()).hexdigest()
        assert node_run["sources"][impl]["sha256"] == expected


@pytest.mark.parametrize("model", [scalar, matrix], ids=["scalar", "matrix"])
def test_pyodide_losses_equal_cpython(node_run, names_path, model):
    impl = model.__name__.split(".")[-1]
    losses, docs, samples = cpython_run(model, names_path)
    got = node_run[impl]
    assert len(got["losses"]) == STEPS and got["docs"] == docs
    worst = max(abs(a - b) / abs(a) for a, b in zip(losses, got["losses"]))
    assert worst < 1e-9, f"{impl}: relative difference {worst:.3g} between CPython and Pyodide"
    assert got["samples"] == samples  # the final samples, from the global random as in main(), match too


def cpython_probabilities(model, names_path, name, temperature):
    """What sample() computes before each draw, worked out here from matrix.py's forward and softmax directly."""
    docs, chars, weights = model.setup(model.load_docs(names_path), SEED)
    for _ in model.train(weights, docs, chars, STEPS, 0.01):
        pass
    tokens = [len(chars)] + [chars.index(c) for c in name]
    return [model.softmax([v / temperature for v in row]) for row in model.forward(weights, tokens)[0]]


def test_a_sample_explained_is_the_samplers_distribution(node_run, names_path):
    """letter_probabilities (microgpt/session.py): one row per letter of "emma" and one for its end, each a
    distribution over the 27 tokens; scalar's (its gpt, one position at a time) and matrix's (all at once) agree
    with each other and with softmax(logits / T) from CPython's matrix.forward."""
    expected = cpython_probabilities(matrix, names_path, "emma", 0.5)
    for impl in ("scalar", "matrix"):
        got = node_run[impl]["explained"]
        assert len(got["rows"]) == len("emma") + 1 and len(got["chars"]) == 26
        assert got["drawn"] == [got["chars"].index(c) for c in "emma"] + [26]
        for row, want in zip(got["rows"], expected):
            assert len(row) == 27 and abs(sum(row) - 1) < 1e-9
            assert max(abs(a - b) for a, b in zip(row, want)) < 1e-9, impl


class FakePlugin:
    def __init__(self, **options):
        self.config = options


def test_cdn_option_serves_only_our_lockfile_wheel_and_names(tmp_path):
    cdn = "https://cdn.example.org/pyodide/v314.0.7/full/"
    manifest = runtime.bundle({"plugins": {"microgpt-explorer": FakePlugin(pyodide_cdn=cdn)}}, tmp_path)
    assert manifest["indexURL"] == cdn
    served = {p.name for p in (tmp_path / "runtime" / "pyodide").iterdir()}
    assert served == {"pyodide-lock.json", manifest["wheel"]}


def test_wrong_names_file_fails_the_build_clearly(tmp_path, monkeypatch):
    from mkdocs.exceptions import PluginError
    impostor = tmp_path / "names.txt"
    impostor.write_text("alice\nbob\n")
    monkeypatch.setenv("MICROGPT_NAMES", str(impostor))
    with pytest.raises(PluginError, match="is not makemore's names.txt: its sha256 is"):
        runtime.bundle(None, tmp_path / "site")


def test_the_pages_limits_are_the_clis():
    """The trainer form accepts exactly the lr and temperature ranges the CLI accepts (microgpt's LIMITS)."""
    node = shutil.which("node") or pytest.fail("node is not installed (apt-get install nodejs)")
    script = ("import(process.argv[1]).then(m => console.log(JSON.stringify("
              "Object.fromEntries(['lr', 'temperature'].map(k => [k, [m.FIELDS[k].min, m.FIELDS[k].max]])))))")
    run = subprocess.run([node, "-e", script, str(ROOT / "site_builder" / "assets" / "trainer-input.js")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    page = json.loads(run.stdout)
    for model in (scalar, matrix):
        assert page == {"lr": list(model.LIMITS["--lr"]), "temperature": list(model.LIMITS["--temperature"])}
