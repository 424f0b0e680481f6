"""The corpus table's cells: what benchmarks/corpus.py reports for a repository."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from corpus import load_failure

PYTHON2 = ("load: network.py failed to load: network.py has a SyntaxError at line 64: "
           "Missing parentheses in call to 'print'. Did you mean print(...)? (looks like "
           "Python 2: a print statement; backcheck runs Python 3)")


def test_a_python2_load_error_keeps_its_diagnosis():
    """The original book repository's row must say why it does not load, not stop at
    '(looks like Python 2:'."""
    report = {"checks": [{"message": PYTHON2}, {"message": PYTHON2}]}
    assert load_failure(report).endswith("backcheck runs Python 3)")


def test_a_long_load_error_is_cut_with_an_ellipsis():
    long = "load: " + "x" * 500
    cut = load_failure({"checks": [{"message": long}]})
    assert cut.endswith("…") and len(cut) < len(long)


def test_no_load_error_when_some_check_ran():
    assert load_failure({"checks": [{"message": PYTHON2}, {"message": ""}]}) == ""
