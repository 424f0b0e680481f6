"""The classic book's ``Network(sizes)``: lists of weights and biases, ``feedforward(a)``
and ``backprop(x, y) -> (nabla_b, nabla_w)``, found and checked as ``SigmoidNet``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from adapter_checks import run_check, verdicts

from harness import diagnosis
from harness.adapters import choose
from harness.adapters.book import BookAdapter
from harness.loaders import load
from harness.oracles.fd import FiniteDifferenceOracle
from harness.specs import CATALOG

BOOK = Path(__file__).resolve().parents[1] / "fixtures" / "book"
GRADIENTS = ("dW1", "db1", "dW2", "db2")


def test_the_book_network_is_detected_as_SigmoidNet_and_chosen():
    namespace = load(str(BOOK / "network.py")).namespace
    detection = BookAdapter().detect(namespace)
    assert detection.layers == ("SigmoidNet",)
    assert "Network as SigmoidNet" in detection.evidence
    assert choose(namespace)[0].name == "book"


def test_the_book_network_passes_every_check():
    result = run_check(BOOK / "network.py", ["SigmoidNet"])
    assert result.adapter == "book"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
    assert {c.quantity for c in result.checks} == {"out", *GRADIENTS}


def test_an_output_error_without_the_sigmoid_slope_fails_every_gradient_only(twin):
    found = verdicts(run_check(twin("book/network_buggy.py"), ["SigmoidNet"]))
    assert found.pop("SigmoidNet.out") == {"pass"}
    assert all(v == {"fail"} for v in found.values()), found


def test_the_missing_slope_is_named(twin):
    """The buggy twin's gradients fit the model of the cross-entropy delta."""
    spec = CATALOG["SigmoidNet"]
    runner = BookAdapter().runner(load(str(twin("book/network_buggy.py"))).namespace, spec)
    case = spec.cases("float64")[1]
    outcome = runner(case)
    expected = FiniteDifferenceOracle().evaluate(spec, case)
    for quantity in GRADIENTS:
        found = diagnosis.find(spec, case, quantity, np.asarray(outcome.value(quantity)),
                               expected.value(quantity))
        assert found is not None and found.kind == "sigmoid-output-delta-no-slope", quantity


def test_a_backprop_returning_one_list_is_a_bad_return(tmp_path):
    source = (BOOK / "network.py").read_text().replace("return grad_b, grad_w",
                                                       "return grad_w")
    path = tmp_path / "network.py"
    path.write_text(source)
    result = run_check(path, ["SigmoidNet"], dtypes=("float64",))
    messages = {c.message for c in result.checks if c.quantity != "out"}
    assert all("expected (nabla_b, nabla_w)" in m for m in messages), messages


SECOND = '''import numpy as np

from network import Network as _Plain


class QuadraticCost:
    @staticmethod
    def delta(z, a, y):
        return (a - y) * a * (1 - a)


class EntropyCost:
    @staticmethod
    def delta(z, a, y):
        return a - y


class Network(_Plain):
    def __init__(self, sizes, cost=EntropyCost):
        super().__init__(sizes)
        self.cost = cost

    def output_error(self, output, y):
        return self.cost.delta(None, output, y) / (output * (1 - output))
'''


def test_the_second_network_is_built_with_its_quadratic_cost(tmp_path):
    """``Network(sizes, cost=CrossEntropyCost)`` by default: checked as SigmoidNet only
    with the module's ``QuadraticCost`` passed in."""
    (tmp_path / "network.py").write_text((BOOK / "network.py").read_text())
    path = tmp_path / "network2.py"
    path.write_text(SECOND)
    result = run_check(path, ["SigmoidNet"], dtypes=("float64",))
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
    path.write_text(SECOND.replace("class QuadraticCost", "class SquareCost"))
    assert not run_check(path, ["SigmoidNet"], dtypes=("float64",)).passed
