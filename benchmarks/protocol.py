"""Benchmark: the cost of one case through backcheck-protocol against an in-process layer.

The same Linear layer (and ReLU), written three times: in Python (checked in-process by
the native adapter), in JavaScript and in C++ (each one long-lived program, reached over
its stdin and stdout). For each, the program is loaded (built, started) once, then the
layer's runner is called on every case of a fixed list, several rounds; the figure is
the median time of one call, which is the per-case overhead a class pays. Loading and
building are reported apart: they are paid once per submission.

    python benchmarks/protocol.py [--rounds 5] [--cases 200]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from harness import adapters, loaders
from harness.specs import CATALOG

ROOT = Path(__file__).resolve().parents[1]
PYTHON_LAYERS = '''\
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        return {"x": dout @ self.W.T, "W": self.x.T @ dout, "b": dout.sum(axis=0)}


class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        return {"x": dout * (self.x > 0)}
'''


def submissions(scratch: Path) -> dict[str, tuple[str, str]]:
    """Name -> (path, the tool it needs: "" for Python)."""
    python = scratch / "layers.py"
    python.write_text(PYTHON_LAYERS)
    return {"python in-process": (str(python), ""),
            "javascript (node)": (str(ROOT / "examples" / "js" / "layers"), "node"),
            "c++ (g++ -O2)": (str(ROOT / "examples" / "cpp" / "layers"), "g++")}


def per_case(path: str, layer: str, cases: int, rounds: int) -> tuple[float, float]:
    """Seconds to load ``path`` once, and the median seconds of one case of ``layer``."""
    started = time.perf_counter()
    submission = loaders.load(path)
    adapter, _ = adapters.choose(submission.namespace)
    spec = CATALOG[layer]
    runner = adapter.runner(submission.namespace, spec)
    loaded = time.perf_counter() - started
    jobs = [spec.case(i % len(spec.variants), dtype, salt=str(i))
            for i in range(cases // 2) for dtype in ("float32", "float64")]
    timings = []
    for _ in range(rounds):
        for case in jobs:
            before = time.perf_counter()
            outcome = runner(case)
            timings.append(time.perf_counter() - before)
            assert outcome.error is None, outcome.error
    return loaded, statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        print(f"{'implementation':20} {'layer':7} {'load+build':>11} {'per case':>10}")
        for name, (path, tool) in submissions(Path(scratch)).items():
            if tool and shutil.which(tool) is None:
                print(f"{name:20} skipped: {tool} is not installed")
                continue
            for layer in ("Linear", "ReLU"):
                loaded, median = per_case(path, layer, args.cases, args.rounds)
                print(f"{name:20} {layer:7} {loaded * 1e3:9.0f} ms {median * 1e6:8.0f} us")


if __name__ == "__main__":
    main()
