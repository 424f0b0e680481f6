"""Small programs that speak backcheck-protocol, written in Python for speed, and
helpers to check them. A program is a folder with ``backcheck.toml`` running a script
with this interpreter, so the tests need no compiler.

Imported by basename (``from programs import ...``): pytest puts this folder on
``sys.path`` for its conftest.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from harness import engine, specs
from harness.result import Result
from harness.target import Target

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

SERVER = '''\
import sys
import numpy as np

DECLARED = {declared!r}


def read(words):
    ndim = int(words[2])
    shape = tuple(int(d) for d in words[3:3 + ndim])
    return words[1], np.array([float(v) for v in words[3 + ndim:]]).reshape(shape)


def write(name, array):
    array = np.asarray(array, dtype=float)
    values = " ".join(repr(float(v)) for v in array.ravel())
    dims = " ".join(str(d) for d in array.shape)
    print("array", name, array.ndim, dims, values)


{body}


print("backcheck-protocol {version}")
for line in DECLARED:
    print("layer", line)
print("ready", flush=True)
layer, arrays = None, {{}}
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    if words[0] == "case":
        layer, arrays = words[2], {{}}
    elif words[0] == "array":
        name, array = read(words)
        arrays[name] = array
    elif words[0] == "end":
        reply = answer(layer, arrays)
        if isinstance(reply, str):
            print(reply)
        else:
            for name, array in reply.items():
                write(name, array)
        print("end", flush=True)
    elif words[0] == "quit":
        break
'''

CANONICAL = '''\
def answer(layer, a):
    if layer == "Linear":
        x, W, b, g = a["x"], a["W"], a["b"], a["dout"]
        return {"out": x @ W + b, "dx": g @ W.T, "dW": x.T @ g, "db": g.sum(0)}
    if layer == "ReLU":
        return {"out": np.maximum(a["x"], 0), "dx": a["dout"] * (a["x"] > 0)}
    if layer == "MSELoss":
        d = a["x"] - a["target"]
        return {"out": np.mean(d ** 2), "dx": 2 * d / d.size}
    return "error not-implemented " + layer
'''


def program(folder: Path, body: str = CANONICAL, declared: Sequence[str] = ("Linear", "ReLU"),
            manifest: str = "", version: int = 1) -> Path:
    """A program folder whose Python server answers with ``body``'s ``answer``."""
    folder.mkdir(parents=True, exist_ok=True)
    source = SERVER.format(declared=list(declared), body=body, version=version)
    (folder / "server.py").write_text(source)
    run = f'run = "{sys.executable} server.py"\n'
    (folder / "backcheck.toml").write_text(manifest or run)
    return folder


def check(path: Path | str, layers: Sequence[str], oracles: Sequence[str] = ("fd",),
          dtypes: Sequence[str] = ("float32", "float64")) -> Result:
    """``backcheck check path --layers ... --oracles ...`` in this process."""
    return engine.check(Target(str(path)), specs.select(list(layers)), list(dtypes),
                        list(oracles))


def verdicts(result: Result) -> dict[str, set[str]]:
    """``"Linear.dW"`` -> the set of verdicts over every case, dtype and oracle."""
    found: dict[str, set[str]] = defaultdict(set)
    for one in result.checks:
        found[f"{one.layer}.{one.quantity}"].add(one.verdict)
    return dict(found)


def messages(result: Result, quantity: str = "") -> list[str]:
    """Every distinct message (of ``Layer.quantity`` when given)."""
    return list(dict.fromkeys(c.message for c in result.checks if c.message and (
        not quantity or f"{c.layer}.{c.quantity}" == quantity)))
