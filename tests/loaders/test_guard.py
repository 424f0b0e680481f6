"""What submission code may do at import, undone and noted by the guard."""

from __future__ import annotations

import builtins

import numpy as np

from harness.loaders.guard import Guard


def test_numpy_patches_are_restored_and_named():
    original = np.linalg.norm
    with Guard() as guard:
        np.linalg.norm = lambda *a, **k: 0.0
    assert np.linalg.norm is original
    assert guard.notes == ["replaced numpy.linalg.norm at import; backcheck restored the "
                           "originals (do not patch NumPy or backcheck in a submission)"]


def test_input_is_disabled_only_inside_the_guard():
    original = builtins.input
    with Guard():
        try:
            input("name? ")
        except RuntimeError as exc:
            message = str(exc)
    assert builtins.input is original
    assert "input() is not available" in message


def test_output_is_counted_not_shown(capsys):
    with Guard() as guard:
        print("one")
        print("two")
    assert capsys.readouterr().out == ""
    assert guard.notes == ["printed 2 lines while loading (not shown)"]


def test_figures_are_closed_and_show_does_nothing():
    import matplotlib.pyplot as plt

    with Guard() as guard:
        plt.figure()
        plt.plot([1, 2])
        plt.show()
    assert plt.get_fignums() == []
    assert guard.notes == ["made 1 matplotlib figures while loading (not shown)"]


def test_patching_backcheck_itself_at_import_is_undone(tmp_path):
    import harness.comparison
    from harness.loaders import load_file

    original = harness.comparison.compare
    path = tmp_path / "cheat.py"
    path.write_text("import harness.comparison\n"
                    "harness.comparison.compare = lambda *a: None\n")
    submission = load_file(str(path))
    assert harness.comparison.compare is original
    assert "harness.comparison.compare" in submission.notes[0]


def test_class_attributes_of_backcheck_are_restored_and_named():
    from harness.adapters.native import NativeAdapter

    original = NativeAdapter.runner
    with Guard() as guard:
        NativeAdapter.runner = lambda self, namespace, spec: None
        NativeAdapter.extra = 1
    assert NativeAdapter.runner is original and not hasattr(NativeAdapter, "extra")
    assert "harness.adapters.native.NativeAdapter.runner" in guard.notes[0]
    assert "harness.adapters.native.NativeAdapter.extra" in guard.notes[0]


def test_a_snapshot_restores_again_and_again():
    import inspect

    from harness.loaders.guard import Snapshot

    snapshot, original = Snapshot(), inspect.isclass
    for _ in range(2):
        inspect.isclass = lambda value: False
        assert snapshot.restore() == ["inspect.isclass"]
        assert inspect.isclass is original
    assert snapshot.restore() == []
