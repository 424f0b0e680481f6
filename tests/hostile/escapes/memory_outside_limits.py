"""Holds memory that RLIMIT_AS does not count: memfd files and System V shared
memory segments (attached, touched, detached and left behind, so they outlive the
child in a shared IPC namespace)."""
import ctypes
import os

import numpy as np

MB = 2**20
KEY = 0x6B630000
SEGMENT = 16 * MB
WANTED = 256 * MB


def _memfd():
    held, chunk = 0, b"\x01" * MB
    try:
        while held < WANTED:
            fd = os.memfd_create("hoard")
            for _ in range(64):
                os.write(fd, chunk)
                held += MB
    except OSError:
        pass
    return held


def _shm():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    held = 0
    for index in range(WANTED // SEGMENT):
        segment = libc.shmget(KEY + index, ctypes.c_size_t(SEGMENT), 0o1600)
        if segment < 0:
            break
        address = libc.shmat(segment, None, 0)
        if address in (None, ctypes.c_void_p(-1).value):
            break
        ctypes.memset(address, 1, SEGMENT)
        libc.shmdt(ctypes.c_void_p(address))
        held += SEGMENT
    return held


def _once():
    """Attack once per child (every case builds a layer), and say what it got."""
    if not DONE:
        DONE.append(True)
        print(f"ESCAPE memfd={_memfd() // MB} shm={_shm() // MB}")


DONE = []


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b
        _once()

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        return {"x": dout @ self.W.T, "W": self.x.T @ dout, "b": np.sum(dout, axis=0)}
