"""``--cases`` selectors (``harness.selection``): which variants a selector keeps."""

from __future__ import annotations

from harness import catalog, selection


def _kept(text: str, layer: str) -> list[dict]:
    spec = catalog.specs()[layer]
    chosen = selection.parse(text, catalog.specs())
    return [v for v in spec.variants if chosen.keeps(v)]


def test_a_variant_without_the_key_is_unequal_to_any_value_and_meets_no_other_term():
    pools = catalog.specs()["MaxPool2d"].variants
    unpadded = [v for v in pools if "padding" not in v]
    assert unpadded and len(unpadded) < len(pools)
    assert _kept("MaxPool2d:padding!=1", "MaxPool2d") == unpadded
    assert _kept("MaxPool2d:padding=0", "MaxPool2d") == []
    assert _kept("MaxPool2d:padding<2", "MaxPool2d") == [v for v in pools if "padding" in v]


def test_several_terms_must_all_hold_so_two_unequal_terms_leave_out_both_values():
    convs = catalog.specs()["Conv2d"].variants
    kept = _kept("Conv2d:stride!=(2, 1),stride!=(1, 2)", "Conv2d")
    assert [v["stride"] for v in convs if v not in kept] == [(2, 1), (1, 2)]
