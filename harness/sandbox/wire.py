"""The child -> parent wire format: length-prefixed JSON headers and raw array buffers.

Nothing the child sends is ever unpickled or evaluated. A frame is a 4-byte
big-endian header length, a UTF-8 JSON object, then the arrays it announces in
``"arrays": [{"dtype": "<f8", "shape": [2, 3]}, ...]`` as raw C-order bytes. The
dtype must be a plain numeric one (float, int, unsigned, bool: ``<f8``, ``|b1``...),
the shape a short list of non-negative ints, and the total size under a cap; all of
it is checked before the data is waited for, and arrays are rebuilt with
``np.frombuffer``.

A ``Reader`` also holds a ``Budget``: how many frames and bytes one child may send in
all. Headers nested deeper than ``MAX_NESTING`` are refused before they are parsed,
so every check is linear in what arrived and nothing a child sends can make the
parent recurse, allocate or parse without bound.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAX_HEADER = 4 * 2**20
MAX_ARRAYS = 256
MAX_FRAME_BYTES = 256 * 2**20
MAX_DIMS = 8
MAX_NESTING = 64
"""Brackets a header may nest: a packed outcome needs about 30 (``codec.MAX_DEPTH``)."""
NUMERIC_KINDS = "fiub"
_LENGTH = struct.Struct(">I")
_DTYPE = re.compile(r"^[<>|=][fiub](1|2|4|8|16)$")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


class WireError(Exception):
    """The child sent something that is not a well-formed frame."""


@dataclass
class Frame:
    """One message: its JSON header and the arrays that came with it."""

    header: dict[str, Any]
    arrays: list[np.ndarray] = field(default_factory=list)


@dataclass
class Broken(Frame):
    """Stands for the malformed bytes that followed good frames (never sent by a child:
    ``Reader`` makes it); whoever takes it raises ``error``."""

    error: WireError = field(default_factory=lambda: WireError("malformed frame"))


def encode(header: dict[str, Any], arrays: list[np.ndarray]) -> bytes:
    """The bytes of one frame (child side); arrays must have numeric dtypes."""
    arrays = [np.array(a, order="C", copy=None) for a in arrays]
    layout = [{"dtype": a.dtype.str, "shape": list(a.shape)} for a in arrays]
    text = json.dumps({**header, "arrays": layout}).encode()
    return b"".join([_LENGTH.pack(len(text)), text, *(a.tobytes() for a in arrays)])


def send(fd: int, header: dict[str, Any], arrays: list[np.ndarray] | None = None) -> None:
    """Write one frame to ``fd`` in full."""
    data = memoryview(encode(header, arrays or []))
    while data:
        data = data[os.write(fd, data):]


@dataclass
class Budget:
    """What one child may still send: frames, and bytes (headers and arrays)."""

    frames: int = 1 << 20
    nbytes: int = 1 << 40

    def spend(self, nbytes: int) -> None:
        """Charge one frame of ``nbytes``; ``WireError`` when the child is over budget."""
        self.frames -= 1
        self.nbytes -= nbytes
        if self.frames < 0:
            raise WireError("more frames than its cases need")
        if self.nbytes < 0:
            raise WireError("more data than its cases need")


class Reader:
    """Turns the bytes read from the child into frames, refusing anything malformed."""

    def __init__(self, max_frame_bytes: int = MAX_FRAME_BYTES, budget: Budget | None = None):
        self.max_frame_bytes = max_frame_bytes
        self.budget = budget or Budget()
        self._buffer = bytearray()
        self._error: WireError | None = None

    def feed(self, data: bytes) -> list[Frame]:
        """Every frame completed by ``data``; raises ``WireError`` on garbage.

        Frames that arrived whole before the garbage are returned first (a child's
        ``loaded`` must not be lost to the bad frame after it), followed by a
        ``Broken`` frame carrying the error; later calls raise it.
        """
        if self._error is not None:
            raise self._error
        self._buffer += data
        frames: list[Frame] = []
        try:
            while (frame := self._next()) is not None:
                frames.append(frame)
        except WireError as exc:
            self._error = exc
            if not frames:
                raise
            frames.append(Broken({"type": "broken"}, error=exc))
        return frames

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a whole frame."""
        return len(self._buffer)

    def _next(self) -> Frame | None:
        if len(self._buffer) < _LENGTH.size:
            return None
        (length,) = _LENGTH.unpack_from(self._buffer)
        if length > min(MAX_HEADER, self.budget.nbytes):
            raise WireError(f"header of {length} bytes is over the "
                            f"{min(MAX_HEADER, self.budget.nbytes)} limit")
        end = _LENGTH.size + length
        if len(self._buffer) < end:
            return None
        header = _header(bytes(self._buffer[_LENGTH.size:end]))
        layout = self._layout(header, self.budget.nbytes - end)
        data_bytes = sum(n for _, _, n in layout)
        if len(self._buffer) < end + data_bytes:
            return None
        self.budget.spend(end + data_bytes)
        arrays = []
        for dtype, shape, nbytes in layout:
            data = bytes(self._buffer[end:end + nbytes])
            arrays.append(np.frombuffer(data, dtype=dtype).reshape(shape).copy())
            end += nbytes
        del self._buffer[:end]
        return Frame(header, arrays)

    def _layout(self, header: dict[str, Any],
                room: int) -> list[tuple[np.dtype, tuple[int, ...], int]]:
        """The arrays a header announces, refused before their data is waited for when
        they are over the frame limit or over what the child may still send (``room``)."""
        announced = header.pop("arrays", [])
        if not isinstance(announced, list) or len(announced) > MAX_ARRAYS:
            raise WireError("bad array list in frame header")
        layout = [array_layout(entry) for entry in announced]
        total = sum(n for _, _, n in layout)
        limit = min(self.max_frame_bytes, room)
        if total > limit:
            raise WireError(f"frame of {total} bytes is over the {limit} limit")
        return layout


def _header(text: bytes) -> dict[str, Any]:
    depth = nesting(text)
    if depth > MAX_NESTING:
        raise WireError(f"frame header nests {depth} deep (limit {MAX_NESTING})")
    try:
        header = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"frame header is not JSON ({str(exc)[:200]})") from None
    if not isinstance(header, dict) or not isinstance(header.get("type"), str):
        raise WireError("frame header is not an object with a 'type'")
    return header


def nesting(text: bytes) -> int:
    """How deep the brackets of JSON ``text`` nest, in linear time and without parsing
    (strings are blanked first, so brackets inside them do not count)."""
    structure = np.frombuffer(_STRING.sub(b'""', text), dtype=np.uint8)
    if not structure.size:
        return 0
    steps = (np.isin(structure, _OPENS).astype(np.int32)
             - np.isin(structure, _CLOSES).astype(np.int32))
    return int(np.cumsum(steps).max())


_OPENS = np.frombuffer(b"[{", dtype=np.uint8)
_CLOSES = np.frombuffer(b"]}", dtype=np.uint8)


def array_layout(entry: Any) -> tuple[np.dtype, tuple[int, ...], int]:
    """The dtype, shape and byte size an array entry announces, or ``WireError``."""
    if not isinstance(entry, dict) or not isinstance(entry.get("dtype"), str):
        raise WireError("array entry without a dtype")
    if not _DTYPE.match(entry["dtype"]):
        raise WireError(f"array of dtype {entry['dtype']!r} refused (numeric dtypes only)")
    try:
        dtype = np.dtype(entry["dtype"])
    except TypeError:
        raise WireError(f"array of dtype {entry['dtype']!r} refused") from None
    if dtype.kind not in NUMERIC_KINDS:
        raise WireError(f"array of dtype {dtype} refused (numeric dtypes only)")
    shape = entry.get("shape")
    if (not isinstance(shape, list) or len(shape) > MAX_DIMS
            or any(type(n) is not int or n < 0 for n in shape)):
        raise WireError(f"array of shape {shape!r} refused")
    return dtype, tuple(shape), math.prod(shape) * dtype.itemsize
