"""The child -> parent frames: round trips, and refusal of everything else."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
import pytest

from harness.sandbox import wire


def frame_bytes(header: dict, payloads: list[bytes]) -> bytes:
    text = json.dumps({**header, "arrays": [len(p) for p in payloads]}).encode()
    return struct.pack(">I", len(text)) + text + b"".join(payloads)


def npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def test_round_trip_keeps_values_dtypes_and_shapes():
    arrays = [np.arange(6.0).reshape(2, 3), np.float32(2.5) * np.ones(()),
              np.array([1, 2], dtype=np.int8), np.array([True])]
    frames = wire.Reader().feed(wire.encode({"type": "t", "k": 1}, arrays))
    assert len(frames) == 1 and frames[0].header == {"type": "t", "k": 1}
    for sent, got in zip(arrays, frames[0].arrays, strict=True):
        assert got.dtype == sent.dtype and got.shape == sent.shape
        np.testing.assert_array_equal(got, sent)


def test_frames_arrive_whole_whatever_the_chunking():
    data = wire.encode({"type": "a"}, [np.ones(5)]) + wire.encode({"type": "b"}, [])
    reader = wire.Reader()
    frames = [f for i in range(len(data)) for f in reader.feed(data[i:i + 1])]
    assert [f.header["type"] for f in frames] == ["a", "b"]
    assert reader.pending == 0


@pytest.mark.parametrize("payload, reason", [
    (npy(np.array([object()], dtype=object), allow_pickle=True), "dtype object"),
    (npy(np.zeros(2, dtype=[("a", "f8")])), "refused"),
    (npy(np.array(["text"])), "dtype <U4"),
    (npy(np.array([1 + 2j])), "complex"),
    (npy(np.ones(3))[:-8], "does not match"),
    (b"\x93NUMPY garbage", "not .npy"),
])
def test_unsafe_or_broken_arrays_are_refused(payload, reason):
    with pytest.raises(wire.WireError, match=reason):
        wire.Reader().feed(frame_bytes({"type": "t"}, [payload]))


@pytest.mark.parametrize("data", [
    struct.pack(">I", wire.MAX_HEADER + 1),
    struct.pack(">I", 3) + b"{x}",
    struct.pack(">I", 2) + b"[]",
    struct.pack(">I", 12) + b'{"type": 5} ',
    frame_bytes({"type": "t", "arrays": "x"}, []).replace(b'"arrays": []', b'"arrays": "x"'),
])
def test_malformed_headers_are_refused(data):
    with pytest.raises(wire.WireError):
        wire.Reader().feed(data)


def test_oversized_frames_are_refused_before_their_data_arrives():
    header = json.dumps({"type": "t", "arrays": [2**40]}).encode()
    with pytest.raises(wire.WireError, match="over the"):
        wire.Reader().feed(struct.pack(">I", len(header)) + header)


def test_negative_sizes_are_refused():
    header = json.dumps({"type": "t", "arrays": [-5]}).encode()
    with pytest.raises(wire.WireError, match="refused"):
        wire.Reader().feed(struct.pack(">I", len(header)) + header)
