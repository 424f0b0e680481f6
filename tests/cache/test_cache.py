"""The on-disk cache of expected values: keys, invalidation, and never trusting a bad entry."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np

from harness import cache as cache_module
from harness.cache import ExpectationCache, entry_key, from_environment
from harness.engine import jobs_for
from harness.expectations import evaluate, expect
from harness.oracles.fd import FiniteDifferenceOracle
from harness.outcome import Outcome
from harness.specs import CATALOG

LAYERS = [CATALOG["Linear"], CATALOG["Conv1d"], CATALOG["BatchNorm"]]
LINEAR = CATALOG["Linear"]


class CountingCompute:
    """``expectations.evaluate`` that counts the (oracle, layer, dtype) groups it computes."""

    def __init__(self):
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, oracle, spec, cases):
        self.calls.append((oracle.name, spec.name, cases[0].dtype))
        return evaluate(oracle, spec, cases)


class ShiftedOracle(FiniteDifferenceOracle):
    """A stand-in oracle (not registered under its name) whose dW is off by one."""

    name = "shifted"

    def evaluate(self, spec, case):
        good = super().evaluate(spec, case)
        return Outcome(good.output, {**good.grads, "W": good.grads["W"] + 1.0})


def one(store, oracle, spec, cases, compute):
    """The cache's answer for a single layer and dtype."""
    (found,) = store.outcomes(oracle, [(spec, cases)], compute)
    return found


def linear_cases(dtype="float64", salt=""):
    return LINEAR.cases(dtype, salt)


def entry_files(directory):
    return sorted(directory.rglob("*.npz"))


def assert_same(found, fresh):
    assert found.outcomes.keys() == fresh.outcomes.keys()
    for key, outcome in fresh.outcomes.items():
        cached = found.outcomes[key]
        np.testing.assert_array_equal(cached.output, outcome.output)
        assert cached.grads.keys() == outcome.grads.keys()
        for name, grad in outcome.grads.items():
            assert cached.grads[name].dtype == grad.dtype
            np.testing.assert_array_equal(cached.grads[name], grad)
    assert found.unsupported == fresh.unsupported
    assert found.disagreements == fresh.disagreements


def test_cold_and_warm_cache_equal_a_fresh_expect(tmp_path):
    jobs = jobs_for(LAYERS, ["float32", "float64"], salt="course")
    oracles = [FiniteDifferenceOracle()]
    fresh = expect(jobs, oracles)
    store = ExpectationCache(tmp_path)
    assert_same(expect(jobs, oracles, store), fresh)
    assert (store.hits, store.misses) == (0, 6)
    assert_same(expect(jobs, oracles, store), fresh)
    assert (store.hits, store.misses) == (6, 6)
    assert len(entry_files(tmp_path)) == 6 + 1, "one entry per layer and dtype, one bundle"


def test_a_damaged_bundle_falls_back_to_the_layer_entries(tmp_path):
    jobs = jobs_for(LAYERS, ["float64"])
    oracles, store = [FiniteDifferenceOracle()], ExpectationCache(tmp_path)
    fresh = expect(jobs, oracles, store)
    (bundle,) = tmp_path.rglob("bundle-*.npz")
    bundle.write_bytes(b"not a zip file")
    assert_same(expect(jobs, oracles, store), fresh)
    assert store.misses == 3, "nothing recomputed the second time"
    fewer = jobs_for(LAYERS[:2], ["float64"])
    assert_same(expect(fewer, oracles, store), expect(fewer, oracles))
    assert store.misses == 3, "a smaller selection reuses the layer entries"


def test_disagreements_are_recomputed_consistently_with_a_warm_cache(tmp_path):
    jobs = jobs_for([LINEAR], ["float64"])
    oracles = [FiniteDifferenceOracle(), ShiftedOracle()]
    fresh = expect(jobs, oracles)
    assert fresh.disagreements
    store = ExpectationCache(tmp_path)
    expect(jobs, oracles, store)
    assert_same(expect(jobs, oracles, store), fresh)
    alone = expect(jobs, oracles[:1], store)
    assert alone.disagreements == {}


def test_a_stand_in_oracle_is_never_cached(tmp_path):
    store = ExpectationCache(tmp_path)
    expect(jobs_for([LINEAR], ["float64"]), [ShiftedOracle()], store)
    assert entry_files(tmp_path) == []


def test_key_is_stable_across_draws_and_processes():
    oracle = FiniteDifferenceOracle()
    key = entry_key(oracle, LINEAR, linear_cases())
    assert key == entry_key(oracle, LINEAR, linear_cases())
    script = ("from harness.cache import entry_key; from harness.specs import CATALOG; "
              "from harness.oracles.fd import FiniteDifferenceOracle as F; "
              "s = CATALOG['Linear']; print(entry_key(F(), s, s.cases('float64')))")
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env={"PYTHONHASHSEED": "12345"}, check=True)
    assert other.stdout.strip() == key


def test_key_names_what_the_values_depend_on():
    oracle = FiniteDifferenceOracle()
    key = entry_key(oracle, LINEAR, linear_cases())
    for part in ('"backcheck"', '"numpy"', '"oracle_source"', '"spec"', '"reference"'):
        assert part in key
    assert key != entry_key(oracle, LINEAR, linear_cases("float32"))
    assert key != entry_key(oracle, LINEAR, linear_cases(salt="another course"))


def test_a_framework_version_change_invalidates(tmp_path, monkeypatch):
    store, compute = ExpectationCache(tmp_path), CountingCompute()
    oracle, cases = FiniteDifferenceOracle(), linear_cases()
    one(store, oracle, LINEAR, cases, compute)
    one(store, oracle, LINEAR, cases, compute)
    assert len(compute.calls) == 1
    monkeypatch.setattr(cache_module, "_version",
                        lambda name: "99.0" if name == "numpy" else "0.1.0")
    one(store, oracle, LINEAR, cases, compute)
    assert len(compute.calls) == 2


def test_an_oracle_version_change_invalidates(tmp_path, monkeypatch):
    store, compute = ExpectationCache(tmp_path), CountingCompute()
    oracle, cases = FiniteDifferenceOracle(), linear_cases()
    one(store, oracle, LINEAR, cases, compute)
    monkeypatch.setattr(FiniteDifferenceOracle, "version", lambda self: "numpy-99.0")
    one(store, oracle, LINEAR, cases, compute)
    assert len(compute.calls) == 2


def test_a_spec_change_invalidates(tmp_path):
    store, compute = ExpectationCache(tmp_path), CountingCompute()
    oracle, cases = FiniteDifferenceOracle(), linear_cases()
    one(store, oracle, LINEAR, cases, compute)
    renamed_variant = dataclasses.replace(
        LINEAR, variants=[{**v, "note": "changed"} for v in LINEAR.variants])
    one(store, oracle, renamed_variant, cases, compute)
    other_draw = dataclasses.replace(LINEAR, draw=CATALOG["Conv1d"].draw)
    one(store, oracle, other_draw, cases, compute)
    assert len(compute.calls) == 3


def test_a_reference_change_invalidates_the_fd_oracle(tmp_path, monkeypatch):
    store, compute = ExpectationCache(tmp_path), CountingCompute()
    oracle, cases = FiniteDifferenceOracle(), linear_cases()
    one(store, oracle, LINEAR, cases, compute)
    monkeypatch.setattr(cache_module, "package_digest", lambda package: "edited")
    one(store, oracle, LINEAR, cases, compute)
    assert len(compute.calls) == 2


def test_a_corrupt_entry_is_recomputed_and_rewritten(tmp_path):
    store, compute = ExpectationCache(tmp_path), CountingCompute()
    oracle, cases = FiniteDifferenceOracle(), linear_cases()
    fresh = one(store, oracle, LINEAR, cases, compute)
    (entry,) = entry_files(tmp_path)
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    again = one(store, oracle, LINEAR, cases, compute)
    assert len(compute.calls) == 2
    np.testing.assert_array_equal(again[0].grads["W"], fresh[0].grads["W"])
    one(store, oracle, LINEAR, cases, compute)
    assert len(compute.calls) == 2, "the rewritten entry is read back"


def test_an_entry_under_another_key_is_recomputed(tmp_path):
    store, compute = ExpectationCache(tmp_path), CountingCompute()
    oracle, cases = FiniteDifferenceOracle(), linear_cases()
    key = entry_key(oracle, LINEAR, cases)
    path = store.path(oracle, "Linear-float64", key)
    wrong = [Outcome(np.zeros_like(o.output), {n: np.zeros_like(g) for n, g in o.grads.items()})
             for o in evaluate(oracle, LINEAR, cases)]
    cache_module.write(path, key.replace('"fd"', '"torch"'), [(LINEAR, cases)], [wrong])
    found = one(store, oracle, LINEAR, cases, compute)
    assert len(compute.calls) == 1
    assert np.any(found[0].grads["W"] != 0)


def test_an_entry_missing_an_array_is_recomputed(tmp_path):
    store, compute = ExpectationCache(tmp_path), CountingCompute()
    oracle, cases = FiniteDifferenceOracle(), linear_cases()
    key = entry_key(oracle, LINEAR, cases)
    path = store.path(oracle, "Linear-float64", key)
    output = evaluate(oracle, LINEAR, cases)[:1]
    cache_module.write(path, key, [(LINEAR, cases[:1])], [output])
    one(store, oracle, LINEAR, cases, compute)
    assert len(compute.calls) == 1


def test_an_entry_whose_blob_does_not_fit_its_layout_is_recomputed(tmp_path):
    store, compute = ExpectationCache(tmp_path), CountingCompute()
    oracle, cases = FiniteDifferenceOracle(), linear_cases()
    one(store, oracle, LINEAR, cases, compute)
    (entry,) = entry_files(tmp_path)
    with np.load(entry, allow_pickle=False) as loaded:
        meta, data = str(loaded["meta"]), loaded["data"]
    np.savez(entry, meta=np.array(meta), data=data[:-8])
    one(store, oracle, LINEAR, cases, compute)
    assert len(compute.calls) == 2


class PartialOracle(FiniteDifferenceOracle):
    """A registered oracle that has no Linear."""

    name = "partial"

    def supports(self, spec):
        return spec.name != "Linear"


def test_an_unsupported_layer_is_remembered(tmp_path, monkeypatch):
    path = f"{PartialOracle.__module__}:{PartialOracle.__qualname__}"
    monkeypatch.setattr(cache_module, "registered", lambda: {"partial": path})
    store, compute = ExpectationCache(tmp_path), CountingCompute()
    assert one(store, PartialOracle(), LINEAR, linear_cases(), compute) is None
    assert one(store, PartialOracle(), LINEAR, linear_cases(), compute) is None
    assert (len(compute.calls), store.hits) == (1, 1)


def test_entries_hold_no_pickled_objects(tmp_path):
    store = ExpectationCache(tmp_path)
    one(store, FiniteDifferenceOracle(), LINEAR, linear_cases(), evaluate)
    (entry,) = entry_files(tmp_path)
    with np.load(entry, allow_pickle=False) as loaded:
        assert all(loaded[name].dtype != object for name in loaded.files)
    assert not list(tmp_path.rglob("*.tmp"))


def test_an_unwritable_cache_still_gives_values(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    store, compute = ExpectationCache(blocker), CountingCompute()
    found = one(store, FiniteDifferenceOracle(), LINEAR, linear_cases(), compute)
    assert len(found) == len(LINEAR.variants)


def test_environment_chooses_the_directory_or_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCHECK_CACHE", str(tmp_path))
    assert from_environment().directory == tmp_path
    monkeypatch.setenv("BACKCHECK_CACHE", "off")
    assert from_environment() is None
    monkeypatch.delenv("BACKCHECK_CACHE")
    assert from_environment().directory.parts[-2:] == (".cache", "backcheck")
