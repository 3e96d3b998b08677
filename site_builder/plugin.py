"""The microgpt-explorer MkDocs plugin: turns microgpt/ and docs/annotations/ into the explorer page, one page per
concept, a glossary page and the /train/ page, all server-rendered at build time.

Hooks: on_config adds our templates and watch paths; on_files reads the sources and annotations (any problem
fails the build, naming the YAML file and the anchor), prints coverage and adds the generated pages and our
assets; on_page_context/on_page_content render those pages; on_post_build lets the trainer bundle its runtime.
"""
import importlib.util
import json
import logging
import pathlib
import posixpath

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from site_builder import aliases
from site_builder import annotations as ann
from site_builder import columns as cols
from site_builder import live_values
from site_builder import model_map
from site_builder import prepaint
from site_builder import project
from site_builder import sources as src
from site_builder import worked_examples

log = logging.getLogger("mkdocs.plugins.microgpt-explorer")
HERE = pathlib.Path(__file__).resolve().parent
TEMPLATES, ASSETS = HERE / "templates", HERE / "assets"
ASSET_URL = "assets/microgpt/"
EXPLORER, GLOSSARY, TRAIN = "explorer.md", "glossary.md", "train.md"
COLUMNS_CSS = "columns.css"  # generated from mkdocs.yml's columns (site_builder/columns.py)


def concept_page(cid):
    return f"concepts/{cid}.md"


def runtime_options():
    if importlib.util.find_spec("site_builder.runtime") is None:
        return ()
    from site_builder import runtime
    return tuple(getattr(runtime, "OPTIONS", ()))


def log_dropped(dropped, columns):
    """One line for the refs (notes, aliases) to columns this site does not have; the full list at debug level.
    `dropped`: [(where, [column keys], whether the whole note went)]."""
    absent = sorted({col for _, keys, _ in dropped for col in keys})
    whole = sum(gone for _, _, gone in dropped)
    log.info(f"microgpt-explorer: {len(dropped)} annotation and alias refs name columns this site does not have "
             f"({', '.join(absent)}; its columns: {', '.join(columns)}): left out"
             + (f", with {whole} notes that had no other column" if whole else ""))
    log.debug("microgpt-explorer: left out: " + "; ".join(f"{where}: {', '.join(keys)}" for where, keys, _ in dropped))


class Options(base.Config):
    annotations = c.Type(str, default="annotations")  # folder under docs_dir: <concept>.yml
    glossary = c.Type(str, default="glossary.yml")  # file under docs_dir
    require_full_coverage = c.Type(bool, default=False)  # every non-blank code line must be annotated
    worked_examples = c.Type(bool, default=True)  # run the model at build time for the concept pages
    live_values = c.Type(bool, default=True)  # trace the default views for the explorer's Values switch
    columns = cols.option()  # the explorer's columns: key, file (relative to mkdocs.yml), label, lexer


# the trainer runtime's own options (pyodide_cdn, names) join ours when site_builder/runtime.py is there
ExplorerConfig = type("ExplorerConfig", (Options,), dict(runtime_options()))


class ExplorerPlugin(BasePlugin[ExplorerConfig]):
    def on_config(self, config):
        self.root = pathlib.Path(config.config_file_path).resolve().parent
        self.concepts = project.use(self.root).CONCEPTS  # the project's own microgpt, not the installed one
        try:
            self.columns = cols.check(self.config.columns, self.root)
        except ValueError as e:
            raise PluginError(f"microgpt-explorer: mkdocs.yml, plugin microgpt-explorer, {e}") from None
        # the features that compare scalar.py and matrix.py run only when both columns are there
        self.pair = cols.has_pair(self.columns)
        dirs = config.theme.dirs
        if str(TEMPLATES) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES))
        for css in ("explorer.css", COLUMNS_CSS, "model_map.css", "values.css", "identifiers.css", "share.css"):
            if ASSET_URL + css not in config.extra_css:
                config.extra_css.append(ASSET_URL + css)
        if not any(str(s) == ASSET_URL + "offline.js" for s in config.extra_javascript):  # the service worker, on every page
            script = c.ExtraScriptValue(ASSET_URL + "offline.js")
            script.type = "module"
            config.extra_javascript.append(script)
        for path in {*(str(col["path"].parent) for col in self.columns), str(self.root / "microgpt"), str(HERE)}:
            if str(path) not in config.watch:
                config.watch.append(str(path))
        return config

    # -- reading ---------------------------------------------------------------------------------------------
    def load(self, config):
        docs = pathlib.Path(config.docs_dir)
        try:
            self.sources = src.read_sources(self.root, self.columns)
        except ValueError as e:
            raise PluginError(f"microgpt-explorer: {e}") from None
        try:
            self.glossary = ann.load_glossary(docs / self.config["glossary"])
            self.glossary_html = ann.render_glossary(self.glossary)
            dropped = []
            self.notes = ann.load_annotations(docs / self.config["annotations"], self.sources, self.glossary, self.root, dropped)
        except ann.AnnotationError as e:
            raise PluginError(f"microgpt-explorer: {e}") from None
        try:
            blocks = model_map.load(docs / model_map.TABLE)
            if not self.pair:  # the map's values are matrix.py's: without the pair, the map has none
                for b in blocks:
                    b.pop("value", None)
            self.map_blocks = model_map.resolve_values(blocks, lambda find, after, name:
                                                       live_values.traced_line("matrix", find, after, name, "value"))
        except model_map.MapError as e:
            raise PluginError(f"microgpt-explorer: {e}") from None
        try:
            self.aliases = aliases.load(docs / aliases.TABLE, self.sources, dropped)
        except aliases.AliasError as e:
            raise PluginError(f"microgpt-explorer: {e}") from None
        if dropped:
            log_dropped(dropped, list(self.sources))
        self.coverage = ann.coverage(self.sources, self.notes)
        log.info("microgpt-explorer: annotation coverage (non-blank lines): " + ", ".join(
            f"{cov.column} {cov.share:.0%} ({cov.covered}/{cov.total})" for cov in self.coverage.values()))
        if self.config["require_full_coverage"]:
            missing = [f"{cov.path}:{r}" for cov in self.coverage.values() for r in ann.line_ranges(cov.uncovered)]
            if missing:
                raise PluginError("microgpt-explorer: require_full_coverage is on and these lines have no annotation: "
                                  + ", ".join(missing))

    def load_examples(self, config):
        """The concept pages' worked examples, recomputed only when the code or the data changes (mkdocs serve)."""
        if not self.config["worked_examples"] or not self.pair:
            self.examples_html = {}
            return
        from site_builder import runtime
        names = runtime.find_names(self.config.get("names"), config)
        key = (names, *(s.sha256 for s in self.sources.values()))
        if getattr(self, "examples_key", None) != key:
            render = ann.Renderer(self.glossary)
            view = json.loads(self.live_values_files(config)[f"{live_values.WORD}-init.json"])  # the explorer's own trace
            self.examples_html = {cid: render(text, f"worked example for {cid}")
                                  for cid, text in worked_examples.examples(names, view).items()}
            self.examples_key = key

    def load_values(self, config):
        """{file name: JSON} of the explorer's default live-values views (traced once per change of the inputs)."""
        return self.live_values_files(config) if self.values_on() else {}

    def values_on(self):
        return self.config["live_values"] and self.pair

    def live_values_files(self, config):
        from site_builder import runtime
        names = runtime.find_names(self.config.get("names"), config)
        try:
            return live_values.build(names, pathlib.Path(config.docs_dir) / live_values.PAIRS, live_values.cache_dir())
        except live_values.PairError as e:
            raise PluginError(f"microgpt-explorer: {e}") from None

    def on_files(self, files, config):
        self.load(config)
        self.load_examples(config)
        self.values = self.load_values(config)
        for name, text in self.values.items():
            files.append(File.generated(config, f"{ASSET_URL}values/{name}", content=text))
        files.append(File.generated(config, ASSET_URL + COLUMNS_CSS, content=cols.css(self.columns, self.values_on())))
        if self.config["live_values"]:  # the trainer's fallback where Pyodide cannot run: the build's own run
            from site_builder import recorded_run, runtime
            names = runtime.find_names(self.config.get("names"), config)
            files.append(File.generated(config, ASSET_URL + recorded_run.FILE,
                                        content=recorded_run.build(names, live_values.cache_dir())))
        prefix = self.config["annotations"].strip("/") + "/"
        for f in list(files):  # the YAML is input to the plugin, not content to publish
            if f.src_uri.startswith(prefix) or f.src_uri in (self.config["glossary"], model_map.TABLE, live_values.PAIRS,
                                                                     aliases.TABLE):
                files.remove(f)
        pages = {EXPLORER: "---\ntemplate: explorer.html\ntitle: Explorer\nhide: [navigation, toc, footer]\n"
                           "search:\n  exclude: true\n---\n",
                 GLOSSARY: "---\ntitle: Glossary\n---\n# Glossary\n",
                 TRAIN: "---\ntitle: Train\nhide: [navigation, toc]\n---\n# Train it in your browser\n"}
        for cid, title in self.concepts.items():
            pages[concept_page(cid)] = f"---\ntitle: {json.dumps(self.notes[cid].title)}\n---\n# {self.notes[cid].title}\n"
        for uri, content in pages.items():
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=content))
        for path in sorted(ASSETS.rglob("*")):
            if path.is_file():
                uri = ASSET_URL + path.relative_to(ASSETS).as_posix()
                if files.get_file_from_path(uri) is None:
                    files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    # -- rendering -------------------------------------------------------------------------------------------
    def model(self, page):
        """What the templates need, with links made relative to `page`."""
        root = posixpath.relpath(".", posixpath.dirname(page.url.rstrip("/") + "/x") or ".")
        root = "" if root == "." else root + "/"
        fix = lambda s: s.replace(ann.ROOT_TOKEN, root)
        concepts = []
        for i, (cid, title) in enumerate(self.concepts.items()):
            cn = self.notes[cid]
            fallback = next((s.sections[cid].summary for s in self.sources.values() if cid in s.sections), "")
            blocks = []
            for key, source in self.sources.items():
                sec = source.sections.get(cid)
                blocks.append({"col": key, "label": source.label, "path": source.path, "section": sec,
                               "lines": [] if sec is None else
                               [(n, source.html_lines[n - 1], source.kinds[n - 1],
                                 n > sec.first and bool(source.kinds[n - 2])) for n in range(sec.first, sec.last + 1)]})
            notes = [{"anchor": n.anchor, "id": n.id, "html": fix(n.html), "spans": n.spans,
                      "data": " ".join(f"{k}:{a}-{b}" for k, (a, b) in n.spans.items())} for n in cn.notes]
            concepts.append({"id": cid, "index": i, "title": cn.title, "summary_html": fix(cn.summary_html),
                             "summary_text": fallback, "blocks": blocks, "notes": notes, "yaml": cn.path,
                             "page": f"{root}concepts/{cid}/", "example_html": fix(self.examples_html.get(cid, ""))})
        covered = {key: set() for key in self.sources}
        for cn in self.notes.values():
            for n in cn.notes:
                for key, (a, b) in n.spans.items():
                    covered[key].update(range(a, b + 1))
        assets = root + ASSET_URL
        return {
            "root": root, "assets": assets, "concepts": concepts, "covered": covered,
            "columns": [{"key": k, "label": s.label, "path": s.path} for k, s in self.sources.items()],
            "columns_json": cols.page_json(self.columns, self.values_on()),
            # the shown files the trainer's wheel runs (its two implementations), by hash, for its integrity check
            "sources_json": json.dumps({k: {"sha256": s.sha256, "path": s.path} for k, s in self.sources.items()
                                        if k in cols.PAIR}),
            "trainer_js": (ASSETS / "trainer.js").exists(),
            "aliases_json": aliases.to_json(self.aliases),
            "glossary_json": json.dumps({tid: {"term": str(entry.get("term", tid)),
                                               "html": self.glossary_html[tid].replace(ann.ROOT_TOKEN, root)}
                                         for tid, entry in self.glossary.items()}, ensure_ascii=False, separators=(",", ":")),
            "explorer_url": f"{root}explorer/",
        }

    def on_page_context(self, context, page, config, nav):
        if page.file.src_uri == EXPLORER:
            context["mgx"] = self.model(page)
            try:
                context["mgx"]["prepaint_js"] = prepaint.prepaint_script()
            except ValueError as e:
                raise PluginError(f"microgpt-explorer: {e}") from None
            context["mgx"]["map_svg"] = model_map.render(self.map_blocks)
        return context

    def on_page_content(self, content, page, config, files):
        uri = page.file.src_uri
        env = config.theme.get_env()
        if "<!-- mgx:map -->" in content:  # the landing page's map, its links relative to the page
            content = content.replace("<!-- mgx:map -->", model_map.render(self.map_blocks, "../" * page.url.count("/") + "explorer/"))
        if uri.startswith("concepts/") and uri[len("concepts/"):-3] in self.concepts:
            mgx = self.model(page)
            concept = next(c for c in mgx["concepts"] if c["id"] == uri[len("concepts/"):-3])
            return content + env.get_template("mgx-concept.html").render(mgx=mgx, concept=concept)
        if uri == TRAIN:
            return content + env.get_template("mgx-train.html").render(mgx=self.model(page))
        if uri == GLOSSARY:
            mgx = self.model(page)
            terms = [{"id": tid, "term": entry.get("term", tid),
                      "html": self.glossary_html[tid].replace(ann.ROOT_TOKEN, mgx["root"])}
                     for tid, entry in sorted(self.glossary.items(), key=lambda kv: str(kv[1].get("term", kv[0])).lower())]
            return content + env.get_template("mgx-glossary.html").render(mgx=mgx, terms=terms)
        return content

    def on_post_build(self, config):
        if importlib.util.find_spec("site_builder.runtime") is not None:
            from site_builder import runtime
            runtime.bundle(config, config.site_dir)
        from site_builder import offline
        log.info(f"microgpt-explorer: sw.js precaches {offline.write_service_worker(config.site_dir)} files for offline reading")
