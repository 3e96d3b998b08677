"""The alias table: names that differ between the three files but stand for the same thing (scalar `attn`, matrix
`P`, pseudocode `P_h`), read from docs/aliases.yml for the explorer's identifier marking.

Every name must be an identifier of its file as the page shows it (sources.identifiers), else AliasError, which the
plugin turns into a strict-build failure naming the entry: a rename in the code cannot leave a stale alias behind.
"""
import json
import pathlib

import yaml

from site_builder.columns import OTHER_COLUMNS
from site_builder.sources import identifiers

TABLE = "aliases.yml"  # under docs_dir, beside the annotations


class AliasError(ValueError):
    pass


def load(path, sources, dropped=None):
    """[{column: [names]}] from the table, each name checked against its file's identifiers. Names given for a
    column the site does not have are left out (named in the list `dropped`), and so is an entry left with one column."""
    dropped = [] if dropped is None else dropped
    path = pathlib.Path(path)
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise AliasError(f"{path.name}: cannot read it: {e}") from None
    entries = data.get("aliases") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AliasError(f"{path.name}: needs an 'aliases' list")
    known = {key: identifiers(src) for key, src in sources.items()}
    groups = []
    for i, entry in enumerate(entries, 1):
        group = check(entry, i, known, sources, path.name, dropped)
        if group:
            groups.append(group)
    return groups


def check(entry, i, known, sources, name, dropped):
    """One entry as {column: [names]}: at least two columns, every name in its file."""
    if not isinstance(entry, dict) or not set(entry) - {"why"}:
        raise AliasError(f"{name}: entry {i} needs names for at least two of {', '.join(sources)}")
    group = {}
    for col, names in entry.items():
        if col == "why":
            continue
        if col not in sources:
            if col not in OTHER_COLUMNS:
                raise AliasError(f"{name}: entry {i} names unknown column '{col}' (known: {', '.join(sources)})")
            dropped.append((f"{name}: entry {i}", [col], False))  # a column this site does not show
            continue
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise AliasError(f"{name}: entry {i}: '{col}' must be a name or a list of names")
        for n in names:
            if n not in known[col]:
                raise AliasError(f"{name}: entry {i} names {col} '{n}', which {sources[col].label} does not contain")
        group[col] = names
    if len(group) < 2 and len(group) + sum(c in OTHER_COLUMNS and c not in sources for c in entry) >= 2:
        return None  # it tied a column this site does not have
    if len(group) < 2:
        raise AliasError(f"{name}: entry {i} ties nothing: give names in at least two columns")
    return group


def to_json(groups):
    return json.dumps(groups, ensure_ascii=False, separators=(",", ":"))
