"""Publishing (issue 11, item 5): the GitHub Pages workflow is valid YAML that runs the README's build command and
uploads what it builds; the README's build command builds a complete site, prints where it is, and with SITE_URL
set the sitemap lists the pages; every kind of file the trainer fetches is either plain data or named in the
README's list of what a host must serve correctly. The README's two set-up commands stay first."""
import json
import os
import pathlib
import re
import subprocess

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def section(title):
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert m, f"README has no '## {title}' section"
    return m.group(1)


def commands(text):
    """The commands in a section's ```sh blocks, without their comments."""
    return [line.split("#")[0].strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)
            for line in block.splitlines() if line.split("#")[0].strip()]


def test_readme_set_up_commands_stay_first():
    first = re.findall(r"^## (.+)$", README, re.M)[0]
    assert first == "Set up"
    assert commands(section("Set up")) == ["make serve", "make test"]


def test_pages_workflow_is_valid_and_runs_the_readme_build():
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    build = flow["jobs"]["build"]["steps"]
    uses = {s["uses"].split("@")[0]: s for s in build if "uses" in s}
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.12"
    assert "actions/setup-node" in uses and "actions/checkout" in uses
    runs = [s["run"].strip() for s in build if "run" in s]
    readme_build = commands(section("Publish the site"))
    assert readme_build == ["make build"] and runs == readme_build
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site"  # where `make build` puts it
    assert "SITE_URL" in next(s for s in build if "run" in s)["env"]
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_readme_build_command_builds_the_whole_site(tmp_path):
    out = tmp_path / "site"
    cmd = commands(section("Publish the site"))[0].split()
    # the test run's own venv and node_modules are used as they are: make must not reinstall them mid-run
    # (node_modules may be a link to another checkout's)
    run = subprocess.run([*cmd, "-o", ".venv/.installed", "-o", "node_modules/.installed", f"SITE_DIR={out}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "SITE_URL": "https://example.test/microgpt/"})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    said = re.search(r"^site: (\S+) \((\S+), (\d+) files\)", run.stdout, re.M)
    assert said and pathlib.Path(said.group(1)) == out, run.stdout[-500:]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert int(said.group(3)) == len(files)
    for page in ("index.html", "explorer/index.html", "glossary/index.html", "runtime/runtime.json"):
        assert (out / page).is_file(), page
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://example.test/microgpt/explorer/</loc>" in sitemap
    assert len(re.findall("<loc>", sitemap)) == len([p for p in files if p.name == "index.html" and "404" not in str(p)])
    runtime = json.loads((out / "runtime" / "runtime.json").read_text())
    for name, meta in runtime["files"].items():  # what the worker checks, byte for byte
        assert (out / "runtime" / name).stat().st_size == meta["size"], name
    kinds = {pathlib.Path(n).suffix for n in runtime["files"]} | {p.suffix for p in files if p.suffix in (".mjs", ".js")}
    plain = {".json", ".txt", ".zip", ".whl"}
    host = section("Publish the site")
    for kind in sorted(kinds - plain):
        assert f"`{kind}`" in host, f"the README does not say how a host must serve {kind} files"
