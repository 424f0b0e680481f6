"""Generated submissions for the benchmark: correct and buggy, in more than one style.

A *native* submission is the reference package inlined into one file (its
``from reference...`` imports removed), optionally followed by a few lines that
override one layer with a typical student mistake; the override keeps the layer's name,
so the networks built from it inherit the bug, as a student's would. One variant swaps
in a naive-loop ``Conv2d`` (four nested Python loops) to show that a slow but correct
student convolution only costs its own forward and backward per case.

A *cs231n* submission (written only when that adapter is registered) is the same
code wrapped as CS231n-style ``<layer>_forward(...) -> (out, cache)`` and
``<layer>_backward(dout, cache) -> grads`` functions, with the classes hidden; it
covers the layers that style has (affine, activations, norms, conv, pools, dropout,
softmax loss) and the others count as missing.
"""

from __future__ import annotations

import ast
import importlib.util
import textwrap
from pathlib import Path

from harness import adapters

NAIVE_CONV2D = '''
def _pair(v):
    return (v, v) if np.isscalar(v) else tuple(v)


class Conv2d:
    """Cross-correlation written the slow, obvious way: one output element at a time."""

    def __init__(self, W, b, stride=1, padding=0):
        self.W, self.b, self.stride, self.padding = W, b, _pair(stride), _pair(padding)

    def forward(self, x):
        (ph, pw), (sh, sw) = self.padding, self.stride
        self.xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
        n, _, h, w = self.xp.shape
        f, _, kh, kw = self.W.shape
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        out = np.zeros((n, f, oh, ow), dtype=x.dtype)
        for i in range(n):
            for k in range(f):
                for r in range(oh):
                    for c in range(ow):
                        patch = self.xp[i, :, r * sh:r * sh + kh, c * sw:c * sw + kw]
                        out[i, k, r, c] = np.sum(patch * self.W[k]) + self.b[k]
        return out

    def backward(self, dout):
        (ph, pw), (sh, sw) = self.padding, self.stride
        f, _, kh, kw = self.W.shape
        dxp, dW = np.zeros_like(self.xp), np.zeros_like(self.W)
        for i in range(dout.shape[0]):
            for k in range(f):
                for r in range(dout.shape[2]):
                    for c in range(dout.shape[3]):
                        g = dout[i, k, r, c]
                        dW[k] += g * self.xp[i, :, r * sh:r * sh + kh, c * sw:c * sw + kw]
                        dxp[i, :, r * sh:r * sh + kh, c * sw:c * sw + kw] += g * self.W[k]
        h, w = dxp.shape[2:]
        dx = dxp[:, :, ph:h - ph, pw:w - pw]
        return {"x": dx, "W": dW, "b": dout.sum(axis=(0, 2, 3))}
'''

BUGS: dict[str, str] = {
    "correct": "",
    "naive_conv": NAIVE_CONV2D,
    "linear_dW_transposed": '''
class Linear(Linear):
    def backward(self, dout):
        grads = super().backward(dout)
        return {**grads, "W": grads["W"].T}
''',
    "relu_no_mask": '''
class ReLU(ReLU):
    def backward(self, dout):
        return {"x": dout}
''',
    "sigmoid_wrong_derivative": '''
class Sigmoid(Sigmoid):
    def backward(self, dout):
        return {"x": dout * self.out}
''',
    "mse_not_averaged": '''
class MSELoss(MSELoss):
    def backward(self, dout=1.0):
        grads = super().backward(dout)
        return {"x": grads["x"] * grads["x"].size}
''',
    "conv_no_bias_grad": '''
class Conv2d(Conv2d):
    def backward(self, dout):
        grads = super().backward(dout)
        return {"x": grads["x"], "W": grads["W"]}
''',
    "layernorm_unfinished": '''
class LayerNorm(LayerNorm):
    def backward(self, dout):
        raise NotImplementedError
''',
    "batchnorm_crashes": '''
class BatchNorm(BatchNorm):
    def forward(self, x):
        raise ValueError("shapes do not match")
''',
}
"""Variant name -> source appended to the inlined reference (empty: the correct one)."""

CS231N_FUNCTIONS = '''

# --- CS231n-style functions over the classes above, which are then hidden.
_L = {name: globals().pop(name) for name in (
    "Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "MSELoss", "BCELoss",
    "CrossEntropy", "LayerNorm", "BatchNorm", "Conv1d", "Conv2d", "MaxPool2d", "AvgPool2d",
    "Dropout", "Flatten", "LinearRegression", "RegressionMLP", "XORNet")}


def _run(layer, *inputs):
    return layer.forward(*inputs), layer


def affine_forward(x, w, b):
    return _run(_L["Linear"](w, b), x)


def affine_backward(dout, cache):
    g = cache.backward(dout)
    return g["x"], g["W"], g["b"]


def relu_forward(x):
    return _run(_L["ReLU"](), x)


def sigmoid_forward(x):
    return _run(_L["Sigmoid"](), x)


def tanh_forward(x):
    return _run(_L["Tanh"](), x)


def _dx(dout, cache):
    return cache.backward(dout)["x"]


relu_backward = sigmoid_backward = tanh_backward = _dx


def batchnorm_forward(x, gamma, beta, bn_param):
    return _run(_L["BatchNorm"](gamma, beta, eps=bn_param.get("eps", 1e-5)), x)


def layernorm_forward(x, gamma, beta, ln_param):
    return _run(_L["LayerNorm"](gamma, beta, eps=ln_param.get("eps", 1e-5)), x)


def _norm_backward(dout, cache):
    g = cache.backward(dout)
    return g["x"], g["gamma"], g["beta"]


batchnorm_backward = layernorm_backward = _norm_backward


def conv_forward_naive(x, w, b, conv_param):
    return _run(_L["Conv2d"](w, b, stride=conv_param["stride"], padding=conv_param["pad"]), x)


def conv_backward_naive(dout, cache):
    g = cache.backward(dout)
    return g["x"], g["W"], g["b"]


def max_pool_forward_naive(x, pool_param):
    return _run(_L["MaxPool2d"](pool_param["pool_height"], pool_param["stride"]), x)


def avg_pool_forward_naive(x, pool_param):
    return _run(_L["AvgPool2d"](pool_param["pool_height"], pool_param["stride"]), x)


max_pool_backward_naive = avg_pool_backward_naive = _dx


def dropout_forward(x, dropout_param):
    keep = dropout_param["p"]
    mask = (np.random.rand(*x.shape) < keep) / keep
    return x * mask, mask


def dropout_backward(dout, cache):
    return dout * cache


def softmax_loss(x, y):
    loss = _L["CrossEntropy"]()
    value = loss.forward(x, y)
    return value, loss.backward(1.0)["x"]
'''


def reference_source() -> str:
    """The reference package as one module's source, its modules in dependency order."""
    found = importlib.util.find_spec("reference")
    assert found is not None and found.submodule_search_locations
    folder = Path(next(iter(found.submodule_search_locations)))
    modules = {p.stem: p.read_text() for p in sorted(folder.glob("*.py"))
               if p.stem != "__init__"}
    parts = ["from __future__ import annotations\n"]
    for name in _dependency_order(modules):
        parts.append(f"# --- {name}\n{_strip_imports(modules[name])}")
    return "\n".join(parts)


def _dependency_order(modules: dict[str, str]) -> list[str]:
    """Module names with every ``reference.X`` import placed before its importer."""
    needs = {name: _reference_imports(source) for name, source in modules.items()}
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name not in ordered:
            for dependency in sorted(needs.get(name, ())):
                visit(dependency)
            ordered.append(name)

    for name in sorted(modules):
        visit(name)
    return ordered


def _reference_imports(source: str) -> set[str]:
    return {node.module.split(".")[1] for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reference.")}


def _strip_imports(source: str) -> str:
    """The source without ``from __future__`` and ``from reference...`` imports."""
    drop: set[int] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and (
                node.module == "__future__" or (node.module or "").startswith("reference")):
            drop.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    lines = source.splitlines(keepends=True)
    return "".join(line for i, line in enumerate(lines, start=1) if i not in drop)


def native(bug: str) -> str:
    """A native-API submission with the named bug (``correct`` for none)."""
    return reference_source() + textwrap.dedent(BUGS[bug])


def cs231n(bug: str) -> str:
    """The same layers (and bug) as CS231n-style functions; the classes are hidden."""
    return native(bug) + CS231N_FUNCTIONS


def styles() -> list[str]:
    """The adapter styles this checkout can grade: native, plus cs231n when registered."""
    return ["native", *(["cs231n"] if "cs231n" in adapters.registered() else [])]


def generate(directory: Path, count: int) -> list[Path]:
    """Write ``count`` submissions, cycling through styles and bugs; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    writers = {"native": native, "cs231n": cs231n}
    kinds = [(style, bug) for bug in BUGS for style in styles()]
    paths = []
    for index in range(count):
        style, bug = kinds[index % len(kinds)]
        path = directory / f"student_{index:03d}_{style}_{bug}.py"
        path.write_text(writers[style](bug))
        paths.append(path)
    return paths
