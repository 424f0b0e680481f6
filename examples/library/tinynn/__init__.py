"""tinynn: a tiny neural-network library, here to show backcheck as a CI gate.

Its conventions are its own, as any library's are: a ``Dense`` weight is stored as
(out_features, in_features), ``backward(grad)`` returns the input's gradient and leaves
parameter gradients on the layer as ``grad_W`` and ``grad_b``, and a loss's
``backward()`` takes no upstream gradient. ``backcheck_adapter.py`` beside this package
maps them onto backcheck's.
"""

from .layers import Dense, ReLU, Sigmoid, Tanh
from .losses import MSE

__all__ = ["MSE", "Dense", "ReLU", "Sigmoid", "Tanh"]
