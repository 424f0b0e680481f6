"""What a method returns, read from its source without running it.

Detection must not take code it cannot drive: ``native`` expects ``backward`` to return
a dict of gradients, and a library's same-named class whose backward returns ``dx`` (an
array, a tuple, or nothing, keeping the parameter gradients on the layer) would only
fail there as a "bad return". ``may_return_mapping`` answers "no" only when every
``return`` of the method is certainly not a mapping; anything it cannot tell is "maybe".
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

ARRAY_MODULES = frozenset({"np", "numpy", "torch", "cp", "jnp"})
"""Calls on these (``np.dot(...)``) return arrays, never a dict of gradients."""
NOT_MAPPING = (ast.Tuple, ast.List, ast.BinOp, ast.UnaryOp, ast.Compare, ast.ListComp)
MAPPING = (ast.Dict, ast.DictComp)


def may_return_mapping(method: Any) -> bool:
    """``False`` only if ``method`` has a ``return`` and none can give a mapping (one with
    no ``return``, a stub that raises or code that never ends, is "maybe")."""
    function = _parse(method)
    if function is None:
        return True
    results = [node.value for node in _own(function) if isinstance(node, ast.Return)]
    if not results:
        return True
    assigned = _assignments(function)
    return any(_maybe_mapping(value, assigned) for value in results)


def _parse(method: Any) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    first = tree.body[0] if tree.body else None
    return first if isinstance(first, ast.FunctionDef | ast.AsyncFunctionDef) else None


def _own(function: ast.AST) -> list[ast.AST]:
    """The nodes of ``function``'s body, not of the functions or classes nested in it."""
    found, stack = [], list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                          | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _assignments(function: ast.AST) -> dict[str, list[ast.AST | None]]:
    """Local name -> the values assigned to it (``None``: set item by item, a dict)."""
    assigned: dict[str, list[ast.AST | None]] = {}
    for node in _own(function):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    assigned.setdefault(target.value.id, []).append(None)
    return assigned


def _maybe_mapping(value: ast.AST | None, assigned: dict[str, list[ast.AST | None]]) -> bool:
    if value is None or isinstance(value, (ast.Constant, *NOT_MAPPING)):
        return False
    if isinstance(value, MAPPING):
        return True
    if isinstance(value, ast.Call):
        return _maybe_mapping_call(value)
    if isinstance(value, ast.Name) and value.id in assigned:
        return any(v is None or (v is not value and _maybe_mapping(v, {}))
                   for v in assigned[value.id])
    return True


def _maybe_mapping_call(call: ast.Call) -> bool:
    """``dict(...)`` is; ``np.dot(...)`` and ``x.reshape(...)`` are not; others may be."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id not in ("float", "int", "len", "sum", "abs")
    if isinstance(func, ast.Attribute):
        root = func.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id in ARRAY_MODULES:
            return False
        return func.attr not in ("reshape", "dot", "sum", "mean", "T", "copy", "astype",
                                 "transpose", "flatten", "ravel", "squeeze")
    return True
