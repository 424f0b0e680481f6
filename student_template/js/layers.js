// Your backpropagation homework in JavaScript (Node, no packages): fill in every layer.
//
// backcheck starts `node layers.js` and sends it cases through backcheck-protocol
// (protocol.js does the reading and writing). Each layer gets its arrays by name
// (`a.x`, `a.target`, `a.W`, `a.b`, ..., and `a.dout`, the gradient of the loss with
// respect to the output; hyper-parameters are in `a.config`) and returns `out` and one
// gradient per input and parameter (`dx`, `dW`, `db`), each shaped exactly like the
// array it is the gradient of. An array is {shape: [...], data: [...]} in row-major order.
//
// The handshake declares backcheck's own conventions (batch as rows, W as (in, out),
// biases (M,)); to declare others, see CONVENTIONS below and docs/protocol.md.
// Check your work:
//
//     backcheck check mywork/js --layers Linear,ReLU
//
// Print debugging output with console.error: stdout belongs to the protocol.
"use strict";
const { serve, notImplemented } = require("./protocol.js");

const LAYERS = {
  // out = x W + b. x (N, D), W (D, M) (in, out), b (M,), out (N, M). Reply out, dx (N, D),
  // dW (D, M), db (M,).
  Linear(a) {
    throw notImplemented("Linear");
  },

  // out = max(x, 0), elementwise. Reply out and dx = dout where x > 0, else 0.
  ReLU(a) {
    throw notImplemented("ReLU");
  },

  // out = x where x > 0, else negative_slope * x (config negative_slope). Reply out, dx.
  LeakyReLU(a) {
    throw notImplemented("LeakyReLU");
  },

  // out = 1 / (1 + exp(-x)), computed stably for large |x|. Reply out, dx.
  Sigmoid(a) {
    throw notImplemented("Sigmoid");
  },

  // out = tanh(x). Reply out, dx.
  Tanh(a) {
    throw notImplemented("Tanh");
  },

  // out = softmax of each row of x (N, C); subtract the row maximum first. Reply out, dx.
  Softmax(a) {
    throw notImplemented("Softmax");
  },

  // out = x * Phi(x), Phi the exact Gaussian CDF 0.5 * (1 + erf(x / sqrt(2))). Reply out,
  // dx.
  GELU(a) {
    throw notImplemented("GELU");
  },

  // out = x * sigmoid(x), elementwise. Reply out, dx.
  SiLU(a) {
    throw notImplemented("SiLU");
  },

  // out = x where x > 0, else alpha * (exp(x) - 1) (config alpha). Reply out, dx.
  ELU(a) {
    throw notImplemented("ELU");
  },

  // out = log(1 + exp(x)), written so that large x cannot overflow. Reply out, dx.
  Softplus(a) {
    throw notImplemented("Softplus");
  },

  // out = x; dx = dout. Reply out, dx.
  Identity(a) {
    throw notImplemented("Identity");
  },

  // out = mean((x - target)^2) over every element, a scalar (ndim 0). Reply out, dx (times
  // dout).
  MSELoss(a) {
    throw notImplemented("MSELoss");
  },

  // out = mean binary cross-entropy of probabilities x against targets in [0, 1]. Reply
  // out, dx.
  BCELoss(a) {
    throw notImplemented("BCELoss");
  },

  // out = mean over the batch of -log softmax(x)[target]; x logits (N, C), target class
  // indices (N,). Reply out, dx.
  CrossEntropy(a) {
    throw notImplemented("CrossEntropy");
  },

  // Multiclass hinge loss of scores x (N, C) against classes target (N,): mean over the
  // batch of sum over j != target of max(0, x_j - x_target + 1). Reply out, dx.
  SVMLoss(a) {
    throw notImplemented("SVMLoss");
  },

  // Normalize each row of x (N, D) to mean 0, variance 1 (config eps), then * gamma (D,) +
  // beta (D,). Reply out, dx, dgamma, dbeta.
  LayerNorm(a) {
    throw notImplemented("LayerNorm");
  },

  // Normalize each column of x (N, D) over the batch (training mode, config eps), then *
  // gamma + beta. Reply out, dx, dgamma, dbeta.
  BatchNorm(a) {
    throw notImplemented("BatchNorm");
  },

  // BatchNorm over (N, H, W) for each channel of x (N, C, H, W) (config eps), then * gamma
  // (C,) + beta (C,). Reply out, dx, dgamma, dbeta.
  SpatialBatchNorm(a) {
    throw notImplemented("SpatialBatchNorm");
  },

  // Normalize each sample's G groups of channels of x (N, C, H, W) over (C/G, H, W) (config
  // G, eps), then * gamma (C,) + beta (C,). Reply out, dx, dgamma, dbeta.
  GroupNorm(a) {
    throw notImplemented("GroupNorm");
  },

  // Cross-correlation of x (N, C, L) with W (F, C, K) plus b (F,); config stride, padding.
  // Reply out (N, F, L_out), dx, dW, db.
  Conv1d(a) {
    throw notImplemented("Conv1d");
  },

  // Cross-correlation of x (N, C, H, W) with W (F, C, KH, KW) plus b (F,); config stride,
  // padding: one value for both axes, or two (h w) as in "config stride 2 1". Reply out,
  // dx, dW, db.
  Conv2d(a) {
    throw notImplemented("Conv2d");
  },

  // Maximum of each kernel_size x kernel_size window of x (N, C, H, W), moved by stride;
  // config padding (when sent) adds -inf rows and columns on every side. Reply out, dx
  // (the padding cropped).
  MaxPool2d(a) {
    throw notImplemented("MaxPool2d");
  },

  // Mean of each kernel_size x kernel_size window of x (N, C, H, W), moved by stride;
  // config padding (when sent) adds zeros on every side that count in the mean (divide
  // by kernel_size^2 everywhere). Reply out, dx (the padding cropped).
  AvgPool2d(a) {
    throw notImplemented("AvgPool2d");
  },

  // out = x * mask / (1 - p) with the given 0/1 mask (an input, not differentiated); config
  // p. Reply out, dx.
  Dropout(a) {
    throw notImplemented("Dropout");
  },

  // (N, C, H, W) -> (N, C*H*W) in row-major order. Reply out, dx shaped like x.
  Flatten(a) {
    throw notImplemented("Flatten");
  },

  // Linear 1 -> 1 under MSELoss: out is the scalar loss of x, target (N, 1) with W (1, 1),
  // b (1,). Reply out, dW, db.
  LinearRegression(a) {
    throw notImplemented("LinearRegression");
  },

  // Linear 1 -> 2, ReLU, Linear 2 -> 1, MSELoss: out is the loss. W1 (1, 2), b1 (2,), W2
  // (2, 1), b2 (1,). Reply out, dW1, db1, dW2, db2.
  RegressionMLP(a) {
    throw notImplemented("RegressionMLP");
  },

  // Linear 2 -> 4, ReLU, Linear 4 -> 1, Sigmoid, BCELoss: out is the loss. Reply out, dW1,
  // db1, dW2, db2.
  XORNet(a) {
    throw notImplemented("XORNet");
  },

  // W[x]: integer x (N, T) picks rows of W (V, D), out (N, T, D). Reply out, dW
  // (scatter-add dout: an index may repeat).
  Embedding(a) {
    throw notImplemented("Embedding");
  },

  // next_h = tanh(x Wx + prev_h Wh + b): x (N, D), prev_h (N, H), Wx (D, H), Wh (H, H),
  // b (H,). Reply out, dx, dprev_h, dWx, dWh, db.
  RNNCell(a) {
    throw notImplemented("RNNCell");
  },

  // The RNN step over x (N, T, D) from h0 (N, H); out is every state (N, T, H). Reply
  // out, dx, dh0, dWx, dWh, db (backprop through time).
  RNN(a) {
    throw notImplemented("RNN");
  },

  // One LSTM step, gates i, f, o, g in Wx (D, 4H), Wh (H, 4H), b (4H,); out is next_h
  // and next_c stacked (2, N, H), dout likewise. Reply out, dx, dprev_h, dprev_c, dWx, dWh, db.
  LSTMCell(a) {
    throw notImplemented("LSTMCell");
  },

  // The LSTM step over x (N, T, D) from h0 (N, H) and a zero cell state; out is every
  // h (N, T, H). Reply out, dx, dh0, dWx, dWh, db.
  LSTM(a) {
    throw notImplemented("LSTM");
  },

  // One GRU step as torch's GRUCell: gates r, z, n in Wx (D, 3H), Wh (H, 3H), biases bx,
  // bh (3H,); next_h = (1 - z) n + z h. Reply out, dx, dprev_h, dWx, dWh, dbx, dbh.
  GRUCell(a) {
    throw notImplemented("GRUCell");
  },

  // x W + b at every step: x (N, T, D), W (D, M), b (M,), out (N, T, M). Reply out, dx,
  // dW, db (summed over the batch and time).
  TemporalAffine(a) {
    throw notImplemented("TemporalAffine");
  },

  // Softmax cross-entropy of x (N, T, V) against target (N, T) where mask (N, T) is 1,
  // summed over time, divided by N: out is the loss. Reply out, dx.
  TemporalSoftmaxLoss(a) {
    throw notImplemented("TemporalSoftmaxLoss");
  },

  // softmax(q kᵀ / sqrt(D)) v: q (N, Tq, D), k (N, Tk, D), v (N, Tk, Dv); causal (Tq == Tk)
  // masks keys j > i before the softmax. Reply out, dq, dk, dv.
  Attention(a) {
    throw notImplemented("Attention");
  },

  // Multi-head attention: query (N, S, E), key, value (N, T, E), x @ W + b projections
  // (W (E, E) in-out), num_heads heads scaled by 1/sqrt(E/num_heads), causal optional, output
  // projection Wo, bo. Reply out, dquery, dkey, dvalue, dWq, dbq, dWk, dWv, dbv, dWo, dbo (no dbk: it is 0).
  MultiHeadAttention(a) {
    throw notImplemented("MultiHeadAttention");
  },

  // --- convfamily: transposed convolutions, resampling (CMU 11-785 HW2), 1-D pooling ---

  // x (N, C_in, L), W (C_in, C_out, K) as torch, b (C_out,): each input position adds x·W to
  // the output window at i * stride, then padding is cropped: L_out = (L - 1) * stride - 2 * padding
  // + K. Reply out, dx, dW, db.
  ConvTranspose1d(a) {
    throw notImplemented("ConvTranspose1d");
  },

  // x NCHW, W (C_in, C_out, KH, KW), b (C_out,): ConvTranspose1d on both axes. Reply out, dx,
  // dW, db.
  ConvTranspose2d(a) {
    throw notImplemented("ConvTranspose2d");
  },

  // x (N, C, L), kernel_size, stride; no padding. Reply out, dx (to each window's maximum).
  MaxPool1d(a) {
    throw notImplemented("MaxPool1d");
  },

  // x (N, C, L), kernel_size, stride; no padding. Reply out, dx (1 / kernel_size each).
  AvgPool1d(a) {
    throw notImplemented("AvgPool1d");
  },

  // x (N, C, L), upsampling_factor k: k - 1 zeros between elements, out (N, C, k*(L-1)+1).
  // Reply out, dx = dout[..., ::k].
  Upsample1d(a) {
    throw notImplemented("Upsample1d");
  },

  // x NCHW, upsampling_factor k: Upsample1d on both spatial axes. Reply out, dx.
  Upsample2d(a) {
    throw notImplemented("Upsample2d");
  },

  // x (N, C, L), downsampling_factor k: out = x[..., ::k]. Reply out, dx (dout at those
  // positions, zeros elsewhere, the input's width).
  Downsample1d(a) {
    throw notImplemented("Downsample1d");
  },

  // x NCHW, downsampling_factor k: x[..., ::k, ::k]. Reply out, dx.
  Downsample2d(a) {
    throw notImplemented("Downsample2d");
  },

  // Linear, ReLU, Linear, softmax cross-entropy (batch mean) plus 0.5 * reg * (|W1|² +
  // |W2|²): out is the loss. Reply out, dW1, db1, dW2, db2.
  TwoLayerNet(a) {
    throw notImplemented("TwoLayerNet");
  },

  // Sigmoid layers on one column sample x (D, 1), W (out, in), b (out, 1), cost
  // 0.5 * |a - y|²: out is the cost. Reply out, dW1, db1, dW2, db2.
  SigmoidNet(a) {
    throw notImplemented("SigmoidNet");
  },
};

// Conventions that differ from backcheck's, by layer (e.g. {Linear: "weight=out-in"}).
const CONVENTIONS = {};

serve(LAYERS, CONVENTIONS);
