"""Where in the student's source a wrong quantity was computed: function, file and line.

Found in the parent from its own copy of the submission's source (``autodiff.sources``),
by reading it with ``ast``, so a sandboxed child sends nothing new and nothing the
submission does at run time changes the answer. The function is the layer's backward
(or forward, for its output) in any of the styles the adapters read: a method of a class
named like the layer (``Linear.backward``, ``Layer_Dense.backward_pass``), a CS231n
function (``affine_backward``, ``softmax_loss``) or a whole network's ``backward``. The
statement is the assignment that stores the gradient (``self.dW = ...``,
``self.grads["W"] = ...``) when there is one, else the function's last ``return`` with
a value, else its first line. Only the submission's sources are read, so no line of
backcheck's own code is ever quoted as the student's.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from harness.adapters import cs231n, names

BACKWARD_WORDS = ("backward", "backprop", "bwd", "grad")
FORWARD_WORDS = ("forward", "fwd", "__call__", "call", "predict")
MAX_STATEMENT = 80
PREFIXES = ("layer", "activation", "loss")


@dataclass(frozen=True)
class Location:
    """One place in the submission: the function, its file and first line, the statement."""

    function: str
    file: str
    line: int
    statement: str = ""
    statement_line: int = 0

    def __str__(self) -> str:
        head = f"in {self.function} ({self.file}:{self.line})"
        if not self.statement:
            return head
        return f"{head}, line {self.statement_line}: `{self.statement}`"


@dataclass(frozen=True)
class _Function:
    qualname: str
    owner: str
    node: ast.FunctionDef | ast.AsyncFunctionDef
    file: str
    lines: tuple[str, ...]


def locate(sources: Iterable[tuple[str, str]], layer: str, quantity: str) -> Location | None:
    """The place that computed ``quantity`` (``out``, ``dx``, ``dW``...) of ``layer`` in
    ``sources`` ((file name, Python text) pairs), or None when no function fits."""
    functions = [f for name, text in sources for f in _functions(name, text)]
    grad = quantity != "out"
    chosen = _best(functions, layer, grad)
    if chosen is None:
        return None
    node = _statement(chosen.node, quantity[1:] if grad else "")
    if node is None:
        return Location(chosen.qualname, chosen.file, chosen.node.lineno)
    text = " ".join(chosen.lines[node.lineno - 1].split())
    if len(text) > MAX_STATEMENT:
        text = text[: MAX_STATEMENT - 3] + "..."
    return Location(chosen.qualname, chosen.file, chosen.node.lineno, text, node.lineno)


def _functions(name: str, text: str) -> Iterator[_Function]:
    """Every function and method of one source, with the class it belongs to."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    lines = tuple(text.splitlines())
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield _Function(f"{node.name}.{item.name}", node.name, item, name, lines)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield _Function(node.name, "", node, name, lines)


def _best(functions: list[_Function], layer: str, grad: bool) -> _Function | None:
    """The layer's method or CS231n function for a gradient (``grad``) or its output."""
    wanted = set(names.LAYERS.get(layer, ())) | {names.normalize(layer)}
    words = BACKWARD_WORDS if grad else FORWARD_WORDS
    methods = [f for f in functions if f.owner and _spelled(f.owner) & wanted]
    for word in words:
        found = [f for f in methods if word in f.node.name.lower()]
        if found:
            return found[0]
    named = _cs231n_names(layer, grad)
    return next((f for f in functions if not f.owner and f.node.name in named), None)


def _spelled(owner: str) -> set[str]:
    """A class name's normalized forms, with a ``Layer_`` or ``Activation_`` prefix off
    too (``Layer_Dense`` is a dense layer)."""
    flat = names.normalize(owner)
    return {flat, *(flat[len(p):] for p in PREFIXES if flat.startswith(p) and flat != p)}


def _cs231n_names(layer: str, grad: bool) -> tuple[str, ...]:
    """The CS231n function names that compute ``layer``'s gradients (or output)."""
    if layer in cs231n.LOSSES:
        return cs231n.LOSSES[layer]
    pair = cs231n.LAYERS.get(layer)
    if pair is None:
        return ()
    return pair.backward if grad else pair.forward


def _statement(function: ast.AST, param: str) -> ast.stmt | None:
    """The statement that stores gradient ``param``: ``self.dW = ...`` first, then
    ``self.grads["W"] = ...``, then an SGD step on the parameter itself
    (``self.W -= lr * dW``); failing those, the function's last ``return`` with a value."""
    body = list(_own_statements(function))
    if param and param != "x":
        attrs = names.PARAMS.get(param, (param,))
        for wanted, kinds in ((set(names.grad_names(attrs)), (ast.Attribute,)),
                              ({*attrs, param}, (ast.Subscript,)),
                              ({*attrs, param}, (ast.Attribute,))):
            stored = [s for s in body if _stores(s, wanted, kinds)]
            if stored:
                return stored[-1]
    returns = [s for s in body if isinstance(s, ast.Return) and s.value is not None]
    if not returns:
        return None
    return _assigned(body, _returned_name(returns[-1].value, param or "x"), returns[-1])


def _returned_name(value: ast.expr, param: str) -> str:
    """The local name a return hands back for ``param``: ``return dx`` or
    ``return {"W": dW, ...}`` (a tuple's order is not known, so none)."""
    if isinstance(value, ast.Name):
        return value.id if param == "x" else ""
    if isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values, strict=True):
            if (isinstance(key, ast.Constant) and key.value in _keys(param)
                    and isinstance(item, ast.Name)):
                return item.id
    return ""


def _keys(param: str) -> set[str]:
    """The keys a returned gradient dict may use for ``param``."""
    attrs = names.PARAMS.get(param, (param,))
    return {*attrs, *names.grad_names(attrs), param, *(("input", "inputs") if param == "x"
                                                     else ())}


def _assigned(body: list[ast.stmt], name: str, fallback: ast.stmt) -> ast.stmt:
    """The last plain assignment of local ``name`` before ``fallback`` (else it)."""
    before = [s for s in body if s.lineno < fallback.lineno and isinstance(s, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == name for t in s.targets)]
    return before[-1] if name and before else fallback


def _own_statements(function: ast.AST) -> Iterator[ast.stmt]:
    """The statements of ``function``, nested blocks included, nested functions not."""
    for child in ast.iter_child_nodes(function):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                              ast.Lambda)):
            continue
        if isinstance(child, ast.stmt):
            yield child
        yield from _own_statements(child)


def _stores(statement: ast.stmt, wanted: set[str], kinds: tuple[type, ...]) -> bool:
    """Whether ``statement`` assigns ``self.<name>`` (``ast.Attribute``) or
    ``<dict>["<name>"]`` (``ast.Subscript``) for a name in ``wanted``."""
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
        targets = [statement.target]
    else:
        return False
    return any(_target_names(t, kinds) & wanted for t in targets)


def _target_names(target: ast.expr, kinds: tuple[type, ...]) -> set[str]:
    """``{"dW"}`` for ``self.dW``, ``{"W"}`` for ``self.grads["W"]``; tuples unpacked."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_target_names(t, kinds) for t in target.elts))
    if not isinstance(target, kinds):
        return set()
    if isinstance(target, ast.Attribute):
        return {target.attr}
    key = target.slice
    return {key.value} if isinstance(key, ast.Constant) and isinstance(key.value, str) else set()
