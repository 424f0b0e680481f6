"""A submission that patches backcheck's own child-side code changes nothing.

At import (adapter classes, ``inspect``, NumPy) or while a layer runs (the adapter's
runner, the wire encoder, the codec, NumPy), whatever it replaces is put back before
anything else of backcheck uses it: every correct layer still passes, in the same
child, and the report names what was replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.test_corpus import grade, verdicts

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")

PATCHING = Path(__file__).parent / "patching"
REPLACED = {
    "patch_adapters_at_import": ("at import", "harness.adapters.native.NativeAdapter.runner",
                                 "inspect.isclass", "numpy.asarray"),
    "patch_harness_mid_check": ("Linear replaced", "harness.adapters.native.run_layer",
                                "harness.sandbox.wire.encode", "harness.sandbox.codec.pack_outcome",
                                "harness.adapters.native.NativeAdapter.runner", "numpy.zeros_like"),
}


@pytest.mark.parametrize("name", sorted(REPLACED))
def test_patching_backcheck_in_the_child_changes_no_verdict(name, tmp_path, monkeypatch,
                                                             capsys):
    monkeypatch.chdir(tmp_path)
    report, _, code = grade(PATCHING / f"{name}.py", capsys)
    assert code == 0 and report["status"] == "graded"
    assert verdicts(report) == {"Linear": {"pass"}, "ReLU": {"pass"}}
    assert report["passed"]
    (note,) = [n for n in report["notes"] if "replaced" in n]
    assert all(part in note for part in REPLACED[name]), note
