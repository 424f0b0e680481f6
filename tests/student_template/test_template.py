"""The untouched template: every catalog layer present, documented, and "missing"."""

from __future__ import annotations

import inspect
import json

import numpy as np
import pytest

import student_template
from harness import cli
from harness.specs import CATALOG


def test_every_catalog_layer_is_there_with_a_documented_api():
    for name, spec in CATALOG.items():
        cls = getattr(student_template, name)
        assert inspect.getdoc(cls), name
        assert list(inspect.signature(cls).parameters)[: len(spec.params)] == list(spec.params)
        assert list(inspect.signature(cls.forward).parameters)[1:] == list(spec.inputs)


@pytest.mark.parametrize("name", list(CATALOG))
def test_every_forward_raises_not_implemented(name):
    spec = CATALOG[name]
    case = spec.case(0, "float64")
    layer = getattr(student_template, name)(**case.params, **case.config)
    with pytest.raises(NotImplementedError, match=f"{name}.forward"):
        layer.forward(*[case.inputs[n] for n in spec.inputs])
    with pytest.raises(NotImplementedError, match=f"{name}.backward"):
        layer.backward(np.ones(1))


@pytest.mark.parametrize("name", list(CATALOG))
def test_every_case_builds_its_layer(name):
    """Each variant's hyper-parameters (padded pools, per-axis Conv2d stride and padding)
    are arguments the template's constructor takes."""
    spec = CATALOG[name]
    for case in spec.cases("float64"):
        layer = getattr(student_template, name)(**case.params, **case.config)
        assert all(getattr(layer, key, value) == value for key, value in case.config.items())


@pytest.mark.parametrize("target", ["student_template/", "student_template/backprop.ipynb"])
def test_checking_the_template_reports_every_layer_missing(target, capsys, monkeypatch):
    monkeypatch.chdir(inspect.getfile(student_template).rsplit("/student_template/", 1)[0])
    code = cli.main(["check", target, "--oracles", "fd", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["adapter"] == "native"
    assert {c["layer"] for c in report["checks"]} == set(CATALOG)
    assert {c["verdict"] for c in report["checks"]} == {"missing"}
    assert report["notes"] == []
