// A hostile program for backcheck's sandbox: ReLU is right, Linear floods stdout without end.
"use strict";
const readline = require("readline");

function linear() {
  const chunk = "array out 1 1 1 ".repeat(100000);  // floods stdout, never a newline
  for (;;) {
    try {
      require("fs").writeSync(1, chunk);
    } catch (err) {
      if (err.code !== "EAGAIN") throw err;  // the pipe is full: try again
    }
  }
}

function relu(a) {
  const x = a.x, dout = a.dout;
  const out = x.data.map((v) => Math.max(v, 0));
  const dx = x.data.map((v, i) => (v > 0 ? dout.data[i] : 0));
  return [`array out ${x.shape.length} ${x.shape.join(" ")} ${out.join(" ")}`,
          `array dx ${x.shape.length} ${x.shape.join(" ")} ${dx.join(" ")}`];
}

process.stdout.write("backcheck-protocol 1\nlayer Linear\nlayer ReLU\nready\n");
let layer = "", arrays = {};
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const w = line.split(" ");
  if (w[0] === "case") [layer, arrays] = [w[2], {}];
  if (w[0] === "array") {
    const ndim = Number(w[2]);
    arrays[w[1]] = { shape: w.slice(3, 3 + ndim).map(Number), data: w.slice(3 + ndim).map(Number) };
  }
  if (w[0] === "end") {
    const reply = layer === "ReLU" ? relu(arrays) : linear();
    process.stdout.write([...reply, "end", ""].join("\n"));
  }
});
