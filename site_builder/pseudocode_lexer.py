"""Pygments lexer for microgpt/pseudocode.txt, the third column of the explorer.

The pseudocode is Julia-flavoured mathematics written in Unicode (`←`, `Σ`, `⊙`, `Wᵀ`, `√`, `∈ ℝ^{n×d}`,
`β₁`, `m̂`), which no stock Pygments lexer reads without Error tokens. This one knows that notation:
section lines (`# § id: summary`) are Comment.Special, so the page can set them apart from other comments;
superscripts (`ᵀ`, `²`, `⁻¹`) are operators, never part of a name; subscripts and combining accents are.
"""
import re

from pygments.lexer import RegexLexer, bygroups
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String,
                            Whitespace)

__all__ = ["PseudocodeLexer"]

SUPERSCRIPTS = "\u00b2\u00b3\u00b9\u2070-\u207f\u1d2c-\u1d61\u1d9b-\u1dbf\u02b0-\u02b8"  # ² ³ ¹ ⁰…ⁿ ᴬ…ᵡ ᶛ…ᶿ ʰ…ʸ
SUBSCRIPTS = "\u2080-\u209c\u1d62-\u1d6a"  # ₀…ₜ ᵢ…ᵪ
COMBINING = "\u0300-\u036f"  # m̂, x̄, ỹ
SETS = "ℝℕℤℚℂ"
NAME = (rf"(?:(?![{SUPERSCRIPTS}Σ{SETS}])[^\W\d])"  # a letter or _, but not Σ, ℝ or a superscript
        rf"(?:(?![{SUPERSCRIPTS}])[\w{SUBSCRIPTS}{COMBINING}])*")

KEYWORDS = {"for", "in", "end", "function", "return", "if", "then", "else", "elseif", "while", "break",
            "repeat", "until", "and", "or", "not", "where", "yield", "do"}
OPERATOR_WORDS = {"mod", "div"}
BUILTINS = {"softmax", "rmsnorm", "relu", "exp", "log", "max", "min", "sum", "mean", "rowsum", "onehot",
            "sample", "shuffle", "sort", "gauss", "sqrt", "abs", "causal", "unique", "join", "strip", "lines",
            "index", "print", "zip", "reverse", "topological_order", "node", "len", "random_seed", "argmax"}
CONSTANTS = {"BOS", "true", "false", "nothing"}


def _name(lexer, match):
    """A whole name, classified only once it is complete, so `in` never matches inside `index`."""
    word = match.group()
    if word in KEYWORDS:
        token = Keyword
    elif word in OPERATOR_WORDS:
        token = Operator.Word
    elif word in BUILTINS:
        token = Name.Builtin
    elif word in CONSTANTS:
        token = Name.Constant
    else:
        token = Name
    yield match.start(), token, word


class PseudocodeLexer(RegexLexer):
    """Mathematical pseudocode with Unicode operators: `←`, `Σ`, `⊙`, `ᵀ`, `√`, `∈`, `ℝ`, `…`."""

    name = "microgpt pseudocode"
    aliases = ["microgpt-pseudo"]
    filenames = []
    flags = re.MULTILINE | re.UNICODE

    def __init__(self, **options):
        options.setdefault("stripnl", False)  # keep leading blank lines: the explorer links columns by line number
        super().__init__(**options)

    tokens = {
        "root": [
            (r"^# § [a-z]+: .*$", Comment.Special),  # a concept's first line, as concepts.SECTION reads it
            (r"#.*$", Comment.Single),
            (r"\n", Whitespace),
            (r"[^\S\n]+", Whitespace),
            (r'"(?:[^"\\\n]|\\.)*"', String.Double),
            # function names where they are defined: `function f(` and `f(x, y) = …` at the start of a line
            (rf"(function)([^\S\n]+)({NAME})", bygroups(Keyword, Whitespace, Name.Function)),
            (rf"^{NAME}(?=\([^()\n]*\)[^\S\n]*=(?!=))", Name.Function),
            (r"(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+", Number.Float),
            (r"\d+", Number.Integer),
            (r"∞", Number),
            (rf"[{SETS}]", Keyword.Type),
            (rf"(\.)({NAME})", bygroups(Punctuation, Name.Attribute)),
            (rf"Σ(?:_{NAME})?|∑|∏", Operator),  # a sum, with its index if it has one: Σ_t
            (rf"[{SUPERSCRIPTS}]+", Operator),  # powers, transposes, inverses: x², Wᵀ, b⁻¹, X⁽⁰⁾
            (NAME, _name),
            (r"\+\+|<=|>=|==|!=|->|\+=|-=|:=", Operator),
            (r"[-+*/^=<>|~!%&@←→↦⇒⊙⊗∘·×÷√∈∉⊂⊆∀∃∂∇≤≥≠≈≡−…′]", Operator),
            (r"[()\[\]{},;:.]", Punctuation),
        ],
    }
