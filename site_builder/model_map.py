"""The map of the model: one vertical SVG of GPT's data flow, drawn at build time from docs/model_map.yml.

Text, not an image, so it is searchable, accessible and themed by CSS (model_map.css, Material's variables).
Each block is a link to its concept; each arrow carries a `.mgx-map-shape` text slot (symbolic shape today,
real shapes from the Values feature later). A block naming an unknown concept raises MapError (a strict-build
failure in the plugin).
"""
import html
import pathlib

import yaml

from microgpt.concepts import CONCEPTS

TABLE = "model_map.yml"  # under docs_dir, beside the annotations
WIDTH, BOX_W, BOX_H, GAP, LEFT, TOP = 180, 140, 24, 18, 8, 8  # px in the viewBox; scales with the column


class MapError(ValueError):
    pass


def load(path):
    """The table's blocks, checked: each has id, label and a concept that exists."""
    path = pathlib.Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise MapError(f"{path.name}: cannot read it: {e}") from None
    blocks = data.get("blocks") if isinstance(data, dict) else None
    if not isinstance(blocks, list) or not blocks:
        raise MapError(f"{path.name}: needs a non-empty 'blocks' list")
    for i, b in enumerate(blocks, 1):
        if not isinstance(b, dict) or not all(isinstance(b.get(k), str) for k in ("id", "label", "concept")):
            raise MapError(f"{path.name}: block {i} needs text fields id, label and concept")
        if b["concept"] not in CONCEPTS:
            raise MapError(f"{path.name}: block '{b['id']}' names unknown concept '{b['concept']}' "
                           f"(known: {', '.join(CONCEPTS)})")
    return blocks


def resolve_values(blocks, resolve):
    """Each block's `value` resolved to {line, name, item} by resolve(find, after, name) -> line, or MapError."""
    for b in blocks:
        v = b.get("value")
        if v is None:
            continue
        if not isinstance(v, dict) or not isinstance(v.get("find"), str) or not isinstance(v.get("name"), str):
            raise MapError(f"{TABLE}: block '{b['id']}': value needs text fields find and name")
        try:
            b["value"] = {"line": resolve(v["find"], v.get("after"), v["name"]), "name": v["name"], "item": v.get("item")}
        except ValueError as e:
            raise MapError(f"{TABLE}: block '{b['id']}': {e}") from None
    return blocks


def render(blocks, href_prefix=""):
    """The SVG; block links are href_prefix + '#concept-<id>' (e.g. 'explorer/' on the landing page)."""
    esc = lambda s: html.escape(s, quote=True)
    step = BOX_H + GAP
    height = TOP + len(blocks) * step - GAP + TOP
    mid, loop_x = LEFT + BOX_W / 2, LEFT + BOX_W + 16
    out = [f'<svg class="mgx-map" viewBox="0 0 {WIDTH} {height}" role="group" '
           f'aria-label="Map of the model: the data flow of one training step" xmlns="http://www.w3.org/2000/svg">',
           '<defs><marker id="mgx-map-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" '
           'orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="mgx-map-head"/></marker></defs>']
    for i, b in enumerate(blocks):
        y = TOP + i * step
        cid, title = b["concept"], CONCEPTS[b["concept"]]
        v = b.get("value") if isinstance(b.get("value"), dict) and "line" in b["value"] else None
        value = (f' data-line="{v["line"]}" data-name="{esc(v["name"])}"' + (f' data-item="{v["item"]}"' if v["item"] is not None else "")
                 if v else "")
        out.append(f'<a class="mgx-map-block" href="{esc(href_prefix)}#concept-{cid}" data-concept="{cid}" '
                   f'data-block="{esc(b["id"])}"{value} aria-label="{esc(b["label"])}: {esc(title)}">'
                   f'<rect x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4"/>'
                   f'<text x="{mid}" y="{y + BOX_H / 2}" dominant-baseline="central" text-anchor="middle">'
                   f'{esc(b["label"])}</text></a>')
        if i + 1 < len(blocks):
            edge = f'{b["id"]}-{blocks[i + 1]["id"]}'
            out.append(f'<line class="mgx-map-edge" x1="{mid}" y1="{y + BOX_H}" x2="{mid}" y2="{y + step - 1}" '
                       f'marker-end="url(#mgx-map-arrow)"/>')
            if v:  # live values draw the block's output here, left of the arrow
                out.append(f'<g class="mgx-map-heat" data-block="{esc(b["id"])}" '
                           f'transform="translate({LEFT + 4} {y + BOX_H + 3})"></g>')
            out.append(f'<text class="mgx-map-shape" data-edge="{esc(edge)}" data-shape="{esc(b.get("shape", ""))}" '
                       f'x="{mid + 6}" y="{y + BOX_H + GAP / 2}" dominant-baseline="central">'
                       f'{esc(b.get("shape", ""))}</text>')
    last, first = TOP + (len(blocks) - 1) * step + BOX_H / 2, TOP + BOX_H / 2
    out.append(f'<path class="mgx-map-edge mgx-map-loop" d="M{LEFT + BOX_W},{last} H{loop_x} V{first} '
               f'H{LEFT + BOX_W + 1}" marker-end="url(#mgx-map-arrow)"/>')
    out.append(f'<text class="mgx-map-shape mgx-map-loop-label" x="{loop_x + 4}" y="{(first + last) / 2}" '
               f'transform="rotate(90 {loop_x + 4} {(first + last) / 2})" text-anchor="middle">'
               f'update the parameters</text>')
    out.append('</svg>')
    return "".join(out)
