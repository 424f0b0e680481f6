"""The pytest plugin honours ``--backcheck-path``, ``--backcheck-cases`` and an adapter
file's unsupported cases (skipped, not failed)."""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "submissions" / "loading"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "adapters.md"


def doc_adapter(tmp_path: Path) -> Path:
    """The adapter file of docs/adapters.md "Writing an adapter file", exactly."""
    block = re.search(r"```python\n(# quill_adapter\.py.*?)```", DOCS.read_text(), re.S)
    path = tmp_path / "quill_adapter.py"
    path.write_text(block[1])
    return path


def test_the_plugin_honours_path_cases_and_unsupported(pytester, tmp_path):
    adapter = doc_adapter(tmp_path)
    result = pytester.runpytest_subprocess(
        "--backcheck-impl", str(HERE / "quill" / "quill.py"),
        "--backcheck-adapter-file", str(adapter), "--backcheck-layers", "Conv2d",
        "--backcheck-oracles", "fd", "--backcheck-dtype", "float64",
        "--backcheck-cases", "Conv2d:stride=1")
    result.assert_outcomes(passed=4, skipped=4)
    extra = pytester.runpytest_subprocess(
        "--backcheck-impl", str(HERE / "uses_extra_lib.py"),
        "--backcheck-path", str(HERE / "extra_lib"), "--backcheck-layers", "Linear",
        "--backcheck-oracles", "fd", "--backcheck-dtype", "float64")
    extra.assert_outcomes(passed=16)


def test_the_plugin_loads_python2_code_through_a_translating_adapter_file(pytester):
    root = Path(__file__).resolve().parents[2]
    flags = ("--backcheck-layers", "SigmoidNet", "--backcheck-oracles", "fd",
             "--backcheck-dtype", "float64")
    network = root / "tests" / "fixtures" / "book" / "network_python2.py"
    result = pytester.runpytest_subprocess(
        "--backcheck-impl", str(network), *flags,
        "--backcheck-adapter-file", str(root / "benchmarks" / "adapters" / "python2.py"))
    result.assert_outcomes(passed=15)
    untranslated = pytester.runpytest_subprocess("--backcheck-impl", str(network), *flags)
    untranslated.assert_outcomes(failed=15)


def test_the_plugin_takes_the_adapter_file_a_course_rubric_names(pytester, tmp_path):
    root = Path(__file__).resolve().parents[2]
    (tmp_path / "python2.py").write_text((root / "benchmarks" / "adapters" / "python2.py")
                                         .read_text())
    rubric = tmp_path / "course.toml"
    rubric.write_text('version = 1\nname = "book"\nlayers = ["SigmoidNet"]\n'
                      'adapter_file = "python2.py"\n')
    result = pytester.runpytest_subprocess(
        "--backcheck-impl", str(root / "tests" / "fixtures" / "book" / "network_python2.py"),
        "--backcheck-rubric", str(rubric), "--backcheck-layers", "SigmoidNet",
        "--backcheck-oracles", "fd", "--backcheck-dtype", "float64")
    result.assert_outcomes(passed=15)
