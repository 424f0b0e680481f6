"""The language templates: the Python template's layers, every one reported missing."""

from __future__ import annotations

import shutil

import pytest
from programs import ROOT, check

from harness.specs import CATALOG

TEMPLATES = ROOT / "student_template"


@pytest.mark.slow
@pytest.mark.parametrize(("language", "tool"), [("rust", "cargo"), ("js", "node"),
                                                ("cpp", "g++")])
def test_an_untouched_template_declares_every_layer_and_each_is_missing(language, tool):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    result = check(TEMPLATES / language, list(CATALOG), dtypes=["float64"])
    assert result.adapter == "protocol"
    assert {c.layer for c in result.checks} == set(CATALOG)
    assert {c.verdict for c in result.checks} == {"missing"}
    assert all("is not written yet" in c.message for c in result.checks)
