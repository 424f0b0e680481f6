"""Native start-up log lines of frameworks, kept out of backcheck's output.

TensorFlow's C++ core writes to file descriptor 2 while it loads, before Python can
configure anything: ``WARNING: All log messages before absl::InitializeLog() is called
are written to STDERR`` and ``I0000 ... port.cc:153] oneDNN custom operations are on``.
``TF_CPP_MIN_LOG_LEVEL`` no longer silences these, so ``install`` puts a finder first on
``sys.meta_path`` that runs the import of such a framework with descriptor 2 pointed at
a temporary file, then writes back every line that is not start-up noise (a real error
of the import still shows). Whoever imports the framework (an oracle, the code under
test, a test) gets the same treatment, and nothing is imported before it is asked for.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import re
import sys
import tempfile
from collections.abc import Iterator

NOISY = frozenset({"tensorflow"})
"""Top-level packages whose native start-up log is filtered."""

NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|[IW]\d{4} \d\d:\d\d:[\d.]+ +\d+ [\w./-]+:\d+\] )"
)
"""An absl pre-initialisation warning, or an absl INFO/WARNING line (errors are kept)."""


def noise(line: str) -> bool:
    """Whether ``line`` is framework start-up chatter rather than something to show."""
    return bool(NOISE.match(line))


@contextlib.contextmanager
def filtered_stderr() -> Iterator[None]:
    """Run the body with descriptor 2 captured; write back what is not ``noise``."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            kept = [line for line in capture.read().decode(errors="replace").splitlines(True)
                    if not noise(line)]
            if kept:
                os.write(2, "".join(kept).encode())


class _QuietLoader(importlib.abc.Loader):
    """A framework's own loader, executing the package with ``filtered_stderr``."""

    def __init__(self, inner: importlib.abc.Loader):
        self.inner = inner

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module) -> None:
        module.__loader__ = self.inner
        module.__spec__.loader = self.inner
        with filtered_stderr():
            self.inner.exec_module(module)


class QuietFinder(importlib.abc.MetaPathFinder):
    """Finds the ``NOISY`` packages as usual, and wraps their loader."""

    def find_spec(self, name, path=None, target=None):
        if name not in NOISY:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def install() -> None:
    """Filter the start-up log of every ``NOISY`` package imported from now on."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if not any(isinstance(f, QuietFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, QuietFinder())


__all__ = ["NOISE", "NOISY", "QuietFinder", "filtered_stderr", "install", "noise"]
