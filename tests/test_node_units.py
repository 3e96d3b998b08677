"""The front end's pure modules, unit-tested in Node: every tests/node/*.test.mjs under one `node --test`, so that
pytest reports their failures (line links, Share, settings, font fit, live values, identifiers, the trainer's parts)."""
import os
import pathlib
import shutil
import subprocess

import pytest

from site_builder import columns

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_every_node_unit_test_passes():
    node = shutil.which("node") or pytest.fail("node is not installed (apt-get install nodejs)")
    files = sorted(str(p) for p in (ROOT / "tests" / "node").glob("*.test.mjs"))
    assert len(files) >= 6, f"Node unit tests are missing from tests/node/: {files}"
    env = {**os.environ, "MGX_COLUMNS_JSON": columns.page_json(columns.DEFAULTS, True)}  # the page's column list (settings.js)
    run = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=180, env=env)
    assert run.returncode == 0, f"node --test failed:\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}"
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout
