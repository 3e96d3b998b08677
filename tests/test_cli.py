"""The command line of both implementations: the reference's output format, and bad input.

Bad input must give one clear line on stderr and a non-zero exit, never a traceback."""
import hashlib
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, serve
from microgpt import scalar

MODULES = ["microgpt.scalar", "microgpt.matrix"]


def run(module, *args, env=None, cwd=ROOT):
    base = {k: v for k, v in os.environ.items() if not k.startswith("MICROGPT_")}
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=cwd,
                          env={**base, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=300)


def assert_one_line_error(result, *fragments):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("module", MODULES)
def test_prints_steps_and_samples_in_the_reference_form(module, names_path):
    out = run(module, "--steps", "3", "--samples", "4", "--data", str(names_path))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1] == "step    1 /    3 | loss 3.3660"  # with 3 steps, the first step's loss is the reference's too
    assert [line[:11] for line in lines[-4:]] == ["sample  1: ", "sample  2: ", "sample  3: ", "sample  4: "]


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("args, fragments", [
    (["--steps", "0"], ["--steps", "at least 1"]),
    (["--steps", "-5"], ["--steps", "at least 1"]),
    (["--steps", "2.5"], ["--steps", "not a whole number"]),
    (["--temperature", "0"], ["--temperature", "from 0.01 to 5"]),
    (["--temperature", "-1"], ["--temperature", "from 0.01 to 5"]),
    (["--temperature", "5e-324"], ["--temperature", "from 0.01 to 5"]),  # once: "Total of weights must be finite"
    (["--temperature", "6"], ["--temperature", "from 0.01 to 5"]),
    (["--lr", "abc"], ["--lr", "'abc' is not a number"]),
    (["--lr", "nan"], ["--lr", "from 1e-05 to 0.1"]),
    (["--lr", "1"], ["--lr", "from 1e-05 to 0.1"]),  # once: "ValueError: expected a positive input" at step 1-2
    (["--lr", "0"], ["--lr", "from 1e-05 to 0.1"]),
    (["--seed", "x"], ["--seed", "not a whole number"]),
    (["--bogus"], ["unrecognized arguments"]),
])
def test_bad_options_give_one_clear_line(module, args, fragments, names_path):
    assert_one_line_error(run(module, *args, "--data", str(names_path)), *fragments)


@pytest.mark.parametrize("module", MODULES)
def test_bad_data_files_give_one_clear_line(module, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("zoë\nrené\n".encode("latin-1"))
    assert_one_line_error(run(module, "--data", str(empty)), "empty.txt", "no names")
    assert_one_line_error(run(module, "--data", str(latin1)), "latin1.txt", "not UTF-8")
    assert_one_line_error(run(module, "--data", str(tmp_path / "nope.txt")), "nope.txt", "No such file")
    assert_one_line_error(run(module, env={"MICROGPT_NAMES": str(tmp_path)}), "cannot read")


@pytest.mark.parametrize("module", MODULES)
def test_download_offline_says_how_to_supply_the_file(module, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path), "MICROGPT_NAMES_URL": "http://127.0.0.1:9/names.txt"}  # port 9: closed
    assert_one_line_error(run(module, env=env), "cannot download", "--data PATH")
    assert not (tmp_path / "microgpt" / "names.txt").exists()


@pytest.mark.parametrize("module", MODULES)
def test_download_with_wrong_sha256_is_refused_and_not_cached(module, tmp_path):
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "names.txt").write_text("emma\nolivia\nava\n")
    url, server = serve(tmp_path / "www")
    try:
        result = run(module, env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "MICROGPT_NAMES_URL": url + "names.txt"})
    finally:
        server.shutdown()
    assert_one_line_error(result, "not names.txt", scalar.NAMES_SHA256)
    assert not (tmp_path / "cache" / "microgpt" / "names.txt").exists()


def test_download_of_the_right_file_is_verified_and_cached(tmp_path, names_path):
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "names.txt").write_bytes(names_path.read_bytes())
    assert hashlib.sha256(names_path.read_bytes()).hexdigest() == scalar.NAMES_SHA256
    url, server = serve(tmp_path / "www")
    try:
        env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "MICROGPT_NAMES_URL": url + "names.txt"}
        first = run("microgpt.matrix", "--steps", "1", "--samples", "1", env=env)
    finally:
        server.shutdown()
    assert first.returncode == 0, first.stderr
    cached = tmp_path / "cache" / "microgpt" / "names.txt"
    assert cached.read_bytes() == names_path.read_bytes()
    again = run("microgpt.matrix", "--steps", "1", "--samples", "1", env=env)  # server gone: the cache serves
    assert again.returncode == 0 and again.stdout == first.stdout


@pytest.mark.parametrize("module", MODULES)
def test_the_limits_train_and_sample(module, names_path):
    """The ends of LIMITS are accepted and run: the largest learning rate, the coldest and hottest temperature."""
    for args in (["--lr", "0.1"], ["--temperature", "0.01"], ["--temperature", "5"]):
        out = run(module, "--steps", "3", "--samples", "2", *args, "--data", str(names_path))
        assert out.returncode == 0, out.stderr
        assert out.stdout.splitlines()[-1].startswith("sample  2: ")


def test_both_files_declare_the_same_limits():
    from microgpt import matrix
    assert scalar.LIMITS == matrix.LIMITS
    assert set(scalar.LIMITS) == {"--steps", "--seed", "--lr", "--temperature", "--samples"}


@pytest.mark.parametrize("name", ["scalar", "matrix"])
def test_divergence_is_one_line_naming_the_step(name, names_path, monkeypatch, capsys):
    """Beyond LIMITS a learning rate of 1 drives a probability to 0 (log(0)): main says so, no traceback."""
    import importlib
    module = importlib.import_module(f"microgpt.{name}")
    monkeypatch.setitem(module.LIMITS, "--lr", (1e-5, 10.0))
    with pytest.raises(SystemExit) as exit_:
        module.main(["--lr", "1", "--steps", "30", "--data", str(names_path)])
    message = str(exit_.value.code)
    assert message.startswith("microgpt: training diverged at step "), message
    assert message.endswith(" (the loss became infinite): try a smaller learning rate")
    step = int(message.split("step ")[1].split(" ")[0])
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("step")]
    assert len(printed) == step - 1 and 1 < step <= 30  # every step before the failing one was printed


def test_the_trainers_recorded_run_is_what_the_cli_prints(site_dir, names_path):
    """The fallback shown where Pyodide cannot run is the command line's own default run, loss for loss."""
    import json as _json
    rec = _json.loads((site_dir / "assets" / "microgpt" / "recorded-run.json").read_text())
    out = subprocess.run([sys.executable, "-m", "microgpt.matrix", "--data", str(names_path)],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    losses = [float(m) for m in re.findall(r"\| loss ([0-9.]+)", out)]
    samples = re.findall(r"^sample +\d+: (.*)$", out, re.M)
    assert len(losses) == len(rec["losses"]) == 1000
    assert all(abs(a - b) <= 5.1e-5 for a, b in zip(losses, rec["losses"]))  # the CLI prints 4 decimals, the record 6
    assert samples == rec["samples"]
