"""The examples in Rust, JavaScript and C++, built and graded through the protocol.

Each test skips, saying which, where its toolchain is missing; those that compile are
slow (a release build of the Rust network takes a few seconds).
"""

from __future__ import annotations

import importlib.util
import shutil

import pytest
from programs import EXAMPLES, check, messages, verdicts

ORACLES = ("fd", "torch", "tensorflow")


def needs(tool: str):
    return pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed")


@pytest.mark.slow
@needs("cargo")
def test_the_seed_network_as_written_is_graded_and_its_mistakes_named(backcheck):
    run = backcheck("check", EXAMPLES / "rust" / "seed-network", "--layers", "RegressionMLP",
                    "--oracles", "fd")
    text = " ".join(run.out.split())
    assert run.code == 1
    assert "dW1 is scaled by 1/2" in text
    assert "dW2 is scaled by 1/2" in text
    assert "db1 has shape (2,), but b1 is (2, 1) as the program declared it" in text
    assert "db2 has shape (1,), but b2 is (1, 1)" in text
    assert "built with `cargo build --release --offline --quiet`" in text


@pytest.mark.slow
@pytest.mark.torch
@pytest.mark.tensorflow
@pytest.mark.parametrize(("folder", "layers"), [
    pytest.param("rust/seed-network-fixed", ["RegressionMLP"], marks=needs("cargo")),
    pytest.param("js/layers", ["Linear", "ReLU", "MSELoss"], marks=needs("node")),
    pytest.param("cpp/layers", ["Linear", "ReLU", "MSELoss"], marks=needs("g++")),
])
def test_each_corrected_example_passes_every_layer_with_every_oracle(folder, layers):
    missing = [m for m in ORACLES[1:] if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: every oracle is needed here")
    result = check(EXAMPLES / folder, layers, ORACLES)
    assert {c.oracle for c in result.checks} == set(ORACLES)
    assert {c.layer for c in result.checks} == set(layers)
    assert set().union(*verdicts(result).values()) == {"pass"}, messages(result)
