"""The adapter-file API (``harness.adapters.api``): ``builtin`` and ``LibraryAdapter``'s
``base``, whose layers run and are declared unsupported as the base adapter says."""

from __future__ import annotations

import numpy as np
import pytest

from harness import catalog, selection
from harness.adapters.api import LibraryAdapter, Recipe, builtin
from harness.adapters.classes import ClassesAdapter
from harness.errors import UsageError
from harness.target import Target


class Dense:
    """A layer the class reader drives as Linear."""

    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return dout @ self.W.T


class Rectifier:
    """A ReLU under a name no built-in reads: driven by recipe only."""

    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * (self.x > 0)


class Declares:
    """A base adapter that finds nothing and declares every Linear case unsupported."""

    name = "declares"

    def supports(self, layer, variant):
        return "base: no Linear" if layer == "Linear" else True


NAMESPACE = {"Dense": Dense, "Rectifier": Rectifier}


def adapter(base=None, supports=None) -> LibraryAdapter:
    return LibraryAdapter("mine", {"ReLU": Recipe("Rectifier")}, supports=supports, base=base)


def first_case(layer: str):
    spec = catalog.specs()[layer]
    return spec, spec.cases("float64")[0]


def test_builtin_reads_options_as_the_command_line_does():
    base = builtin("classes:channels_last=true")
    assert isinstance(base, ClassesAdapter) and base.conventions.channels_last
    with pytest.raises(UsageError, match="does not read option"):
        builtin("cs231n:bias=row")
    with pytest.raises(UsageError, match="unknown adapter"):
        builtin("clases")


def test_without_a_base_only_the_recipes_are_found():
    found = adapter().detect(NAMESPACE)
    assert found.layers == ("ReLU",)
    assert adapter().runner(NAMESPACE, catalog.specs()["Linear"]) is None


def test_the_layers_without_a_recipe_run_through_the_base():
    mine = adapter(base=builtin("classes"))
    found = mine.detect(NAMESPACE)
    assert set(found.layers) == {"ReLU", "Linear"} and "classes:" in found.evidence
    for layer in ("Linear", "ReLU"):
        spec, case = first_case(layer)
        outcome = mine.runner(NAMESPACE, spec)(case)
        assert outcome.error is None and set(outcome.grads) == set(spec.wrt)


def test_the_base_declares_its_layers_and_the_file_its_recipes():
    def no_wide_relu(layer, variant):
        return "recipe: narrow only" if layer != "ReLU" else True

    mine = adapter(base=Declares(), supports=no_wide_relu)
    linear, relu = first_case("Linear"), first_case("ReLU")
    assert selection.unsupported(mine, *linear) == "base: no Linear"
    assert selection.unsupported(mine, *relu) == ""
    strict = adapter(base=Declares(), supports=lambda layer, variant: "recipe: none")
    assert selection.unsupported(strict, *relu) == "recipe: none"


def test_an_adapter_file_with_a_base_declares_the_bases_cases_before_running(tmp_path):
    (tmp_path / "glue.py").write_text(
        "from harness.adapters.api import LibraryAdapter, Recipe, builtin\n"
        "ADAPTER = LibraryAdapter('mine', {'ReLU': Recipe('Rectifier')},\n"
        "                         base=builtin('classes:Linear.unbatched'))\n")
    spec = catalog.specs()["Linear"]
    jobs = [(spec, case) for case in spec.cases("float64")]
    target = Target(str(tmp_path / "lib.py"), adapter_file=str(tmp_path / "glue.py"))
    runnable, skipped = selection.split(target, jobs)
    batched = {case.id for spec, case in jobs if selection.variant(spec, case)["N"] != 1}
    assert batched and set(skipped) == batched
    assert all("declared unbatched" in o.error.message for o in skipped.values())
    assert len(runnable) == len(jobs) - len(batched)


def test_a_recipe_naming_a_class_the_library_lacks_says_which_classes_it_has():
    spec, case = first_case("ReLU")
    recipes = LibraryAdapter("mine", {"ReLU": Recipe("Rectfier")})
    outcome = recipes.runner(NAMESPACE, spec)(case)
    assert outcome.error.kind == "not-implemented"
    assert "recipe names class 'Rectfier'" in outcome.error.message
    assert "its classes: Dense, Rectifier" in outcome.error.message


def test_a_gradient_under_another_name_is_named_with_what_was_given():
    spec, case = first_case("Linear")

    def backward(layer, dout):
        dx = layer.backward(dout)
        return {"x": dx, "W": layer.dW, "bias": layer.db}

    recipes = LibraryAdapter("mine", {"Linear": Recipe(
        "Dense", lambda cls, case: cls(case.params["W"], case.params["b"]), backward=backward)})
    outcome = recipes.runner(NAMESPACE, spec)(case)
    assert outcome.problems["b"].message == ("Dense gave no gradient for 'b' "
                                             "(it gave: 'x', 'W', 'bias')")


def test_a_bad_builtin_name_is_placed_at_the_adapter_files_line(tmp_path):
    from harness.adapters import from_file
    from harness.errors import BackcheckError

    path = tmp_path / "mine_adapter.py"
    path.write_text("from harness.adapters.api import builtin\n\nADAPTER = builtin('clases')\n")
    with pytest.raises(BackcheckError, match="unknown adapter 'clases'") as raised:
        from_file(str(path))
    assert raised.value.where == f"{path}:3"
