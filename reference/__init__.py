"""backcheck's reference implementation: the layer catalog with hand-written backprop.

Every layer follows the same small API (the one ``student_template`` asks students
for): ``Layer(**params, **config)``, ``forward(*inputs) -> out`` caching what backward
needs, and ``backward(dout) -> {name: gradient}`` with one entry per differentiated
input (``"x"``) and per parameter. Arrays are NumPy, batch-first, float32 or float64.
"""
