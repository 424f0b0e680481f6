"""The result of checking an implementation: one ``Check`` per layer, case, quantity and
oracle, plus what the run needs to say about itself. Plain data, so every report (and
the grade) is a pure function of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.case import Case
from harness.comparison import Comparison

PASS = "pass"
FAIL = "fail"
ERROR = "error"
MISSING = "missing"
SKIP = "skip"
HARNESS_ERROR = "harness-error"
UNSUPPORTED = "unsupported"

VERDICTS = (PASS, FAIL, ERROR, MISSING, SKIP, HARNESS_ERROR, UNSUPPORTED)
"""``error``: the code raised or returned something unusable; ``missing``: not
implemented; ``skip``: oracle unavailable; ``harness-error``: the oracles disagree, so
backcheck cannot judge and the student is not charged; ``unsupported``: the adapter
declared that the library cannot express this configuration (``harness.selection``):
not charged, left out of the score, listed for the instructor."""


@dataclass(frozen=True)
class Check:
    """One verdict: does ``quantity`` of ``layer`` on case ``case`` match ``oracle``?"""

    layer: str
    case: int
    dtype: str
    quantity: str
    oracle: str
    verdict: str
    comparison: Comparison | None = None
    message: str = ""
    hint: str = ""
    shapes: str = ""
    seed: int = 0
    where: str = ""
    """Where in the submission the quantity was computed (``harness.location``)."""
    kind: str = ""
    """The diagnosis's name for the mistake (``dW-transposed``), so that the same
    mistake on several cases and dtypes is said once."""

    @property
    def id(self) -> str:
        """Readable id as used by the pytest plugin: ``Linear-case2-dW-torch``."""
        return Case.identify(self.layer, self.case, self.quantity, self.oracle)

    @property
    def case_id(self) -> str:
        """The id of the case this check was made on (``Case.id``): ``Linear-case2-float32``."""
        return Case.identify(self.layer, self.case, self.dtype)

    @property
    def passed(self) -> bool:
        return self.verdict in (PASS, SKIP, HARNESS_ERROR, UNSUPPORTED)

    @property
    def why(self) -> str:
        """Why the check did not pass, in one short paragraph (``""`` for one that did):
        what the code raised, else the comparison's evidence (counts, worst element,
        errors, tolerance), else the diagnosis of a broken contract. Never empty for a
        failing check, so every report and ``--json`` can say something."""
        if self.passed:
            return self.message
        if self.message:
            return self.message
        if self.comparison is not None and not self.comparison.passed:
            return self.comparison.describe()
        return self.hint or f"{self.verdict}: no detail recorded"

    def explain(self) -> str:
        """The failure text: the hint first (what to fix), then the evidence."""
        parts = [p for p in (self.hint, self.message) if p]
        if self.comparison is not None and not self.comparison.passed:
            parts.append(self.comparison.describe())
        if self.where:
            parts.append(f"Computed {self.where}.")
        return " ".join(parts)


@dataclass(frozen=True)
class Result:
    """Every check of one implementation, with what was skipped and why."""

    target: str
    adapter: str
    checks: list[Check]
    skipped_oracles: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    autodiff: list = field(default_factory=list)
    """``harness.autodiff.Finding``s: where gradients came from an autodiff engine."""
    minimal: dict[str, str] = field(default_factory=dict)
    """Layer -> its smallest failing case and what the failure needs (``harness.shrink``)."""
    adapter_flags: tuple[str, ...] = ()
    """How the adapter was chosen on the command line (``--adapter classes:loss_grad=sum``,
    ``--adapter-file F``), so a reproducer drives the code exactly as the check did."""

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def layers(self) -> list[str]:
        """Layer names in the order they were checked."""
        return list(dict.fromkeys(check.layer for check in self.checks))
