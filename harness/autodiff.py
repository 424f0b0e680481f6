"""Gradients an autodiff engine computed instead of the student: found, noted, refused.

The point of the exercise is a hand-written backward, so a backward that calls
``torch.autograd.grad``, ``tensor.backward()``, ``tf.GradientTape`` or ``jax.grad`` is
flagged for the instructor, and a rubric can refuse its credit
(``[default] autodiff = "allow" | "flag" | "refuse"``). Two witnesses, so a student
cannot hide it with one trick:

- ``scan``: the parent reads its own copy of the submission's source (files, notebook
  cells, zip members) and resolves every name through the imports, so
  ``from torch.autograd import grad as g`` is found as ``torch.autograd.grad``;
  ``requires_grad``, ``.backward()`` and strings naming these APIs count too. Nothing
  the submission does at run time changes what its source says.
- ``Watch``: the sandboxed child counts calls into the engines' entry points (torch's
  ``_engine_run_backward``, which ``grad``, ``backward`` and ``Tensor.backward`` all
  reach) and reports the counts per case as a raw observation; ``observed`` turns
  them into findings in the parent. A forged count can only accuse its own layer.

Using torch tensors as arrays (``grad_W = x.T @ dout``) is hand-written and is not
flagged.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from harness.result import ERROR, Check, Result

POLICIES = ("allow", "flag", "refuse")
DEFAULT_POLICY = "flag"
ENGINES = (
    "torch.autograd.grad", "torch.autograd.backward", "torch.autograd.functional",
    "torch.autograd.forward_ad", "torch.autograd.graph", "torch.autograd.Variable",
    "torch.Tensor.backward", "torch.enable_grad", "torch.func", "functorch",
    "tensorflow.GradientTape", "tensorflow.gradients", "tensorflow.autodiff",
    "tensorflow.compat.v1.gradients",
    "jax.grad", "jax.vjp", "jax.jvp", "jax.value_and_grad", "jax.jacrev", "jax.jacfwd",
    "jax.jacobian", "jax.hessian", "jax.linearize",
    "autograd.grad", "autograd.elementwise_grad", "autograd.value_and_grad",
    "autograd.jacobian", "autograd.make_vjp",
)
"""Dotted names (after resolving imports) whose use means an engine differentiates."""
INTERNALS = frozenset({"_execution_engine", "run_backward", "_engine_run_backward",
                       "requires_grad", "requires_grad_", "GradientTape"})
"""Attribute names that only autodiff code touches (``x.requires_grad_()``...)."""
BACKWARD_KEYWORDS = frozenset({"gradient", "retain_graph", "create_graph", "inputs"})
WORDS = ("autograd", "GradientTape", "requires_grad", "run_backward", "value_and_grad")
"""Words that, in a string handed to ``getattr``, ``__import__``, ``eval``... name an
autodiff API (``getattr(torch, "autograd")``); docstrings and prints do not count."""
LOOKUPS = frozenset({"getattr", "setattr", "__import__", "import_module", "eval", "exec",
                     "compile", "attrgetter"})
MAX_SOURCE_BYTES = 4 * 2**20
MAX_FILES = 500
COUNTS = "autodiff"
"""The observation key the child reports its counts under."""


@dataclass(frozen=True)
class Finding:
    """One use of autodiff: in which layer (``""`` when no layer's code), what, where."""

    layer: str
    what: str
    where: str

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"{self.what}{where}"


def findings(path: str, jobs: list, outcomes: dict[str, Any]) -> list[Finding]:
    """Both witnesses for one run: the source at ``path`` and the children's counts."""
    layers = {case.id: spec.name for spec, case in jobs}
    return [*scan(path, layers.values()), *observed(layers, outcomes)]


def scan(path: str, layers: Iterable[str]) -> list[Finding]:
    """Every use of autodiff in the source at ``path`` (a file, notebook, folder, zip);
    code inside a class or function named like one of ``layers`` is that layer's."""
    known = frozenset(layers)
    return [f for name, text in sources(path) for f in scan_source(text, name, known)]


def scan_source(text: str, name: str, layers: frozenset[str] = frozenset()) -> list[Finding]:
    """The uses of autodiff in one Python source (``[]`` when it does not parse)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found = _Scanner(_aliases(tree), name, layers)
    found.visit(tree)
    return list(dict.fromkeys(found.findings))


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> dotted name for every import in ``tree`` (anywhere in it)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.partition(".")[0]
                names[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return {k: _canonical(v) for k, v in names.items()}


def _canonical(name: str) -> str:
    """``tf.x`` and ``tensorflow.python...`` spellings reduced to ``tensorflow.x``."""
    head, _, rest = name.partition(".")
    return f"tensorflow.{rest}" if head == "tf" and rest else name


class _Scanner(ast.NodeVisitor):
    """Walks one module, remembering the class or function each node is inside."""

    def __init__(self, aliases: dict[str, str], name: str, layers: frozenset[str]):
        self.aliases, self.name, self.layers = aliases, name, layers
        self.torch = any(v == "torch" or v.startswith("torch.") for v in aliases.values())
        self.scope: list[str] = []
        self.findings: list[Finding] = []

    def _enter(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _enter

    def _found(self, node: ast.AST, what: str) -> None:
        layer = next((s for s in self.scope if s in self.layers), "")
        place = ".".join(self.scope)
        text = f"{place} uses {what}" if place else f"top-level code uses {what}"
        self.findings.append(Finding(layer, text, f"{self.name}:{node.lineno}"))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = self._dotted(node)
        if dotted and _engine(dotted):
            self._found(node, dotted)
            return
        if node.attr in INTERNALS or (self.torch and node.attr == "grad"
                                      and isinstance(node.ctx, ast.Load)):
            self._found(node, f".{node.attr}")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        dotted = self.aliases.get(node.id)
        if dotted and _engine(dotted):
            self._found(node, dotted)

    def visit_Expr(self, node: ast.Expr) -> None:
        """``out.backward()`` as a statement: a tensor's (a hand-written backward
        returns gradients, so its result is used, or it takes ``dout``)."""
        call = node.value
        if (self.torch and isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == "backward"
                and (not call.args or {k.arg for k in call.keywords} & BACKWARD_KEYWORDS)):
            self._found(node, "tensor.backward()")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        keywords = {k.arg for k in node.keywords}
        if "requires_grad" in keywords:
            self._found(node, "requires_grad=")
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called in LOOKUPS:
            for arg in node.args:
                if (isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                        and any(w in arg.value for w in WORDS)):
                    self._found(node, f"{called}({arg.value[:40]!r})")
        self.generic_visit(node)

    def _dotted(self, node: ast.AST) -> str:
        """``torch.autograd.grad`` for that attribute chain, imports resolved."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return ""
        head = self.aliases.get(node.id, node.id if node.id == "tf" else "")
        return _canonical(".".join([head, *reversed(parts)])) if head else ""


def _engine(dotted: str) -> bool:
    """Whether ``dotted`` is, or is inside, one of ``ENGINES``."""
    return any(dotted == e or dotted.startswith(e + ".") for e in ENGINES)


def sources(path: str) -> Iterator[tuple[str, str]]:
    """(name, Python text) of every source in a submission, within size limits."""
    if os.path.isdir(path):
        yield from _folder(path)
    elif path.endswith(".zip") and os.path.isfile(path):
        yield from _archive(path)
    elif os.path.isfile(path):
        with open(path, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES)
        yield from _source(os.path.basename(path), data)


def _folder(path: str) -> Iterator[tuple[str, str]]:
    count = 0
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for name in sorted(files):
            full = os.path.join(root, name)
            if count == MAX_FILES or os.path.islink(full):
                continue
            count += 1
            with open(full, "rb") as handle:
                data = handle.read(MAX_SOURCE_BYTES)
            yield from _source(os.path.relpath(full, path), data)


def _archive(path: str) -> Iterator[tuple[str, str]]:
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist()[:MAX_FILES]:
                if info.file_size <= MAX_SOURCE_BYTES and not info.is_dir():
                    yield from _source(info.filename, archive.read(info))
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return


def _source(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    """A ``.py`` file's text, or each code cell of a notebook as ``name cell N``."""
    text = data.decode("utf-8", "replace")
    if name.endswith(".py"):
        yield name, text
    elif name.endswith(".ipynb"):
        from harness.loaders.notebook import python_source

        try:
            cells = json.loads(text).get("cells", [])
        except (ValueError, AttributeError, RecursionError):
            return
        code = [c for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
        for number, cell in enumerate(code, 1):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            yield f"{name} cell {number}", python_source(source)


class Watch:
    """Counts calls into autodiff engines in this process (the sandbox's worker).

    ``install`` wraps the entry points of every engine already imported (call it
    again after each case: a submission may import one late); ``take`` gives the
    counts since the last ``take``.
    """

    TARGETS = (
        ("torch.autograd", "_engine_run_backward", "torch.autograd"),
        ("tensorflow.python.eager.backprop", "GradientTape.gradient", "tf.GradientTape"),
        ("jax", "grad", "jax.grad"), ("jax", "vjp", "jax.vjp"),
        ("jax", "value_and_grad", "jax.value_and_grad"),
    )

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self._done: set[str] = set()

    def install(self) -> None:
        for module_name, attribute, label in self.TARGETS:
            module = sys.modules.get(module_name)
            key = f"{module_name}.{attribute}"
            if module is None or key in self._done:
                continue
            self._done.add(key)
            owner_name, _, name = attribute.rpartition(".")
            owner = getattr(module, owner_name) if owner_name else module
            original = getattr(owner, name, None)
            if callable(original):
                setattr(owner, name, self._counting(original, label))

    def _counting(self, original: Callable, label: str) -> Callable:
        counts = self.counts

        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[label] = counts.get(label, 0) + 1
            return original(*args, **kwargs)

        return counted

    def take(self) -> dict[str, int]:
        taken = dict(self.counts)
        self.counts.clear()
        return taken


def observed(layers: dict[str, str], outcomes: dict[str, Any]) -> list[Finding]:
    """Findings from the counts children reported (``layers``: case id -> layer)."""
    found: dict[tuple[str, str], int] = {}
    for case_id, outcome in outcomes.items():
        counts = (getattr(outcome, "observations", None) or {}).get(COUNTS)
        if not isinstance(counts, dict) or case_id not in layers:
            continue
        for label, count in counts.items():
            if isinstance(label, str) and isinstance(count, int) and count > 0:
                key = (layers[case_id], label[:60])
                found[key] = found.get(key, 0) + count
    return [Finding(layer, f"{layer} called {label} while running ({n} calls)", "")
            for (layer, label), n in found.items()]


def notes(findings: list[Finding]) -> list[str]:
    """One note for all findings (``[]`` when there are none)."""
    if not findings:
        return []
    shown = "; ".join(str(f) for f in findings[:8])
    more = f"; and {len(findings) - 8} more" if len(findings) > 8 else ""
    return [f"autodiff: {shown}{more} (gradients must be computed by hand; "
            "flagged for the instructor)"]


def flags(findings: list[Finding], policy: str) -> list[str]:
    """What the instructor should look at, by layer."""
    if policy == "allow":
        return []
    by_layer: dict[str, list[str]] = {}
    for finding in findings:
        by_layer.setdefault(finding.layer or "submission", []).append(str(finding))
    return [f"{layer}: uses autodiff ({_action(layer, policy)}): {'; '.join(uses[:4])}"
            for layer, uses in by_layer.items()]


def _action(layer: str, policy: str) -> str:
    """Only code inside a layer loses that layer's credit; the rest is for a person."""
    return "credit refused" if policy == "refuse" and layer != "submission" else "look at it"


def refuse(result: Result, findings: list[Finding]) -> Result:
    """``result`` with every gradient check of a layer that used autodiff an error."""
    layers = {f.layer: f for f in findings if f.layer}
    if not layers:
        return result
    checks = [_refused(c, layers[c.layer]) if c.layer in layers and c.quantity != "out"
              else c for c in result.checks]
    return replace(result, checks=checks)


def _refused(check: Check, finding: Finding) -> Check:
    message = (f"credit refused: the gradient came from an autodiff engine ({finding}); "
               "the rubric asks for a hand-written backward")
    return replace(check, verdict=ERROR, message=message, comparison=None, hint="")
