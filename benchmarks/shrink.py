"""Cost of the minimal failing case: a submission with one bug in every layer.

Builds one file from the first mutant of each layer in tests/diagnosis/mutants/, checks
it with finite differences, then times ``minimal_failures`` layer by layer (in process):
wall time and CPU time (this process and its children, which is what a loaded machine
does not inflate), with the load average before and after.

    python benchmarks/shrink.py
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import engine, specs  # noqa: E402
from harness.execution import execute  # noqa: E402
from harness.result import ERROR, FAIL  # noqa: E402
from harness.shrink import minimal_failures  # noqa: E402
from harness.target import Target  # noqa: E402

MUTANTS = ROOT / "tests" / "diagnosis" / "mutants"
DECLARED = re.compile(r"backcheck-mutant: (\S+) (\S+) (\S+)")


def one_bug_per_layer() -> str:
    """The source of one mutant class per layer, in one module: a mutant in the native
    style (``class Layer``) where the layer has one, since function-style mutants
    (CS231n's ``lstm_forward``) are not read beside native classes."""
    bodies: dict[str, list[str]] = {}
    for path in sorted(MUTANTS.glob("*.py")):
        text = path.read_text()
        layer = DECLARED.search(text).group(1)
        bodies.setdefault(layer, []).append(
            text.split('"""', 2)[2].replace("import numpy as np\n", ""))
    chosen = [next((b for b in found if re.search(rf"^class {layer}\b", b, re.M)), found[0])
              for layer, found in bodies.items()]
    return "import numpy as np\n" + "\n".join(chosen)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one_bug_per_layer.py"
        path.write_text(one_bug_per_layer())
        target, selected = Target(str(path)), specs.select([])
        result = engine.check(target, selected, ["float32", "float64"], ["fd"])
        failing = {c.layer for c in result.checks if c.verdict in (FAIL, ERROR)}
        print(f"load average {_load()}")
        print(f"{'layer':16s} {'wall':>7s} {'cpu':>7s}  smallest")
        walls, cpus = [], []
        for spec in selected:
            if spec.name not in failing:
                continue
            wall, cpu = time.perf_counter(), _cpu()
            found = minimal_failures(result, [spec], target, execute)
            walls.append(time.perf_counter() - wall)
            cpus.append(_cpu() - cpu)
            print(f"{spec.name:16s} {walls[-1]:6.3f}s {cpus[-1]:6.3f}s  "
                  f"{found.get(spec.name, 'no smaller case')}")
        unmeasured = [s.name for s in selected if s.name not in failing]
        print(f"{len(walls)} failing layers: wall max {max(walls):.3f} s, "
              f"cpu max {max(cpus):.3f} s; load average {_load()}")
        print(f"not measured (no failing check): {', '.join(unmeasured) or 'none'}")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


def _load() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` shows them."""
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


if __name__ == "__main__":
    main()
