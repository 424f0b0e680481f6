"""An on-disk cache of expected values, so a warm run never imports PyTorch or TensorFlow.

An oracle's outcome depends only on the case (layer, variant, dtype, course salt), the
oracle's own code and its framework's version. One entry holds one oracle's outcomes
for every case of one layer in one dtype, under a key made of exactly those things:

- backcheck's version and this cache's format;
- the oracle's name, its framework versions read with ``importlib.metadata`` (never by
  importing the framework) and a digest of the oracle module's source;
- the spec's fingerprint (names, variants and the source of its draw function) and a
  digest of every case's arrays and config, so a changed spec or salt misses;
- for the finite-difference oracle, a digest of the reference package's source.

Entries are ``.npz`` files written without pickle (read with ``allow_pickle=False``),
atomically (temporary file, then ``os.replace``), with the key stored inside and
compared on load: a corrupt or mismatched entry is recomputed and rewritten, never
trusted. Only oracles registered under their own name are cached (a test's fake oracle
is not). The directory is ``$BACKCHECK_CACHE`` or ``~/.cache/backcheck``;
``BACKCHECK_CACHE=off`` turns the cache off. Deleting the directory is always safe.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import json
import os
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from harness.case import Case
from harness.oracles import Oracle, registered
from harness.outcome import Outcome
from harness.spec import Spec

FORMAT = 1
"""Bumped whenever the layout of an entry changes."""

ENV = "BACKCHECK_CACHE"
OFF = ("off", "0", "no", "false")

DISTRIBUTIONS = {
    "fd": ("numpy",),
    "torch": ("torch",),
    "tensorflow": ("tensorflow-cpu", "tensorflow"),
}
"""Oracle name -> the distributions whose version it depends on (first installed wins)."""

REFERENCE_BASED = frozenset({"fd"})
"""Oracles that differentiate the reference implementation, so depend on its source."""

UNSUPPORTED = "__unsupported__"
KEY = "__key__"

Compute = Callable[[Oracle, Spec, list[Case]], "list[Outcome] | None"]
"""Outcomes of an oracle on cases of one spec, or ``None`` when it lacks the spec."""


def default_dir() -> Path:
    """``$BACKCHECK_CACHE`` or ``~/.cache/backcheck``."""
    return Path(os.environ.get(ENV) or Path.home() / ".cache" / "backcheck")


def from_environment() -> ExpectationCache | None:
    """The cache configured by ``$BACKCHECK_CACHE``, or ``None`` when it is ``off``."""
    if os.environ.get(ENV, "").strip().lower() in OFF:
        return None
    return ExpectationCache(default_dir())


class ExpectationCache:
    """Oracle outcomes by key, one ``.npz`` file per (oracle, layer, dtype, key)."""

    def __init__(self, directory: str | os.PathLike[str]):
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0

    def outcomes(self, oracle: Oracle, spec: Spec, cases: list[Case],
                 compute: Compute) -> list[Outcome] | None:
        """The cached outcomes of ``oracle`` on ``cases``, computed and stored on a miss."""
        if not cacheable(oracle):
            return compute(oracle, spec, cases)
        key = entry_key(oracle, spec, cases)
        path = self.path(oracle, spec, cases, key)
        found = read(path, key, spec, cases)
        if found is not MISSING:
            self.hits += 1
            return found
        self.misses += 1
        computed = compute(oracle, spec, cases)
        if computed is None or all(_storable(o) for o in computed):
            write(path, key, spec, cases, computed)
        return computed

    def path(self, oracle: Oracle, spec: Spec, cases: list[Case], key: str) -> Path:
        """Where the entry for ``key`` lives (readable names, the key's digest last)."""
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        dtypes = "-".join(sorted({c.dtype for c in cases}))
        return self.directory / f"v{FORMAT}" / oracle.name / f"{spec.name}-{dtypes}-{digest}.npz"


MISSING: Any = object()
"""``read``'s answer when there is no usable entry (``None`` means 'unsupported')."""


def read(path: Path, key: str, spec: Spec, cases: list[Case]) -> list[Outcome] | None:
    """The outcomes stored at ``path`` under exactly ``key``, or ``MISSING``."""
    try:
        with np.load(path, allow_pickle=False) as entry:
            if KEY not in entry.files or str(entry[KEY]) != key:
                return MISSING
            if UNSUPPORTED in entry.files:
                return None
            return [_outcome(entry, spec, case) for case in cases]
    except Exception:
        return MISSING


def _outcome(entry: Any, spec: Spec, case: Case) -> Outcome:
    """One case's outcome from an open entry (``KeyError`` if anything is missing)."""
    prefix = f"c{case.index}_{case.dtype}_"
    grads = {name: entry[prefix + "d" + name] for name in spec.wrt}
    return Outcome(output=entry[prefix + "out"], grads=grads)


def write(path: Path, key: str, spec: Spec, cases: list[Case],
          outcomes: list[Outcome] | None) -> None:
    """Store an entry atomically; a cache that cannot be written is simply not used."""
    arrays: dict[str, np.ndarray] = {KEY: np.array(key)}
    if outcomes is None:
        arrays[UNSUPPORTED] = np.array(True)
    else:
        for case, outcome in zip(cases, outcomes, strict=True):
            prefix = f"c{case.index}_{case.dtype}_"
            arrays[prefix + "out"] = np.asarray(outcome.output)
            arrays.update({prefix + "d" + n: np.asarray(outcome.grads[n]) for n in spec.wrt})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                np.savez(file, allow_pickle=False, **arrays)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError:
        return


def _storable(outcome: Outcome) -> bool:
    """Only complete outcomes are cached; an oracle's failure is recomputed next time."""
    return outcome.error is None and outcome.output is not None and not outcome.problems


def cacheable(oracle: Oracle) -> bool:
    """Whether ``oracle`` is the class registered under its name (not a stand-in)."""
    path = _registered().get(oracle.name, "")
    cls = type(oracle)
    return path == f"{cls.__module__}:{cls.__qualname__}"


def entry_key(oracle: Oracle, spec: Spec, cases: list[Case]) -> str:
    """The key of one entry as canonical JSON: everything the outcomes depend on."""
    key = {
        "format": FORMAT,
        "backcheck": _version("backcheck"),
        "oracle": oracle.name,
        "versions": oracle_versions(oracle),
        "oracle_source": module_digest(type(oracle).__module__),
        "spec": spec_fingerprint(spec),
        "cases": [case_digest(c) for c in cases],
    }
    if oracle.name in REFERENCE_BASED:
        key["reference"] = package_digest(spec.reference.partition(".")[0])
    return json.dumps(key, sort_keys=True)


def oracle_versions(oracle: Oracle) -> dict[str, str]:
    """Distribution -> version for everything the oracle's values depend on.

    Read from package metadata so that the framework is never imported; an oracle
    from a plugin unknown here is asked for its ``version()``.
    """
    versions = {"numpy": _version("numpy")}
    names = DISTRIBUTIONS.get(oracle.name)
    if names is None:
        return {**versions, oracle.name: oracle.version()}
    installed = next((n for n in names if _version(n)), names[0])
    return {**versions, installed: _version(installed)}


@cache
def _registered() -> dict[str, str]:
    return registered()


@cache
def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


_FINGERPRINTS: dict[int, tuple[Spec, str]] = {}
"""Spec fingerprints by ``id``; the spec is kept alive with it, so an id is never reused."""


def spec_fingerprint(spec: Spec) -> str:
    """A digest of the spec's names, variants and the source of its draw function."""
    known = _FINGERPRINTS.get(id(spec))
    if known is None or known[0] is not spec:
        known = _FINGERPRINTS[id(spec)] = (spec, _fingerprint(spec))
    return known[1]


def _fingerprint(spec: Spec) -> str:
    try:
        draw = inspect.getsource(spec.draw)
    except (OSError, TypeError):
        draw = getattr(spec.draw, "__qualname__", repr(spec.draw))
    described = [spec.name, spec.kind, spec.inputs, spec.params, spec.wrt,
                 list(spec.variants), draw, spec.reference]
    return _digest(json.dumps(described, sort_keys=True, default=repr).encode())


def case_digest(case: Case) -> str:
    """A digest of everything the case feeds an oracle: arrays, dtypes, shapes, config."""
    hasher = hashlib.sha256(f"{case.layer}|{case.index}|{case.dtype}|{case.seed}".encode())
    named = {**{f"in:{k}": v for k, v in case.inputs.items()},
             **{f"param:{k}": v for k, v in case.params.items()}, "upstream": case.upstream}
    for name in sorted(named):
        array = np.ascontiguousarray(named[name])
        hasher.update(f"|{name}|{array.dtype.str}|{array.shape}|".encode())
        hasher.update(array.tobytes())
    hasher.update(json.dumps(case.config, sort_keys=True, default=repr).encode())
    return hasher.hexdigest()[:32]


@cache
def module_digest(module: str) -> str:
    """A digest of a module's source file (found without importing anything new)."""
    loaded = sys.modules.get(module)
    filename = getattr(loaded, "__file__", None)
    if filename is None:
        found = importlib.util.find_spec(module)
        filename = found.origin if found else None
    return _digest(Path(filename).read_bytes()) if filename else ""


@cache
def package_digest(package: str) -> str:
    """A digest of every ``.py`` file of a package (or of a single module)."""
    found = importlib.util.find_spec(package)
    if found is None:
        return ""
    if not found.submodule_search_locations:
        return module_digest(package)
    hasher = hashlib.sha256()
    for location in found.submodule_search_locations:
        for file in sorted(Path(location).rglob("*.py")):
            hasher.update(str(file.relative_to(location)).encode() + b"\0")
            hasher.update(file.read_bytes())
    return hasher.hexdigest()[:32]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
