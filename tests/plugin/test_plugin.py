"""The pytest plugin end to end: pytest runs in a subprocess on sample implementations.

Outcomes are read back from the JUnit XML, so the serial and the pytest-xdist runs
are compared test by test.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness import engine, specs
from harness.result import FAIL
from harness.target import Target

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "plugin"
CORRECT = FIXTURES / "correct.py"
TRANSPOSED = FIXTURES / "transposed_dw.py"
FAST = ("--backcheck-oracles", "fd", "--backcheck-layers", "Linear,ReLU")


@dataclass
class Run:
    """One pytest run: exit code, output, and every test's outcome from the JUnit XML."""

    code: int
    out: str
    outcomes: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    skips: dict[str, str] = field(default_factory=dict)
    properties: dict[str, dict[str, str]] = field(default_factory=dict)
    classnames: dict[str, str] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def hermetic(pytester, monkeypatch):
    """A rootdir of the test's own (even under a tox temp dir), and no disk cache."""
    pytester.makeini("[pytest]\n")
    monkeypatch.setenv("BACKCHECK_CACHE", "off")


def run(pytester: pytest.Pytester, *args: str) -> Run:
    """``pytest ARGS --junitxml`` in a subprocess, with the results parsed."""
    xml = pytester.path / "junit.xml"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--junitxml={xml}",
                                           *args)
    found = Run(int(result.ret), result.stdout.str())
    if xml.exists():
        for case in ET.parse(xml).iter("testcase"):
            _record(found, case)
    return found


def _record(found: Run, case: ET.Element) -> None:
    name = case.get("name", "")
    test_id = name.removeprefix("test_gradient[").removesuffix("]")
    found.classnames[test_id] = case.get("classname", "")
    found.properties[test_id] = {p.get("name"): p.get("value")
                                 for p in case.iter("property")}
    failure, skipped = case.find("failure"), case.find("skipped")
    if failure is not None:
        found.outcomes[test_id] = "failed"
        found.failures[test_id] = failure.text or ""
    elif skipped is not None:
        found.outcomes[test_id] = "skipped"
        found.skips[test_id] = skipped.get("message", "")
    elif case.find("error") is not None:
        found.outcomes[test_id] = "error"
    else:
        found.outcomes[test_id] = "passed"


def expected_ids(layers: list[str], dtypes: list[str], oracles: list[str]) -> set[str]:
    """Every test id the plugin should collect, built from the catalog."""
    with_dtype = len(dtypes) > 1
    ids = set()
    for spec in specs.select(layers):
        for index in range(len(spec.variants)):
            for dtype in dtypes:
                case = f"{spec.name}-case{index}" + (f"-{dtype}" if with_dtype else "")
                ids |= {f"{case}-{q}-{o}" for q in spec.quantities for o in oracles}
    return ids


def transposed_dw_ids(oracle: str = "fd") -> set[str]:
    """The ids a Linear with a transposed dW must fail: dW of every case and dtype."""
    return {i for i in expected_ids(["Linear"], ["float32", "float64"], [oracle])
            if i.endswith(f"-dW-{oracle}")}


def test_correct_implementation_passes_every_check(pytester):
    found = run(pytester, "--backcheck-impl", str(CORRECT), *FAST)

    assert found.code == 0, found.out
    assert set(found.outcomes) == expected_ids(["Linear", "ReLU"], ["float32", "float64"],
                                               ["fd"])
    assert set(found.outcomes.values()) == {"passed"}


def test_transposed_dw_fails_exactly_the_dw_checks(pytester):
    found = run(pytester, "--backcheck-impl", str(TRANSPOSED), *FAST)

    assert found.code == 1
    failed = {i for i, outcome in found.outcomes.items() if outcome == "failed"}
    assert failed == transposed_dw_ids()
    assert set(found.outcomes) - failed
    assert all(found.outcomes[i] == "passed" for i in set(found.outcomes) - failed)


def test_xdist_gives_the_same_outcomes_as_serial(pytester):
    pytest.importorskip("xdist")
    serial = run(pytester, "--backcheck-impl", str(TRANSPOSED), *FAST)
    parallel = run(pytester, "--backcheck-impl", str(TRANSPOSED), *FAST, "-n", "2")

    assert "2 workers" in parallel.out
    assert parallel.code == serial.code == 1
    assert parallel.outcomes == serial.outcomes
    assert parallel.failures == serial.failures


def test_junit_xml_names_the_failing_layer_and_quantity(pytester):
    found = run(pytester, "--backcheck-impl", str(TRANSPOSED), *FAST)

    test_id = "Linear-case1-float64-dW-fd"
    assert found.outcomes[test_id] == "failed"
    assert found.classnames[test_id] == "backcheck.Linear"
    props = found.properties[test_id]
    assert (props["layer"], props["quantity"], props["oracle"]) == ("Linear", "dW", "fd")
    assert (props["case"], props["dtype"], props["verdict"]) == ("1", "float64", FAIL)


def test_failure_text_is_the_checks_explanation(pytester):
    result = engine.check(Target(str(TRANSPOSED)), specs.select(["Linear"]), ["float64"],
                          ["fd"])
    check = next(c for c in result.checks if c.verdict == FAIL and c.case == 1)

    found = run(pytester, "--backcheck-impl", str(TRANSPOSED), "--backcheck-oracles", "fd",
                "--backcheck-layers", "Linear", "--backcheck-dtype", "float64")

    text = found.failures[f"Linear-case1-{check.quantity}-fd"]
    assert text.splitlines()[0] == check.explain()
    assert "transpose" in check.explain()


def test_one_dtype_leaves_it_out_of_the_ids(pytester):
    found = run(pytester, "--backcheck-impl", str(CORRECT), *FAST,
                "--backcheck-dtype", "float32")

    assert set(found.outcomes) == expected_ids(["Linear", "ReLU"], ["float32"], ["fd"])
    assert "Linear-case2-dW-fd" in found.outcomes


def test_missing_frameworks_skip_with_the_reason(pytester):
    pytester.makeconftest("""
        import sys
        sys.modules["torch"] = None  # as if not installed: find_spec gives None
        sys.modules["tensorflow"] = None
    """)
    found = run(pytester, "--backcheck-impl", str(CORRECT), "--backcheck-layers", "ReLU",
                "--backcheck-oracles", "fd,torch,tensorflow")

    assert found.code == 0, found.out
    assert {found.outcomes[i] for i in found.outcomes if i.endswith("-fd")} == {"passed"}
    torch_skips = {found.skips[i] for i in found.outcomes if i.endswith("-torch")}
    assert len(torch_skips) == 1
    assert "PyTorch is not installed" in torch_skips.pop()
    assert all("TensorFlow is not installed" in found.skips[i]
               for i in found.outcomes if i.endswith("-tensorflow"))


def test_report_header_names_implementation_adapter_and_oracles(pytester):
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--co", "--backcheck-impl", str(CORRECT),
        "--backcheck-adapter", "native", *FAST)

    result.stdout.fnmatch_lines([
        f"backcheck: implementation {CORRECT}, adapter native, isolation none",
        "backcheck: layers Linear, ReLU; dtypes float32, float64",
        "backcheck: oracles fd (numpy-*)",
    ])


def test_failing_case_shows_its_shapes_and_how_to_rerun_it(pytester):
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--backcheck-impl", str(TRANSPOSED), *FAST,
        "--backcheck-dtype", "float64", "-k", "Linear-case1-dW-fd")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*- backcheck case -*",
        "Linear case 1 (float64): x(*), W(*), b(*); seed *; adapter native",
        "rerun only this check: add -k 'Linear-case1-dW-fd'",
    ])


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--backcheck-layers", "Lineer", "backcheck: unknown layer 'Lineer'*"),
    ("--backcheck-oracles", "fd,jaxx", "backcheck: unknown oracle 'jaxx'*"),
    ("--backcheck-adapter", "nope", "backcheck: unknown adapter 'nope'*"),
])
def test_bad_selection_stops_pytest_with_one_line(pytester, option, value, message):
    result = pytester.runpytest_subprocess("--backcheck-impl", str(CORRECT), option, value)

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])
    assert "Traceback" not in result.stderr.str()


def test_missing_implementation_stops_pytest_with_one_line(pytester):
    result = pytester.runpytest_subprocess("--backcheck-impl", "no_such_file.py")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: backcheck: no_such_file.py: no such file*"])


def test_unloadable_adapter_file_stops_pytest_with_one_line(pytester):
    broken = pytester.makepyfile(broken_adapter="raise ImportError('oops')\n")
    result = pytester.runpytest_subprocess("--backcheck-impl", str(CORRECT),
                                           "--backcheck-adapter-file", str(broken))

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([
        f"ERROR: backcheck: {broken}:1: adapter file failed to import: ImportError: oops"])


def test_sandboxed_run_gives_the_same_outcomes(pytester):
    serial = run(pytester, "--backcheck-impl", str(TRANSPOSED), *FAST)
    sandboxed = run(pytester, "--backcheck-impl", str(TRANSPOSED), *FAST,
                    "--backcheck-isolation", "process")

    assert sandboxed.outcomes == serial.outcomes
    assert "isolation process" in sandboxed.out


def test_without_the_option_ordinary_tests_run_alone(pytester):
    pytester.makepyfile(test_plain="def test_one():\n    assert True\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)
    assert "backcheck:" not in result.stdout.str()


def test_checks_replace_default_tests_but_join_explicit_paths(pytester):
    plain = pytester.makepyfile(test_plain="def test_one():\n    assert True\n")
    args = ("-p", "no:cacheprovider", "--backcheck-impl", str(CORRECT),
            "--backcheck-oracles", "fd", "--backcheck-layers", "ReLU",
            "--backcheck-dtype", "float64")
    relu = len(expected_ids(["ReLU"], ["float64"], ["fd"]))

    pytester.runpytest_subprocess(*args).assert_outcomes(passed=relu)
    pytester.runpytest_subprocess(*args, str(plain)).assert_outcomes(passed=relu + 1)


@pytest.mark.slow
def test_torch_oracle_catches_the_transposed_dw(pytester):
    pytest.importorskip("torch")
    found = run(pytester, "--backcheck-impl", str(TRANSPOSED), "--backcheck-oracles",
                "fd,torch", "--backcheck-layers", "Linear")

    failed = {i for i, outcome in found.outcomes.items() if outcome == "failed"}
    assert failed == transposed_dw_ids("fd") | transposed_dw_ids("torch")


def test_plugin_module_imports_nothing_heavy():
    code = ("import sys, harness.plugin; "
            "print(sorted(m for m in ('numpy', 'torch', 'tensorflow') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)

    assert done.stdout.strip() == "[]", done.stderr


def test_collection_imports_no_framework(pytester):
    pytester.makeconftest("""
        import sys

        def pytest_collection_finish(session):
            loaded = [m for m in ("torch", "tensorflow") if m in sys.modules]
            print(f"FRAMEWORKS LOADED {loaded} FOR {len(session.items)} TESTS")
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--co", "-s",
                                           "--backcheck-impl", str(CORRECT))

    result.stdout.fnmatch_lines(["FRAMEWORKS LOADED [[][]] FOR * TESTS"])


ONEHOT = FIXTURES.parent / "messages" / "onehot_loss.py"
ONEHOT_COURSE = FIXTURES.parent / "rubrics" / "onehot-course.toml"
ONEHOT_FAST = ("--backcheck-oracles", "fd", "--backcheck-layers", "CrossEntropy",
               "--backcheck-dtype", "float64")


def test_declared_conventions_are_honoured(pytester):
    undeclared = run(pytester, "--backcheck-impl", str(ONEHOT), *ONEHOT_FAST)
    assert undeclared.code == 1
    told = "declare it: --adapter classes:CrossEntropy.targets=onehot"
    assert all(told in " ".join(undeclared.failures[i].split())
               for i in ("CrossEntropy-case0-out-fd", "CrossEntropy-case0-dx-fd"))
    declared = run(pytester, "--backcheck-impl", str(ONEHOT), *ONEHOT_FAST,
                   "--backcheck-adapter", "classes:CrossEntropy.targets=onehot")
    assert declared.code == 0, declared.out
    assert set(declared.outcomes.values()) == {"passed"} and len(declared.outcomes) == 6


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_the_rubric_adapter_and_cases_are_honoured(pytester, isolation):
    found = run(pytester, "--backcheck-impl", str(ONEHOT), *ONEHOT_FAST,
                "--backcheck-rubric", str(ONEHOT_COURSE), "--backcheck-isolation", isolation)
    assert found.code == 0, found.out
    assert set(found.outcomes) == {f"CrossEntropy-case{c}-{q}-fd" for c in (1, 2)
                                   for q in ("out", "dx")}
    overridden = run(pytester, "--backcheck-impl", str(ONEHOT), *ONEHOT_FAST,
                     "--backcheck-rubric", str(ONEHOT_COURSE), "--backcheck-adapter", "classes",
                     "--backcheck-cases", "CrossEntropy:N=1")
    assert overridden.code == 1
    assert set(overridden.outcomes) == {"CrossEntropy-case0-out-fd", "CrossEntropy-case0-dx-fd"}


def test_a_bad_rubric_stops_pytest_with_one_line(pytester, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('version = 1\nname = "b"\nadapter = "classes:targets=one-hot"\n')
    result = pytester.runpytest_subprocess("--backcheck-impl", str(ONEHOT),
                                           "--backcheck-rubric", str(bad))
    assert result.ret != 0
    assert "bad.toml: adapter = 'classes:targets=one-hot'" in result.stderr.str()
