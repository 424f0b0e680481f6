"""What to check: a submission and how to read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A path or module name, with the adapter chosen on the command line (if any)."""

    path: str
    adapter: str | None = None
    adapter_file: str | None = None
    import_paths: tuple[str, ...] = ()
    """Folders put on the submission's import path (``--path``), first given first."""
