"""The sources of the explorer — one per column of mkdocs.yml (site_builder/columns.py; by default scalar.py,
matrix.py, pseudocode.txt) — read, split into concept sections, and highlighted line by line with Pygments at build time.

Each line becomes one HTML fragment whose text, once the markup is stripped, is exactly the source line: the
explorer and the concept pages are built from these fragments and the tests compare them byte for byte.
Token kinds that get a colour are wrapped in a span (keywords, strings, numbers, comments, builtins,
definitions), and so is every name (`n`, one span per name, never merged) so the explorer can mark an identifier's
uses; a string that is only a name (a weights key such as "attn_wq") is `class="s n"`. Punctuation and spaces
need no markup: the explorer page must stay small.
"""
import dataclasses
import hashlib
import html
import importlib.util
import pathlib
import re

from pygments.lexers.special import TextLexer
from pygments.token import Comment, Keyword, Name, Number, Operator, String

from microgpt.concepts import CONCEPTS, SECTION, sections

# Pygments token type -> the short class that Material's stylesheet colours (`.highlight .k` ...), most specific first
TOKEN_CLASSES = [
    (String.Doc, "sd"), (String.Escape, "se"), (String, "s"), (Number, "m"), (Comment, "c"),
    (Keyword, "k"), (Operator.Word, "k"), (Name.Builtin, "nb"), (Name.Function, "nf"), (Name.Class, "nc"),
    (Name.Exception, "nc"), (Name.Decorator, "nd"), (Name.Namespace, "nn"), (Name, "n"),
]
IDENTIFIER_CLASSES = ("n", "nb", "nf", "nc", "nd", "nn", "s n")  # one span per name: the explorer indexes these
STRING_KEY = re.compile(r"(\.?)([A-Za-z_]\w*)")  # a string part that is only a name, e.g. "attn_wq" or .attn_wq in an f-string
WORD = re.compile(r"\w")
IDENTIFIER_SPAN = re.compile(r'<span class=(?:"s n"|n[bfcdn]?)>([^<]*)</span>')


def token_class(ttype):
    for kind, css in TOKEN_CLASSES:
        if ttype in kind:
            return css
    return None


def pseudocode_lexer():
    """The custom pseudocode lexer when site_builder/pseudocode_lexer.py exists, else plain text."""
    if importlib.util.find_spec("site_builder.pseudocode_lexer") is None:
        return TextLexer(stripnl=False, ensurenl=False)
    from site_builder.pseudocode_lexer import PseudocodeLexer
    return PseudocodeLexer(stripnl=False, ensurenl=False)


def tokens(lexer, text, string_keys):
    """(css class, text) of each token; with string_keys, a string part that is only a name becomes its own token."""
    for ttype, value in lexer.get_tokens(text):
        css = token_class(ttype)
        if css in IDENTIFIER_CLASSES and not WORD.search(value):
            css = None  # the dot of `import urllib.request` is not a name
        key = string_keys and css == "s" and ttype not in String.Affix and STRING_KEY.fullmatch(value)
        if key:
            if key.group(1):
                yield "s", key.group(1)
            yield "s n", key.group(2)
        else:
            yield css, value


def highlight_lines(text, lexer, string_keys=False):
    """One HTML fragment per line of `text` (no trailing newline in any), in order."""
    lines, current, last_css, buf = [], [], None, []

    def flush():
        nonlocal buf, last_css
        if buf:
            chunk = html.escape("".join(buf), quote=False)
            attr = f'"{last_css}"' if " " in (last_css or "") else last_css
            current.append(f"<span class={attr}>{chunk}</span>" if last_css else chunk)
        buf, last_css = [], None

    for css, value in tokens(lexer, text, string_keys):
        for i, part in enumerate(value.split("\n")):
            if i:  # a newline ends the line
                flush()
                lines.append("".join(current))
                current = []
            if not part:
                continue
            if css != last_css or css in IDENTIFIER_CLASSES or (css is None and not buf):
                flush()
                last_css = css
            buf.append(part)
    flush()
    if current:
        lines.append("".join(current))
    expected = text.split("\n")
    if expected[-1] == "":
        expected.pop()
    # lexers may drop or add a final newline; whatever they do, we must keep every line and add none
    lines = (lines + [""] * len(expected))[: len(expected)]
    for i, (got, want) in enumerate(zip(lines, expected)):
        if html.unescape(strip_tags(got)) != want:  # a lexer that rewrote text: fall back to plain text for this line
            lines[i] = html.escape(want, quote=False)
    return lines


COMMENT_SPAN = re.compile(r"<span class=c>[^<]*</span>")


def line_kind(fragment, text):
    """"sec" for a concept's `# § id: ...` line, "cmt" for any other line that is only a comment (every token
    that is not a space is a comment: the explorer can hide it), "" for the rest."""
    if "<span class=c>" not in fragment or COMMENT_SPAN.sub("", fragment).strip():
        return ""
    return "sec" if SECTION.match(text) else "cmt"


def strip_tags(fragment):
    out, inside = [], False
    for ch in fragment:
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
        elif not inside:
            out.append(ch)
    return "".join(out)


@dataclasses.dataclass
class Section:
    concept: str
    summary: str
    first: int  # line numbers, 1-based, inclusive
    last: int


@dataclasses.dataclass
class Source:
    key: str  # the column's key in mkdocs.yml (scalar, matrix, pseudo by default)
    path: str  # relative to the project root
    label: str
    text: str
    lines: list  # the source lines, without newlines
    html_lines: list  # the highlighted fragment of each line
    kinds: list  # each line's line_kind: "sec", "cmt" or ""
    sections: dict  # concept id -> Section, in concept order
    sha256: str

    def section_of(self, line):
        for sec in self.sections.values():
            if sec.first <= line <= sec.last:
                return sec
        raise LookupError(line)


def read_sources(root, columns=None):
    """{column key: Source} for the columns (default: columns.DEFAULTS), their files relative to `root` (the folder
    of the mkdocs.yml being built); ValueError names the file and the problem."""
    from site_builder import columns as cols
    out = {}
    for col in cols.check(cols.DEFAULTS if columns is None else columns, root):
        data, rel = col["path"].read_bytes(), col["file"]
        try:
            text = data.decode("utf-8")
            found = sections(text)
        except (UnicodeDecodeError, ValueError) as e:
            raise ValueError(f"{rel}: {e}") from None
        lexer = cols.lexer_for(col["lexer"])
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        html_lines = highlight_lines(text, lexer, string_keys="python" in lexer.aliases)
        out[col["key"]] = Source(key=col["key"], path=rel, label=col["label"], text=text, lines=lines, html_lines=html_lines,
                                 kinds=[line_kind(h, t) for h, t in zip(html_lines, lines)],
                                 sections={cid: Section(cid, summary, first, last) for cid, summary, first, last in found},
                                 sha256=hashlib.sha256(data).hexdigest())
    return out


def identifiers(source):
    """The names the explorer can mark in one file: the text of its identifier spans."""
    return {html.unescape(m.group(1)) for line in source.html_lines for m in IDENTIFIER_SPAN.finditer(line)}


def concept_order():
    return list(CONCEPTS)
