"""The corpus table's cells: what benchmarks/corpus.py reports for a repository."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from corpus import Entry, Result, load_failure, table

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


def test_the_summary_counts_the_repositories_that_need_an_adapter_file(tmp_path):
    (tmp_path / "glue.py").write_text("# a comment\nimport numpy\n\nADAPTER = None\n")
    by_file = Entry("a/lib", "0" * 40, "classes", (), "lib", ("ReLU",), adapter_file="glue.py")
    built_in = Entry("b/lib", "1" * 40, "classes", (), "lib", ("ReLU",), adapter="classes")
    summary = table([Result(by_file, passed=["ReLU"]), Result(built_in, passed=["ReLU"])],
                    tmp_path).splitlines()[-1]
    assert "1 (50%) wholly drivable" in summary
    assert "1 needs an adapter file, 1 of them wholly driven by it (the largest 2 lines)" in summary
