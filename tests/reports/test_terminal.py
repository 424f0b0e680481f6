"""The terminal report of ``check`` puts a library's real failures where people look:
wrong values first, then code that raised, then stubs; layers it never defines in one
line, never in the paragraphs that are limited to ``MAX_DETAILS``."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from rich.console import Console

from harness.cli import main
from harness.comparison import compare
from harness.reports import json as json_report
from harness.reports import terminal
from harness.result import ERROR, FAIL, MISSING, PASS, Check, Result
from harness.tolerance import for_dtype

MUTANTS = Path(__file__).parents[1] / "diagnosis" / "mutants"
ABSENT = [f"Layer{i}" for i in range(terminal.MAX_DETAILS + 5)]


def check(layer: str, verdict: str, message: str = "", quantity: str = "dx") -> Check:
    comparison = None
    if verdict in (FAIL, PASS):
        wrong = 2.0 if verdict == FAIL else 1.0
        comparison = compare([[wrong]], [[1.0]], for_dtype("float64"))
    return Check(layer, 0, "float64", quantity, "fd", verdict, comparison=comparison,
                 message=message)


def undefined(layer: str) -> Check:
    return check(layer, MISSING, f"not-implemented: {layer} is not defined in mylib/")


def printed(result: Result) -> str:
    out = io.StringIO()
    terminal.render(result, Console(file=out, width=1000))
    return out.getvalue()


def library_result() -> Result:
    """What a library checked against the whole catalog gives: most layers absent, one
    stub, one layer that raises and one with a wrong gradient, in catalog order."""
    checks = [*map(undefined, ABSENT),
              check("Dropout", MISSING, "not-implemented: Dropout.backward is not implemented"),
              check("Linear", ERROR, "exception: Linear.backward raised KeyError: 'W'"),
              check("Linear", PASS, quantity="out"),
              check("BatchNorm", FAIL)]
    return Result("mylib", "native", checks)


def test_wrong_values_come_first_then_errors_then_stubs():
    text = printed(library_result())
    order = [text.index(f"{layer}-case0-dx-fd") for layer in ("BatchNorm", "Linear", "Dropout")]
    assert order == sorted(order)


def test_layers_never_defined_take_one_line_and_no_paragraph():
    text = printed(library_result())
    assert "Layer0-case0" not in text and "more failures" not in text
    line = next(row for row in text.splitlines() if row.startswith("not defined in mylib/:"))
    shown = ", ".join(ABSENT[:terminal.SHOWN_UNDEFINED])
    assert line == (f"not defined in mylib/: {shown}, ... ({len(ABSENT)} layers; check "
                    "only yours with --layers Dropout,Linear,BatchNorm)")


def test_a_stub_is_not_taken_for_an_undefined_layer():
    text = printed(library_result())
    assert "Dropout.backward is not implemented" in text
    assert "Dropout," not in text.split("not defined in mylib/:")[1].split("(")[0]


def test_the_failures_past_the_limit_are_counted():
    checks = [check(f"Layer{i}", FAIL) for i in range(terminal.MAX_DETAILS + 3)]
    assert "... 3 more failures; use --json" in printed(Result("mylib", "native", checks))


def test_the_json_report_still_holds_every_check():
    result = library_result()
    assert len(json_report.to_dict(result)["checks"]) == len(result.checks)


def test_check_of_a_library_without_layers_shows_its_wrong_gradient(tmp_path, monkeypatch,
                                                                    capsys):
    library = tmp_path / "mylib"
    library.mkdir()
    shutil.copy(MUTANTS / "batchnorm_no_var_term.py", library / "norm.py")
    monkeypatch.chdir(tmp_path)
    args = ["check", str(library), "--oracles", "fd", "--dtype", "float64"]
    main(args)
    text = capsys.readouterr().out
    assert "BatchNorm-case0-dx-fd" in text and "drops the gradient through the variance" in text
    assert "is not defined in" not in text and "ReLU-case0" not in text
    assert "layers; check only yours with --layers BatchNorm)" in text
    main([*args, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert "not-implemented: ReLU is not defined in mylib/" in {
        c["message"] for c in report["checks"]}
