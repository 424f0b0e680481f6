"""A submission that exits or runs out of memory while loading: the report says so.

Whatever still loads after ``sys.exit()`` or a ``MemoryError`` at import is graded, but
never silently: ``backcheck check`` (in-process), ``backcheck grade`` (sandboxed) and
the JSON report all carry a note naming the file, what happened and the line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness import cli
from tests.hostile.test_corpus import grade

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")

ENDINGS = Path(__file__).parent / "endings"
NOTES = {
    "exit_at_line_3.py":
        "exit_at_line_3.py called sys.exit(0) at line 3 while loading; the rest still loaded",
    "memory_error_at_line_3.py":
        "memory_error_at_line_3.py ran out of memory (MemoryError: cannot allocate the "
        "training set) at line 3 while loading; the rest still loaded",
    "exit_in_package":
        "layers.py called sys.exit(0) at line 3 while loading; the rest of it did not run",
}


@pytest.mark.parametrize("name", sorted(NOTES))
def test_check_in_process_says_what_happened(name, capsys):
    code = cli.main(["check", str(ENDINGS / name), "--layers", "Linear", "--oracles", "fd",
                     "--json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert NOTES[name] in json.loads(out)["notes"]
    assert code == (1 if name == "exit_in_package" else 0)


@pytest.mark.parametrize("name", sorted(NOTES))
def test_grade_in_the_sandbox_says_what_happened_in_its_json_report(name, tmp_path,
                                                                    monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    report, _, code = grade(ENDINGS / name, capsys)
    assert code == 0 and report["status"] == "graded"
    assert NOTES[name] in report["notes"]
    assert report["passed"] == (name != "exit_in_package")
