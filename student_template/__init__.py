"""The student template: every layer of backcheck's catalog, waiting to be written.

Copy this folder (or ``backprop.ipynb``), fill in ``layers.py`` and run
``backcheck check <your folder>``. See README.md, "For students".
"""

from .layers import (
    AvgPool2d,
    BatchNorm,
    BCELoss,
    Conv1d,
    Conv2d,
    CrossEntropy,
    Dropout,
    Flatten,
    LayerNorm,
    LeakyReLU,
    Linear,
    LinearRegression,
    MaxPool2d,
    MSELoss,
    RegressionMLP,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    XORNet,
)

__all__ = [
    "AvgPool2d", "BCELoss", "BatchNorm", "Conv1d", "Conv2d", "CrossEntropy", "Dropout",
    "Flatten", "LayerNorm", "LeakyReLU", "Linear", "LinearRegression", "MSELoss",
    "MaxPool2d", "ReLU", "RegressionMLP", "Sigmoid", "Softmax", "Tanh", "XORNet",
]
