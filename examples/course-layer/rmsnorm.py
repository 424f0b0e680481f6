"""A course layer: RMSNorm, added to backcheck with this one file.

Run it with ``backcheck check reference --spec-file examples/course-layer/rmsnorm.py
--layers RMSNorm`` (or ``grade``/``pytest --backcheck-spec-file``). The file holds what
backcheck needs to know about the layer: its spec (inputs, parameters, variants and a
draw function), a NumPy reference with hand-written backward (the finite-difference
oracle differentiates its forward), and the same forward in PyTorch and TensorFlow for
the other two oracles (leave either out and that oracle skips the layer).

RMSNorm (Zhang & Sennrich, 2019): ``out = gamma * x / sqrt(mean(x**2) + eps)`` over the
last axis of ``x`` (N, D), with ``gamma`` (D,).
"""

import numpy as np

from harness.spec import Draw, Spec


class RMSNorm:
    """``gamma * x / rms(x)`` per sample, ``rms = sqrt(mean(x**2, axis=1) + eps)``."""

    def __init__(self, gamma, eps=1e-6):
        self.gamma, self.eps = gamma, eps

    def forward(self, x):
        self.x = x
        self.inv_rms = 1.0 / np.sqrt(np.mean(x**2, axis=1, keepdims=True) + self.eps)
        return self.gamma * x * self.inv_rms

    def backward(self, dout):
        dxhat = dout * self.gamma
        xhat = self.x * self.inv_rms
        proj = np.mean(dxhat * xhat, axis=1, keepdims=True)
        return {"x": self.inv_rms * (dxhat - xhat * proj),
                "gamma": np.sum(dout * xhat, axis=0)}


def draw(rng, variant):
    """Rows whose RMS is at least 0.5 (a tiny RMS makes the gradient huge)."""
    n, d = variant["N"], variant["D"]
    while True:
        x = rng.standard_normal((n, d)) * 1.5
        if np.all(np.sqrt(np.mean(x**2, axis=1)) >= 0.5):
            break
    gamma = 1.0 + 0.5 * rng.standard_normal(d)
    return Draw(inputs={"x": x}, params={"gamma": gamma}, config={"eps": variant["eps"]})


SPECS = (
    Spec(name="RMSNorm", kind="layer", inputs=("x",), params=("gamma",), wrt=("x", "gamma"),
         variants=[{"N": 1, "D": 4, "eps": 1e-6}, {"N": 3, "D": 5, "eps": 1e-6},
                   {"N": 4, "D": 8, "eps": 1e-3}],
         draw=draw, reference=f"{__name__}.RMSNorm",
         doc="gamma * x / sqrt(mean(x**2) + eps) over the last axis of x (N, D)."),
)


def _torch_rms_norm(x, gamma, eps):
    import torch

    return gamma * x * torch.rsqrt(torch.mean(x**2, dim=1, keepdim=True) + eps)


def _tensorflow_rms_norm(x, gamma, eps):
    import tensorflow as tf

    return gamma * x * tf.math.rsqrt(tf.reduce_mean(x**2, axis=1, keepdims=True) + eps)


TORCH = {"RMSNorm": _torch_rms_norm}
TENSORFLOW = {"RMSNorm": _tensorflow_rms_norm}
