"""Hyper-parameters a library spells otherwise than the catalog does.

A kernel given as a shape tuple (``kernel_shape=(3, 3)``, ``filter_shape``,
``pool_shape``) where the catalog has ``kernel_size=3``; the input's per-sample shape
(``input_shape=(C, H, W)``) that Keras-like layers are built from; padding as a mode
(``padding="same"`` or ``"valid"``) where the catalog has a number of zeros.
"""

from __future__ import annotations

from typing import Any

from harness.adapters.calls import CallFailed
from harness.case import Case
from harness.outcome import RunError

MISSING = object()


def kernel_shape(case: Case) -> Any:
    """The kernel as a tuple of one size per spatial axis, or ``MISSING``."""
    W = case.params.get("W")
    if W is not None and W.ndim > 2:
        return tuple(int(k) for k in W.shape[2:])
    size = case.config.get("kernel_size")
    if size is None:
        return MISSING
    x = case.inputs["x"]
    return tuple(size) if isinstance(size, tuple) else (int(size),) * (x.ndim - 2)


def input_shape(case: Case) -> tuple[int, ...]:
    """The input's shape without the batch axis."""
    return tuple(int(n) for n in case.inputs["x"].shape[1:])


ROLES = {"kernel_shape": kernel_shape, "input_shape": input_shape}
"""Constructor role (``names.CONSTRUCTOR``) -> its value for a case."""


def padding_mode(layer: str, case: Case) -> str:
    """The case's padding as ``"valid"`` (none) or ``"same"`` (``(k - 1) / 2`` zeros on
    each side of an odd kernel); a padding neither mode means cannot be passed."""
    padding = case.config.get("padding", 0)
    kernel = kernel_shape(case)
    if padding == 0:
        return "valid"
    if kernel is not MISSING and all(k % 2 == 1 and (k - 1) // 2 == padding for k in kernel):
        return "same"
    raise CallFailed(RunError(
        "exception", f"{layer} takes padding as 'same' or 'valid' only, which cannot say "
        f"padding={padding} with a kernel of {kernel}; run the cases it can express, e.g. "
        f"--cases '{case.layer}:padding=0'"))
