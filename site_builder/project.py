"""The project being built: its `microgpt` package is the one the build imports (concepts, the models the live
values and worked examples run), not the installed one, so a copy of the repository builds its own code.

use(root) is called by the plugin's on_config with the folder of mkdocs.yml. When that folder's microgpt/ is not
the package already imported, it is imported from there instead, and the site_builder modules that imported it
are reloaded so that every `from microgpt import ...` they hold refers to the project's files.
"""
import importlib
import pathlib
import sys

# the modules that import microgpt at their top (reloaded in this order: sources before those that import it)
USERS = ("site_builder.sources", "site_builder.annotations", "site_builder.aliases", "site_builder.model_map",
         "site_builder.live_values", "site_builder.recorded_run", "site_builder.worked_examples")


def package_dir():
    """The folder of the microgpt package imported now (None if none is)."""
    module = sys.modules.get("microgpt")
    return pathlib.Path(module.__file__).resolve().parent if module and getattr(module, "__file__", None) else None


def use(root):
    """Import microgpt from `root`/microgpt when it exists there; returns the microgpt.concepts module in use."""
    wanted = (pathlib.Path(root) / "microgpt").resolve()
    if (wanted / "__init__.py").is_file() and package_dir() != wanted:
        for name in [n for n in sys.modules if n == "microgpt" or n.startswith("microgpt.")]:
            del sys.modules[name]
        sys.path.insert(0, str(wanted.parent))
        importlib.import_module("microgpt")
        for name in USERS:
            if name in sys.modules:
                importlib.reload(sys.modules[name])
    return importlib.import_module("microgpt.concepts")
