"""backcheck's reference implementation: the layer catalog with hand-written backprop.

Every layer follows the same small API (the one ``student_template`` asks students
for): ``Layer(**params, **config)``, ``forward(*inputs) -> out`` caching what backward
needs, and ``backward(dout) -> {name: gradient}`` with one entry per differentiated
input (``"x"``) and per parameter. Arrays are NumPy, batch-first, float32 or float64,
and every layer returns the dtype it was given.

Losses take ``forward(x, target)`` and return a scalar mean; their ``backward(dout=1.0)``
gives ``{"x": ...}``. Networks (``networks.py``) take the same two inputs, differentiate
only their parameters, and apply the last gradients with ``sgd_step(lr)``.
"""
