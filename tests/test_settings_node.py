"""The explorer's display settings (site_builder/assets/explorer/settings.js) and font fit (explorer/font_fit.js),
unit-tested in Node; the settings test also runs the pre-paint script the plugin inlines (site_builder/prepaint.py)
against a fake page and checks it agrees with the module on every default and allowed value."""
import os
import pathlib
import shutil
import subprocess

import pytest

from site_builder import columns
from site_builder.prepaint import prepaint_script

ROOT = pathlib.Path(__file__).resolve().parent.parent


def node_test(path, env=None):
    node = shutil.which("node") or pytest.fail("node is not installed (apt-get install nodejs)")
    run = subprocess.run([node, "--test", str(path)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, **(env or {})})
    assert run.returncode == 0, f"node --test failed:\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}"
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout and "# skipped 0" in run.stdout


def test_settings_and_prepaint_script(tmp_path):
    script = tmp_path / "prepaint.js"
    script.write_text(prepaint_script())
    node_test(ROOT / "tests" / "node" / "settings.test.mjs",
              {"PREPAINT_JS": str(script), "MGX_COLUMNS_JSON": columns.page_json(columns.DEFAULTS, True)})


def test_font_fit():
    node_test(ROOT / "tests" / "node" / "font_fit.test.mjs")


@pytest.mark.parametrize("bad, message", [
    ('import x from "./y.js";\nexport function boot() {}\n', "imports another module"),
    ('export function boot() { return "</script>"; }\n', "would end the inline <script>"),
    ("export default function boot() {}\n", "only `export const"),
    ("export const A = 1;\n", "has no boot()"),
])
def test_prepaint_refuses_what_cannot_be_inlined(tmp_path, bad, message):
    path = tmp_path / "settings.js"
    path.write_text(bad)
    with pytest.raises(ValueError, match=message):
        prepaint_script(path)
