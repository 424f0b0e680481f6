"""Spatial batch norm with one bug, CS231n style: the backward, adapted from batchnorm's,
sums over (N, H, W) but still divides by N.

backcheck-mutant: SpatialBatchNorm dx norm-dx-wrong-count
"""
import numpy as np


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-5)
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    g, b = gamma.reshape(1, -1, 1, 1), beta.reshape(1, -1, 1, 1)
    out = g * x_hat + b
    return out, (x_hat, inv_std, g)


def spatial_batchnorm_backward(dout, cache):
    x_hat, inv_std, g = cache
    N = dout.shape[0]
    dgamma = np.sum(dout * x_hat, axis=(0, 2, 3))
    dbeta = np.sum(dout, axis=(0, 2, 3))
    dx_hat = dout * g
    dx = inv_std / N * (N * dx_hat - dx_hat.sum(axis=(0, 2, 3), keepdims=True)
                        - x_hat * np.sum(dx_hat * x_hat, axis=(0, 2, 3), keepdims=True))
    return dx, dgamma, dbeta
