"""Quality set: deliberately broken copies of reference layers are caught by every oracle.

Each broken layer corrupts one quantity. It must fail on that quantity, and only that
one, on every case where the bug changes the result; where it cannot (a 1/N missing
when N is 1) it must pass, which shows the bug is invisible there, not overlooked.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from oracle_helpers import ORACLES, mismatches, run

from harness.case import DTYPES, Case
from harness.specs import CATALOG
from harness.tolerance import for_dtype
from reference.activations import ELU, GELU, Identity, Sigmoid, SiLU, Softplus
from reference.attention import Attention, MultiHeadAttention
from reference.conv import Conv2d
from reference.embedding import Embedding
from reference.linear import Linear
from reference.losses import CrossEntropy, MSELoss, SVMLoss
from reference.networks import SigmoidNet, TwoLayerNet
from reference.normalization import BatchNorm, GroupNorm, LayerNorm, SpatialBatchNorm
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


class GELUSigmoidApproximation(GELU):
    """Forward ``x * sigmoid(1.702 x)``, the cheap approximation, for the exact GELU."""

    def forward(self, x):
        super().forward(x)
        return x / (1.0 + np.exp(-1.702 * x))


class GELUWithoutDensityTerm(GELU):
    """``dx = dout * Φ(x)``: forgets the ``x * φ(x)`` term of the product rule."""

    def backward(self, dout):
        return {"x": dout * self.cdf}


class SiLUForgetsX(SiLU):
    def forward(self, x):
        return super().forward(x) / x


class SiLUConstantSigmoid(SiLU):
    """Treats ``sigmoid(x)`` as a constant: ``dx = dout * s``."""

    def backward(self, dout):
        return {"x": dout * self.s}


class ELUWithoutMinusOne(ELU):
    def forward(self, x):
        out = super().forward(x)
        return np.where(self.positive, out, out + self.alpha)


class ELUSlopeAlpha(ELU):
    """Negative side's derivative taken as ``alpha`` (LeakyReLU's) instead of ``alpha * e^x``."""

    def backward(self, dout):
        return {"x": dout * np.where(self.positive, 1.0, self.alpha)}


class SoftplusAsReLU(Softplus):
    def forward(self, x):
        super().forward(x)
        return np.maximum(x, 0)


class SoftplusSigmoidDerivative(Softplus):
    """``dx = dout * s * (1 - s)``: the derivative of sigmoid, one step too far."""

    def backward(self, dout):
        s = 1.0 / (1.0 + np.exp(-self.x))
        return {"x": dout * s * (1.0 - s)}


class IdentityAbs(Identity):
    def forward(self, x):
        return np.abs(x)


class IdentityIgnoresDout(Identity):
    def backward(self, dout):
        return {"x": np.ones_like(dout)}


class SVMCountsTheTrueClass(SVMLoss):
    """Keeps the true class's own margin (always 1) in the sum."""

    def forward(self, x, target):
        return super().forward(x, target) + 1.0


class SVMWithoutTrueClassGradient(SVMLoss):
    """Adds 1 per positive margin but never subtracts their count at the true class."""

    def backward(self, dout=1.0):
        return {"x": dout * self.active / len(self.target)}


class SpatialBatchNormOverBatchOnly(SpatialBatchNorm):
    """Statistics per (c, h, w) over N alone, as a flattened BatchNorm1d would give."""

    def forward(self, x):
        super().forward(x)
        xhat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + self.eps)
        return self.gamma[:, None, None] * xhat + self.beta[:, None, None]


class SpatialBatchNormConstantStatistics(SpatialBatchNorm):
    def backward(self, dout):
        dx = dout * self.gamma[:, None, None] * self.inv_std
        return {**super().backward(dout), "x": dx}


class GroupNormPerPosition(GroupNorm):
    """Statistics of each group per (h, w) position, over its C/G channels only."""

    def forward(self, x):
        super().forward(x)
        n, c, h, w = x.shape
        grouped = x.reshape(n, self.G, c // self.G, h, w)
        mean, var = grouped.mean(axis=2, keepdims=True), grouped.var(axis=2, keepdims=True)
        xhat = ((grouped - mean) / np.sqrt(var + self.eps)).reshape(x.shape)
        return self.gamma[:, None, None] * xhat + self.beta[:, None, None]


class GroupNormConstantStatistics(GroupNorm):
    def backward(self, dout):
        n, c = self.shape[:2]
        inv_std = np.repeat(self.inv_std.reshape(n, self.G), c // self.G, axis=1)
        dx = dout * self.gamma[:, None, None] * inv_std[:, :, None, None]
        return {**super().backward(dout), "x": dx}


class TwoLayerNetFullPenalty(TwoLayerNet):
    """Forward adds ``reg * |W|²`` where the gradient it gives belongs to ``0.5 * reg * |W|²``."""

    def forward(self, x, target):
        weights = (self.layers[0].W, self.layers[2].W)
        return super().forward(x, target) + 0.5 * self.reg * sum(np.sum(W * W) for W in weights)


class TwoLayerNetBiasNotAveraged(TwoLayerNet):
    """``db2`` summed over the batch without the 1/N the scores' gradient carries."""

    def backward(self, dout=1.0):
        grads = super().backward(dout)
        return {**grads, "b2": grads["b2"] * len(self.loss.target)}


class SigmoidNetMeanCost(SigmoidNet):
    """Forward averages over the M outputs instead of the book's ``0.5 * sum``."""

    def forward(self, x, target):
        return super().forward(x, target) / len(target)


class SigmoidNetWithoutOutputDerivative(SigmoidNet):
    """``db2 = a - y``: the output delta without σ'(z), the cross-entropy cost's delta."""

    def backward(self, dout=1.0):
        return {**super().backward(dout), "b2": dout * (self.a2 - self.target)}


class EmbeddingOffByOne(Embedding):
    """Looks up row ``x + 1`` (a 1-based vocabulary) for index ``x``."""

    def forward(self, x):
        super().forward(x)
        return self.W[(x + 1) % len(self.W)]


class EmbeddingAssignsGradient(Embedding):
    """``dW[x] = dout``: an index used twice keeps one of its gradients, not their sum."""

    def backward(self, dout):
        dW = np.zeros_like(self.W)
        dW[self.x] = dout
        return {"W": dW}


class AttentionUnscaled(Attention):
    """Returns softmax(q kᵀ) v, without the 1/sqrt(D) (backward is left correct)."""

    def forward(self, q, k, v):
        wrong = Attention(self.causal).forward(q * np.sqrt(q.shape[-1]), k, v)
        super().forward(q, k, v)
        return wrong


class AttentionDkWithoutScale(Attention):
    """dk forgets the 1/sqrt(D) that dq keeps."""

    def backward(self, dout):
        grads = super().backward(dout)
        return {**grads, "k": grads["k"] / self.scale}


class MultiHeadAttentionFirstSampleBias(MultiHeadAttention):
    """dbo of the first sample only, not summed over the batch."""

    def backward(self, dout):
        return {**super().backward(dout), "bo": dout[0].sum(axis=0)}


class MultiHeadAttentionScaledByE(MultiHeadAttention):
    """Returns heads scaled by 1/sqrt(E) instead of 1/sqrt(E / num_heads)."""

    def forward(self, query, key, value):
        params = {n: getattr(self, n) for n in ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")}
        shrink = 1.0 / np.sqrt(self.num_heads)
        params["Wq"], params["bq"] = params["Wq"] * shrink, params["bq"] * shrink
        wrong = MultiHeadAttention(**params, num_heads=self.num_heads,
                                   causal=self.attention.causal).forward(query, key, value)
        super().forward(query, key, value)
        return wrong


def _single_head(case: Case) -> bool:
    return case.config["num_heads"] == 1


def _no_reg(case: Case) -> bool:
    return case.config["reg"] == 0


def _single_output(case: Case) -> bool:
    return len(case.inputs["target"]) == 1


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


def _no_negative_input(case: Case) -> bool:
    return bool((case.inputs["x"] > 0).all())


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
    Broken("GELU", GELUSigmoidApproximation, "out"),
    Broken("GELU", GELUWithoutDensityTerm, "dx"),
    Broken("SiLU", SiLUForgetsX, "out"),
    Broken("SiLU", SiLUConstantSigmoid, "dx"),
    Broken("ELU", ELUWithoutMinusOne, "out", invisible=_no_negative_input),
    Broken("ELU", ELUSlopeAlpha, "dx", invisible=_no_negative_input),
    Broken("Softplus", SoftplusAsReLU, "out"),
    Broken("Softplus", SoftplusSigmoidDerivative, "dx"),
    Broken("Identity", IdentityAbs, "out", invisible=_no_negative_input),
    Broken("Identity", IdentityIgnoresDout, "dx"),
    Broken("SVMLoss", SVMCountsTheTrueClass, "out"),
    Broken("SVMLoss", SVMWithoutTrueClassGradient, "dx"),
    Broken("SpatialBatchNorm", SpatialBatchNormOverBatchOnly, "out"),
    Broken("SpatialBatchNorm", SpatialBatchNormConstantStatistics, "dx"),
    Broken("GroupNorm", GroupNormPerPosition, "out"),
    Broken("GroupNorm", GroupNormConstantStatistics, "dx"),
    Broken("Embedding", EmbeddingOffByOne, "out"),
    Broken("Embedding", EmbeddingAssignsGradient, "dW"),
    Broken("Attention", AttentionUnscaled, "out"),
    Broken("Attention", AttentionDkWithoutScale, "dk"),
    Broken("MultiHeadAttention", MultiHeadAttentionFirstSampleBias, "dbo",
           invisible=lambda case: len(case.inputs["query"]) == 1),
    Broken("MultiHeadAttention", MultiHeadAttentionScaledByE, "out", invisible=_single_head),
    Broken("TwoLayerNet", TwoLayerNetFullPenalty, "out", invisible=_no_reg),
    Broken("TwoLayerNet", TwoLayerNetBiasNotAveraged, "db2", invisible=_single_sample),
    Broken("SigmoidNet", SigmoidNetMeanCost, "out", invisible=_single_output),
    Broken("SigmoidNet", SigmoidNetWithoutOutputDerivative, "db2"),
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
