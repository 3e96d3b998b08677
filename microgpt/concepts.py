"""The concepts of microgpt, in the order in which scalar.py, matrix.py and pseudocode.txt all present them.

Each file opens a concept with one section comment, `# § id: what it is about`, on a line of its own.
A concept may be absent from a file (autograd is scalar.py's alone); the order never changes.
The explorer aligns the three files on these sections; the tests check every file against this list.
"""
import re

CONCEPTS = {
    "overview": "Overview",
    "data": "Data",
    "tokenizer": "Tokenizer",
    "autograd": "Autograd",
    "params": "Parameters",
    "linear": "Linear layers and softmax",
    "rmsnorm": "RMSNorm",
    "attention": "Attention",
    "mlp": "MLP",
    "forward": "Forward pass",
    "loss": "Loss",
    "backward": "Backward pass",
    "adam": "Adam",
    "train": "Training loop",
    "sample": "Sampling",
    "run": "Command line",
}

SECTION = re.compile(r"^# § (?P<id>[a-z]+): (?P<summary>.+)$")


def sections(text):
    """[(concept id, summary, first line, last line)] for a source text; line numbers start at 1, ranges inclusive.

    Raises ValueError if a section names an unknown concept, repeats one, or breaks the order of CONCEPTS."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    starts = [(i + 1, m["id"], m["summary"]) for i, line in enumerate(lines) if (m := SECTION.match(line))]
    if not starts or starts[0][0] != 1:
        raise ValueError("the first line must open a section: '# § overview: ...'")
    order = list(CONCEPTS)
    ids = [cid for _, cid, _ in starts]
    for cid in ids:
        if cid not in CONCEPTS:
            raise ValueError(f"unknown concept '{cid}' (known: {', '.join(order)})")
    if len(set(ids)) != len(ids) or ids != sorted(ids, key=order.index):
        raise ValueError(f"sections must appear once each, in the order {', '.join(order)}; found {', '.join(ids)}")
    ends = [start - 1 for start, _, _ in starts[1:]] + [len(lines)]
    return [(cid, summary, start, end) for (start, cid, summary), end in zip(starts, ends)]
