"""Re-grade the corpus of real public implementations (issue #12) and print its table.

The manifest (``benchmarks/corpus_manifest.toml``) lists each repository's owner/name,
commit, the folders to export, what to check and the adapter plus options a user would
pass. No third-party code is in the project: the repositories come from a folder of
fetched mirrors (``OWNER+NAME/repo``, bare or not), are exported to ``--out`` (their
``.py`` files only) and checked there with the installed ``backcheck``, one run each::

    python benchmarks/corpus.py --mirrors /work/.mirror --out /tmp/corpus
    python benchmarks/corpus.py --mirrors /work/.mirror --out /tmp/corpus --only nnfs_book

Not run in CI: it needs the mirrors and takes minutes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

MANIFEST = Path(__file__).with_name("corpus_manifest.toml")
ADAPTERS = Path(__file__).with_name("adapters")
"""Our adapter files for the repositories a built-in adapter cannot wholly drive."""


@dataclass(frozen=True)
class Entry:
    """One repository of the corpus, as the manifest declares it."""

    repo: str
    commit: str
    style: str
    export: tuple[str, ...]
    target: str
    defined: tuple[str, ...]
    adapter: str = ""
    adapter_file: str = ""
    bugs: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    unsupported: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    """Third-party packages its code imports that a user would install (``scipy``)."""
    note: str = ""

    @property
    def folder(self) -> str:
        return self.repo.replace("/", "+")


@dataclass
class Result:
    """What one ``backcheck check`` run of an entry gave, per catalog layer."""

    entry: Entry
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def driven(self) -> list[str]:
        return self.passed + self.failed


def read_manifest(path: Path) -> list[Entry]:
    """The manifest's entries, lists made tuples."""
    rows = tomllib.loads(path.read_text())["repo"]
    return [Entry(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})
            for row in rows]


def git_dir(mirrors: Path, entry: Entry) -> Path:
    """The mirror's git directory: ``repo/.git`` for a clone, ``repo`` for a bare one."""
    repo = mirrors / entry.folder / "repo"
    return repo / ".git" if (repo / ".git").is_dir() else repo


def export(mirrors: Path, out: Path, entry: Entry) -> Path:
    """Write the entry's ``.py`` files at its commit under ``out/OWNER+NAME``."""
    gd = git_dir(mirrors, entry)
    names = subprocess.run(["git", "--git-dir", str(gd), "ls-tree", "-r", "--name-only",
                            entry.commit, "--", *entry.export],
                           capture_output=True, text=True, check=True).stdout.split()
    root = out / entry.folder
    for name in (n for n in names if n.endswith(".py")):
        blob = subprocess.run(["git", "--git-dir", str(gd), "show", f"{entry.commit}:{name}"],
                              capture_output=True, check=True).stdout
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(blob)
    return root


def install(out: Path, entries: list[Entry]) -> None:
    """``pip install --target OUT/_deps`` every package the entries require, once, so
    their code imports as on a user's machine; without their dependencies, which the
    environment has (a second NumPy there would shadow the installed one)."""
    packages = sorted({p for e in entries for p in e.requires})
    if packages:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--upgrade", "--no-deps",
                        "--target", str(deps(out)), *packages], check=True)


def deps(out: Path) -> Path:
    """Where ``install`` puts the required packages, given to backcheck with ``--path``."""
    return out / "_deps"


def command(out: Path, adapters: Path, entry: Entry, oracles: str, detect: bool) -> list[str]:
    """The ``backcheck check --json`` command line a user would type for the entry.

    ``detect`` drops the declared adapter and options (the first, auto-detected run); the
    required packages' folder is given either way."""
    target = out / entry.folder / entry.target
    cmd = [sys.executable, "-m", "harness", "check", str(target), "--json",
           "--oracles", oracles, "--dtype", "float64", "--isolation", "none"]
    if entry.requires:
        cmd += ["--path", str(deps(out))]
    if detect:
        return cmd
    if entry.adapter:
        cmd += ["--adapter", entry.adapter]
    if entry.adapter_file:
        cmd += ["--adapter-file", str(adapters / entry.adapter_file)]
    return cmd + [a.replace("{root}", str(out / entry.folder)) for a in entry.args]


def grade(cmd: list[str], entry: Entry, timeout: float) -> Result:
    """Run the check command and sort the layers it drove into passed and failed."""
    result = Result(entry)
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        result.error = f"did not finish in {timeout:g} s"
        return result
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        result.error = (run.stderr.strip().splitlines() or ["no output"])[-1][:160]
        return result
    for layer, ok in layer_verdicts(report).items():
        (result.passed if ok else result.failed).append(layer)
    result.error = load_failure(report)
    return result


LOAD_MESSAGE_CHARS = 240
"""Enough for a SyntaxError's line and backcheck's guess at its cause ("looks like Python
2: a print statement"), which 160 characters cut off mid-sentence."""


def load_failure(report: dict) -> str:
    """The load error when the target did not load at all (every check then errs alike)."""
    checks = report.get("checks", [])
    if checks and all(c.get("message", "").startswith("load:") for c in checks):
        message = checks[0]["message"]
        cut = message[:LOAD_MESSAGE_CHARS]
        return cut if cut == message else cut[:-1] + "…"
    return ""


NOT_DRIVEN = ("load:", "exception: cannot construct", "has no parameter attribute")
"""Errors that mean the layer was found but never run: not loaded, not constructible
(no value known for an argument), or its parameters not found. A constructor that
raises on the arguments it was given (YukunJ's ``Linear`` calls ``np.zeros(None)``) is
the library's own code run and failing: driven, and charged."""


def layer_verdicts(report: dict) -> dict[str, bool]:
    """Layer -> every check passed, for the layers the run drove (not 'missing', not
    stopped before running)."""
    verdicts: dict[str, bool] = {}
    for check in report.get("checks", []):
        message = check.get("message", "")
        if check["verdict"] in ("missing", "unsupported") or (
                check["verdict"] == "error" and any(m in message for m in NOT_DRIVEN)):
            continue
        layer = check["layer"]
        verdicts[layer] = verdicts.get(layer, True) and check["verdict"] == "pass"
    return verdicts


def adapter_lines(adapters: Path, entry: Entry) -> int:
    """Non-blank, non-comment lines of the entry's adapter file (0 without one)."""
    if not entry.adapter_file:
        return 0
    text = (adapters / entry.adapter_file).read_text().splitlines()
    return sum(1 for line in text if line.strip() and not line.strip().startswith("#"))


def table(results: list[Result], adapters: Path) -> str:
    """The Markdown table and the totals the issue's done-when asks for."""
    rows = ["| repository | commit | style | defined | adapter + options | driven | passed "
            "| real bugs | env / unsupported | false alarms |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    drivable = alarms = bugs = clean = by_file = 0
    for r in results:
        e = r.entry
        cases = [f"`--cases '{v}'`" for k, v in zip(e.args, e.args[1:], strict=False)
                 if k == "--cases"]
        how = " ".join([f"`--adapter {e.adapter}`" if e.adapter else "detect", *cases])
        if e.adapter_file:
            how = f"file {e.adapter_file} ({adapter_lines(adapters, e)} lines)"
        wrong = set(r.failed) - _layers(e.bugs) - _layers(e.env)
        undriven = set(e.defined) - set(r.driven)
        alarms += len(wrong)
        clean += not wrong
        bugs += len(e.bugs)
        drivable += not undriven and not wrong and not e.adapter_file
        by_file += not undriven and not wrong and bool(e.adapter_file)
        alarm = ", ".join(sorted(wrong)) or "-"
        if undriven:
            alarm += f"; not driven: {', '.join(sorted(undriven))}"
        rows.append(f"| {e.repo} | {e.commit[:7]} | {e.style} | {len(e.defined)} | {how} "
                    f"| {len(set(r.driven) & set(e.defined))}/{len(e.defined)} "
                    f"| {len(r.passed)} | {'; '.join(e.bugs) or '-'} "
                    f"| {'; '.join(e.env + e.unsupported) or '-'} | {r.error or alarm} |")
    n = len(results) or 1
    buggy = sum(bool(r.entry.bugs) for r in results)
    rows.append(f"\n{len(results)} repositories graded; {drivable} ({100 * drivable // n}%) "
                f"wholly drivable (every layer they define driven, none failing on correct "
                f"code) with a built-in adapter and options; {_files(results, adapters, by_file)}; "
                f"{n - clean} with a false alarm "
                f"({alarms} layers failing on correct code); {bugs} real bugs in {buggy} "
                f"repositories")
    return "\n".join(rows)


def _files(results: list[Result], adapters: Path, driven: int) -> str:
    """How many repositories need an adapter file, how many of those it wholly drives,
    and the largest file's counted lines (the issue allows 30)."""
    lines = [adapter_lines(adapters, r.entry) for r in results if r.entry.adapter_file]
    if not lines:
        return "none needs an adapter file"
    need = "needs" if len(lines) == 1 else "need"
    return (f"{len(lines)} {need} an adapter file, {driven} of them wholly driven by it "
            f"(the largest {max(lines)} lines)")


def _layers(notes: tuple[str, ...]) -> set[str]:
    """The layer names of ``"Layer, Layer: what"`` notes."""
    return {name.strip() for note in notes for name in note.split(":")[0].split(",")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of OWNER+NAME/repo")
    parser.add_argument("--out", type=Path, required=True, help="where to export (not the project)")
    parser.add_argument("--adapters", type=Path, default=ADAPTERS,
                        help="folder of adapter files (default: benchmarks/adapters)")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--only", default="", help="substring of owner/name to grade")
    parser.add_argument("--oracles", default="fd,torch")
    parser.add_argument("--detect", action="store_true",
                        help="auto-detect only: ignore the declared adapters and options")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per repository")
    args = parser.parse_args(argv)
    adapters = args.adapters
    results = []
    entries = [e for e in read_manifest(args.manifest) if args.only in e.repo]
    install(args.out, entries)
    for entry in entries:
        export(args.mirrors, args.out, entry)
        cmd = command(args.out, adapters, entry, args.oracles, args.detect)
        results.append(grade(cmd, entry, args.timeout))
        r = results[-1]
        print(f"{entry.repo}: driven {sorted(r.driven)} failed {sorted(r.failed)} {r.error}",
              file=sys.stderr)
    print(table(results, adapters))
    return 0


if __name__ == "__main__":
    sys.exit(main())
