"""An on-disk cache of expected values, so a warm run never imports PyTorch or TensorFlow.

An oracle's outcome depends only on the case (layer, variant, dtype, course salt), the
oracle's own code and its framework's version. One entry holds one oracle's outcomes
for every case of one layer in one dtype, under a key made of exactly those things
(a bundle of several layers is keyed by the list of their keys):

- backcheck's version and this cache's format;
- the oracle's name, its framework versions read with ``importlib.metadata`` (never by
  importing the framework) and a digest of the oracle module's source;
- the spec's fingerprint (names, variants and the source of its draw function) and a
  digest of every case's arrays and config, so a changed spec or salt misses;
- for the finite-difference oracle, a digest of the reference package's source.

Entries are ``.npz`` files, written atomically (temporary file, then ``os.replace``)
and without pickle (read with ``allow_pickle=False``): a JSON header holding the key,
compared on load, and the arrays packed into one blob (reading hundreds of tiny arrays
one by one was most of a warm run). A corrupt or mismatched entry is recomputed and
rewritten, never trusted. Only oracles registered under their own name are cached (a
test's fake oracle is not). The directory is ``$BACKCHECK_CACHE`` or
``~/.cache/backcheck``; ``BACKCHECK_CACHE=off`` turns the cache off. Deleting the
directory is always safe.
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

FORMAT = 2
"""Bumped whenever the layout of an entry changes."""

ENV = "BACKCHECK_CACHE"
OFF = ("off", "0", "no", "false")

REFERENCE_BASED = frozenset({"fd"})
"""Oracles that differentiate the reference implementation, so depend on its source."""

META = "meta"
"""An entry's JSON: its key and, per group, whether the oracle lacks the layer or the
layout of its arrays."""
DATA = "data"
"""An entry's arrays, concatenated as one byte blob (one read instead of one per array)."""

Group = tuple[Spec, list[Case]]
"""Cases of one layer in one dtype: the unit an entry's key is made for."""
Found = list[Outcome] | None
"""One group's outcomes, or ``None`` when the oracle has no such layer."""
Compute = Callable[[Oracle, Spec, list[Case]], Found]


def default_dir() -> Path:
    """``$BACKCHECK_CACHE`` or ``~/.cache/backcheck``."""
    return Path(os.environ.get(ENV) or Path.home() / ".cache" / "backcheck")


def from_environment() -> ExpectationCache | None:
    """The cache configured by ``$BACKCHECK_CACHE``, or ``None`` when it is ``off``."""
    if os.environ.get(ENV, "").strip().lower() in OFF:
        return None
    return ExpectationCache(default_dir())


class ExpectationCache:
    """Oracle outcomes on disk: one entry per (oracle, layer, dtype), plus one bundle
    per (oracle, selection) so that a warm run of the same selection reads one file
    per oracle instead of one per layer and dtype."""

    def __init__(self, directory: str | os.PathLike[str]):
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self._digests: dict[int, tuple[Case, str]] = {}

    def outcomes(self, oracle: Oracle, groups: list[Group], compute: Compute) -> list[Found]:
        """The outcomes of ``oracle`` on every group, computed and stored on a miss."""
        if not cacheable(oracle):
            return [compute(oracle, spec, cases) for spec, cases in groups]
        keys = [entry_key(oracle, spec, cases, self._digest) for spec, cases in groups]
        if len(groups) < 2:
            return [self._entry(oracle, g, k, compute) for g, k in zip(groups, keys, strict=True)]
        bundle = json.dumps(keys)
        path = self.path(oracle, "bundle", bundle)
        found = read(path, bundle, groups)
        if found is not MISSING:
            self.hits += len(groups)
            return found
        found = [self._entry(oracle, g, k, compute) for g, k in zip(groups, keys, strict=True)]
        if all(_storable(f) for f in found):
            write(path, bundle, groups, found)
        return found

    def _entry(self, oracle: Oracle, group: Group, key: str, compute: Compute) -> Found:
        """One layer and dtype: read its entry, or compute and store it."""
        spec, cases = group
        path = self.path(oracle, f"{spec.name}-{cases[0].dtype}", key)
        found = read(path, key, [group])
        if found is not MISSING:
            self.hits += 1
            return found[0]
        self.misses += 1
        computed = compute(oracle, spec, cases)
        if _storable(computed):
            write(path, key, [group], [computed])
        return computed

    def _digest(self, case: Case) -> str:
        """``case_digest``, computed once per case for all oracles (the case is kept
        with its digest, so its ``id`` cannot be reused while this cache lives)."""
        known = self._digests.get(id(case))
        if known is None or known[0] is not case:
            known = self._digests[id(case)] = (case, case_digest(case))
        return known[1]

    def path(self, oracle: Oracle, label: str, key: str) -> Path:
        """Where the entry for ``key`` lives (a readable label, the key's digest last)."""
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        return self.directory / f"v{FORMAT}" / oracle.name / f"{label}-{digest}.npz"


MISSING: Any = object()
"""``read``'s answer when there is no usable entry."""


def read(path: Path, key: str, groups: list[Group]) -> list[Found] | Any:
    """The outcomes stored at ``path`` under exactly ``key``, or ``MISSING``."""
    try:
        with np.load(path, allow_pickle=False) as entry:
            meta = json.loads(str(entry[META]))
            if meta["key"] != key or len(meta["groups"]) != len(groups):
                return MISSING
            layout = [a for g in meta["groups"] for a in g.get("arrays", [])]
            arrays = unpack(entry[DATA], layout)
        pairs = enumerate(zip(meta["groups"], groups, strict=True))
        return [None if stored.get("unsupported") else _outcomes(arrays, i, spec, cases)
                for i, (stored, (spec, cases)) in pairs]
    except Exception:
        return MISSING


def unpack(data: np.ndarray, layout: list) -> dict[str, np.ndarray]:
    """Arrays by name from one byte blob and its ``[name, dtype, shape]`` layout."""
    arrays, offset = {}, 0
    blob = data.tobytes()
    for name, dtype_str, shape in layout:
        dtype = np.dtype(dtype_str)
        if dtype.hasobject:
            raise ValueError("object arrays are never stored")
        count = int(np.prod(shape, dtype=np.int64))
        arrays[name] = np.frombuffer(blob, dtype, count, offset).reshape(shape).copy()
        offset += count * dtype.itemsize
    if offset != len(blob):
        raise ValueError("entry size does not match its layout")
    return arrays


def _outcomes(arrays: dict[str, np.ndarray], group: int, spec: Spec,
              cases: list[Case]) -> list[Outcome]:
    """One group's outcomes from an entry's arrays (``KeyError`` if anything is missing)."""
    found = []
    for case in cases:
        prefix = _prefix(group, case)
        grads = {name: arrays[prefix + "d" + name] for name in spec.wrt}
        found.append(Outcome(output=arrays[prefix + "out"], grads=grads))
    return found


def write(path: Path, key: str, groups: list[Group], found: list[Found]) -> None:
    """Store an entry atomically; a cache that cannot be written is simply not used."""
    stored, named = [], {}
    for i, ((spec, cases), outcomes) in enumerate(zip(groups, found, strict=True)):
        if outcomes is None:
            stored.append({"unsupported": True})
            continue
        arrays = _named(i, spec, cases, outcomes)
        stored.append({"arrays": [[n, a.dtype.str, list(a.shape)] for n, a in arrays.items()]})
        named.update(arrays)
    meta = np.array(json.dumps({"key": key, "groups": stored}))
    data = np.frombuffer(b"".join(a.tobytes() for a in named.values()), dtype=np.uint8)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                np.savez(file, allow_pickle=False, **{META: meta, DATA: data})
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError:
        return


def _named(group: int, spec: Spec, cases: list[Case],
           outcomes: list[Outcome]) -> dict[str, np.ndarray]:
    """Every array of one group's outcomes under its name in an entry."""
    named = {}
    for case, outcome in zip(cases, outcomes, strict=True):
        prefix = _prefix(group, case)
        named[prefix + "out"] = np.ascontiguousarray(outcome.output)
        named.update({prefix + "d" + n: np.ascontiguousarray(outcome.grads[n])
                      for n in spec.wrt})
    return named


def _prefix(group: int, case: Case) -> str:
    return f"g{group}_c{case.index}_{case.dtype}_"


def _storable(found: Found) -> bool:
    """Only complete outcomes are cached; an oracle's failure is recomputed next time."""
    return found is None or all(
        o.error is None and o.output is not None and not o.problems for o in found)


def cacheable(oracle: Oracle) -> bool:
    """Whether ``oracle`` is the class registered under its name (not a stand-in)."""
    path = registered().get(oracle.name, "")
    cls = type(oracle)
    return path == f"{cls.__module__}:{cls.__qualname__}"


def entry_key(oracle: Oracle, spec: Spec, cases: list[Case],
              digest: Callable[[Case], str] | None = None) -> str:
    """The key of one entry as canonical JSON: everything the outcomes depend on.

    ``digest`` (default ``case_digest``) lets a caller reuse case digests across oracles.
    """
    digest = digest or case_digest
    key = {
        "format": FORMAT,
        "backcheck": _version("backcheck"),
        "oracle": oracle.name,
        "versions": oracle_versions(oracle),
        "oracle_source": module_digest(type(oracle).__module__),
        "spec": spec_fingerprint(spec),
        "cases": [digest(c) for c in cases],
    }
    if oracle.name in REFERENCE_BASED:
        key["reference"] = package_digest(spec.reference.partition(".")[0])
    return json.dumps(key, sort_keys=True)


def oracle_versions(oracle: Oracle) -> dict[str, str]:
    """NumPy's version and the oracle's own ``version()``: what its values depend on.

    Oracles read their framework's version from package metadata (see
    ``harness/oracles/contract.py``), so building a key never imports a framework.
    """
    return {"numpy": _version("numpy"), oracle.name: oracle.version()}


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
