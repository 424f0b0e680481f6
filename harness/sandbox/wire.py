"""The child -> parent wire format: length-prefixed JSON headers and ``.npy`` payloads.

Nothing the child sends is ever unpickled. A frame is a 4-byte big-endian header
length, a UTF-8 JSON object, then the arrays it announces (``"arrays": [nbytes, ...]``)
in NumPy's ``.npy`` format, read back with ``allow_pickle=False``. Every size is
checked against a cap before the data is waited for, and only numeric dtypes
(float, int, unsigned, bool) are accepted.
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAX_HEADER = 16 * 2**20
MAX_ARRAYS = 256
MAX_ARRAY_BYTES = 256 * 2**20
MAX_FRAME_BYTES = 256 * 2**20
MAX_DIMS = 8
NUMERIC_KINDS = "fiub"
_LENGTH = struct.Struct(">I")
_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


class WireError(Exception):
    """The child sent something that is not a well-formed frame."""


@dataclass
class Frame:
    """One message: its JSON header and the arrays that came with it."""

    header: dict[str, Any]
    arrays: list[np.ndarray] = field(default_factory=list)


def encode(header: dict[str, Any], arrays: list[np.ndarray]) -> bytes:
    """The bytes of one frame (child side)."""
    payloads = [_npy(a) for a in arrays]
    text = json.dumps({**header, "arrays": [len(p) for p in payloads]}).encode()
    return b"".join([_LENGTH.pack(len(text)), text, *payloads])


def send(fd: int, header: dict[str, Any], arrays: list[np.ndarray] | None = None) -> None:
    """Write one frame to ``fd`` in full."""
    data = memoryview(encode(header, arrays or []))
    while data:
        data = data[os.write(fd, data):]


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.array(array, order="C", copy=None), allow_pickle=False)
    return buffer.getvalue()


class Reader:
    """Turns the bytes read from the child into frames, refusing anything malformed."""

    def __init__(self, max_frame_bytes: int = MAX_FRAME_BYTES):
        self.max_frame_bytes = max_frame_bytes
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        """Every frame completed by ``data``; raises ``WireError`` on garbage."""
        self._buffer += data
        frames = []
        while (frame := self._next()) is not None:
            frames.append(frame)
        return frames

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a whole frame."""
        return len(self._buffer)

    def _next(self) -> Frame | None:
        if len(self._buffer) < _LENGTH.size:
            return None
        (length,) = _LENGTH.unpack_from(self._buffer)
        if length > MAX_HEADER:
            raise WireError(f"header of {length} bytes is over the {MAX_HEADER} limit")
        end = _LENGTH.size + length
        if len(self._buffer) < end:
            return None
        header = _header(bytes(self._buffer[_LENGTH.size:end]))
        sizes = self._sizes(header)
        if len(self._buffer) < end + sum(sizes):
            return None
        arrays = []
        for size in sizes:
            arrays.append(decode_array(bytes(self._buffer[end:end + size])))
            end += size
        del self._buffer[:end]
        return Frame(header, arrays)

    def _sizes(self, header: dict[str, Any]) -> list[int]:
        sizes = header.pop("arrays", [])
        if not isinstance(sizes, list) or len(sizes) > MAX_ARRAYS:
            raise WireError("bad array list in frame header")
        for size in sizes:
            if type(size) is not int or size <= 0:
                raise WireError(f"array payload of {size!r} bytes refused")
        if sum(sizes) > self.max_frame_bytes:
            raise WireError(f"frame of {sum(sizes)} bytes is over the "
                            f"{self.max_frame_bytes} limit")
        return sizes


def _header(text: bytes) -> dict[str, Any]:
    try:
        header = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise WireError(f"frame header is not JSON ({exc})") from None
    if not isinstance(header, dict) or not isinstance(header.get("type"), str):
        raise WireError("frame header is not an object with a 'type'")
    return header


def decode_array(data: bytes) -> np.ndarray:
    """A numeric array from ``.npy`` bytes, checked before its data is read."""
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        read_header = _HEADER_READERS.get(version)
        if read_header is None:
            raise ValueError(f".npy format version {version} not accepted")
        shape, _, dtype = read_header(stream)
    except (ValueError, OSError, SyntaxError, TypeError) as exc:
        raise WireError(f"array payload is not .npy ({exc})") from None
    if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype:
        raise WireError(f"array of dtype {dtype} refused (numeric dtypes only)")
    if len(shape) > MAX_DIMS or any(type(n) is not int or n < 0 for n in shape):
        raise WireError(f"array of shape {shape} refused")
    if math.prod(shape) * dtype.itemsize != len(data) - stream.tell():
        raise WireError(f"array payload length does not match shape {shape} and {dtype}")
    stream.seek(0)
    return np.lib.format.read_array(stream, allow_pickle=False)
