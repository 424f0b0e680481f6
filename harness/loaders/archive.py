"""Loading a ``.zip`` of a file, a folder or a notebook, extracted safely.

An archive is untrusted input: names with ``..`` or an absolute path, links, more than
``MAX_FILES`` members or more than ``MAX_BYTES`` once uncompressed (a zip bomb) are
refused before anything is written. The extraction stays on disk until the process
exits, because the submission's modules may read their own files lazily.
"""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable

from harness.errors import BackcheckError
from harness.submission import Submission

MAX_FILES = 2000
MAX_BYTES = 200 * 1024 * 1024
IGNORED = ("__MACOSX", ".ipynb_checkpoints", "__pycache__")

Loader = Callable[[str], Submission]


def load_archive(path: str, load: Loader) -> Submission:
    """The submission inside the zip at ``path``, loaded with ``load`` once extracted."""
    root = extract(path)
    inner = _submission_root(root)
    if inner is None:
        submission = Submission(os.path.basename(path), os.path.abspath(path))
        submission.error = f"{submission.name} holds no .py file or .ipynb notebook"
        return submission
    submission = load(inner)
    submission.name = f"{os.path.basename(path)}:{os.path.relpath(inner, root)}"
    return submission


def extract(path: str) -> str:
    """Extract the zip at ``path`` into a new private directory, after checking it."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackcheckError(f"not a readable zip archive ({exc})", where=path,
                             hint="re-create it with 'zip -r'") from None
    with archive:
        members = archive.infolist()
        _check(members, path)
        target = tempfile.mkdtemp(prefix="backcheck-zip-")
        atexit.register(shutil.rmtree, target, True)
        for member in members:
            _extract_one(archive, member, target, path)
    return target


def _check(members: list[zipfile.ZipInfo], path: str) -> None:
    if len(members) > MAX_FILES:
        raise BackcheckError(f"archive has {len(members)} members, more than {MAX_FILES}",
                             where=path, hint="zip only the submission's code")
    total = sum(m.file_size for m in members)
    if total > MAX_BYTES:
        raise BackcheckError(f"archive expands to {total} bytes, more than {MAX_BYTES}",
                             where=path, hint="zip only the submission's code")
    for member in members:
        _check_name(member, path)


def _check_name(member: zipfile.ZipInfo, path: str) -> None:
    name = member.filename.replace("\\", "/")
    parts = name.split("/")
    if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
        raise BackcheckError(f"archive member {member.filename!r} would be written outside "
                             "the extraction directory", where=path,
                             hint="re-create the zip with relative paths")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise BackcheckError(f"archive member {member.filename!r} is a symbolic link",
                             where=path, hint="re-create the zip without links")


def _extract_one(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: str,
                 path: str) -> None:
    """Write one member, never more bytes than it declared (the declared sizes were checked)."""
    destination = os.path.join(target, *member.filename.replace("\\", "/").split("/"))
    if member.is_dir():
        os.makedirs(destination, exist_ok=True)
        return
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    with archive.open(member) as source, open(destination, "wb") as out:
        written = 0
        while chunk := source.read(1 << 16):
            written += len(chunk)
            if written > member.file_size:
                raise BackcheckError(f"archive member {member.filename!r} is larger than "
                                     "it declares", where=path)
            out.write(chunk)


def _submission_root(root: str) -> str | None:
    """The file or folder to load: a lone notebook (its helper modules stay importable),
    a lone ``.py``, else the folder of code."""
    entries = [e for e in sorted(os.listdir(root)) if e not in IGNORED and not e.startswith(".")]
    files = [e for e in entries if os.path.isfile(os.path.join(root, e))]
    python = [e for e in files if e.endswith(".py")]
    notebooks = [e for e in files if e.endswith(".ipynb")]
    folders = [e for e in entries if os.path.isdir(os.path.join(root, e))]
    if len(notebooks) == 1:
        return os.path.join(root, notebooks[0])
    if len(python) == 1 and not folders:
        return os.path.join(root, python[0])
    if python:
        return root
    if len(folders) == 1 and not files:
        return _submission_root(os.path.join(root, folders[0]))
    return None
