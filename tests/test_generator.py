"""The site is built from the project being built, not from the installed checkout: a copy of the repository with
a modified microgpt/ serves its own code in the trainer's wheel."""
import pathlib
import shutil
import zipfile

from site_builder import runtime

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_wheel_comes_from_the_copy_being_built(tmp_path):
    project = tmp_path / "copy"
    shutil.copytree(ROOT / "microgpt", project / "microgpt", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    modified = (project / "microgpt" / "scalar.py").read_bytes() + b"# only in the copy\n"
    (project / "microgpt" / "scalar.py").write_bytes(modified)
    root = runtime.project_root({"config_file_path": str(project / "mkdocs.yml")})
    assert root == project.resolve()
    (tmp_path / "out").mkdir()
    with zipfile.ZipFile(runtime.build_wheel(tmp_path / "out", root)) as zf:
        assert zf.read("microgpt/scalar.py") == modified
    with zipfile.ZipFile(runtime.build_wheel(tmp_path, ROOT)) as zf:
        assert zf.read("microgpt/scalar.py") == (ROOT / "microgpt" / "scalar.py").read_bytes()


# ---- a generator, not a single site: the columns come from mkdocs.yml ----------------------------------------------
import json
import re
import subprocess
import sys

import pytest
import yaml

from conftest import screenshot, serve
from microgpt.concepts import sections

STEPS = """# § overview: the model in five steps, in words
Read the names; learn to continue them.
# § attention: each position looks back
Each position mixes the earlier ones, weighted by how well they match.
# § train: the loop
Guess the next letter, measure the miss, nudge every weight; repeat.
"""


def project_with(tmp_path, columns, **options):
    """A copy of the project (docs/, microgpt/) whose mkdocs.yml gives the plugin these columns (None: no option)."""
    project = tmp_path / "project"
    for name in ("docs", "microgpt"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    plugin = {"require_full_coverage": False, **options} | ({} if columns is None else {"columns": columns})
    config = (ROOT / "mkdocs.yml").read_text()
    config, found = re.subn(r"  - microgpt-explorer:\n      require_full_coverage: true\n",
                            lambda _: "  - microgpt-explorer:\n" + yaml.safe_dump(plugin, indent=2).replace("\n", "\n      ")
                            .rstrip().join(["      ", "\n"]), config)
    assert found == 1, "mkdocs.yml's plugin entry changed: update project_with"
    (project / "mkdocs.yml").write_text(config)
    return project


def build(project):
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "out")],
                         cwd=project, capture_output=True, text=True, timeout=600)
    return run.returncode, run.stdout + run.stderr


def check_explorer(browser, site, columns, project, name):
    """The explorer shows each column's header, in order, and each file's every line, aligned concept by concept."""
    url, server = serve(site)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    errors = []
    try:
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "explorer/")
        page.wait_for_selector("html.mgx-ready", state="attached")
        got = page.evaluate("""() => {
          const box = (el) => el && el.getBoundingClientRect();
          const heads = [...document.querySelectorAll('.mgx-colhead[data-col]')].map((h) => ({
            col: h.dataset.col, text: h.textContent.trim(), left: box(h).left, width: box(h).width }));
          const blocks = {};
          for (const b of document.querySelectorAll('.mgx-block[data-col]')) {
            (blocks[b.dataset.concept] ||= {})[b.dataset.col] = { top: Math.round(box(b).top), left: box(b).left,
              width: box(b).width, lines: b.querySelectorAll('.ln').length };
          }
          return { heads, blocks, cols: JSON.parse(document.getElementById('mgx-columns').textContent).columns.map((c) => c.key) };
        }""")
        screenshot(page, name)
    finally:
        context.close()
        server.shutdown()
    keys = [c["key"] for c in columns]
    assert got["cols"] == keys
    assert [h["col"] for h in got["heads"]] == keys and [h["text"] for h in got["heads"]] == [c["file"] for c in columns]
    assert all(h["width"] > 0 for h in got["heads"]), got["heads"]
    assert [h["left"] for h in got["heads"]] == sorted(h["left"] for h in got["heads"]), "headers out of order"
    for cid, by_col in got["blocks"].items():
        assert sorted(by_col) == sorted(keys), f"{cid}: a block per column"
        assert len({b["top"] for b in by_col.values()}) == 1, f"{cid}: the columns start at different heights {by_col}"
        assert [by_col[k]["left"] for k in keys] == sorted(by_col[k]["left"] for k in keys), f"{cid}: columns out of order"
        assert all(b["width"] > 100 for b in by_col.values()), by_col
    for col in columns:
        text = (project / col["file"]).read_text(encoding="utf-8")
        want = {cid: b - a + 1 for cid, _, a, b in sections(text)}
        assert {cid: got["blocks"][cid][col["key"]]["lines"] for cid in want} == want, col["key"]
        assert sum(b[col["key"]]["lines"] for b in got["blocks"].values()) == len(text.splitlines())
    assert not errors, f"console errors: {errors}"


def test_two_columns_scalar_and_pseudocode(tmp_path, browser):
    columns = [{"key": "scalar", "file": "microgpt/scalar.py", "label": "scalar.py", "lexer": "python"},
               {"key": "pseudo", "file": "microgpt/pseudocode.txt", "label": "pseudocode", "lexer": "pseudocode"}]
    project = project_with(tmp_path, columns)
    code, out = build(project)
    assert code == 0, out[-3000:]
    assert re.search(r"\d+ annotation and alias refs name columns this site does not have \(matrix;", out), out[-2000:]
    site = project / "out"
    css = (site / "assets" / "microgpt" / "columns.css").read_text()
    assert '[data-col="matrix"]' not in css and "--mgx-n: 2" in css and ".mgx-values-toggle" in css
    assert not (site / "assets" / "microgpt" / "values").exists(), "no live values without matrix.py"
    page = (site / "explorer" / "index.html").read_text()
    assert 'data-col="matrix"' not in page and "data-line=" not in page.split('class="mgx-map"')[1].split("</svg>")[0]
    check_explorer(browser, site, columns, project, "generator-two-columns")


def test_four_columns_with_a_plain_text_file(tmp_path, browser):
    from site_builder.columns import DEFAULTS
    columns = [*DEFAULTS, {"key": "steps", "file": "words/steps.txt", "label": "in words", "lexer": "text"}]
    project = project_with(tmp_path, columns)  # the fourth file outside microgpt/: found from mkdocs.yml's folder
    (project / "words").mkdir()
    (project / "words" / "steps.txt").write_text(STEPS)
    code, out = build(project)
    assert code == 0, out[-3000:]
    lines = sum(bool(line.strip()) for line in STEPS.splitlines())
    assert re.search(rf"steps \d+% \(\d+/{lines}\)", out), "the fourth column is counted in the coverage"
    assert '[data-col="steps"] { --pos: var(--mgx-pos-steps, 4); }' in (project / "out" / "assets" / "microgpt" / "columns.css").read_text()
    check_explorer(browser, project / "out", columns, project, "generator-four-columns")


BAD = [
    ([], "`columns` is empty"),
    ([{"key": "scalar", "file": "microgpt/scalar.py", "lexer": "no-such-lexer"}], "unknown lexer 'no-such-lexer'"),
    ([{"key": "scalar", "file": "microgpt/nothing.py", "lexer": "python"}], "file microgpt/nothing.py does not exist"),
    ([{"key": "scalar", "file": "microgpt/scalar.py"}, {"key": "scalar", "file": "microgpt/matrix.py"}],
     "the key 'scalar' is used twice"),
    ([{"key": "Scalar L", "file": "microgpt/scalar.py"}], "`key` must be lowercase letters"),
    ([{"file": "microgpt/scalar.py"}], "option 'columns': Sub-option 'key': Required"),
]


@pytest.mark.parametrize("columns, message", BAD, ids=[m for _, m in BAD])
def test_bad_columns_fail_the_build_with_their_message(tmp_path, columns, message):
    code, out = build(project_with(tmp_path, columns))
    assert code != 0 and message in out and "Traceback" not in out, out[-2000:]


def test_build_time_model_imports_come_from_the_project(tmp_path):
    """The plugin's on_config imports microgpt from the mkdocs.yml's folder: live values, worked examples, the
    recorded run and the concept list then read the copy's files, not the installed checkout's."""
    shutil.copytree(ROOT / "microgpt", tmp_path / "microgpt", ignore=shutil.ignore_patterns("__pycache__"))
    probe = ("import json, sys\nfrom site_builder import project, live_values, worked_examples, recorded_run, sources\n"
             "concepts = project.use(sys.argv[1])\n"
             "print(json.dumps([concepts.__file__, live_values.matrix.__file__, live_values.trace.__file__,"
             " worked_examples.scalar.__file__, recorded_run.matrix.__file__, sources.sections.__module__,"
             " sys.modules[sources.sections.__module__].__file__]))")
    run = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    files = json.loads(run.stdout)
    module_files = [f for f in files if f.endswith(".py")]
    assert len(module_files) == 6 and all(pathlib.Path(f).is_relative_to(tmp_path) for f in module_files), files
