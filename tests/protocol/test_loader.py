"""The program loader: the manifest checked key by key, the build's first error."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from harness import loaders
from harness.loaders.program import first_error, is_program
from harness.sandbox import confinement

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

RUSTC = """\
   Compiling seed v0.1.0
warning: unused variable: `y`
error[E0425]: cannot find value `dz` in this scope
  --> src/main.rs:41:19
   |
error: could not compile `seed` due to 1 previous error
"""
GXX = """\
layers.cpp: In function 'int main()':
layers.cpp:5:42: error: expected ';' before 'return'
layers.cpp:6:12: error: 'undeclared' was not declared in this scope
"""


def test_the_first_error_of_rustc_comes_with_its_location():
    assert first_error(RUSTC) == ("error[E0425]: cannot find value `dz` in this scope "
                                  "--> src/main.rs:41:19")


def test_the_first_error_of_gxx_is_its_first_error_line():
    assert first_error(GXX) == "layers.cpp:5:42: error: expected ';' before 'return'"


def test_without_an_error_line_the_last_line_is_shown():
    assert first_error("make: *** [all] Killed\n\n") == "make: *** [all] Killed"


@pytest.mark.parametrize(("manifest", "says"), [
    ("", "needs run ="),
    ('run = "x"\ncolour = 1\n', "unknown key 'colour'"),
    ('run = "x"\ntimeout = -1\n', "timeout must be a positive number"),
    ('run = "x"\nbuild = 3\n', "build must be a string"),
    ("run = ", "cannot be read"),
])
def test_a_bad_manifest_is_the_submissions_error(tmp_path, manifest, says):
    (tmp_path / "backcheck.toml").write_text(manifest)
    submission = loaders.load(str(tmp_path))
    assert says in submission.error


def test_a_folder_or_its_manifest_is_a_program(tmp_path):
    (tmp_path / "backcheck.toml").write_text('run = "true"\n')
    assert is_program(str(tmp_path)) and is_program(str(tmp_path / "backcheck.toml"))
    assert not is_program(str(tmp_path.parent))


def test_a_build_that_fails_leaves_the_submission_untouched(tmp_path):
    (tmp_path / "backcheck.toml").write_text(
        f'build = "echo oops: error: no > built.txt; exit 2"\nrun = "{sys.executable}"\n')
    submission = loaders.load(str(tmp_path))
    assert submission.error.startswith("build failed (`echo oops")
    assert "exited with status 2" in submission.error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backcheck.toml"]


def test_a_build_past_its_limit_is_killed_with_the_reason(tmp_path):
    (tmp_path / "backcheck.toml").write_text('build = "sleep 30"\nrun = "true"\n'
                                             "build_timeout = 0.5\n")
    assert "build timed out after 0.5 s" in loaders.load(str(tmp_path)).error


@pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")
def test_the_sandbox_binds_cargo_and_its_rustup_home_back():
    paths = confinement.toolchain_paths()
    assert os.path.dirname(os.path.realpath(shutil.which("cargo"))) in paths
    assert confinement.toolchain_env().get("RUSTUP_HOME") in paths


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_build_may_take_its_build_timeout_beyond_the_load_timeout(tmp_path, backcheck):
    folder = tmp_path / "slow-build"
    shutil.copytree(EXAMPLES / "js" / "layers", folder)
    (folder / "backcheck.toml").write_text(
        'build = "sleep 2"\nbuild_timeout = 60\nrun = "node layers.js"\n')
    run = backcheck("check", folder, "--layers", "Linear,ReLU", "--oracles", "fd",
                    "--isolation", "process", "--timeout", "1", "--json")
    assert run.code == 0, run.out[-800:]
    assert {c["verdict"] for c in json.loads(run.out)["checks"]} == {"pass"}
