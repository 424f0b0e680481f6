"""A standalone script that reproduces one failing check, outside any sandbox.

``backcheck repro SUBMISSION CHECK_ID`` writes it: the case's exact inputs (every float
written with round-trip precision), the expected value from finite differences of the
reference, and the call of the student's own code. For backcheck's own API
(``--adapter native``, as the report says) the call is written out
(``Linear(W=W, b=b).forward(x)``...), so the student can step through it with a
debugger without backcheck; other conventions, and a submission whose adapter is to
be detected, go through backcheck's adapter in this process. Running the script
prints expected against got and the worst element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from harness.case import DTYPES, Case
from harness.errors import UsageError
from harness.spec import Spec
from harness.tolerance import for_dtype

CHECK_ID = re.compile(
    r"^(?P<layer>[A-Za-z0-9_]+)-case(?P<index>\d+)(?:-(?P<dtype>float32|float64))?"
    r"-(?P<quantity>out|d[A-Za-z0-9_]+)(?:-(?P<oracle>[a-z0-9_]+))?$"
)


@dataclass(frozen=True)
class CheckId:
    """The parts of a check id: ``Linear-case2-float32-dW-torch`` (dtype and oracle
    optional; without a dtype, float64)."""

    layer: str
    index: int
    dtype: str
    quantity: str

    @classmethod
    def parse(cls, text: str) -> CheckId:
        match = CHECK_ID.match(text)
        if match is None:
            raise UsageError(f"{text!r} is not a check id",
                             hint="write it as LAYER-caseN[-DTYPE]-QUANTITY[-ORACLE], "
                                  "e.g. Linear-case2-float32-dW-torch, as the report shows")
        dtype = match["dtype"] or "float64"
        assert dtype in DTYPES
        return cls(match["layer"], int(match["index"]), dtype, match["quantity"])


def script(spec: Spec, case: Case, quantity: str, expected: np.ndarray, path: str,
           adapter: str | None, adapter_file: str | None = None) -> str:
    """The text of the reproducer for ``quantity`` of ``case`` run on ``path``."""
    arrays = {**case.inputs, **case.params, "dout": case.upstream, "expected": expected}
    lines = [
        f'"""Reproduce {case.id} {quantity}: your code on the exact case backcheck used.',
        "",
        "Run it (python repro.py), or step through your code: python -m pdb repro.py",
        '"""',
        "import importlib.util",
        "",
        "import numpy as np",
        "",
        *(f"{name} = {_literal(value)}" for name, value in arrays.items()),
        *(f"{name} = {value!r}" for name, value in case.config.items()),
        "",
        *_call(spec, case, quantity, path, adapter, adapter_file),
        "",
        *_report(quantity, case.dtype),
    ]
    return "\n".join(lines) + "\n"


def _literal(value: np.ndarray) -> str:
    """Exact Python source for an array: every float64 (and float32) value round-trips."""
    array = np.asarray(value)
    return f"np.array({array.tolist()!r}, dtype=np.{array.dtype})"


def _call(spec: Spec, case: Case, quantity: str, path: str, adapter: str | None,
          adapter_file: str | None) -> list[str]:
    if adapter == "native" and adapter_file is None and path.endswith(".py"):
        return _native_call(spec, case, quantity, path)
    return _adapter_call(spec, case, quantity, path, adapter, adapter_file)


def _native_call(spec: Spec, case: Case, quantity: str, path: str) -> list[str]:
    """Your class called directly, as backcheck's native adapter calls it."""
    keywords = ", ".join(f"{n}={n}" for n in (*case.params, *case.config))
    inputs = ", ".join(spec.inputs)
    got = "out" if quantity == "out" else f"grads[{quantity[1:]!r}]"
    return [
        f"module_spec = importlib.util.spec_from_file_location('submission', {path!r})",
        "submission = importlib.util.module_from_spec(module_spec)",
        "module_spec.loader.exec_module(submission)",
        f"layer = submission.{spec.name}({keywords})",
        f"out = layer.forward({inputs})",
        *([] if quantity == "out" else ["grads = layer.backward(dout)"]),
        f"got = {got}",
    ]


def _adapter_call(spec: Spec, case: Case, quantity: str, path: str, adapter: str | None,
                  adapter_file: str | None) -> list[str]:
    """Your code called through backcheck's adapter (in this process, no sandbox)."""
    def names(group):
        return "{" + ", ".join(f"{n!r}: {n}" for n in group) + "}"

    return [
        "from harness.case import Case",
        "from harness.execution import execute",
        "from harness.specs import CATALOG",
        "from harness.target import Target",
        "",
        f"implementation = Target({path!r}, adapter={adapter!r}, "
        f"adapter_file={adapter_file!r})",
        f"case = Case({case.layer!r}, {case.index}, {case.dtype!r}, {case.seed}, "
        f"inputs={names(case.inputs)}, params={names(case.params)}, upstream=dout, "
        f"config={names(case.config)})",
        f"outcome = execute(implementation, [(CATALOG[{spec.name!r}], case)])"
        ".outcomes[case.id]",
        "if outcome.error:",
        "    raise SystemExit(str(outcome.error))",
        f"got = outcome.value({quantity!r})",
    ]


def _report(quantity: str, dtype: str) -> list[str]:
    """Expected against got, the worst element, and the verdict by backcheck's tolerance."""
    tol = for_dtype(dtype)
    return [
        "got = np.asarray(got, dtype=np.float64)",
        "want = np.asarray(expected, dtype=np.float64)",
        f"print({quantity!r}, 'expected shape', want.shape, 'got shape', got.shape)",
        "print('expected:', want)",
        "print('got:     ', got)",
        "if got.shape == want.shape and want.size:",
        "    error = np.abs(got - want)",
        f"    allowed = {tol.atol!r} * np.abs(want).max() + {tol.rtol!r} * np.abs(want)",
        "    worst = tuple(int(i) for i in np.unravel_index(np.argmax(error - allowed), "
        "want.shape))",
        "    print('worst element', worst, 'expected', want[worst], 'got', got[worst])",
        f"    print('within the {dtype} tolerance ({tol}):', bool(np.all(error <= allowed)))",
    ]


def _quoted(path: str) -> str:
    import shlex

    return shlex.quote(path)


def reproduce(result, layer: str, index: int, dtype: str, quantity: str) -> str:
    """The line a report prints under a failing item: ``reproduce: backcheck repro ...``
    (empty when there is no result to take the submission and adapter from)."""
    if result is None or not result.target:
        return ""
    check_id = Case.identify(layer, index, dtype, quantity)
    flags = result.adapter_flags or (("--adapter", result.adapter) if result.adapter else ())
    how = "".join(f" {_quoted(flag)}" for flag in flags)
    return f"reproduce: backcheck repro {_quoted(result.target)} {check_id}{how}"
