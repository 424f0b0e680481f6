"""The option matrix of issue #12: for every built-in adapter and every non-default value
of every ``Conventions`` option, a correct fixture, a one-bug fixture and the layers to
check, or the reason the option means nothing for that adapter.

Imported by basename (``from option_table import ROWS``) by ``test_option_matrix.py``.
A fixture is a file under ``tests/fixtures`` with optional text edits
(``tests/twins.py``): the one-bug twin of a correct fixture is usually that fixture with
one edit, so the bug reads in the table itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.twins import TWINS, Fixture

PER_LAYER = "Layer.key"
"""The option id of the per-layer form ``Layer.key=value``."""


@dataclass(frozen=True)
class Row:
    """``spec`` (``adapter:options``) makes ``correct`` pass every check of ``layers``
    and ``buggy`` fail one. ``plain`` is a spec under which ``correct`` fails: the spec
    without the option or, where the option's value would be read off the layer anyway,
    with the contrary value (a wrong declaration is not ignored); ``None`` when neither
    can fail (the value is the default, or a numpy layer runs as well on torch arrays)."""

    adapter: str
    option: str
    spec: str
    correct: Fixture
    buggy: Fixture
    layers: tuple[str, ...]
    plain: str | None = None
    needs: str = ""
    """An optional dependency the fixture imports (``torch``)."""


@dataclass(frozen=True)
class Meaningless:
    """``option`` means nothing for ``adapter``, for ``reason``."""

    adapter: str
    option: str
    reason: str


def row(adapter: str, option: str, options: str, correct: Fixture, buggy: Fixture,
        layers: tuple[str, ...], plain: str | None = None, needs: str = "") -> Row:
    """A ``Row`` whose spec is ``adapter:options``, and ``plain`` (``""``: the adapter
    alone, ``":more=options"``: with those) written after the adapter's name too."""
    return Row(adapter, option, f"{adapter}:{options}", correct, buggy, layers,
               None if plain is None else f"{adapter}{plain}", needs)


OPT = "options/"
CONV = "submissions/conventions/"
MSE = ("MSELoss",)
LINEAR = ("Linear",)
MIXED = Fixture(CONV + "mixed_param_grads.py")
MIXED_BUGGY = TWINS[CONV + "mixed_param_grads_buggy.py"]
ONEHOT = Fixture(CONV + "onehot_loss.py")
ONEHOT_BUGGY = TWINS[CONV + "onehot_loss_buggy.py"]
DERIVATIVE = Fixture(CONV + "derivative_activations.py")
DERIVATIVE_BUGGY = TWINS[CONV + "derivative_activations_buggy.py"]
CLASS_DROPOUT = Fixture(CONV + "classes_dropout.py")
NON_INVERTED = CLASS_DROPOUT.bug("INVERTED = True", "INVERTED = False")
KEEP_DROPOUT = Fixture(OPT + "dropout_keep.py")
SIGMOID_LOCAL = Fixture(OPT + "sigmoid_local.py")
IN_OUT = Fixture(OPT + "linear_in_out.py")
ROW_BIAS = Fixture(OPT + "linear_row_bias.py")
OUT_IN = Fixture(OPT + "linear_out_in.py")
ACCUMULATING = Fixture(OPT + "linear_accumulating.py")
TORCH = Fixture(OPT + "torch_linear.py")
MYLIB = Fixture(CONV + "mylib.py")
MISNAMED = Fixture(OPT + "misnamed_bce.py")
MYLIB_OPTIONS = "param_grads=per-sample,loss_grad=sum,activation_grad=local,accumulate=true"

MSE_FILES = {
    "reduction=sum": ("mse_sum.py", "reduction=sum"),
    "reduction=per-sample": ("mse_per_sample.py", "reduction=per-sample"),
    "reduction=half-sum": ("mse_half_sum.py", "reduction=half-sum"),
    "reduction=half-mean": ("mse_half_mean.py", "reduction=half-mean"),
    "reduction=batch-mean": ("mse_batch_mean.py", "reduction=batch-mean"),
    "loss_grad=sum": ("mse_grad_of_sum.py", "loss_grad=sum"),
    "loss_grad=half-sse": ("mse_grad_half_sse.py", "loss_grad=half-sse"),
    "loss_grad=mean": ("mse_sum_grad_of_mean.py", "reduction=sum,loss_grad=mean"),
}
"""Option id -> the MSELoss written that way, and the options that declare it."""
MSE_PLAIN = {"loss_grad=mean": ":reduction=sum"}
"""Without the option: ``loss_grad=mean`` only makes sense beside ``reduction=sum``."""


def mse_bug(fixture: Fixture) -> Fixture:
    """The backward doubled: the forward passes and the gradient is off by 2."""
    text = fixture.text()
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("return")
                and "err" in ln and "np." not in ln)
    return fixture.bug(line, line.replace("return ", "return 2 * "))


def class_rows(adapter: str) -> list[Row]:
    """Rows that hold for any reader of layer classes (``classes``, and ``sgd``, whose
    layers without parameters are read the same way)."""
    rows = []
    for option, (name, options) in MSE_FILES.items():
        correct = Fixture(OPT + name)
        rows.append(row(adapter, option, options, correct, mse_bug(correct), MSE,
                        MSE_PLAIN.get(option, "")))
    rows += [
        row(adapter, "targets=onehot", "CrossEntropy.targets=onehot", ONEHOT, ONEHOT_BUGGY,
            ("CrossEntropy",), ""),
        row(adapter, "p=keep", "p=keep", KEEP_DROPOUT,
            KEEP_DROPOUT.bug("return dout * self.mask", "return dout * self.mask * self.p"),
            ("Dropout",), ""),
        row(adapter, "p=drop", "p=drop", CLASS_DROPOUT,
            CLASS_DROPOUT.bug('BUG = ""', 'BUG = "no-scale"'), ("Dropout",), ":p=keep"),
        row(adapter, "inverted=false", "Dropout.inverted=false", NON_INVERTED,
            NON_INVERTED.bug("return dout * self.grad", "return dout"), ("Dropout",), ""),
        row(adapter, "activation_grad=local", "activation_grad=local", SIGMOID_LOCAL,
            SIGMOID_LOCAL.bug("self.y * (1.0 - self.y)", "self.y * (1.0 + self.y)"),
            ("Sigmoid",), ""),
        row(adapter, "activation_grad=derivative", "activation_grad=derivative", DERIVATIVE,
            DERIVATIVE_BUGGY, ("Sigmoid", "Tanh"), ""),
        row(adapter, "class_name", "BCELoss.class=CrossEntropy", MISNAMED,
            MISNAMED.bug("return grad * slope / self.prob.size", "return grad * slope"),
            ("BCELoss", "Tanh"), ""),
    ]
    return rows


CLASSES = [
    *class_rows("classes"),
    row("classes", "param_grads=per-sample", "param_grads=per-sample", MIXED, MIXED_BUGGY,
        LINEAR, ""),
    row("classes", PER_LAYER, "Linear.param_grads=per-sample", MIXED, MIXED_BUGGY,
        ("Linear", "LayerNorm"), ":param_grads=per-sample"),
    row("classes", "bias=flat", "bias=flat", IN_OUT,
        IN_OUT.bug("dout.sum(axis=0)", "dout.mean(axis=0)"), LINEAR, ":bias=column"),
    row("classes", "bias=row", "bias=row", ROW_BIAS,
        ROW_BIAS.bug("axis=0, keepdims", "axis=1, keepdims"), LINEAR, ":bias=column"),
    row("classes", "bias=column", "bias=column", OUT_IN,
        OUT_IN.bug("dout.sum(axis=0)[:, None]", "dout.sum(axis=0)[:, None] * 2"), LINEAR,
        ":bias=row"),
    row("classes", "weight=in-out", "weight=in-out", IN_OUT,
        IN_OUT.bug("self.x.T @ dout", "(self.x.T @ dout) / len(self.x)"), LINEAR,
        ":weight=out-in"),
    row("classes", "weight=out-in", "weight=out-in", OUT_IN,
        OUT_IN.bug("return dout @ self.W", "return dout @ self.W * 0.5"), LINEAR,
        ":weight=in-out"),
    row("classes", "arrays=numpy", "arrays=numpy", IN_OUT,
        IN_OUT.bug("return dout @ self.W.T", "return dout @ self.W.T + 1e-3"), LINEAR),
    row("classes", "arrays=torch", "arrays=torch", TORCH,
        TORCH.bug("dout.sum(dim=0)", "dout.mean(dim=0)"), LINEAR, ":arrays=numpy", "torch"),
    row("classes", "channels_last=true", f"{MYLIB_OPTIONS},channels_last=true", MYLIB,
        MYLIB.bug("self.dbias = dout.sum(axis=(0, 1, 2)) / n",
                  "self.dbias = dout.sum(axis=(0, 1)).sum(axis=0) / n / n"),
        ("Conv2d",), f":{MYLIB_OPTIONS}"),
    row("classes", "unbatched=true", "unbatched", Fixture("styles/torch_cells.py"),
        TWINS["styles/torch_cells_buggy.py"], ("GRUCell",), ""),
    row("classes", "upsampled=true", "upsampled", Fixture("styles/wrapped_conv.py"),
        TWINS["styles/wrapped_conv_buggy.py"], ("ConvTranspose1d",), ""),
    row("classes", "accumulate=true", "accumulate=true", ACCUMULATING,
        ACCUMULATING.bug("self.db += dout.sum(axis=0)", "self.db += dout.mean(axis=0)"), LINEAR),
]

SGD_OUT_IN = Fixture(OPT + "sgd_out_in.py")
SGD_ROW = Fixture(OPT + "sgd_row_bias.py")
SGD_MEAN = Fixture(OPT + "sgd_mean_step.py")
STEPPING = Fixture("submissions/sgd/stepping.py")
STEPPING_BUGGY = Fixture("submissions/sgd/stepping_buggy.py")
NHWC_POOL = Fixture(OPT + "avgpool_nhwc.py")
SGD_TORCH = Fixture(OPT + "sgd_torch_linear.py")
SGD = [
    *class_rows("sgd"),
    row("sgd", "channels_last=true", "channels_last=true", NHWC_POOL,
        NHWC_POOL.bug("/ k**2", "/ k"), ("AvgPool2d",), ""),
    row("sgd", "arrays=torch", "arrays=torch", SGD_TORCH,
        SGD_TORCH.bug("dout.sum(dim=0)", "dout.sum(dim=0) / 2"), LINEAR, ":arrays=numpy",
        "torch"),
    row("sgd", "unbatched=true", "unbatched", Fixture(OPT + "sgd_one_sample.py"),
        Fixture(OPT + "sgd_one_sample.py").bug("learning_rate * output_error",
                                               "learning_rate * output_error.sum()"),
        LINEAR, ""),
    row("sgd", "lr", "lr=0.05", Fixture(OPT + "sgd_fixed_rate.py"),
        Fixture(OPT + "sgd_fixed_rate.py").bug("STEP * dout.sum", "STEP * dout.mean"), LINEAR,
        ""),
    row("sgd", "param_grads=per-sample", "param_grads=per-sample", SGD_MEAN,
        SGD_MEAN.bug("dout.sum(axis=0) / n", "dout.sum(axis=0)"), LINEAR, ""),
    row("sgd", PER_LAYER, "Linear.param_grads=per-sample", SGD_MEAN,
        SGD_MEAN.bug("(self.x.T @ dout) / n", "(self.x.T @ dout)"), LINEAR, ""),
    row("sgd", "bias=flat", "bias=flat", STEPPING, STEPPING_BUGGY, ("Linear", "Sigmoid"),
        ":bias=column"),
    row("sgd", "weight=in-out", "weight=in-out", STEPPING, STEPPING_BUGGY, LINEAR,
        ":weight=out-in"),
    row("sgd", "arrays=numpy", "arrays=numpy", STEPPING, STEPPING_BUGGY, LINEAR),
    row("sgd", "bias=row", "bias=row", SGD_ROW,
        SGD_ROW.bug("axis=0, keepdims", "axis=1, keepdims"), LINEAR, ":bias=column"),
    row("sgd", "bias=column", "bias=column", SGD_OUT_IN,
        SGD_OUT_IN.bug("dout.sum(axis=0)[:, None]", "dout.sum(axis=0)[:, None] / 2"), LINEAR,
        ":bias=row"),
    row("sgd", "weight=out-in", "weight=out-in", SGD_OUT_IN,
        SGD_OUT_IN.bug("(dout.T @ self.x)", "(self.x.T @ dout).T * 2"), LINEAR,
        ":weight=in-out"),
]

CS231N_LAYERS = Fixture("submissions/cs231n/layers.py")
SOFTMAX_SUM = CS231N_LAYERS.bug("-log_probs[np.arange(n), y].mean()",
                                "-log_probs[np.arange(n), y].sum()").bug(
    "return loss, dx / n", "return loss, dx")
CS_DROPOUT = Fixture(CONV + "cs231n_dropout.py")
CS_DROP_P = CS_DROPOUT.bug('P = "keep"', 'P = "drop"')
CS_NOT_INVERTED = CS_DROPOUT.bug('dropout_param.get("seed")) / keep', 'dropout_param.get("seed"))'
                                 ).bug("        out = x\n", "        out = x * keep\n")
CE = ("CrossEntropy",)


def softmax(loss: str, grad: str) -> Fixture:
    """``layers.py`` whose ``softmax_loss`` returns ``loss`` and ``grad``."""
    return CS231N_LAYERS.bug("-log_probs[np.arange(n), y].mean()", loss).bug(
        "return loss, dx / n", f"return loss, {grad}")


def softmax_bug(fixture: Fixture) -> Fixture:
    """The correct class's gradient left out: dx is the softmax alone."""
    return fixture.bug("dx[np.arange(n), y] -= 1", "dx[np.arange(n), y] -= 0")


CS231N_SOFTMAX = {
    "reduction=sum": ("-log_probs[np.arange(n), y].sum()", "dx", "reduction=sum"),
    "reduction=half-sum": ("-0.5 * log_probs[np.arange(n), y].sum()", "0.5 * dx",
                           "reduction=half-sum"),
    "reduction=half-mean": ("-0.5 * log_probs[np.arange(n), y].mean()", "0.5 * dx / n",
                            "reduction=half-mean"),
    "reduction=per-sample": ("-log_probs[np.arange(n), y]", "dx", "reduction=per-sample"),
    "loss_grad=sum": ("-log_probs[np.arange(n), y].mean()", "dx", "loss_grad=sum"),
    "loss_grad=mean": ("-log_probs[np.arange(n), y].sum()", "dx / n",
                       "reduction=sum,loss_grad=mean"),
}
"""Option id -> softmax_loss's loss and gradient written that way, and the options."""
CS231N_PLAIN = {"loss_grad=mean": ":reduction=sum"}
ONEHOT_SOFTMAX = CS231N_LAYERS.bug("-log_probs[np.arange(n), y].mean()",
                                   "-(log_probs * y).sum(axis=1).mean()").bug(
    "dx[np.arange(n), y] -= 1", "dx -= y")
NEURAL_NET = Fixture("submissions/cs231n_course/neural_net.py")

CS231N = [
    *(row("cs231n", option, options, softmax(loss, grad), softmax_bug(softmax(loss, grad)), CE,
          CS231N_PLAIN.get(option, ""))
      for option, (loss, grad, options) in CS231N_SOFTMAX.items()),
    row("cs231n", "targets=onehot", "targets=onehot", ONEHOT_SOFTMAX,
        ONEHOT_SOFTMAX.bug("return loss, dx / n", "return loss, dx"), CE, ""),
    row("cs231n", "p=keep", "p=keep", CS_DROPOUT, CS_DROPOUT.bug('BUG = ""', 'BUG = "no-mask"'),
        ("Dropout",), ":p=drop"),
    row("cs231n", "p=drop", "p=drop", CS_DROP_P, CS_DROP_P.bug('BUG = ""', 'BUG = "keep-drop"'),
        ("Dropout",), ""),
    row("cs231n", "inverted=false", "inverted=false", CS_NOT_INVERTED,
        CS_NOT_INVERTED.bug('BUG = ""', 'BUG = "no-mask"'), ("Dropout",), ""),
    row("cs231n", PER_LAYER, "Dropout.p=drop", CS_DROP_P,
        CS_DROP_P.bug('BUG = ""', 'BUG = "fresh-mask"'), ("Dropout",), ""),
    row("cs231n", "l2=full", "l2=full", NEURAL_NET,
        NEURAL_NET.bug("+ 2 * reg * W1", "+ reg * W1"), ("TwoLayerNet",), ""),
]

COLUMNAR_SUM = Fixture(OPT + "columnar_sum.py")


def columnar(cost: str, grad: str) -> Fixture:
    """``columnar_sum.py`` with its cost and output gradient written another way."""
    return COLUMNAR_SUM.bug("return np.sum(D ** 2)", f"return {cost}").bug(
        "dA2 = 2 * D", f"dA2 = {grad}")


def columnar_bug(fixture: Fixture) -> Fixture:
    """The hidden layer's bias gradient doubled."""
    return fixture.bug('"db1": dZ1.sum(axis=1, keepdims=True)',
                       '"db1": 2 * dZ1.sum(axis=1, keepdims=True)')


COLUMNAR_COSTS = {
    "reduction=sum": ("np.sum(D ** 2)", "2 * D"),
    "reduction=half-sum": ("0.5 * np.sum(D ** 2)", "D"),
    "reduction=half-mean": ("0.5 * np.mean(D ** 2)", "D / D.size"),
    "reduction=batch-mean": ("np.sum(D ** 2) / D.shape[1]", "2 * D / D.shape[1]"),
    "reduction=per-sample": ("np.mean(D ** 2, axis=0)", "2 * D / D.shape[0]"),
}
"""Option id -> the network's cost and its gradient at the output, written that way."""
COLUMNAR_PLAIN = {"reduction=batch-mean": None}
"""The catalog's RegressionMLP has one output: averaged over the batch is the mean."""
COLUMNAR_MEAN = columnar("np.mean(D ** 2)", "2 * D / D.size")
NETWORK = ("RegressionMLP",)

COLUMNAR = [
    *(row("columnar", option, option, columnar(*cost), columnar_bug(columnar(*cost)), NETWORK,
          COLUMNAR_PLAIN.get(option, "")) for option, cost in COLUMNAR_COSTS.items()),
    row("columnar", "param_grads=per-sample", "param_grads=per-sample",
        columnar("np.mean(D ** 2)", "2 * D / D.size / D.shape[1]"),
        columnar_bug(columnar("np.mean(D ** 2)", "2 * D / D.size / D.shape[1]")), NETWORK, ""),
    row("columnar", "network", "network=RegressionMLP", COLUMNAR_MEAN, columnar_bug(
        COLUMNAR_MEAN), NETWORK, ":network=XORNet"),
    row("columnar", PER_LAYER, "RegressionMLP.reduction=sum", COLUMNAR_SUM,
        columnar_bug(COLUMNAR_SUM), NETWORK, ""),
]

PAIRS = [
    Row("native", "", "native", Fixture("plugin/correct.py"),
        Fixture("plugin/transposed_dw.py"), ("Linear", "ReLU")),
    Row("protocol", "", "protocol", Fixture(OPT + "protocol/server.py"),
        Fixture(OPT + "protocol/server.py").bug('"db": g.sum(axis=0)', '"db": g.mean(axis=0)'),
        ("Linear", "ReLU")),
    Row("book", "", "book", Fixture("book/network.py"), TWINS["book/network_buggy.py"],
        ("SigmoidNet",)),
]
"""The adapters that take no options: one correct / one-bug pair each."""

LAYOUT = ("reads no layer objects: CS231n's functions take the handout's fixed layouts, "
          "x (N, D), w (D, M), b (M,), NCHW")
NO_LAYOUT_NETWORK = "a column-major network's layout is read off its W1 and b1 shapes"
MEANINGLESS = [
    *(Meaningless("classes", o, r) for o, r in [
        ("lr", "classes reads gradients the layer stores; a learning rate matters only to "
               "layers that step themselves (sgd)"),
        ("network", "classes reads layers, not whole column-major networks (columnar)"),
        ("l2=full", "only a CS231n TwoLayerNet.loss takes reg (cs231n)"),
    ]),
    *(Meaningless("sgd", o, r) for o, r in [
        ("accumulate=true", "an sgd layer's gradient is read from the step it takes, never "
                            "from a stored sum that could accumulate"),
        ("network", "sgd reads layers, not whole column-major networks (columnar)"),
        ("l2=full", "only a CS231n TwoLayerNet.loss takes reg (cs231n)"),
        ("upsampled=true", "the upsample-then-convolve transposed convolution is CMU "
                           "11-785's, whose layers store their gradients (classes)"),
    ]),
    *(Meaningless("cs231n", o, LAYOUT) for o in (
        "bias=flat", "bias=row", "bias=column", "weight=in-out", "weight=out-in",
        "channels_last=true")),
    *(Meaningless("cs231n", o, r) for o, r in [
        ("param_grads=per-sample", "the course's backward functions return total gradients; "
                                   "run_pair converts none (accepted but has no effect)"),
        ("reduction=batch-mean", "softmax_loss and svm_loss average over samples only: "
                                 "batch-mean is mean for a per-sample loss"),
        ("loss_grad=half-sse", "the course's losses are softmax and SVM: half-sse is the "
                               "gradient of a squared error"),
        ("activation_grad=local", "relu_backward(dout, cache) is fixed by the handout"),
        ("activation_grad=derivative", "relu_backward(dout, cache) is fixed by the handout"),
        ("accumulate=true", "functions return gradients; nothing is stored to accumulate"),
        ("arrays=numpy", "functions are given numpy arrays; results are read with to_numpy"),
        ("arrays=torch", "functions are given numpy arrays; results are read with to_numpy"),
        ("lr", "functions return gradients; they take no step"),
        ("network", "the course's model class is found by name (TwoLayerNet)"),
        ("unbatched=true", "the handout's functions take a batch, x (N, ...)"),
        ("upsampled=true", "the course has no transposed convolution function"),
        ("class_name", "the handout's functions are found by their fixed names "
                       "(affine_forward, softmax_loss), not by class"),
    ]),
    *(Meaningless("columnar", o, NO_LAYOUT_NETWORK) for o in (
        "bias=flat", "bias=row", "bias=column", "weight=in-out", "weight=out-in")),
    *(Meaningless("columnar", o, r) for o, r in [
        ("loss_grad=mean", "a network's cost and backward are one pair: declare reduction"),
        ("loss_grad=sum", "a network's cost and backward are one pair: declare reduction"),
        ("loss_grad=half-sse", "a network's cost and backward are one pair: declare "
                               "reduction"),
        ("targets=onehot", "network targets are the catalog's (N, out) regression/XOR values"),
        ("p=keep", "the catalog networks have no dropout"),
        ("p=drop", "the catalog networks have no dropout"),
        ("inverted=false", "the catalog networks have no dropout"),
        ("activation_grad=local", "a network's activations are inside its own backward"),
        ("activation_grad=derivative", "a network's activations are inside its own backward"),
        ("channels_last=true", "the catalog networks are dense"),
        ("accumulate=true", "backward returns a fresh dict of gradients"),
        ("arrays=numpy", "the network is given numpy arrays; results are read with to_numpy"),
        ("arrays=torch", "the network is given numpy arrays; results are read with to_numpy"),
        ("lr", "backward returns gradients; a step() is never called"),
        ("l2=full", "only a CS231n TwoLayerNet.loss takes reg (cs231n)"),
        ("unbatched=true", "a column-major network takes a batch of columns, x (D, N)"),
        ("upsampled=true", "the catalog networks are dense"),
        ("class_name", "the network class is named by the network option, not by layer"),
    ]),
]

ROWS = [*CLASSES, *SGD, *CS231N, *COLUMNAR, *PAIRS]
