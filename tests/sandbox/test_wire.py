"""The child -> parent frames: round trips, and refusal of everything else."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from harness.sandbox import wire


def frame_bytes(header: dict, layout: list, payload: bytes = b"") -> bytes:
    text = json.dumps({**header, "arrays": layout}).encode()
    return struct.pack(">I", len(text)) + text + payload


def test_round_trip_keeps_values_dtypes_and_shapes():
    arrays = [np.arange(6.0).reshape(2, 3), np.float32(2.5) * np.ones((), np.float32),
              np.array([1, 2], dtype=np.int8), np.array([True]), np.ones((3, 2)).T,
              np.zeros((0, 4)), np.arange(4, dtype=">i4")]
    frames = wire.Reader().feed(wire.encode({"type": "t", "k": 1}, arrays))
    assert len(frames) == 1 and frames[0].header == {"type": "t", "k": 1}
    for sent, got in zip(arrays, frames[0].arrays, strict=True):
        assert got.dtype == sent.dtype and got.shape == sent.shape
        np.testing.assert_array_equal(got, sent)
        assert got.flags.writeable


def test_frames_arrive_whole_whatever_the_chunking():
    data = wire.encode({"type": "a"}, [np.ones(5)]) + wire.encode({"type": "b"}, [])
    reader = wire.Reader()
    frames = [f for i in range(len(data)) for f in reader.feed(data[i:i + 1])]
    assert [f.header["type"] for f in frames] == ["a", "b"]
    assert reader.pending == 0


@pytest.mark.parametrize("entry", [
    {"dtype": "|O", "shape": [1]},
    {"dtype": "<U4", "shape": [1]},
    {"dtype": "<c16", "shape": [1]},
    {"dtype": "[('a', '<f8')]", "shape": [1]},
    {"dtype": "<b8", "shape": [1]},
    {"dtype": "<f8", "shape": [-1]},
    {"dtype": "<f8", "shape": [1.5]},
    {"dtype": "<f8", "shape": [True]},
    {"dtype": "<f8", "shape": [1] * 9},
    {"dtype": "<f8", "shape": "2,3"},
    {"shape": [1]},
    "<f8",
])
def test_unsafe_or_malformed_arrays_are_refused(entry):
    with pytest.raises(wire.WireError):
        wire.Reader().feed(frame_bytes({"type": "t"}, [entry], b"\0" * 64))


@pytest.mark.parametrize("data", [
    struct.pack(">I", wire.MAX_HEADER + 1),
    struct.pack(">I", 3) + b"{x}",
    struct.pack(">I", 2) + b"[]",
    struct.pack(">I", 12) + b'{"type": 5} ',
    struct.pack(">I", 4) + b"\xff\xfe\x00\x01",
    frame_bytes({"type": "t"}, "x"),
    frame_bytes({"type": "t"}, [{"dtype": "<f8", "shape": [1]}] * (wire.MAX_ARRAYS + 1)),
])
def test_malformed_headers_are_refused(data):
    with pytest.raises(wire.WireError):
        wire.Reader().feed(data)


def test_oversized_frames_are_refused_before_their_data_arrives():
    huge = [{"dtype": "<f8", "shape": [2**20, 2**20]}]
    with pytest.raises(wire.WireError, match="over the"):
        wire.Reader().feed(frame_bytes({"type": "t"}, huge))


def test_a_frame_waits_for_all_its_bytes():
    data = wire.encode({"type": "t"}, [np.ones(100)])
    reader = wire.Reader()
    assert reader.feed(data[:-1]) == []
    assert len(reader.feed(data[-1:])) == 1


def test_headers_nested_too_deep_are_refused_before_parsing():
    deep = b'{"type": "t", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(wire.WireError, match="nests 100001 deep"):
        wire.Reader().feed(struct.pack(">I", len(deep)) + deep)


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = json.dumps({"type": "t", "s": "[[[[{{{{" * 100, "q": 'a\\"[[['}).encode()
    assert wire.nesting(text) == 1
    assert wire.Reader().feed(struct.pack(">I", len(text)) + text)[0].header["s"][0] == "["


def test_the_budget_bounds_the_frames_of_a_child():
    data = wire.encode({"type": "where"}, [])
    reader = wire.Reader(budget=wire.Budget(frames=3))
    assert len(reader.feed(data * 3)) == 3
    with pytest.raises(wire.WireError, match="more frames"):
        reader.feed(data)


def test_the_budget_refuses_arrays_over_what_is_left_before_they_arrive():
    reader = wire.Reader(budget=wire.Budget(nbytes=10_000))
    assert len(reader.feed(wire.encode({"type": "t"}, [np.ones(500)]))) == 1
    with pytest.raises(wire.WireError, match="over the"):
        reader.feed(frame_bytes({"type": "t"}, [{"dtype": "<f8", "shape": [1000]}]))


def test_good_frames_before_garbage_arrive_and_the_garbage_follows_as_broken():
    reader = wire.Reader()
    frames = reader.feed(wire.encode({"type": "loaded"}, []) + struct.pack(">I", 3) + b"{x}")
    assert frames[0].header == {"type": "loaded"}
    assert isinstance(frames[1], wire.Broken)
    assert isinstance(frames[1].error, wire.WireError)
    with pytest.raises(wire.WireError):
        reader.feed(b"")
