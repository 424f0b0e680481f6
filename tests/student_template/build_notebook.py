"""Build ``student_template/backprop.ipynb`` from ``student_template/layers.py``.

The module is the single source: the notebook has one markdown cell per layer (its
heading and docstring) followed by one code cell with exactly the class's source, so
the two can never drift apart. ``test_template_notebook.py`` rebuilds it and compares.

Run from the repository root after editing ``layers.py``::

    python tests/student_template/build_notebook.py
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ROOT / "student_template" / "layers.py"
NOTEBOOK = ROOT / "student_template" / "backprop.ipynb"

INTRO = """# Backpropagation by hand

Fill in every `forward` and `backward` below. Each layer follows one small API:

* `Layer(**params, **config)` builds the layer from its parameters (`W`, `b`, `gamma`...)
  and hyper-parameters (`stride`, `eps`...).
* `forward(*inputs)` returns the output and caches on `self` what `backward` needs.
* `backward(dout)` receives the gradient of the loss with respect to the output and
  returns a dict of gradients, one per input and parameter: `{"x": dx, "W": dW, "b": db}`,
  each shaped exactly like the array it is the gradient of.

Arrays are NumPy, batch first; keep the dtype you are given. Check your work from a
terminal (only code cells run; a cell tagged `skip` is left out):

```
backcheck check backprop.ipynb
backcheck check backprop.ipynb --layers Linear,ReLU
```
"""

SCRATCH = """# Try your layers here. This cell is tagged `skip`: backcheck does not run it.
layer = Linear(np.ones((3, 2)), np.zeros(2))
print(layer.forward(np.ones((4, 3))))
"""


def build() -> NotebookNode:
    """The notebook, cell by cell, from the module's source."""
    source = LAYERS.read_text(encoding="utf-8")
    tree = ast.parse(source)
    cells = [nbformat.v4.new_markdown_cell(INTRO), nbformat.v4.new_code_cell("import numpy as np")]
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            cells.append(nbformat.v4.new_markdown_cell(_heading(node)))
            cells.append(nbformat.v4.new_code_cell(ast.get_source_segment(source, node)))
    scratch = nbformat.v4.new_code_cell(SCRATCH.rstrip("\n"))
    scratch.metadata["tags"] = ["skip"]
    cells.append(scratch)
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number:02d}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def _heading(node: ast.ClassDef) -> str:
    doc = inspect.cleandoc(ast.get_docstring(node) or "")
    return f"## {node.name}\n\n{doc}"


def main() -> None:
    nbformat.write(build(), NOTEBOOK)
    print(f"wrote {NOTEBOOK.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
