"""tox.ini: one environment per backend, each running the suite or, given arguments,
the checks of one submission."""

from __future__ import annotations

import configparser
from pathlib import Path

TOX_INI = Path(__file__).resolve().parents[2] / "tox.ini"


def tox() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(TOX_INI)
    return parser


def deps(env: str) -> set[str]:
    """Every requirement an environment installs, its own and the base ones."""
    parser = tox()
    lines = parser.get(f"testenv:{env}", "deps", fallback="") or ""
    found = {line.strip() for line in lines.splitlines() if line.strip()}
    if not found or "{[testenv]deps}" in found:
        found.discard("{[testenv]deps}")
        found |= {line.strip() for line in parser["testenv"]["deps"].splitlines()
                  if line.strip()}
    return found


def test_one_environment_per_backend():
    envs = [e.strip() for e in tox()["tox"]["env_list"].split(",")]

    assert envs == ["numpy", "torch", "tensorflow", "all"]
    assert tox()["tox"]["skip_missing_interpreters"] == "true"


def test_numpy_environment_installs_no_framework():
    assert not any(d.startswith(("torch", "tensorflow")) for d in deps("numpy"))


def test_framework_environments_pin_the_cpu_builds():
    assert "torch==2.13.0" in deps("torch")
    assert any(d.startswith("tensorflow-cpu") for d in deps("tensorflow"))
    assert {"torch==2.13.0"} <= deps("all")
    assert any(d.startswith("tensorflow-cpu") for d in deps("all"))
    assert not any(d.split("=")[0].split(">")[0] == "torch" for d in deps("tensorflow"))


def test_arguments_replace_the_project_suite():
    command = tox()["testenv"]["commands"].strip()

    assert command == "pytest -p no:cacheprovider {posargs:-n auto tests}"


def test_work_dir_is_opened_for_the_sandbox_user():
    pre = tox()["testenv"]["commands_pre"]

    assert "os.chmod(sys.argv[1], 0o755)" in pre and pre.strip().endswith("{work_dir}")
