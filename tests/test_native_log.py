"""TensorFlow's native start-up lines are recognised as noise; real errors are kept."""

from __future__ import annotations

import importlib.machinery
import os
import sys

from harness import native_log

ABSL = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
ONEDNN = ("I0000 00:00:1796186548.877947    9933 port.cc:153] oneDNN custom operations are "
          "on. You may see slightly different numerical results")


def test_start_up_lines_are_noise_and_errors_are_not():
    assert native_log.noise(ABSL + "\n") and native_log.noise(ONEDNN)
    assert not native_log.noise("E0000 00:00:1.5   12 dso_loader.cc:9] libcuda not found")
    assert not native_log.noise("Traceback (most recent call last):")


def test_filtered_stderr_drops_noise_written_to_descriptor_2(capfd):
    with native_log.filtered_stderr():
        os.write(2, f"{ABSL}\n{ONEDNN}\nkept line\n".encode())
    err = capfd.readouterr().err
    assert err == "kept line\n"


def test_install_is_idempotent_and_before_the_path_finder():
    """Once, and ahead of the finder that would import a framework (backcheck's own
    submission-alias hook may sit in front: it never claims an installed package)."""
    native_log.install()
    native_log.install()
    finders = [f for f in sys.meta_path if isinstance(f, native_log.QuietFinder)]
    assert len(finders) == 1
    assert sys.meta_path.index(finders[0]) < sys.meta_path.index(importlib.machinery.PathFinder)
