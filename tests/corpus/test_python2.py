"""Python 2 code, as the book's first edition wrote it, loaded through the corpus's
adapter file that translates it (``benchmarks/adapters/python2.py``): by ``check`` in
process and sandboxed, and by ``grade`` and ``batch``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from harness import engine, isolation, specs
from harness.result import PASS
from harness.sandbox.limits import Limits
from harness.target import Target
from tests.sandbox.conftest import needs_fork

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import Entry, adapter_lines  # noqa: E402

PYTHON2 = ROOT / "tests" / "fixtures" / "book" / "network_python2.py"
ADAPTER = ROOT / "benchmarks" / "adapters" / "python2.py"
BUG = ("delta = (activations[-1] - y) * squash_prime(zs[-1])",
       "delta = activations[-1] - y")
"""The one-bug twin: the output error without the sigmoid's slope."""


def check(path: Path, adapter_file: Path | None = ADAPTER, executor=None):
    prepared = engine.prepare(specs.select(["SigmoidNet"]), ["float32", "float64"], ["fd"])
    target = Target(str(path), adapter_file=str(adapter_file) if adapter_file else None)
    return engine.run(target, prepared, **({"executor": executor} if executor else {}))


def failing(result) -> set[str]:
    return {c.quantity for c in result.checks if c.verdict != PASS}


@pytest.fixture
def buggy(tmp_path) -> Path:
    path = tmp_path / "network_python2.py"
    source = PYTHON2.read_text()
    assert BUG[0] in source
    path.write_text(source.replace(*BUG))
    return path


def test_without_the_adapter_file_it_does_not_load_and_says_why():
    result = check(PYTHON2, adapter_file=None)
    assert not any(c.passed for c in result.checks)
    assert "looks like Python 2: a print statement" in result.checks[0].message


def test_translated_it_passes_every_check():
    result = check(PYTHON2)
    assert result.adapter == "book"
    assert result.checks and failing(result) == set(), result.checks[0].message


def test_translated_its_missing_slope_fails_every_gradient_and_not_the_output(buggy):
    assert failing(check(buggy)) == {"dW1", "db1", "dW2", "db2"}


@needs_fork
def test_the_sandbox_translates_it_too(buggy):
    sandbox = isolation.executor("process", Limits(timeout=30.0, memory_mb=1024))
    assert failing(check(PYTHON2, executor=sandbox)) == set()
    assert failing(check(buggy, executor=sandbox)) == failing(check(buggy))


@needs_fork
@pytest.mark.slow
def test_grade_and_batch_give_full_marks_translated(backcheck, tmp_path):
    flags = ("--adapter-file", ADAPTER, "--layers", "SigmoidNet", "--oracles", "fd",
             "--isolation", "process", "--timeout", "60")
    graded = backcheck("grade", PYTHON2, *flags, "--format", "json", "--out", tmp_path / "g")
    assert graded.code == 0, graded.err
    report = json.loads((tmp_path / "g" / "grade.json").read_text())
    assert report["score"] == report["max_score"] > 0
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "network.py").write_text(PYTHON2.read_text())
    batch = backcheck("batch", tmp_path / "class", *flags, "--out", tmp_path / "b")
    assert batch.code == 0, batch.err
    graded = json.loads((tmp_path / "b" / "submissions" / "network.py" / "grade.json")
                        .read_text())
    assert graded["score"] == graded["max_score"] == report["max_score"]


def test_the_adapter_file_is_short():
    entry = Entry(repo="mnielsen/neural-networks-and-deep-learning", commit="", style="",
                  export=(), target="src/network.py", defined=("SigmoidNet",),
                  adapter_file=ADAPTER.name)
    assert 0 < adapter_lines(ADAPTER.parent, entry) <= 30


def test_a_folder_and_its_python2_modules_are_translated(tmp_path):
    folder = tmp_path / "frank"
    folder.mkdir()
    (folder / "network.py").write_text(PYTHON2.read_text())
    (folder / "helpers.py").write_text("def squares(n):\n    return [i * i for i in xrange(n)]\n")
    (folder / "__init__.py").write_text("from .helpers import squares\nprint 'loaded'\n")
    result = check(folder)
    assert result.checks and failing(result) == set(), result.checks[0].message
    assert not any("SyntaxError" in n for n in result.notes), result.notes


def test_a_syntax_error_left_by_the_translation_says_so(tmp_path):
    path = tmp_path / "network.py"
    path.write_text(PYTHON2.read_text() + "\ndef fail():\n    raise ValueError, 'no'\n")
    result = check(path)
    message = result.checks[0].message
    assert "SyntaxError" in message and "as the adapter file's translate() left it" in message


def test_an_adapter_file_whose_translate_cannot_give_back_python_is_bad_input(backcheck,
                                                                             tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("from harness.adapters.api import builtin, declare\n\n"
                      "def translate(source):\n    return None\n\n"
                      "ADAPTER = declare(builtin('book'), translate=translate)\n")
    ran = backcheck("batch", tmp_path, "--adapter-file", broken, "--layers", "SigmoidNet",
                    "--oracles", "fd", "--out", tmp_path / "out")
    assert ran.code == 3, ran.out + ran.err
    assert "translate() returned NoneType" in ran.err and "broken.py" in ran.err
    assert "Traceback" not in ran.err and not (tmp_path / "out" / "gradebook.csv").exists()
