"""backcheck: conformance and grading harness for hand-written backpropagation.

The pipeline runs load -> adapt -> cases -> run -> compare -> diagnose -> grade ->
report; ``harness.engine.check`` is the entry point that ties the stages together.
"""

__version__ = "0.1.0"
