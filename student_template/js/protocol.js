// backcheck-protocol 1 over stdin and stdout, with Node's standard library only.
// You do not need to change this file; write your layers in layers.js.
// The format is in backcheck's docs/protocol.md.
"use strict";
const readline = require("readline");

class NotImplemented extends Error {}

function notImplemented(layer) {
  return new NotImplemented(`${layer} is not written yet`);
}

function parseArray(words) {
  const ndim = Number(words[2]);
  return [words[1], { shape: words.slice(3, 3 + ndim).map(Number), data: words.slice(3 + ndim).map(Number) }];
}

// String(v) is the shortest form that reads back exactly.
function formatArray(name, a) {
  return ["array", name, a.shape.length, ...a.shape, ...a.data.map(String)].join(" ");
}

function answer(layers, layer, arrays) {
  try {
    if (!(layer in layers)) throw new Error(`${layer} is not a layer here`);
    return Object.entries(layers[layer](arrays)).map(([name, a]) => formatArray(name, a));
  } catch (err) {
    const kind = err instanceof NotImplemented ? "not-implemented" : "exception";
    return [`error ${kind} ${String(err.message || err).replace(/\s+/g, " ")}`];
  }
}

// Declare every layer of `layers` with its conventions, then answer cases until quit.
function serve(layers, conventions) {
  const declared = Object.keys(layers).map((n) => `layer ${n} ${conventions[n] || ""}`.trim());
  process.stdout.write(["backcheck-protocol 1", ...declared, "ready", ""].join("\n"));
  let layer = null;
  let arrays = {};
  readline.createInterface({ input: process.stdin }).on("line", (line) => {
    const words = line.trim().split(/\s+/);
    if (words[0] === "case") {
      [layer, arrays] = [words[2], { config: {} }];
    } else if (words[0] === "config") {
      arrays.config[words[1]] = words.slice(2).map(Number);
    } else if (words[0] === "array") {
      const [name, a] = parseArray(words);
      arrays[name] = a;
    } else if (words[0] === "end") {
      process.stdout.write([...answer(layers, layer, arrays), "end", ""].join("\n"));
    } else if (words[0] === "quit") {
      process.exit(0);
    }
  });
}

module.exports = { serve, notImplemented };
