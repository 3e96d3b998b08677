"""The site is built from the project being built, not from the installed checkout: a copy of the repository with
a modified microgpt/ serves its own code in the trainer's wheel."""
import pathlib
import shutil
import zipfile

from site_builder import runtime

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_wheel_comes_from_the_copy_being_built(tmp_path):
    project = tmp_path / "copy"
    shutil.copytree(ROOT / "microgpt", project / "microgpt", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    modified = (project / "microgpt" / "scalar.py").read_bytes() + b"# only in the copy\n"
    (project / "microgpt" / "scalar.py").write_bytes(modified)
    root = runtime.project_root({"config_file_path": str(project / "mkdocs.yml")})
    assert root == project.resolve()
    (tmp_path / "out").mkdir()
    with zipfile.ZipFile(runtime.build_wheel(tmp_path / "out", root)) as zf:
        assert zf.read("microgpt/scalar.py") == modified
    with zipfile.ZipFile(runtime.build_wheel(tmp_path, ROOT)) as zf:
        assert zf.read("microgpt/scalar.py") == (ROOT / "microgpt" / "scalar.py").read_bytes()
