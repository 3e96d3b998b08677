"""The explorer's pre-paint script, made at build time from assets/explorer/settings.js: the settings module
itself with its `export`s removed, wrapped to run at once. Inlined in <head>, it applies the reader's display
settings before the first paint (no flash of the default view), and it cannot drift from the module explorer.js
imports, because it is that module."""
import pathlib
import re

SETTINGS_JS = pathlib.Path(__file__).resolve().parent / "assets" / "explorer" / "settings.js"


def prepaint_script(path=SETTINGS_JS):
    """The settings module as a classic script that calls its boot(); ValueError names what stops inlining it."""
    text = pathlib.Path(path).read_text(encoding="utf-8")
    if re.search(r"^\s*import\b", text, re.M):
        raise ValueError(f"{path.name} imports another module: the pre-paint script must stand alone")
    if "</" in text or "<!--" in text:
        raise ValueError(f"{path.name} contains '</' or '<!--', which would end the inline <script> early")
    body = re.sub(r"^export (?=(?:const|let|function|class) )", "", text, flags=re.M)
    # smaller in every page: without the header comment, whole-line comments and blank lines (code is untouched)
    body = re.sub(r"\A\s*/\*.*?\*/\s*", "", body, flags=re.S)
    body = "\n".join(line for line in body.split("\n") if line.strip() and not line.lstrip().startswith("//"))
    if re.search(r"^\s*export\b", body, re.M):
        raise ValueError(f"{path.name}: only `export const|let|function|class` at the start of a line can be inlined")
    if not re.search(r"^function boot\(\)", body, re.M):
        raise ValueError(f"{path.name} has no boot() to run before the first paint")
    return f'(function () {{\n"use strict";\n{body}\nboot();\n}})();'
