"""``backcheck merge DIR... --out OUT``: join batch outputs (shards) into one.

Every ``submissions/<name>/`` folder of every DIR is copied into OUT (each under a
temporary name, renamed when complete; folders a batch was still writing are left
out), then the gradebook and class summary are rebuilt from all of them. The parts must have been
graded with the same settings (rubric, layers, dtypes, oracles, salt); a submission
graded in two parts with different results is an error naming it.

Exit codes: 0 merged; 2 bad command line; 3 bad input (missing folder, parts graded
with different settings, conflicting duplicates, unwritable ``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile

from harness.commands.batch import PARTIAL, SUBMISSIONS, publish, write_class
from harness.errors import EXIT_OK, BackcheckError
from harness.reports import file_name, make_directory
from harness.reports.json import stable


def register(sub) -> None:
    parser = sub.add_parser("merge", help="join batch outputs (shards) into one",
                            description=__doc__.splitlines()[0], epilog=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="+", metavar="DIR", help="batch output folders")
    parser.add_argument("--out", required=True, help="merged output folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    found = _collect(args.parts)
    _same_settings(found)
    make_directory(os.path.join(args.out, SUBMISSIONS))
    for name, (source, _) in sorted(found.items()):
        target = os.path.join(args.out, SUBMISSIONS, name)
        if os.path.abspath(source) == os.path.abspath(target):
            continue
        _copy(source, target, args.out)
    write_class(args.out)
    print(f"merged {len(found)} submissions from {len(args.parts)} parts into {args.out}")
    return EXIT_OK


def _copy(source: str, target: str, out: str) -> None:
    """Copy one submission folder into place whole (see ``batch.publish``)."""
    partial = tempfile.mkdtemp(prefix=f"{PARTIAL}{os.getpid()}-",
                               dir=os.path.join(out, SUBMISSIONS))
    try:
        shutil.copytree(source, partial, dirs_exist_ok=True)
        publish(partial, target)
    except OSError as exc:
        raise BackcheckError(f"cannot copy {os.path.basename(target)}: {exc}",
                             where=out) from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _collect(parts: list[str]) -> dict[str, tuple[str, dict]]:
    """Submission folder name -> (its folder, its grade), refusing conflicting copies."""
    found: dict[str, tuple[str, dict]] = {}
    for part in parts:
        folder = os.path.join(part, SUBMISSIONS)
        if not os.path.isdir(folder):
            raise BackcheckError("not a batch output (no submissions/ folder)", where=part)
        for name in sorted(n for n in os.listdir(folder) if not n.startswith(".")):
            grade = _grade(os.path.join(folder, name, file_name("json")))
            if grade is None:
                continue
            if name in found and stable(found[name][1]) != stable(grade):
                raise BackcheckError(f"submission {name!r} was graded differently in two "
                                     "parts", where=part,
                                     hint="regrade it, or merge only one of the parts")
            found.setdefault(name, (os.path.join(folder, name), grade))
    return found


def _grade(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise BackcheckError(f"unreadable grade: {exc}", where=path) from None


def _same_settings(found: dict[str, tuple[str, dict]]) -> None:
    settings = {json.dumps(g.get("settings"), sort_keys=True): name
                for name, (_, g) in found.items()}
    if len(settings) > 1:
        names = ", ".join(sorted(settings.values()))
        raise BackcheckError(f"the parts were graded with different settings (e.g. {names})",
                             hint="grade every shard with the same rubric and options")
