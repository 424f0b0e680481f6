"""The minimal failing case: the smallest configuration that still fails, and what the
failure needs, through the in-process and the sandboxed executor alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from harness.execution import execute
from harness.shrink import minimal
from harness.specs import CATALOG
from harness.target import Target

MUTANTS = Path(__file__).parent / "diagnosis" / "mutants"
CORRECT = Path(__file__).parent / "hostile" / "submissions" / "correct.py"


def shrink(mutant: str, layer: str, index: int, quantity: str, executor=execute):
    spec = CATALOG[layer]
    return minimal(spec, spec.case(index, "float64"), quantity,
                   Target(str(MUTANTS / f"{mutant}.py")), executor)


def test_a_stride_bug_needs_the_stride_and_nothing_else():
    found = shrink("conv_dw_stride", "Conv2d", 1, "dW")
    assert dict(found.needs) == {"stride": 2}
    assert found.case.config == {"stride": 2, "padding": 0}
    assert found.case.inputs["x"].shape[:2] == (1, 1)
    assert "fails only when stride=2" in str(found)


def test_a_padding_bug_needs_padding():
    found = shrink("conv_no_crop", "Conv2d", 1, "dx")
    assert found.needs.get("padding") == 1 and found.case.config["stride"] == 1


def test_an_overwriting_maxpool_needs_overlapping_windows():
    found = shrink("maxpool_overwrite", "MaxPool2d", 1, "dx")
    assert found.case.config["stride"] < found.case.config["kernel_size"]
    assert found.case.inputs["x"].shape == (1, 1, 3, 3)


def test_a_first_sample_bug_needs_two_samples():
    found = shrink("linear_dw_first_sample", "Linear", 1, "dW")
    assert found.needs == {"N": 2} and found.case.inputs["x"].shape[0] == 2


def test_degenerate_cases_are_never_offered():
    """A batch norm over one or two samples has a vanishing dx: never the smallest."""
    found = shrink("batchnorm_no_var_term", "BatchNorm", 1, "dx")
    assert found.case.inputs["x"].shape[0] >= 3


def test_a_correct_layer_has_no_minimal_failure():
    spec = CATALOG["Linear"]
    assert minimal(spec, spec.case(1, "float64"), "dW", Target(str(CORRECT)), execute) is None


@pytest.mark.slow
def test_the_sandboxed_executor_finds_the_same_case():
    from harness.isolation import executor
    from harness.sandbox.limits import Limits

    inside = shrink("conv_dw_stride", "Conv2d", 1, "dW")
    outside = shrink("conv_dw_stride", "Conv2d", 1, "dW", executor("process", Limits()))
    assert outside.case.shapes() == inside.case.shapes()
    assert dict(outside.needs) == dict(inside.needs)


def test_candidates_are_judged_by_the_reference_not_by_finite_differences(monkeypatch):
    """Finite differences cost four forwards per element: the candidates' oracle is the
    reference's own float64 backward, so a conv shrink never calls them."""
    from harness.oracles.fd import FiniteDifferenceOracle

    def refused(*_):
        raise AssertionError("finite differences were called for a candidate")

    monkeypatch.setattr(FiniteDifferenceOracle, "evaluate", refused)
    found = shrink("conv_dw_stride", "Conv2d", 1, "dW")
    assert dict(found.needs) == {"stride": 2}


def test_every_candidate_run_keeps_the_adapter_the_check_chose():
    from harness.engine import check
    from harness.shrink import minimal_failures

    target = Target(str(MUTANTS / "conv_dw_stride.py"))
    spec = CATALOG["Conv2d"]
    result = check(target, [spec], ["float64"], ["fd"])
    seen = []

    def recording(target, jobs):
        seen.append(target.adapter)
        return execute(target, jobs)

    assert minimal_failures(result, [spec], target, recording)
    assert seen and set(seen) == {result.adapter} and result.adapter == "native"


@pytest.mark.parametrize(("layer", "sizes"), [("Embedding", {"N": 1, "T": 1}),
                                              ("TemporalSoftmaxLoss", {"N": 1, "T": 1})])
def test_a_variant_its_draw_cannot_satisfy_is_refused_not_looped_on(layer, sizes):
    """An embedding must repeat an index and a masked loss must keep and mask a step: with
    one index there is no such case, and the shrink once drew forever looking for it."""
    spec = CATALOG[layer]
    with pytest.raises(ValueError):
        spec.draw(np.random.default_rng(0), {**spec.variants[0], **sizes})


def test_an_embedding_bug_shrinks_to_two_indices(twin):
    spec = CATALOG["Embedding"]
    found = minimal(spec, spec.case(0, "float64"), "dW", Target(str(
        twin("submissions/cs231n_course/embedding_buggy.py"))), execute)
    assert found is not None and found.case.inputs["x"].size == 2


def test_a_per_axis_padding_shrinks_towards_zero_and_never_grows():
    from harness.shrink import _reductions

    tries = dict(_reductions({"padding": (1, 0), "stride": (2, 1)}, []))
    assert tries["padding"] == [(0, 0)]
    assert tries["stride"] == [(1, 1)]
