"""Specs of Upsample1d/2d (dilation by zeros) and Downsample1d/2d (every k-th element),
as the CMU 11-785 HW2 handout defines them; the factor is the only setting."""

from __future__ import annotations

from harness.spec import Draw, Spec
from harness.specs.sampling import normal


def _draw(key: str):
    def draw(rng, v) -> Draw:
        return Draw(inputs={"x": normal(rng, v["N"], v["C"], *v["size"])}, params={},
                    config={key: v[key]})

    return draw


def _spec(name: str, key: str, sizes: list[tuple[int, ...]], doc: str) -> Spec:
    batches = [(1, 1), (2, 3), (2, 2)]
    variants = [{"N": n, "C": c, "size": size, key: factor}
                for (n, c), size, factor in zip(batches, sizes, (2, 3, 2), strict=True)]
    return Spec(name=name, kind="layer", inputs=("x",), params=(), wrt=("x",),
                variants=variants, draw=_draw(key), reference=f"reference.resampling.{name}",
                doc=doc)


SPECS = (
    _spec("Upsample1d", "upsampling_factor", [(4,), (3,), (5,)],
          "(N, C, L) -> (N, C, k*(L-1)+1): k-1 zeros between elements; backward keeps "
          "every k-th element of dout."),
    _spec("Upsample2d", "upsampling_factor", [(3, 3), (2, 3), (3, 2)],
          "NCHW, both spatial axes dilated by k-1 zeros."),
    _spec("Downsample1d", "downsampling_factor", [(6,), (8,), (7,)],
          "(N, C, L) -> (N, C, ceil(L/k)): every k-th element from the first; backward "
          "puts dout back there, zeros elsewhere, at the input's own width."),
    _spec("Downsample2d", "downsampling_factor", [(4, 4), (5, 7), (5, 6)],
          "NCHW, every k-th row and column from the first."),
)
