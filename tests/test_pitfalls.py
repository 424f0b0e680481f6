"""Environment errors said in one line with their fix (``harness.pitfalls``)."""

from __future__ import annotations

import numpy as np
import pytest

from harness import pitfalls


def raised(code: str) -> BaseException:
    try:
        exec(code, {"np": np})
    except Exception as exc:
        return exc
    raise AssertionError(f"{code!r} did not raise")


@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize(("code", "words"), [
    ("np.int", "np.int was removed in NumPy 1.24: use int (or np.int64)"),
    ("np.float(3)", "np.float was removed in NumPy 1.24: use float (or np.float64)"),
    ("np.object", "np.object was removed in NumPy 1.24: use object"),
    ("np.NaN", "np.NaN was removed in NumPy 2.0: use np.nan"),
])
def test_a_removed_numpy_alias_is_one_line_with_what_to_write(code, words):
    text = pitfalls.explain(raised(code))
    assert text == words and "\n" not in text


@pytest.mark.parametrize("code", ["range(7 / 2)", "[1, 2, 3][: 4 / 2]",
                                  "np.zeros((2, 6 / 4))", "np.arange(4)[5 / 2]"])
def test_a_float_used_as_a_size_or_index_points_at_python2_division(code):
    text = pitfalls.explain(raised(code))
    assert text.endswith("looks like Python 2 division: use // for an integer")
    assert "\n" not in text


@pytest.mark.parametrize("code", ["np.no_such_thing", "int('x')", "[1][3]", "len(5)"])
def test_other_errors_keep_their_own_message(code):
    exc = raised(code)
    assert pitfalls.explain(exc) == ""
    assert pitfalls.describe(exc) == f"{type(exc).__name__}: {exc}"
