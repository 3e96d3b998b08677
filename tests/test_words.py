"""Words a newcomer meets: glossary links read as the prose word, never as the glossary id (issue 9, item 5)."""
import pathlib
import re

import pytest
import yaml

from site_builder import annotations as ann

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"
HYPHENATED_WORDS = {"cross-entropy", "one-hot", "lower-triangular", "pre-norm"}  # words that really are written with a hyphen
TERM_LINK = re.compile(r'<a class="mgx-term" href="[^"]*#term-([^"]+)"[^>]*>(.*?)</a>')


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


def rendered_links():
    render = ann.Renderer(ann.load_glossary(DOCS / "glossary.yml"))
    files = sorted((DOCS / "annotations").glob("*.yml")) + [DOCS / "glossary.yml"]
    for path in files:
        for text in strings(yaml.safe_load(path.read_text())):
            if "[[" in text:
                yield from ((path.name, *m) for m in TERM_LINK.findall(render(text, path.name)))


def test_default_label_is_the_word_not_the_id():
    render = ann.Renderer({"causal-mask": {"term": "causal mask", "definition": "x"}})
    out = render("the [[causal-mask]] and [[causal-mask|mask]]", "t", inline=True)
    assert [m[1] for m in TERM_LINK.findall(out)] == ["causal mask", "mask"]


def test_no_link_text_reads_as_a_glossary_id():
    links = list(rendered_links())
    assert len(links) > 50  # the notes do link the glossary
    bad = [(f, term, text) for f, term, text in links
           if "-" in term and text.lower() == term and term not in HYPHENATED_WORDS]
    assert not bad, f"glossary link text that reads as an id: {bad}"
