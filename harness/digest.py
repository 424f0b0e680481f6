"""A digest of a submission's content: what tells a batch that a student's work changed.

A file (``.py``, notebook, zip) is digested byte for byte; a folder by every entry under
it, in name order, each with its relative path: a file by its bytes, a symbolic link by
the text it points to (never followed, so a link to ``/etc/shadow`` is not read), and
anything else by its kind. ``__pycache__`` folders are left out: running a submission
in-process may write them, and that is not the student's change.
"""

from __future__ import annotations

import hashlib
import os

SKIPPED = ("__pycache__",)
DIGESTED = "sha256:"
"""How every real digest starts (``missing`` and ``unreadable: ...`` do not)."""
_CHUNK = 1 << 20


def digest(path: str) -> str:
    """``sha256:<hex>`` of the content at ``path``; ``"missing"`` when there is none, and
    ``"unreadable: ..."`` when part of it cannot be read (a batch then grades it on every
    run: its grade says what failed)."""
    h = hashlib.sha256()
    try:
        if os.path.islink(path):
            _add(h, b"link", os.fsencode(os.readlink(path)))
        elif os.path.isdir(path):
            _folder(h, path, b"")
        elif os.path.isfile(path):
            _file(h, path)
        else:
            return "missing"
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    return f"{DIGESTED}{h.hexdigest()}"


def _folder(h, folder: str, relative: bytes) -> None:
    for entry in sorted(os.scandir(folder), key=lambda e: os.fsencode(e.name)):
        name = relative + b"/" + os.fsencode(entry.name)
        if entry.is_symlink():
            _add(h, b"link", name, os.fsencode(os.readlink(entry.path)))
        elif entry.is_dir():
            if entry.name not in SKIPPED:
                _add(h, b"dir", name)
                _folder(h, entry.path, name)
        elif entry.is_file():
            _add(h, b"file", name)
            _file(h, entry.path)
        else:
            _add(h, b"other", name)


def _file(h, path: str) -> None:
    """The size (a field), then the bytes: the size says where the bytes end."""
    with open(path, "rb") as handle:
        _add(h, b"size", str(os.fstat(handle.fileno()).st_size).encode())
        while chunk := handle.read(_CHUNK):
            h.update(chunk)


def _add(h, *fields: bytes) -> None:
    """Each field length-prefixed, so no two different trees feed the same bytes."""
    for data in fields:
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
