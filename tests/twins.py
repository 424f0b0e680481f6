"""The one-bug twins of the fixtures, each written as its correct fixture and the edit
that plants the bug, not as a second copy of the file.

Kept as whole copies, a fixture and its twin drift apart and a reader has to diff them
to find the bug. Here the bug is the edit, and ``about`` says what it breaks. A test
that needs the twin on disk (to load it, or to hand it to the sandbox) takes the root
conftest's ``twin`` fixture: ``twin("styles/nnfs_buggy.py")`` is its path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Fixture:
    """``path`` (under ``tests/fixtures``) with each ``(old, new)`` edit made once."""

    path: str
    edits: tuple[tuple[str, str], ...] = ()
    about: str = ""
    """What the edits plant, for a one-bug twin."""

    def text(self) -> str:
        text = (FIXTURES / self.path).read_text()
        for old, new in self.edits:
            assert old in text, f"{self.path}: edit target {old!r} not found"
            text = text.replace(old, new, 1)
        return text

    def bug(self, old: str, new: str) -> Fixture:
        """This fixture with one more edit."""
        return Fixture(self.path, (*self.edits, (old, new)), self.about)

    def write(self, path: Path) -> Path:
        """The edited text written at ``path`` (its folders made), which is returned."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.text())
        return path


def twin(path: str, about: str, *edits: tuple[str, str]) -> Fixture:
    """The one-bug twin of fixture ``path``: ``edits`` plant the bug ``about`` names."""
    return Fixture(path, edits, about)


TWINS: dict[str, Fixture] = {
    'book/network_buggy.py': twin(
        'book/network.py',
        "backprop's output error forgets the sigmoid's slope, delta = (a - y) instead of (a -"
        " y) * sigma'(z) (the cross-entropy cost's delta, under a quadratic cost)",
        ('error = self.output_error(activations[-1], y) * logistic_slope(weighted[-1])',
         'error = self.output_error(activations[-1], y)')),
    'corpus/function_pairs_buggy.py': twin(
        'corpus/function_pairs.py', 'relu_grad is 1 at z == 0 and below as well as above',
        ('return (z > 0).astype(z.dtype)', 'return np.ones_like(z)')),
    'corpus/output_loss_buggy.py': twin(
        'corpus/output_loss.py', 'diff forgets to subtract 1 at the right word',
        ('grad[word] -= 1.0', '')),
    'corpus/unbatched_conv_buggy.py': twin(
        'corpus/unbatched_conv.py', 'the bias gradient is scaled by the number of filters',
        ('self.dbias = grad.sum(axis=(0, 1))',
         'self.dbias = grad.shape[2] * grad.sum(axis=(0, 1))')),
    'styles/dicts_buggy.py': twin(
        'styles/dicts.py', "FCLayer's bias gradient is the mean over the batch, not the sum",
        ('self.grads["b"] += grad.sum(axis=0)', 'self.grads["b"] += grad.mean(axis=0)')),
    'styles/grads_list_buggy.py': twin(
        'styles/grads_list.py', "the bias gradient keeps the first sample's row only",
        ('return np.sum(dout, axis=0, keepdims=True)', 'return dout[:1]')),
    'styles/image_dims_buggy.py': twin(
        'styles/image_dims.py',
        'the pooling gradient goes to every element of the window, not to its maximum only',
        ('self.window(dX, i, j)[...] += hit * dout[:, :, i, j][:, :, None, None]',
         'self.window(dX, i, j)[...] += dout[:, :, i, j][:, :, None, None]')),
    'styles/input_again_buggy.py': twin(
        'styles/input_again.py', "tanh's slope is taken as 1 - out, not 1 - out**2",
        ('return 1.0 - out ** 2', 'return 1.0 - out')),
    'styles/keras_like_buggy.py': twin(
        'styles/keras_like.py', 'Dense returns the input gradient through the updated weights',
        ('kept = self.W', ''),
        ('return accum_grad @ kept.T', 'return accum_grad @ self.W.T')),
    'styles/lazy_buggy.py': twin(
        'styles/lazy.py', 'the forward forgets the bias',
        ('return x @ self.W + self.b', 'return x @ self.W')),
    'styles/lstm_tuple_buggy.py': twin(
        'styles/lstm_tuple.py',
        'dh reaches the cell state as dh * o, without the derivative of tanh(c)',
        ('dc = dc + dh * self.o * (1 - self.tc ** 2)', 'dc = dc + dh * self.o')),
    'styles/mytorch_bn2d_buggy.py': twin(
        'styles/mytorch_bn2d.py',
        "the shift's gradient sums over the batch only, not over the positions (H, W), and "
        'keeps the first position',
        ('return np.sum(dLdBZ, axis=(0, 2, 3), keepdims=True)',
         'return dLdBZ.sum(axis=0, keepdims=True)[:, :, :1, :1]')),
    'styles/mytorch_buggy.py': twin(
        'styles/mytorch.py', "BatchNorm1d's shift gradient is a mean, not a sum",
        ('self.dLdBb = np.sum(dLdBZ, axis=0, keepdims=True)',
         'self.dLdBb = np.mean(dLdBZ, axis=0, keepdims=True)')),
    'styles/nnfs_buggy.py': twin(
        'styles/nnfs.py', 'the softmax-loss backward forgets to divide by the batch',
        ('-= 1\n        self.dinputs = self.dinputs / samples', '-= 1')),
    'styles/nnfs_early_buggy.py': twin(
        'styles/nnfs_early.py', 'the cross-entropy backward forgets the batch size',
        ('self.dinputs = -y_true / dvalues / samples', 'self.dinputs = -y_true / dvalues')),
    'styles/optimizer_buggy.py': twin(
        'styles/optimizer.py', 'the input gradient is computed after the update',
        ('dx = grad @ self.W.T', ''),
        ('return dx', 'return grad @ self.W.T')),
    'styles/queued_buggy.py': twin(
        'styles/queued.py', 'the dense bias gradient is averaged over the batch',
        ('self.gradients["b"] += dy.sum(axis=0, keepdims=True)',
         'self.gradients["b"] += dy.mean(axis=0, keepdims=True)')),
    'styles/torch_cells_buggy.py': twin(
        'styles/torch_cells.py',
        "the candidate gate's recurrent part forgets the reset gate in its gradient, so dh, "
        'dWh and dbh of the GRU cell are wrong',
        ('return dn * self.r', 'return dn')),
    'styles/wrapped_conv_buggy.py': twin(
        'styles/wrapped_conv.py',
        "the unit convolution's input gradient uses the kernel unflipped, so every layer "
        'built on it has a wrong dx (and nothing else)',
        ('turned = self.W[:, :, ::-1]', 'turned = self.W')),
    'submissions/classes/target_first_losses_buggy.py': twin(
        'submissions/classes/target_first_losses.py',
        "MSELoss's gradient is not divided by the number of elements (a sum's gradient "
        'under a mean loss)',
        ('return 2.0 * self.residual / self.residual.size', 'return 2.0 * self.residual')),
    'submissions/conventions/derivative_activations_buggy.py': twin(
        'submissions/conventions/derivative_activations.py', "Tanh's derivative",
        ('return 1.0 - self.state**2', 'return 1.0 - self.state')),
    'submissions/conventions/mixed_param_grads_buggy.py': twin(
        'submissions/conventions/mixed_param_grads.py', 'Linear.db is not averaged',
        ('self.db = dout.sum(axis=0) / n', 'self.db = dout.sum(axis=0)')),
    'submissions/conventions/onehot_loss_buggy.py': twin(
        'submissions/conventions/onehot_loss.py', 'the gradient is not divided by N',
        ('return (self.probs - self.y) / len(self.y)', 'return self.probs - self.y')),
    'submissions/cs231n_course/embedding_buggy.py': twin(
        'submissions/cs231n_course/embedding.py',
        'dW[x] = dout keeps one gradient of a repeated word',
        ('np.add.at(dW, x, dout)', 'dW[x] = dout')),
    'submissions/cs231n_course/fc_net_buggy.py': twin(
        'submissions/cs231n_course/fc_net.py', 'the ReLU mask is left out of the hidden gradient',
        ('dh = (dscores @ W2.T) * (h > 0)', 'dh = dscores @ W2.T')),
    'submissions/cs231n_course/groupnorm_buggy.py': twin(
        'submissions/cs231n_course/groupnorm.py', 'statistics per position, over the channels only',
        ('xg.mean(axis=(2, 3, 4), keepdims=True)', 'xg.mean(axis=2, keepdims=True)'),
        ('xg.var(axis=(2, 3, 4), keepdims=True)', 'xg.var(axis=2, keepdims=True)')),
}
"""A one-bug twin's name (as if it were a file under ``tests/fixtures``) -> how it is made."""
