"""Quality set: deliberately broken copies of reference layers are caught by every oracle.

Each broken layer corrupts one quantity. It must fail on that quantity, and only that
one, on every case where the bug changes the result; where it cannot (a 1/N missing
when N is 1) it must pass, which shows the bug is invisible there, not overlooked.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from oracle_helpers import ORACLES, mismatches, run

from harness.case import DTYPES, Case
from harness.specs import CATALOG
from harness.tolerance import for_dtype
from reference.activations import Sigmoid
from reference.conv import Conv2d
from reference.linear import Linear
from reference.losses import CrossEntropy, MSELoss
from reference.normalization import BatchNorm, LayerNorm
from reference.pooling import AvgPool2d, MaxPool2d


class TransposedWeightGrad(Linear):
    def backward(self, dout):
        return {**super().backward(dout), "W": (self.x.T @ dout).T}


class BiasGradNotSummed(Linear):
    def backward(self, dout):
        return {**super().backward(dout), "b": dout}


class SigmoidOfInput(Sigmoid):
    """Takes ``s * (1 - s)`` with ``s`` the input ``x`` instead of the output."""

    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return {"x": dout * self.x * (1.0 - self.x)}


class MSEWithoutMean(MSELoss):
    def backward(self, dout=1.0):
        return {"x": dout * 2.0 * self.diff}


class CrossEntropyWithoutMean(CrossEntropy):
    def backward(self, dout=1.0):
        return {"x": super().backward(dout)["x"] * len(self.target)}


class BatchNormConstantStatistics(BatchNorm):
    """Treats the batch mean and variance as constants: the classic BatchNorm mistake."""

    def backward(self, dout):
        return {**super().backward(dout), "x": dout * self.gamma * self.inv_std}


class LayerNormWithoutVariancePath(LayerNorm):
    """Differentiates through the mean but not through the variance."""

    def backward(self, dout):
        dxhat = dout * self.gamma
        dx = self.inv_std * (dxhat - dxhat.mean(axis=1, keepdims=True))
        return {**super().backward(dout), "x": dx}


class ConvolutionNotCorrelation(Conv2d):
    """dW of a flipped kernel (true convolution) instead of PyTorch's cross-correlation."""

    def backward(self, dout):
        grads = super().backward(dout)
        return {**grads, "W": grads["W"][..., ::-1, ::-1]}


class MaxPoolSpreadingGradient(MaxPool2d):
    """Gives every element of a window an equal share, as average pooling would."""

    def backward(self, dout):
        avg = AvgPool2d(self.kernel[0], self.stride)
        avg.shape = self.shape
        return {"x": avg.backward(dout)["x"] * math.prod(self.kernel)}


def _never(case: Case) -> bool:
    return False


@dataclass(frozen=True)
class Broken:
    """A broken layer, the quantity it corrupts, and the cases where that cannot show."""

    spec: str
    layer: type
    quantity: str
    invisible: Callable[[Case], bool] = _never


def _single_element(case: Case) -> bool:
    return case.inputs["x"].size == 1


def _single_sample(case: Case) -> bool:
    return len(case.inputs["x"]) == 1


BROKEN = [
    Broken("Linear", TransposedWeightGrad, "dW"),
    Broken("Linear", BiasGradNotSummed, "db"),
    Broken("Sigmoid", SigmoidOfInput, "dx"),
    Broken("MSELoss", MSEWithoutMean, "dx", invisible=_single_element),
    Broken("CrossEntropy", CrossEntropyWithoutMean, "dx", invisible=_single_sample),
    Broken("BatchNorm", BatchNormConstantStatistics, "dx"),
    Broken("LayerNorm", LayerNormWithoutVariancePath, "dx"),
    Broken("Conv2d", ConvolutionNotCorrelation, "dW"),
    Broken("MaxPool2d", MaxPoolSpreadingGradient, "dx"),
]


@pytest.mark.parametrize("oracle", ORACLES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("broken", BROKEN, ids=lambda b: b.layer.__name__)
def test_broken_layer_is_caught_on_the_quantity_it_corrupts(expected, broken, dtype, oracle):
    spec = CATALOG[broken.spec]
    for case in spec.cases(dtype):
        found = mismatches(run(broken.layer, spec, case), expected(oracle, spec, case),
                           spec.quantities, for_dtype(dtype))
        failed = {line.split(":")[0] for line in found}
        wanted = set() if broken.invisible(case) else {broken.quantity}
        assert failed == wanted, f"{case.id}: {found}"


def test_some_case_shows_every_bug():
    for broken in BROKEN:
        cases = CATALOG[broken.spec].cases("float64")
        assert not all(broken.invisible(case) for case in cases), broken.layer.__name__
