//! Your backpropagation homework in Rust: fill in every layer below.
//!
//! backcheck builds this program (`cargo build --release`), starts it, and sends it
//! cases through backcheck-protocol (src/protocol.rs does the reading and writing).
//! Each layer gets a `Case` with its arrays by name (`x`, `target`, `W`, `b`, ...,
//! and `dout`, the gradient of the loss with respect to the output) and replies with
//! `out` and one gradient per input and parameter (`dx`, `dW`, `db`), each shaped
//! exactly like the array it is the gradient of. Arrays are row-major `Vec<f64>`s.
//!
//! The handshake below declares backcheck's own conventions (batch as rows, W as
//! (in, out), biases (M,)); if you store W as (out, in), say `Linear weight=out-in`
//! and backcheck converts (docs/protocol.md lists every convention). Check your work:
//!
//!     backcheck check mywork/rust --layers Linear,ReLU
//!
//! Print debugging output to stderr (`eprintln!`): stdout belongs to the protocol.

mod protocol;

use protocol::{Case, Failure, Reply};

/// out = x W + b. x (N, D), W (D, M) (in, out), b (M,), out (N, M). Reply out, dx (N, D),
/// dW (D, M), db (M,).
fn linear(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Linear"))
}

/// out = max(x, 0), elementwise. Reply out and dx = dout where x > 0, else 0.
fn relu(_case: &Case) -> Reply {
    Err(Failure::not_implemented("ReLU"))
}

/// out = x where x > 0, else negative_slope * x (config negative_slope). Reply out, dx.
fn leaky_relu(_case: &Case) -> Reply {
    Err(Failure::not_implemented("LeakyReLU"))
}

/// out = 1 / (1 + exp(-x)), computed stably for large |x|. Reply out, dx.
fn sigmoid(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Sigmoid"))
}

/// out = tanh(x). Reply out, dx.
fn tanh(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Tanh"))
}

/// out = softmax of each row of x (N, C); subtract the row maximum first. Reply out, dx.
fn softmax(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Softmax"))
}

/// out = x * Phi(x), Phi the exact Gaussian CDF 0.5 * (1 + erf(x / sqrt(2))). Reply out,
/// dx.
fn gelu(_case: &Case) -> Reply {
    Err(Failure::not_implemented("GELU"))
}

/// out = x * sigmoid(x), elementwise. Reply out, dx.
fn silu(_case: &Case) -> Reply {
    Err(Failure::not_implemented("SiLU"))
}

/// out = x where x > 0, else alpha * (exp(x) - 1) (config alpha). Reply out, dx.
fn elu(_case: &Case) -> Reply {
    Err(Failure::not_implemented("ELU"))
}

/// out = log(1 + exp(x)), written so that large x cannot overflow. Reply out, dx.
fn softplus(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Softplus"))
}

/// out = x; dx = dout. Reply out, dx.
fn identity(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Identity"))
}

/// out = mean((x - target)^2) over every element, a scalar (ndim 0). Reply out, dx (times
/// dout).
fn mse_loss(_case: &Case) -> Reply {
    Err(Failure::not_implemented("MSELoss"))
}

/// out = mean binary cross-entropy of probabilities x against targets in [0, 1]. Reply out,
/// dx.
fn bce_loss(_case: &Case) -> Reply {
    Err(Failure::not_implemented("BCELoss"))
}

/// out = mean over the batch of -log softmax(x)[target]; x logits (N, C), target class
/// indices (N,). Reply out, dx.
fn cross_entropy(_case: &Case) -> Reply {
    Err(Failure::not_implemented("CrossEntropy"))
}

/// Multiclass hinge loss of scores x (N, C) against classes target (N,): mean over the
/// batch of sum over j != target of max(0, x_j - x_target + 1). Reply out, dx.
fn svm_loss(_case: &Case) -> Reply {
    Err(Failure::not_implemented("SVMLoss"))
}

/// Normalize each row of x (N, D) to mean 0, variance 1 (config eps), then * gamma (D,) +
/// beta (D,). Reply out, dx, dgamma, dbeta.
fn layer_norm(_case: &Case) -> Reply {
    Err(Failure::not_implemented("LayerNorm"))
}

/// Normalize each column of x (N, D) over the batch (training mode, config eps), then *
/// gamma + beta. Reply out, dx, dgamma, dbeta.
fn batch_norm(_case: &Case) -> Reply {
    Err(Failure::not_implemented("BatchNorm"))
}

/// BatchNorm over (N, H, W) for each channel of x (N, C, H, W) (config eps), then * gamma
/// (C,) + beta (C,). Reply out, dx, dgamma, dbeta.
fn spatial_batch_norm(_case: &Case) -> Reply {
    Err(Failure::not_implemented("SpatialBatchNorm"))
}

/// Normalize each sample's G groups of channels of x (N, C, H, W) over (C/G, H, W) (config
/// G, eps), then * gamma (C,) + beta (C,). Reply out, dx, dgamma, dbeta.
fn group_norm(_case: &Case) -> Reply {
    Err(Failure::not_implemented("GroupNorm"))
}

/// Cross-correlation of x (N, C, L) with W (F, C, K) plus b (F,); config stride, padding.
/// Reply out (N, F, L_out), dx, dW, db.
fn conv1d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Conv1d"))
}

/// Cross-correlation of x (N, C, H, W) with W (F, C, KH, KW) plus b (F,); config stride,
/// padding: one value for both axes, or two (h w) as in "config stride 2 1". Reply out,
/// dx, dW, db.
fn conv2d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Conv2d"))
}

/// Maximum of each kernel_size x kernel_size window of x (N, C, H, W), moved by stride;
/// config padding (when sent) adds -inf rows and columns on every side. Reply out, dx
/// (the padding cropped).
fn max_pool2d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("MaxPool2d"))
}

/// Mean of each kernel_size x kernel_size window of x (N, C, H, W), moved by stride;
/// config padding (when sent) adds zeros on every side that count in the mean (divide
/// by kernel_size^2 everywhere). Reply out, dx (the padding cropped).
fn avg_pool2d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("AvgPool2d"))
}

/// out = x * mask / (1 - p) with the given 0/1 mask (an input, not differentiated); config
/// p. Reply out, dx.
fn dropout(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Dropout"))
}

/// (N, C, H, W) -> (N, C*H*W) in row-major order. Reply out, dx shaped like x.
fn flatten(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Flatten"))
}

/// Linear 1 -> 1 under MSELoss: out is the scalar loss of x, target (N, 1) with W (1, 1), b
/// (1,). Reply out, dW, db.
fn linear_regression(_case: &Case) -> Reply {
    Err(Failure::not_implemented("LinearRegression"))
}

/// Linear 1 -> 2, ReLU, Linear 2 -> 1, MSELoss: out is the loss. W1 (1, 2), b1 (2,), W2 (2,
/// 1), b2 (1,). Reply out, dW1, db1, dW2, db2.
fn regression_mlp(_case: &Case) -> Reply {
    Err(Failure::not_implemented("RegressionMLP"))
}

/// Linear 2 -> 4, ReLU, Linear 4 -> 1, Sigmoid, BCELoss: out is the loss. Reply out, dW1,
/// db1, dW2, db2.
fn xor_net(_case: &Case) -> Reply {
    Err(Failure::not_implemented("XORNet"))
}

/// W[x]: integer x (N, T) picks rows of W (V, D), out (N, T, D). Reply out, dW
/// (scatter-add dout: an index may repeat).
fn embedding(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Embedding"))
}

/// next_h = tanh(x Wx + prev_h Wh + b): x (N, D), prev_h (N, H), Wx (D, H), Wh (H, H),
/// b (H,). Reply out, dx, dprev_h, dWx, dWh, db.
fn rnn_cell(_case: &Case) -> Reply {
    Err(Failure::not_implemented("RNNCell"))
}

/// The RNN step over x (N, T, D) from h0 (N, H); out is every state (N, T, H). Reply
/// out, dx, dh0, dWx, dWh, db (backprop through time).
fn rnn(_case: &Case) -> Reply {
    Err(Failure::not_implemented("RNN"))
}

/// One LSTM step, gates i, f, o, g in Wx (D, 4H), Wh (H, 4H), b (4H,); out is next_h
/// and next_c stacked (2, N, H), dout likewise. Reply out, dx, dprev_h, dprev_c, dWx, dWh, db.
fn lstm_cell(_case: &Case) -> Reply {
    Err(Failure::not_implemented("LSTMCell"))
}

/// The LSTM step over x (N, T, D) from h0 (N, H) and a zero cell state; out is every
/// h (N, T, H). Reply out, dx, dh0, dWx, dWh, db.
fn lstm(_case: &Case) -> Reply {
    Err(Failure::not_implemented("LSTM"))
}

/// One GRU step as torch's GRUCell: gates r, z, n in Wx (D, 3H), Wh (H, 3H), biases bx,
/// bh (3H,); next_h = (1 - z) n + z h. Reply out, dx, dprev_h, dWx, dWh, dbx, dbh.
fn gru_cell(_case: &Case) -> Reply {
    Err(Failure::not_implemented("GRUCell"))
}

/// x W + b at every step: x (N, T, D), W (D, M), b (M,), out (N, T, M). Reply out, dx,
/// dW, db (summed over the batch and time).
fn temporal_affine(_case: &Case) -> Reply {
    Err(Failure::not_implemented("TemporalAffine"))
}

/// Softmax cross-entropy of x (N, T, V) against target (N, T) where mask (N, T) is 1,
/// summed over time, divided by N: out is the loss. Reply out, dx.
fn temporal_softmax_loss(_case: &Case) -> Reply {
    Err(Failure::not_implemented("TemporalSoftmaxLoss"))
}

/// softmax(q kᵀ / sqrt(D)) v: q (N, Tq, D), k (N, Tk, D), v (N, Tk, Dv); causal (Tq == Tk)
/// masks keys j > i before the softmax. Reply out, dq, dk, dv.
fn attention(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Attention"))
}

/// Multi-head attention: query (N, S, E), key, value (N, T, E), x @ W + b projections
/// (W (E, E) in-out), num_heads heads scaled by 1/sqrt(E/num_heads), causal optional, output
/// projection Wo, bo. Reply out, dquery, dkey, dvalue, dWq, dbq, dWk, dWv, dbv, dWo, dbo (no dbk: it is 0).
fn multi_head_attention(_case: &Case) -> Reply {
    Err(Failure::not_implemented("MultiHeadAttention"))
}

// --- convfamily: transposed convolutions, resampling (CMU 11-785 HW2), 1-D pooling ---

/// x (N, C_in, L), W (C_in, C_out, K) as torch, b (C_out,): each input position adds x·W to
/// the output window at i * stride, then padding is cropped: L_out = (L - 1) * stride - 2 * padding
/// + K. Reply out, dx, dW, db.
fn conv_transpose1d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("ConvTranspose1d"))
}

/// x NCHW, W (C_in, C_out, KH, KW), b (C_out,): ConvTranspose1d on both axes. Reply out, dx,
/// dW, db.
fn conv_transpose2d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("ConvTranspose2d"))
}

/// x (N, C, L), kernel_size, stride; no padding. Reply out, dx (to each window's maximum).
fn max_pool1d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("MaxPool1d"))
}

/// x (N, C, L), kernel_size, stride; no padding. Reply out, dx (1 / kernel_size each).
fn avg_pool1d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("AvgPool1d"))
}

/// x (N, C, L), upsampling_factor k: k - 1 zeros between elements, out (N, C, k*(L-1)+1).
/// Reply out, dx = dout[..., ::k].
fn upsample1d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Upsample1d"))
}

/// x NCHW, upsampling_factor k: Upsample1d on both spatial axes. Reply out, dx.
fn upsample2d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Upsample2d"))
}

/// x (N, C, L), downsampling_factor k: out = x[..., ::k]. Reply out, dx (dout at those
/// positions, zeros elsewhere, the input's width).
fn downsample1d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Downsample1d"))
}

/// x NCHW, downsampling_factor k: x[..., ::k, ::k]. Reply out, dx.
fn downsample2d(_case: &Case) -> Reply {
    Err(Failure::not_implemented("Downsample2d"))
}

/// Linear, ReLU, Linear, softmax cross-entropy (batch mean) plus 0.5 * reg * (|W1|² +
/// |W2|²): out is the loss. Reply out, dW1, db1, dW2, db2.
fn two_layer_net(_case: &Case) -> Reply {
    Err(Failure::not_implemented("TwoLayerNet"))
}

/// Sigmoid layers on one column sample x (D, 1), W (out, in), b (out, 1), cost
/// 0.5 * |a - y|²: out is the cost. Reply out, dW1, db1, dW2, db2.
fn sigmoid_net(_case: &Case) -> Reply {
    Err(Failure::not_implemented("SigmoidNet"))
}

/// Every layer, by its catalog name.
const LAYERS: &[(&str, fn(&Case) -> Reply)] = &[
    ("Linear", linear),
    ("ReLU", relu),
    ("LeakyReLU", leaky_relu),
    ("Sigmoid", sigmoid),
    ("Tanh", tanh),
    ("Softmax", softmax),
    ("GELU", gelu),
    ("SiLU", silu),
    ("ELU", elu),
    ("Softplus", softplus),
    ("Identity", identity),
    ("MSELoss", mse_loss),
    ("BCELoss", bce_loss),
    ("CrossEntropy", cross_entropy),
    ("SVMLoss", svm_loss),
    ("LayerNorm", layer_norm),
    ("BatchNorm", batch_norm),
    ("SpatialBatchNorm", spatial_batch_norm),
    ("GroupNorm", group_norm),
    ("Conv1d", conv1d),
    ("Conv2d", conv2d),
    ("MaxPool2d", max_pool2d),
    ("AvgPool2d", avg_pool2d),
    ("Dropout", dropout),
    ("Flatten", flatten),
    ("LinearRegression", linear_regression),
    ("RegressionMLP", regression_mlp),
    ("XORNet", xor_net),
    ("Embedding", embedding),
    ("RNNCell", rnn_cell),
    ("RNN", rnn),
    ("LSTMCell", lstm_cell),
    ("LSTM", lstm),
    ("GRUCell", gru_cell),
    ("TemporalAffine", temporal_affine),
    ("TemporalSoftmaxLoss", temporal_softmax_loss),
    ("Attention", attention),
    ("MultiHeadAttention", multi_head_attention),
    ("TwoLayerNet", two_layer_net),
    ("SigmoidNet", sigmoid_net),
    ("ConvTranspose1d", conv_transpose1d),
    ("ConvTranspose2d", conv_transpose2d),
    ("MaxPool1d", max_pool1d),
    ("AvgPool1d", avg_pool1d),
    ("Upsample1d", upsample1d),
    ("Upsample2d", upsample2d),
    ("Downsample1d", downsample1d),
    ("Downsample2d", downsample2d),
];

fn main() -> std::io::Result<()> {
    let declared: Vec<&str> = LAYERS.iter().map(|(name, _)| *name).collect();
    protocol::serve(&declared, |case| {
        match LAYERS.iter().find(|(name, _)| *name == case.layer) {
            Some((_, layer)) => layer(case),
            None => Err(Failure::exception(format!("{} is not a layer here", case.layer))),
        }
    })
}
