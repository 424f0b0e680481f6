"""What a library function's signature says, read from untrusted code without raising."""

from __future__ import annotations

import pytest

from harness.adapters import signatures


class Loss:
    def loss(self, y, y_pred, weight=1.0):
        return weight * (y - y_pred)


def test_arguments_leave_self_out_and_a_builtin_has_none():
    assert signatures.arguments(Loss().loss) == ["y", "y_pred", "weight"]
    assert signatures.arguments(Loss.loss) == ["y", "y_pred", "weight"]
    assert signatures.arguments(max) == []


def test_required_arguments_are_those_without_a_default():
    assert signatures.required(Loss.loss) == ["y", "y_pred"]


@pytest.mark.parametrize(("pair", "first"), [
    (["y_true", "y_pred"], True), (["y", "p"], True), (["p", "desired"], False),
    (["output", "z"], False), (["u", "v"], None), (["y"], None), (["y", "t"], None),
    (["x", "a"], None)])
def test_which_argument_of_a_loss_is_the_target_is_read_from_either_name_unless_they_disagree(
        pair, first):
    assert signatures.target_first(pair) is first


class TargetFirst:
    def forward(self, y_true, y_pred, mask=None):
        return y_true, y_pred


def test_a_loss_naming_the_target_first_is_given_it_first_and_nothing_else_moves():
    forward = TargetFirst().forward
    assert signatures.loss_order(forward, ["x", "target"]) == ["target", "x"]
    assert signatures.loss_order(forward, ["x", "target", "mask"]) == ["target", "x", "mask"]


@pytest.mark.parametrize("fn", [lambda a, b: a, lambda u, v: u, lambda *args: args, max])
def test_names_that_do_not_say_target_first_keep_backchecks_order(fn):
    assert signatures.loss_order(fn, ("x", "target")) == ["x", "target"]
