"""The built site, checked as HTML: the explorer holds the three complete files (byte for byte once the markup is
stripped), aligned by concept, with unique ids and every annotation resolved to the lines its anchors name; and a
broken annotation fails the strict build with a message that names the YAML file and the anchor.
"""
import html.parser
import json
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from microgpt.concepts import CONCEPTS, sections
from site_builder import annotations as ann

ROOT = pathlib.Path(__file__).resolve().parent.parent
FILES = {"scalar": "microgpt/scalar.py", "matrix": "microgpt/matrix.py", "pseudo": "microgpt/pseudocode.txt"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(html.parser.HTMLParser):
    """Every element's tag and attributes, in order, and the text of each code line (div.ln)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements, self.lines, self._line, self._depth = [], [], None, 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if self._line is not None and tag not in VOID:
            self._depth += 1
        elif tag == "div" and "ln" in attrs.get("class", "").split():
            self._line, self._depth = [attrs.get("id"), []], 1

    def handle_endtag(self, tag):
        if self._line is not None and tag not in VOID:
            self._depth -= 1
            if self._depth == 0:
                self.lines.append((self._line[0], "".join(self._line[1])))
                self._line = None

    def handle_data(self, data):
        if self._line is not None:
            self._line[1].append(data)

    def find(self, **want):
        return [a for _, a in self.elements if all(a.get(k) == v for k, v in want.items())]

    def with_class(self, cls):
        return [a for _, a in self.elements if cls in (a.get("class") or "").split()]


@pytest.fixture(scope="module")
def explorer(site_dir):
    return Page((site_dir / "explorer" / "index.html").read_text(encoding="utf-8"))


def source_text(key):
    return (ROOT / FILES[key]).read_bytes().decode("utf-8")


def grid_row(attrs):
    return int(re.search(r"grid-row:(\d+)", attrs["style"])[1])


@pytest.mark.parametrize("key", FILES)
def test_each_file_is_complete_and_exact(explorer, key):
    lines = [(i, t) for i, t in explorer.lines if i and i.startswith(f"{key}-L")]
    assert [i for i, _ in lines] == [f"{key}-L{n}" for n in range(1, len(lines) + 1)], "lines out of order or missing"
    assert "".join(t + "\n" for _, t in lines) == source_text(key)


def test_concepts_are_aligned_in_rows(explorer):
    heads = {a["data-concept"]: grid_row(a) for a in explorer.with_class("mgx-head")}
    assert list(heads) == list(CONCEPTS)
    for key in FILES:
        found = {cid: (first, last) for cid, _, first, last in sections(source_text(key))}
        blocks = {a["data-concept"]: a for a in explorer.with_class("mgx-block") if a.get("data-col") == key}
        assert list(blocks) == list(CONCEPTS), f"{key}: one block per concept, in order"
        for cid, attrs in blocks.items():
            assert grid_row(attrs) == heads[cid] + 1, f"{key}/{cid} is not in its concept's row"
            assert ("mgx-absent" in attrs["class"]) == (cid not in found), f"{key}/{cid}"
    # the line ids of each section sit in that section's block: check through the document order
    order = [(a.get("data-col"), a.get("data-concept"), a.get("id")) for _, a in explorer.elements
             if "mgx-block" in (a.get("class") or "") or (a.get("id") or "").count("-L") == 1]
    current = None
    for col, cid, eid in order:
        if cid:
            current = (col, cid)
        elif eid and eid.split("-L")[0] in FILES:
            key, n = eid.split("-L")
            sec = next(s for s in sections(source_text(key)) if s[2] <= int(n) <= s[3])
            assert current == (key, sec[0]), f"{eid} is outside the block of '{sec[0]}'"


def test_ids_are_unique_on_every_page(site_dir):
    for page in site_dir.rglob("*.html"):
        ids = [a["id"] for _, a in Page(page.read_text(encoding="utf-8")).elements if "id" in a]
        dupes = {i for i in ids if ids.count(i) > 1}
        assert not dupes, f"{page.relative_to(site_dir)}: duplicate ids {sorted(dupes)[:10]}"


def test_every_annotation_is_resolved_to_its_anchors(explorer):
    text = {i: t for i, t in explorer.lines}
    notes = {a["id"]: a for a in explorer.with_class("mgx-note")}
    files = sorted((ROOT / "docs" / "annotations").glob("*.yml"))
    assert files, "no annotation files"
    count = 0
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for note in data.get("notes") or []:
            count += 1
            attrs = notes.get(f"note-{path.stem}-{note['id']}")
            assert attrs is not None, f"{path.name}: note {note['id']} missing from the explorer"
            spans = dict(s.split(":") for s in attrs["data-spans"].split())
            for key in FILES:
                if key not in note:
                    assert key not in spans
                    continue
                a, b = map(int, spans[key].split("-"))
                anchor = note[key]
                first, last = (anchor if isinstance(anchor, list) else
                               (anchor["find"], anchor.get("to")) if isinstance(anchor, dict) else (anchor, None))
                assert first in text[f"{key}-L{a}"], f"{path.name}/{note['id']}: {key} L{a} lacks {first!r}"
                if last is not None:
                    assert last in text[f"{key}-L{b}"], f"{path.name}/{note['id']}: {key} L{b} lacks {last!r}"
                for n in range(a, b + 1):
                    assert f"{key}-L{n}" in text
    assert count == len(notes)


def test_build_prints_coverage(site_dir):
    log = (site_dir / ".build-log").read_text()
    assert re.search(r"annotation coverage .*scalar \d+% \(\d+/\d+\), matrix \d+% \(\d+/\d+\), pseudo \d+% \(\d+/\d+\)", log)


def test_sources_for_the_trainer_and_its_slot(explorer, site_dir):
    page = (site_dir / "explorer" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="microgpt-sources">(.*?)</script>', page, re.S)
    data = json.loads(m[1])
    import hashlib
    for key in ("scalar", "matrix"):
        assert data[key] == {"sha256": hashlib.sha256((ROOT / FILES[key]).read_bytes()).hexdigest(), "path": FILES[key]}
    assert explorer.find(id="train")


def test_concept_pages_and_glossary(site_dir):
    for cid in CONCEPTS:
        page = Page((site_dir / "concepts" / cid / "index.html").read_text(encoding="utf-8"))
        snippets = page.with_class("mgx-code")
        expected = sum(cid in {s[0] for s in sections(source_text(k))} for k in FILES)
        assert len(snippets) == expected, f"concept page {cid}: {len(snippets)} snippets, expected {expected}"
    assert (site_dir / "glossary" / "index.html").exists()
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "Start reading" in index and "Train it now" in index and "embed=1" in index


def test_no_third_party_urls_in_pages(site_dir):
    for page in site_dir.rglob("*.html"):
        for tag, attrs in Page(page.read_text(encoding="utf-8")).elements:
            url = attrs.get("src") if tag in ("script", "img", "iframe") else attrs.get("href") if tag == "link" else None
            assert not url or not re.match(r"(https?:)?//", url), f"{page.relative_to(site_dir)}: {tag} loads {url}"


# ---- broken annotations fail the build, naming the file and the anchor ----

@pytest.fixture
def project_copy(tmp_path):
    """A copy of the project (mkdocs.yml, docs/, microgpt/) to break; the plugin is the installed one."""
    for name in ("docs", "microgpt"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def build(project):
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "out")],
                         cwd=project, capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def write_notes(project, concept, notes, **extra):
    path = project / "docs" / "annotations" / f"{concept}.yml"
    path.write_text(yaml.safe_dump({"summary": "A summary.", **extra, "notes": notes}, allow_unicode=True))
    return path


@pytest.mark.parametrize("anchor, problem", [
    ("no such text anywhere", "matches no line"),
    ("head_dim", "matches"),  # on several lines of the section
])
def test_broken_anchor_fails_the_build(project_copy, anchor, problem):
    write_notes(project_copy, "attention", [{"id": "broken", "scalar": anchor, "text": "x"}])
    code, out = build(project_copy)
    assert code != 0
    assert "docs/annotations/attention.yml" in out and repr(anchor) in out and problem in out, out[-2000:]
    if anchor == "head_dim":
        assert re.search(r"matches \d+ lines \(L\d+", out)


def test_broken_anchor_in_another_section_fails(project_copy):
    write_notes(project_copy, "attention", [{"id": "x", "matrix": {"section": "backward", "find": "not there"}, "text": "x"}])
    code, out = build(project_copy)
    assert code != 0 and "docs/annotations/attention.yml" in out and "'not there'" in out and "'backward'" in out


def test_other_annotation_errors_fail_the_build(project_copy):
    cases = [
        ([{"id": "long", "scalar": "scores = ", "text": "word " * 200}], "limit is 700"),
        ([{"id": "term", "scalar": "scores = ", "text": "see [[nosuchterm]]"}], "unknown glossary term [[nosuchterm]]"),
        ([{"id": "none", "text": "no columns"}], "at least one of scalar, matrix, pseudo"),
        ([{"id": "Bad Id", "scalar": "scores = ", "text": "x"}], "[a-z0-9-]+"),
        ([{"id": "a", "scalar": "scores = ", "text": "x"}, {"id": "a", "scalar": "attn = ", "text": "y"}], "used twice"),
    ]
    for notes, message in cases:
        write_notes(project_copy, "attention", notes)
        code, out = build(project_copy)
        assert code != 0 and "docs/annotations/attention.yml" in out and message in out, (message, out[-1500:])


def test_full_coverage_gate_lists_uncovered_lines(project_copy):
    config = re.sub(r"require_full_coverage: \w+", "require_full_coverage: true", (project_copy / "mkdocs.yml").read_text())
    (project_copy / "mkdocs.yml").write_text(config)
    (project_copy / "docs" / "annotations" / "attention.yml").unlink(missing_ok=True)
    code, out = build(project_copy)
    scalar = dict((cid, (a, b)) for cid, _, a, b in sections(source_text("scalar")))["attention"]
    assert code != 0 and "require_full_coverage" in out, out[-1500:]
    assert f"microgpt/scalar.py:{scalar[0]}" in out  # the section's marker line has no summary now


# ---- the renderer, without a build ----

def test_note_markdown_math_code_and_glossary():
    render = ann.Renderer({"logit": {"term": "logit", "definition": "a raw score"}})
    out = render(r"Scores $\frac{q\cdot k}{\sqrt{d}}$ in `s = $x$` and [[logit|logits]], [[logit]].", "test")
    assert "<math" in out and "<mfrac>" in out
    assert "<code>s = $x$</code>" in out  # no math inside code
    assert out.count('href="@@MGX_ROOT@@/glossary/#term-logit"') == 2 and ">logits</a>" in out
