"""Group norm with one bug, CS231n style: the backward divides each group's sums by its
C/G channels, forgetting the H*W positions that also entered the statistics.

backcheck-mutant: GroupNorm dx norm-dx-wrong-count
"""
import numpy as np


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N, G, C // G, H, W)
    mu = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = ((xg - mu) * inv_std).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    return out, (x_hat, inv_std, gamma, G)


def spatial_groupnorm_backward(dout, cache):
    x_hat, inv_std, gamma, G = cache
    N, C, H, W = dout.shape
    dgamma = np.sum(dout * x_hat, axis=(0, 2, 3), keepdims=True)
    dbeta = np.sum(dout, axis=(0, 2, 3), keepdims=True)
    grouped = (N, G, C // G, H, W)
    dxh = (dout * gamma).reshape(grouped)
    xh = x_hat.reshape(grouped)
    m = C // G
    dx = inv_std / m * (m * dxh - dxh.sum(axis=(2, 3, 4), keepdims=True)
                        - xh * np.sum(dxh * xh, axis=(2, 3, 4), keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta
