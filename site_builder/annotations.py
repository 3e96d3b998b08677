"""Annotations: the notes in docs/annotations/<concept>.yml, their anchors resolved to source lines, their
Markdown rendered (inline math as MathML at build time, glossary links), and the coverage they give.

An anchor is text, never a line number, so that notes survive edits to the code: a substring that must occur on
exactly one line of the concept's section (or of another section, in the mapping form). Every problem raises
AnnotationError naming the YAML file and the anchor; the plugin turns it into a failed build.
"""
import dataclasses
import html
import pathlib
import re

import markdown
import yaml
from latex2mathml.converter import convert as latex_to_mathml

from microgpt.concepts import CONCEPTS
from site_builder.columns import OTHER_COLUMNS

NOTE_ID = re.compile(r"^[a-z0-9-]+$")
NOTE_KEYS = {"id", "text"}  # and one key per column of the site (its anchor in that file)
FILE_KEYS = {"title", "summary", "notes"}
MAX_NOTE_CHARS = 700
ROOT_TOKEN = "@@MGX_ROOT@@/"  # replaced by each page's relative path to the site root
MATH = re.compile(r"(?<![\\$\w])\$(?=\S)(.+?)(?<=\S)\$(?!\w)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
GLOSSARY_LINK = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")


class AnnotationError(Exception):
    pass


@dataclasses.dataclass
class Note:
    concept: str
    id: str  # unique within the concept
    html: str  # rendered text
    text: str  # the Markdown source
    spans: dict  # column key -> (first line, last line), inclusive

    @property
    def anchor(self):
        return f"note-{self.concept}-{self.id}"


@dataclasses.dataclass
class ConceptNotes:
    concept: str
    title: str
    summary_html: str  # "" when the concept has no annotation file or no summary
    notes: list
    path: str  # the YAML file, relative to the project root ("" if none)


class Renderer:
    """Markdown with inline math and glossary links, for notes, summaries and glossary definitions."""

    def __init__(self, glossary):
        self.glossary = glossary  # term id -> {"term", "definition"}
        self.md = markdown.Markdown(extensions=["smarty", "tables", "fenced_code"])

    def __call__(self, text, where, inline=False):
        maths = []

        def keep_math(m):
            try:
                maths.append(compact_mathml(latex_to_mathml(m[1])))
            except Exception as e:  # latex2mathml raises many kinds
                raise AnnotationError(f"{where}: cannot render the math ${m[1]}$: {e}") from None
            return f"\ue000{len(maths) - 1}\ue001"

        def glossary_link(m):
            # the default label is the word as written: the id with hyphens as spaces (docs/glossary.yml header)
            term = m[1].strip()
            label = (m[2] or term.replace("-", " ")).strip()
            if term not in self.glossary:
                raise AnnotationError(f"{where}: unknown glossary term [[{m[1]}]] (docs/glossary.yml has: "
                                      f"{', '.join(sorted(self.glossary)) or 'no terms'})")
            title = html.escape(self.glossary[term].get("term", term))
            return f'<a class="mgx-term" href="{ROOT_TOKEN}glossary/#term-{term}" title="{title}">{html.escape(label)}</a>'

        # math and glossary links outside code spans only
        parts, pos = [], 0
        for m in CODE_SPAN.finditer(text):
            parts.append(GLOSSARY_LINK.sub(glossary_link, MATH.sub(keep_math, text[pos:m.start()])))
            parts.append(m[0])
            pos = m.end()
        parts.append(GLOSSARY_LINK.sub(glossary_link, MATH.sub(keep_math, text[pos:])))
        self.md.reset()
        out = self.md.convert("".join(parts))
        out = re.sub("\ue000(\\d+)\ue001", lambda m: maths[int(m[1])], out)
        if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return out


def compact_mathml(markup):
    """latex2mathml's output, smaller: no xmlns or display (HTML needs neither), characters instead of references,
    no outermost <mrow>. The explorer carries hundreds of formulas; this saves about a third of their bytes."""
    markup = markup.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "").replace(' display="inline"', "")
    markup = re.sub(r"&#x([0-9A-Fa-f]+);", lambda m: _char(int(m[1], 16)), markup)
    single = re.compile(r"<mrow>(<(m[a-z]+)>[^<]*</\2>)</mrow>")  # an mrow around one token is that token
    while (shorter := single.sub(r"\1", markup)) != markup:
        markup = shorter
    if markup.startswith("<math><mrow>") and markup.endswith("</mrow></math>") and markup.count("<mrow>") == markup.count("</mrow>"):
        inner = markup[len("<math><mrow>"):-len("</mrow></math>")]
        depth, ok = 0, True
        for tag in re.findall(r"</?mrow>", inner):
            depth += -1 if tag.startswith("</") else 1
            ok = ok and depth >= 0
        if ok and depth == 0:
            markup = f"<math>{inner}</math>"
    return markup


def _char(code):
    ch = chr(code)
    return html.escape(ch) if ch in "<>&\"'" else ch


def load_glossary(path):
    """{term id: {"term", "definition"}} from docs/glossary.yml ({} when the file does not exist)."""
    path = pathlib.Path(path)
    if not path.exists():
        return {}
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise AnnotationError(f"{path}: expected a mapping of term id -> {{term, definition}}")
    for tid, entry in data.items():
        if not isinstance(tid, str) or not NOTE_ID.match(tid):
            raise AnnotationError(f"{path}: term id {tid!r} must match [a-z0-9-]+")
        if not isinstance(entry, dict) or not isinstance(entry.get("definition"), str):
            raise AnnotationError(f"{path}: term '{tid}' needs a `definition` (Markdown text)")
    return data


def load_yaml(path):
    try:
        return yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise AnnotationError(f"{path}: not valid YAML: {e}") from None


def find_line(source, section, needle, where):
    """The one line of `section` in `source` that contains `needle`."""
    if not isinstance(needle, str) or not needle:
        raise AnnotationError(f"{where}: an anchor must be a non-empty string, got {needle!r}")
    hits = [n for n in range(section.first, section.last + 1) if needle in source.lines[n - 1]]
    if len(hits) == 1:
        return hits[0]
    what = "no line" if not hits else f"{len(hits)} lines ({', '.join(f'L{n}' for n in hits)})"
    raise AnnotationError(f"{where}: anchor {needle!r} matches {what} of section '{section.concept}' "
                          f"(L{section.first}-L{section.last}) in {source.path}; an anchor must match exactly one line")


def resolve(anchor, source, concept, where):
    """(first, last) line numbers for one column's anchor of a note."""
    section_id, first, last = concept, anchor, None
    if isinstance(anchor, list):
        if len(anchor) != 2:
            raise AnnotationError(f"{where}: a range anchor is a [first, last] pair, got {anchor!r}")
        first, last = anchor
    elif isinstance(anchor, dict):
        unknown = set(anchor) - {"section", "find", "to"}
        if unknown or "find" not in anchor:
            raise AnnotationError(f"{where}: the mapping form is {{section: id, find: text, to: text}} "
                                  f"(`find` required), got {anchor!r}")
        section_id, first, last = anchor.get("section", concept), anchor["find"], anchor.get("to")
    elif not isinstance(anchor, str):
        raise AnnotationError(f"{where}: an anchor is text, a [first, last] pair or a mapping, got {anchor!r}")
    if section_id not in source.sections:
        raise AnnotationError(f"{where}: anchor {anchor!r}: {source.path} has no section '{section_id}'")
    section = source.sections[section_id]
    a = find_line(source, section, first, where)
    b = a if last is None else find_line(source, section, last, where)
    if b < a:
        raise AnnotationError(f"{where}: range anchor {anchor!r} ends (L{b}) before it starts (L{a})")
    return a, b


def load_concept(path, concept, sources, render, root, dropped):
    """One concept's notes; refs to columns the site does not have are left out and listed in `dropped`."""
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    data = load_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AnnotationError(f"{rel}: expected a mapping with title, summary, notes")
    if unknown := set(data) - FILE_KEYS:
        raise AnnotationError(f"{rel}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; allowed: title, summary, notes")
    summary = data.get("summary") or ""
    notes, seen = [], set()
    for i, entry in enumerate(data.get("notes") or []):
        if not isinstance(entry, dict):
            raise AnnotationError(f"{rel}: note #{i + 1} must be a mapping")
        nid = entry.get("id")
        where = f"{rel}: note '{nid}'" if nid else f"{rel}: note #{i + 1}"
        if not isinstance(nid, str) or not NOTE_ID.match(nid):
            raise AnnotationError(f"{where}: `id` must match [a-z0-9-]+")
        if nid in seen:
            raise AnnotationError(f"{where}: the id is used twice in this file")
        seen.add(nid)
        if unknown := set(entry) - NOTE_KEYS - set(sources) - OTHER_COLUMNS:
            raise AnnotationError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                                  f"allowed: {', '.join(sorted(NOTE_KEYS | set(sources)))}")
        text = entry.get("text")
        if not isinstance(text, str) or not text.strip():
            raise AnnotationError(f"{where}: `text` is required")
        if len(text.strip()) > MAX_NOTE_CHARS:
            raise AnnotationError(f"{where}: text is {len(text.strip())} characters; the limit is {MAX_NOTE_CHARS}")
        spans = {col: resolve(entry[col], source, concept, f"{where}, {col} ({source.path})")
                 for col, source in sources.items() if col in entry}
        absent = sorted(set(entry) & OTHER_COLUMNS - set(sources))
        if absent:  # a column this site does not show (the same notes serve a site with fewer columns)
            dropped.append((where, absent, not spans))
        if not spans and not absent:
            raise AnnotationError(f"{where}: a note needs at least one of {', '.join(sources)}")
        if spans:
            notes.append(Note(concept, nid, render(text.strip(), where), text.strip(), spans))
    title = data.get("title") or CONCEPTS[concept]
    return ConceptNotes(concept, str(title), render(summary, f"{rel}: summary") if summary.strip() else "", notes, rel)


def load_annotations(folder, sources, glossary, root, dropped=None):
    """{concept id: ConceptNotes} for every concept; concepts without a file get an empty entry. Each ref to a
    default column (columns.OTHER_COLUMNS) not in `sources` is left out and named in the list `dropped` (logged)."""
    dropped = [] if dropped is None else dropped
    folder, root = pathlib.Path(folder), pathlib.Path(root)
    render = Renderer(glossary)
    out = {}
    if folder.exists():
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".yml", ".yaml"):
                continue
            if path.stem not in CONCEPTS:
                raise AnnotationError(f"{path.relative_to(root)}: no concept '{path.stem}' (known: {', '.join(CONCEPTS)})")
            out[path.stem] = load_concept(path, path.stem, sources, render, root, dropped)
    for cid in CONCEPTS:
        out.setdefault(cid, ConceptNotes(cid, CONCEPTS[cid], "", [], ""))
    return {cid: out[cid] for cid in CONCEPTS}


def render_glossary(glossary):
    render = Renderer(glossary)
    return {tid: render(entry["definition"], f"docs/glossary.yml: term '{tid}'") for tid, entry in glossary.items()}


@dataclasses.dataclass
class Coverage:
    column: str
    path: str
    covered: int
    total: int
    uncovered: list  # line numbers

    @property
    def share(self):
        return self.covered / self.total if self.total else 1.0


def coverage(sources, annotations):
    """Per column: how many non-blank lines some note covers (a section's marker line counts when its concept has a summary)."""
    out = {}
    for key, source in sources.items():
        covered = set()
        for cid, cn in annotations.items():
            if cn.summary_html and cid in source.sections:
                covered.add(source.sections[cid].first)
            for note in cn.notes:
                if key in note.spans:
                    a, b = note.spans[key]
                    covered.update(range(a, b + 1))
        lines = [n for n, text in enumerate(source.lines, 1) if text.strip()]
        out[key] = Coverage(key, source.path, sum(n in covered for n in lines), len(lines),
                            [n for n in lines if n not in covered])
    return out


def line_ranges(numbers):
    """[3, 4, 5, 9] -> ["3-5", "9"]"""
    out, start, prev = [], None, None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if prev > start else str(start))
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if prev > start else str(start))
    return out
