"""The adapter examples in the README's Adapters section, run exactly as written there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness import cli

DOC = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE = re.compile(r"<!-- example:(?P<name>[\w.]+) -->\n```python\n(?P<code>.*?)```", re.S)


@pytest.fixture
def examples(tmp_path) -> Path:
    """Every ``<!-- example:NAME -->`` block of the page, written to ``tmp_path/NAME``."""
    found = {m["name"]: m["code"] for m in EXAMPLE.finditer(DOC.read_text(encoding="utf-8"))}
    assert {"tinylib.py", "tinylib_adapter.py", "mylib_adapter.py"} <= set(found)
    for name, code in found.items():
        (tmp_path / name).write_text(code)
    return tmp_path


def _check(folder: Path, capsys) -> tuple[int, dict]:
    code = cli.main(["check", str(folder / "tinylib.py"), "--adapter-file",
                     str(folder / "tinylib_adapter.py"), "--layers", "Linear,ReLU",
                     "--oracles", "fd", "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_the_written_adapter_passes_the_example_library(examples, capsys):
    code, report = _check(examples, capsys)
    assert code == 0 and report["adapter"] == "tinylib"
    assert {c["verdict"] for c in report["checks"]} == {"pass"}


def test_the_written_adapter_catches_a_transposed_dW(examples, capsys):
    library = examples / "tinylib.py"
    library.write_text(library.read_text().replace("x.T @ dout", "dout.T @ x"))
    code, report = _check(examples, capsys)
    assert code == 1
    failed = {c["quantity"] for c in report["checks"] if c["verdict"] != "pass"}
    assert failed == {"dW"}
    assert any("transpose" in c["hint"] for c in report["checks"] if c["quantity"] == "dW")


def test_the_conventions_file_is_a_valid_adapter(examples):
    from harness.adapters import from_file

    adapter = from_file(str(examples / "mylib_adapter.py"))
    assert adapter.name == "classes"
    assert adapter.conventions.loss_grad == "sum"
