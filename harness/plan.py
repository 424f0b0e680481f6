"""What one run checks, described once: the ``Plan``.

Every command (``check``, ``grade``, ``batch``) and the pytest plugin turn their options
into a ``Plan`` with the same function, ``make``, which validates everything that can be
validated cheaply before any expensive work (importing a framework, computing expected
values, starting the sandbox): the target exists and is something backcheck reads, the
adapter and its options and the adapter file load, layers, oracles, dtypes, limits,
rubric and report formats are valid. A bad value is one ``BackcheckError`` line.

An option given to ``make`` is used by the plan or rejected: ``make`` refuses keys it
does not know, so an option a command adds without the plan reading it fails at once.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from harness import specs as catalog
from harness.case import DTYPES
from harness.errors import BackcheckError, UsageError
from harness.sandbox.limits import Limits
from harness.selection import Selector
from harness.spec import Spec
from harness.target import Target

ISOLATION = ("none", "process")
"""Where submission code runs (see ``harness.isolation``)."""

MIN_MEMORY_MB = 256
"""The smallest ``--memory-mb`` accepted. A sandboxed child loading NumPy and a small
submission failed with ``MemoryError`` at 112 MB and ran at 120 MB (2 cores, NumPy 2,
OpenBLAS); the floor is about twice that, since OpenBLAS reserves memory per core."""


KEYS = ("path", "adapter", "adapter_file", "layers", "dtype", "oracles", "salt",
        "isolation", "timeout", "total_timeout", "memory_mb", "hide", "rubric", "format",
        "out", "students", "spec_file", "import_path", "cases")
"""Every option ``make`` reads; anything else is refused (never silently dropped)."""

LIMIT_OPTIONS = {"timeout": "--timeout", "total_timeout": "--total-timeout",
                 "memory_mb": "--memory-mb"}


@dataclass(frozen=True)
class Plan:
    """One run: what to check, how to read it, against what, where it runs, what to write."""

    path: str
    """The implementation or submission (``check``, ``grade``, plugin) or the folder of
    submissions (``batch``)."""
    adapter: str | None = None
    """``NAME`` or ``NAME:key=value,...`` (``--adapter``)."""
    adapter_file: str | None = None
    specs: tuple[Spec, ...] = ()
    dtypes: tuple[str, ...] = DTYPES
    oracles: tuple[str, ...] | None = None
    """Oracle names; ``None`` is every registered oracle."""
    salt: str = ""
    isolation: str = "none"
    limits: Limits = field(default_factory=Limits)
    rubric: Any = None
    """The ``Rubric`` of ``grade`` and ``batch``; ``None`` for ``check`` and the plugin."""
    formats: tuple[str, ...] = ()
    out: str | None = None
    students: bool = False
    spec_files: tuple[str, ...] = ()
    """Course spec files (``--spec-file``), loaded into the catalog before the plan is
    made; hidden from the child, since they hold the instructor's reference."""
    import_paths: tuple[str, ...] = ()
    """Folders on the submission's import path (``--path``), as absolute paths."""
    cases: tuple[Selector, ...] = ()
    """Which cases run (``--cases``, ``harness.selection``); empty is every case."""
    notes: tuple[str, ...] = ()
    """What every result of the plan says of where its adapter and cases came from."""

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.specs)

    def target(self, path: str | None = None) -> Target:
        """The plan's target, or another submission read the same way (a batch entry)."""
        return Target(path or self.path, self.adapter, self.adapter_file, self.import_paths)

    def executor(self):
        """Where submission code runs; a clear error if process isolation is missing."""
        from harness import isolation

        try:
            return isolation.executor(self.isolation, self.limits)
        except (ImportError, AttributeError) as exc:
            raise BackcheckError(f"process isolation is unavailable ({exc})",
                                 hint="use --isolation none for trusted code only") from None

    def prepare(self, expectations=None):
        """Cases, oracles and expected values: the expensive part, shared by a batch."""
        from harness import engine

        return engine.prepare(list(self.specs), list(self.dtypes),
                              list(self.oracles) if self.oracles else None, self.salt,
                              expectations, self.cases, self.notes)

    def settings(self) -> dict[str, Any]:
        """Everything a grade depends on besides the submission (the salt as a digest)."""
        from harness import oracles

        salt = hashlib.blake2b(self.salt.encode(), digest_size=8).hexdigest()
        rubric = self.rubric
        return {"rubric": rubric.name if rubric else None,
                "rubric_digest": rubric.digest if rubric else None,
                "layers": list(self.layers), "dtypes": list(self.dtypes),
                "oracles": list(self.oracles or oracles.registered()),
                "salt_digest": salt, "adapter": self.adapter,
                "cases": [_spelled(s) for s in self.cases]}


def make(command: str, options: Mapping[str, Any], target: bool = True) -> Plan:
    """The validated plan of ``command`` (``check``, ``grade``, ``batch``, ``plugin``).

    ``options`` are the parsed options by their ``argparse`` names (the plugin maps its
    ``--backcheck-*`` options to the same names). Cheap checks come first, so a typo is
    reported in milliseconds whatever else is wrong. ``target=False`` leaves the target
    to the caller (``grade`` still writes a zero report for a missing submission).
    """
    unknown = sorted(set(options) - set(KEYS))
    if unknown:
        raise UsageError(f"option {unknown[0]!r} is not part of a plan (a bug in backcheck)")
    get = options.get
    isolation = get("isolation") or "none"
    if isolation not in ISOLATION:
        raise UsageError(f"--isolation {isolation!r}", hint=f"valid: {', '.join(ISOLATION)}")
    if command == "batch":
        require_folder(get("path"))
    elif target:
        require_target(get("path"))
    limits = _limits(options, isolation, hidden_paths(options, batch=command == "batch"))
    formats = _formats(command, get("format"))
    rubric = _rubric(get("rubric"), get("layers")) if command in ("grade", "batch") else None
    course = _course(rubric, get("rubric"))
    given = get("adapter") or get("adapter_file")
    adapter, adapter_file = _adapter(*((get("adapter"), get("adapter_file")) if given
                                       else (course.adapter, course.adapter_file)))
    specs = tuple(catalog.select(rubric.layers if rubric else get("layers")))
    oracles = _oracles(get("oracles"))
    salt = get("salt") or (rubric.salt if rubric else "")
    cases = _cases(get("cases") or list(course.cases))
    if rubric is None:
        _each_layer_keeps_a_case(specs, cases)
    return Plan(get("path"), adapter, adapter_file, specs, _dtypes(get("dtype"), rubric),
                oracles, salt, isolation, limits, rubric, formats, get("out"),
                bool(get("students")), tuple(get("spec_file") or ()),
                _import_paths(get("import_path")),
                cases, _course_notes(course, options) if rubric is None else ())


def _course_notes(course, options: Mapping[str, Any]) -> tuple[str, ...]:
    """For ``check`` and the plugin, which grade nothing: where the class-wide adapter and
    cases of a course rubric went, applied or replaced by the command line's (``--cases``
    replaces the rubric's, never adds). A grade names its rubric already, and a gradebook
    row's problems are the submission's own."""
    name = os.path.basename(options.get("rubric") or "") or "the rubric"
    ours = course.adapter or (course.adapter_file and os.path.basename(course.adapter_file))
    given = options.get("adapter") or options.get("adapter_file")
    notes = []
    if ours:
        notes.append(f"{name}: adapter {ours}" if not given else
                     f"the command line's adapter replaced {name}'s ({ours})")
    if course.cases:
        cases = ", ".join(course.cases)
        notes.append(f"{name}: only the cases {cases}" if not options.get("cases") else
                     f"--cases replaced {name}'s cases ({cases})")
    return tuple(notes)


def require_target(path: str | None) -> None:
    """Fail in milliseconds, not after computing expected values, on a bad target.

    A target is a ``.py`` file, a notebook, a ``.zip``, a folder holding a Python file
    or a notebook, a program (a folder with a ``backcheck.toml``, or that file), or an
    importable module name.
    """
    from harness.loaders import SUFFIXES, is_module
    from harness.loaders.program import is_program

    hint = "give a .py file, a notebook, a .zip, a directory or a module name"
    if not path:
        raise UsageError("no implementation given", hint=hint)
    if is_program(path):
        return
    if os.path.isdir(path):
        if not _has_code(path):
            raise BackcheckError("the folder has no Python file or notebook", where=path,
                                 hint=hint)
        return
    if os.path.isfile(path):
        suffix = os.path.splitext(path)[1].lower()
        if suffix not in (*SUFFIXES, ".zip"):
            raise BackcheckError(f"cannot check a {suffix or 'extension-less'} file",
                                 where=path, hint=hint)
        return
    if not (_looks_like_module(path) and is_module(path)):
        raise BackcheckError("no such file, directory or module", where=path, hint=hint)


def require_folder(path: str | None) -> None:
    """A batch's folder of submissions must exist and be a folder."""
    if not path or not os.path.isdir(path):
        raise BackcheckError("cannot list submissions: no such folder", where=path or "''",
                             hint="give a folder with one entry per submission")


def _has_code(folder: str) -> bool:
    """Whether ``folder`` (or a folder in it) holds a ``.py`` file or a notebook."""
    for _root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if any(f.endswith((".py", ".ipynb")) for f in files):
            return True
    return False


def _looks_like_module(path: str) -> bool:
    return all(part.isidentifier() for part in path.split("."))


def _limits(options: Mapping[str, Any], isolation: str, hidden: tuple[str, ...]) -> Limits:
    """The sandbox's limits; out-of-range values, or limits without a sandbox, refused."""
    defaults = Limits()
    values = {key: options.get(key, getattr(defaults, key)) for key in LIMIT_OPTIONS}
    values = {k: getattr(defaults, k) if v is None else v for k, v in values.items()}
    for key in ("timeout", "total_timeout"):
        if not (math.isfinite(values[key]) and values[key] > 0):
            raise UsageError(f"{LIMIT_OPTIONS[key]} {values[key]:g}: must be a number of "
                             "seconds greater than 0")
    if values["memory_mb"] < MIN_MEMORY_MB:
        raise UsageError(f"--memory-mb {values['memory_mb']}: must be at least "
                         f"{MIN_MEMORY_MB} (the child cannot load NumPy in less)")
    if isolation == "none":
        changed = [LIMIT_OPTIONS[k] for k, v in values.items() if v != getattr(defaults, k)]
        changed += ["--hide"] if options.get("hide") else []
        if changed:
            raise UsageError(f"{changed[0]} applies only to sandboxed code",
                             hint="add --isolation process, or drop the option")
    return replace(defaults, hidden=hidden, **values)


def hidden_paths(options: Mapping[str, Any], batch: bool = False) -> tuple[str, ...]:
    """``--hide`` paths, the output directory, a batch's folder of submissions (each
    child sees only its own copy), the rubric file (when it is a file) and course
    spec files (they hold the instructor's reference)."""
    get = options.get
    paths = [*(get("hide") or []), *(p for p in (get("out"), batch and get("path")) if p)]
    rubric = get("rubric")
    paths += [rubric] if rubric and os.path.isfile(str(rubric)) else []
    paths += get("spec_file") or []
    return tuple(str(p) for p in paths)


def _formats(command: str, formats: list[str] | None) -> tuple[str, ...]:
    """Report formats of ``grade`` and ``batch``; other commands take none."""
    if command not in ("grade", "batch"):
        return ()
    from harness import reports

    valid = reports.formats()
    unknown = [f for f in formats or [] if f not in valid]
    if unknown or not formats:
        raise UsageError(f"unknown report format {(unknown or [''])[0]!r}",
                         hint=f"valid: {', '.join(valid)}")
    if command == "batch":
        return tuple(sorted(set(formats) - {"terminal"} | {"json"}))
    return tuple(dict.fromkeys(formats))


def _adapter(name: str | None, path: str | None) -> tuple[str | None, str | None]:
    """Load the chosen adapter once now, so a typo or a bad option is one line."""
    from harness import adapters

    if name and path:
        raise UsageError("--adapter and --adapter-file exclude each other",
                         hint="an adapter file chooses its own conventions; give one")
    if path:
        if not os.path.isfile(path):
            raise BackcheckError("adapter file not found", where=path)
        adapter = adapters.from_file(path)
        _try_translate(adapter, path)
        _known_recipes(adapter, path)
    elif name:
        adapters.load(name)
    return name or None, path or None


def _try_translate(adapter: Any, path: str) -> None:
    """An adapter file's ``translate`` must at least give back a line of Python 3: one
    that raises or returns no source would fail every submission of a batch alike."""
    from harness.loaders.source import SourceProblem, apply

    translation = getattr(adapter, "translate", None)
    if translation is None:
        return
    try:
        apply(translation, "x = 1\n", "the line 'x = 1'")
    except SourceProblem as problem:
        raise BackcheckError(str(problem), where=path,
                             hint="fix translate(); no submission was graded") from None


def _known_recipes(adapter: Any, path: str) -> None:
    """An adapter file's recipes must be for catalog layers: a typo (``LayerNrom``) would
    leave the real layer "not defined" and charge the library for it."""
    import difflib

    for layer in getattr(adapter, "recipes", None) or ():
        if layer not in catalog.CATALOG:
            near = difflib.get_close_matches(layer, list(catalog.CATALOG), n=1)
            raise BackcheckError(f"a recipe for {layer!r}, which is no catalog layer",
                                 where=path, hint=f"did you mean {near[0]!r}?" if near
                                 else "the layers are in README's catalog table")


def _import_paths(paths: list[str] | None) -> tuple[str, ...]:
    """``--path`` folders, absolute; one that is not a folder is refused."""
    for path in paths or ():
        if not os.path.isdir(path):
            raise BackcheckError("--path: no such folder", where=str(path),
                                 hint="give a folder the submission imports modules from")
    return tuple(os.path.abspath(p) for p in paths or ())


def _cases(texts: list[str] | None) -> tuple[Selector, ...]:
    """``--cases`` selectors, each read against the catalog (a typo is one line)."""
    from harness import selection

    return tuple(selection.parse(text, catalog.CATALOG) for text in texts or ())


def _each_layer_keeps_a_case(specs, selectors: tuple[Selector, ...]) -> None:
    """A ``--cases`` that leaves a checked layer no case would pass it having run nothing
    (``check`` and the plugin; under ``grade`` such a layer is missing, and charged)."""
    from harness import selection

    for spec in specs:
        about = [s for s in selectors if s.names(spec)]
        if about and not any(selection.keep(selectors, spec, i)
                             for i in range(len(spec.variants))):
            keys = dict.fromkeys(t.key for s in about for t in s.terms)
            has = "; ".join(f"{k} " + ", ".join(dict.fromkeys(
                repr(v[k]) for v in spec.variants if k in v)) for k in keys)
            raise UsageError(f"--cases {' or '.join(map(_spelled, about))} leaves "
                             f"{spec.name} no case to run", hint=f"its cases have {has}")


def _spelled(selector: Selector) -> str:
    """A selector as a stable string, for the settings a batch's skip key digests."""
    terms = ",".join(f"{t.key}{t.op}{t.value!r}" for t in selector.terms)
    return f"{selector.layer}:{terms}" if selector.layer else terms


def _rubric(path: str | None, layers: list[str] | None):
    from harness import rubric as rubrics

    rubric = rubrics.load(path)
    return rubric.restrict(layers) if layers else rubric


def _course(rubric, path: str | None):
    """The rubric whose ``adapter`` and ``cases`` apply when the command line gives none:
    the grading rubric, or for the plugin the ``--backcheck-rubric`` file (only those two
    keys are read from it); with neither, an empty one."""
    from harness import rubric as rubrics

    if rubric is not None:
        return rubric
    return rubrics.load(path) if path else rubrics.Rubric("", {})


def _oracles(names: list[str] | None) -> tuple[str, ...] | None:
    from harness import oracles

    if not names:
        return None
    oracles.load(list(names))
    return tuple(names)


def _dtypes(dtype: str | None, rubric) -> tuple[str, ...]:
    if dtype and dtype != "all":
        if dtype not in DTYPES:
            raise UsageError(f"unknown dtype {dtype!r}", hint=f"valid: {', '.join(DTYPES)}")
        return (dtype,)
    return tuple(rubric.dtypes) if rubric else DTYPES


__all__ = ["ISOLATION", "KEYS", "MIN_MEMORY_MB", "Plan", "hidden_paths", "make",
           "require_folder", "require_target"]
