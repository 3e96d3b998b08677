"""The explorer's pure link logic (site_builder/assets/line_links.js), unit-tested in Node: runs node --test on
tests/node/line_links.test.mjs and share_links.test.mjs (what Share offers) so that pytest reports its failures."""
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["line_links", "share_links"])
def test_line_links_node_tests_pass(name):
    node = shutil.which("node") or pytest.fail("node is not installed (apt-get install nodejs)")
    run = subprocess.run([node, "--test", str(ROOT / "tests" / "node" / f"{name}.test.mjs")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"node --test failed:\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}"
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout
