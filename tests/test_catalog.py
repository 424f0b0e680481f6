"""The catalog as code under test sees it: outlines that never lead to harness.specs."""

from __future__ import annotations

import pickle

import pytest

from harness import catalog
from harness.adapters.native import NativeAdapter
from harness.specs import CATALOG


def test_an_outline_keeps_the_signature_and_drops_how_to_draw():
    outline = catalog.outline(CATALOG["Linear"])
    assert (outline.name, outline.inputs, outline.params, outline.wrt) == (
        "Linear", ("x",), ("W", "b"), ("x", "W", "b"))
    assert outline.variants == () and outline.reference == ""
    with pytest.raises(RuntimeError, match="outline"):
        outline.draw(None, {})


def test_outlines_pickle_without_naming_the_catalog_or_the_reference():
    data = pickle.dumps(catalog.outlines())
    assert b"harness.specs" not in data and b"reference." not in data


def test_adapters_detect_layers_from_installed_outlines():
    class Linear:
        def __init__(self, W, b): ...
        def forward(self, x): ...
        def backward(self, dout): ...

    try:
        catalog.install({"Linear": catalog.outline(CATALOG["Linear"])})
        assert NativeAdapter().detect({"Linear": Linear}).layers == ("Linear",)
        catalog.install({})
        assert NativeAdapter().detect({"Linear": Linear}).layers == ()
    finally:
        catalog.install(None)
    assert catalog.specs() is CATALOG
