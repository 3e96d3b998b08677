"""The alias table (docs/aliases.yml): every name is an identifier of its file as the page shows it, a stale or
misspelt name fails the strict build naming the entry, and the explorer page embeds the checked table."""
import json
import re
import shutil
import subprocess
import sys

import pytest

from site_builder import aliases
from site_builder.sources import identifiers, read_sources
from tests.test_site_build import ROOT


@pytest.fixture(scope="module")
def sources():
    return read_sources(ROOT)


def test_the_table_names_only_identifiers_of_each_file(sources):
    groups = aliases.load(ROOT / "docs" / aliases.TABLE, sources)
    assert len(groups) >= 20
    for group in groups:
        for col, names in group.items():
            assert set(names) <= identifiers(sources[col]), (col, names)
    assert {"scalar": ["attn"], "matrix": ["P", "Ph"], "pseudo": ["P_h"]} in groups
    assert {"scalar": ["gpt"], "matrix": ["forward"], "pseudo": ["forward"]} in groups


def test_names_are_the_pages_name_spans(sources):
    found = identifiers(sources["scalar"])
    assert {"head_dim", "rmsnorm", "softmax", "attn_wq"} <= found  # attn_wq: a weights key, a string in the code
    assert "." not in found and "def" not in found and "sqrt" not in found  # no punctuation, keyword or comment word


@pytest.mark.parametrize("table, message", [
    ("aliases:\n  - {scalar: attn, matrix: Pp}\n", "entry 1 names matrix 'Pp', which matrix.py does not contain"),
    ("aliases:\n  - {scalar: attn, matrx: P}\n", "entry 1 names unknown column 'matrx'"),
    ("aliases:\n  - {scalar: attn}\n", "entry 1 ties nothing"),
    ("aliases: 3\n", "needs an 'aliases' list"),
])
def test_a_bad_entry_is_named(tmp_path, sources, table, message):
    path = tmp_path / aliases.TABLE
    path.write_text(table)
    with pytest.raises(aliases.AliasError, match=re.escape(message)):
        aliases.load(path, sources)


def test_the_explorer_embeds_the_table_and_the_glossary(site_dir, sources):
    page = (site_dir / "explorer" / "index.html").read_text()
    embedded = json.loads(re.search(r'<script type="application/json" id="mgx-aliases">(.*?)</script>', page, re.S).group(1))
    assert embedded == aliases.load(ROOT / "docs" / aliases.TABLE, sources)
    terms = json.loads(re.search(r'<script type="application/json" id="mgx-glossary">(.*?)</script>', page, re.S).group(1))
    linked = set(re.findall(r'class="mgx-term" href="[^"]*#term-([\w-]+)"', page))
    assert linked and linked <= set(terms)  # every term the page links to has its definition on the page
    assert not (site_dir / aliases.TABLE).exists()


def test_a_stale_alias_fails_the_strict_build(tmp_path):
    for name in ("docs", "microgpt"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    table = tmp_path / "docs" / aliases.TABLE
    table.write_text(table.read_text().replace("{scalar: gpt,", "{scalar: gpt_forward,"))
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "out")],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode != 0
    assert "names scalar 'gpt_forward', which scalar.py does not contain" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
