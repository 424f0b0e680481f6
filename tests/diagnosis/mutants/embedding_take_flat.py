"""Word embedding with one bug, CS231n style: np.take without axis=0 picks single numbers
of the flattened W, not its rows.

backcheck-mutant: Embedding out embedding-take-flattened
"""
import numpy as np


def word_embedding_forward(x, W):
    out = np.take(W, x)
    cache = (x, W.shape)
    return out, cache


def word_embedding_backward(dout, cache):
    x, shape = cache
    dW = np.zeros(shape, dtype=dout.dtype)
    np.add.at(dW, x, dout)
    return dW
