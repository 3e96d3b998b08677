"""The map of the model: the table's blocks name real concepts (else the strict build fails, naming the block),
every block links to its concept, and the map is on the landing page with page-relative links."""
import re
import shutil
import subprocess
import sys

import pytest

from microgpt.concepts import CONCEPTS
from site_builder import model_map
from tests.test_site_build import ROOT


def test_every_block_links_to_an_existing_concept():
    blocks = model_map.load(ROOT / "docs" / model_map.TABLE)
    svg = model_map.render(blocks, "explorer/")
    links = re.findall(r'<a class="mgx-map-block" href="explorer/#concept-([a-z]+)"', svg)
    assert len(links) == len(blocks) and set(links) <= set(CONCEPTS)
    assert all(re.search(rf'aria-label="{re.escape(b["label"])}: ', svg) for b in blocks)  # an accessible name
    assert svg.count('class="mgx-map-shape" data-edge=') == len(blocks) - 1  # a shape slot on every arrow


def test_unknown_concept_is_named(tmp_path):
    table = tmp_path / "model_map.yml"
    table.write_text("blocks:\n  - {id: attn, label: attention, concept: atention}\n")
    with pytest.raises(model_map.MapError, match="block 'attn' names unknown concept 'atention'"):
        model_map.load(table)


def test_map_is_on_the_landing_page(site_dir):
    page = (site_dir / "index.html").read_text()
    assert "<!-- mgx:map -->" not in page and page.count('class="mgx-map-block"') == len(
        model_map.load(ROOT / "docs" / model_map.TABLE))
    assert 'href="explorer/#concept-attention"' in page and 'href="explorer/?walk=newcomer"' in page
    assert not (site_dir / model_map.TABLE).exists()  # input to the plugin, not a published file


def test_unknown_concept_fails_the_strict_build(tmp_path):
    for name in ("docs", "microgpt"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    table = tmp_path / "docs" / model_map.TABLE
    table.write_text(table.read_text().replace("concept: mlp", "concept: feedforward"))
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "out")],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode != 0
    assert "block 'mlp' names unknown concept 'feedforward'" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_a_block_value_naming_no_line_is_named(tmp_path):
    from site_builder import live_values
    resolve = lambda find, after, name: live_values.traced_line("matrix", find, after, name, "value")
    good = model_map.resolve_values(model_map.load(ROOT / "docs" / model_map.TABLE), resolve)
    assert {b["id"]: b["value"]["name"] for b in good if "value" in b}["attn"] == "out"
    table = tmp_path / "model_map.yml"
    table.write_text('blocks:\n  - {id: attn, label: attention, concept: attention, value: {find: "no such line", name: P}}\n')
    with pytest.raises(model_map.MapError, match="block 'attn': value: 'no such line' matches 0 lines"):
        model_map.resolve_values(model_map.load(table), resolve)
    table.write_text('blocks:\n  - {id: attn, label: attention, concept: attention, value: {find: "P = [softmax(row)", name: Q}}\n')
    with pytest.raises(model_map.MapError, match="computes P, not 'Q'"):
        model_map.resolve_values(model_map.load(table), resolve)
