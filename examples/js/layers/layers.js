// Linear, ReLU and MSELoss in plain JavaScript (Node's standard library only),
// checked by backcheck through backcheck-protocol 1 (see docs/protocol.md).
//
// Conventions are backcheck's own: the batch is rows (N, D), W is (in, out) and b
// is (out,), MSELoss is the mean over every element; the handshake says so.
"use strict";
const readline = require("readline");

// An array is {shape: [..], data: [..]} with data in row-major order.
function array(shape, data) {
  return { shape, data };
}

function matmul(a, b) {
  const [n, k] = a.shape;
  const m = b.shape[1];
  const out = new Array(n * m).fill(0);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < k; p++)
      for (let j = 0; j < m; j++) out[i * m + j] += a.data[i * k + p] * b.data[p * m + j];
  return array([n, m], out);
}

function transpose(a) {
  const [r, c] = a.shape;
  const out = new Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a.data[i * c + j];
  return array([c, r], out);
}

const LAYERS = {
  Linear({ x, W, b, dout }) {
    const out = matmul(x, W);
    const m = W.shape[1];
    out.data = out.data.map((v, i) => v + b.data[i % m]);
    const db = new Array(m).fill(0);
    dout.data.forEach((v, i) => { db[i % m] += v; });
    return {
      out, dx: matmul(dout, transpose(W)), dW: matmul(transpose(x), dout), db: array([m], db),
    };
  },

  ReLU({ x, dout }) {
    return {
      out: array(x.shape, x.data.map((v) => Math.max(v, 0))),
      dx: array(x.shape, x.data.map((v, i) => (v > 0 ? dout.data[i] : 0))),
    };
  },

  MSELoss({ x, target, dout }) {
    const diff = x.data.map((v, i) => v - target.data[i]);
    const loss = diff.reduce((s, d) => s + d * d, 0) / diff.length;
    const scale = (2 / diff.length) * dout.data[0];
    return { out: array([], [loss]), dx: array(x.shape, diff.map((d) => d * scale)) };
  },
};

function parseArray(words) {
  const ndim = Number(words[2]);
  const shape = words.slice(3, 3 + ndim).map(Number);
  return [words[1], array(shape, words.slice(3 + ndim).map(Number))];
}

function formatArray(name, a) {
  return ["array", name, a.shape.length, ...a.shape, ...a.data.map(String)].join(" ");
}

function answer(layer, arrays) {
  const compute = LAYERS[layer];
  if (!compute) return [`error not-implemented ${layer} is not written`];
  try {
    return Object.entries(compute(arrays)).map(([name, a]) => formatArray(name, a));
  } catch (err) {
    return [`error exception ${String(err).replace(/\s+/g, " ")}`];
  }
}

process.stdout.write(
  ["backcheck-protocol 1", ...Object.keys(LAYERS).map((n) => `layer ${n}`), "ready", ""].join("\n"),
);
let layer = null;
let arrays = {};
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const words = line.trim().split(/\s+/);
  if (words[0] === "case") {
    [layer, arrays] = [words[2], {}];
  } else if (words[0] === "array") {
    const [name, a] = parseArray(words);
    arrays[name] = a;
  } else if (words[0] === "end") {
    process.stdout.write([...answer(layer, arrays), "end", ""].join("\n"));
  } else if (words[0] === "quit") {
    process.exit(0);
  }
});
