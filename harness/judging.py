"""Every verdict is decided here, and one order says which verdict is worst.

A check is one quantity of one case against one oracle. Its verdict is, in this order:
``skip`` (the oracle gave no expected value), ``harness-error`` (the oracles disagree
on the case: backcheck cannot judge, the student is not charged), ``unsupported`` (the
adapter declared the library cannot express this configuration: not charged, left out
of the score), ``missing`` (not implemented) or ``error`` (raised, returned something
unusable), then ``pass`` or ``fail`` from the comparison. A quantity is judged on its
own: a backward that raises costs the gradients, never the forward output.

Then the contract: the probes' raw observations (``harness.adapters.probes``) are read
by ``harness.diagnosis.violation``, which names what they show; here it is decided what
that costs. A mutated input or a stale cache fails a check whose values were right (the
layer breaks inside a real network); the slope at exactly 0 is advice on a passing
check (``ADVISORY``: any value in [0, 1] is a valid subgradient there). On a failed
check the diagnosis only adds its hint.

``SEVERITY`` is the one order every summary uses (the grade, the terminal, the HTML
report): a set of verdicts is as bad as the first of these it holds. ``tally`` says it
in the same words everywhere: ``pass``, or how many of how many were not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from harness.adapters import conventions, probes
from harness.case import Case
from harness.comparison import Comparison, compare
from harness.diagnosis import Diagnosis, diagnosed, violation
from harness.expectations import Expectations
from harness.outcome import Outcome, RunError
from harness.result import (
    ERROR,
    FAIL,
    HARNESS_ERROR,
    MISSING,
    PASS,
    SKIP,
    UNSUPPORTED,
    Check,
    Result,
)
from harness.spec import Spec
from harness.submission import NOT_DEFINED
from harness.tolerance import for_dtype

SEVERITY = (FAIL, ERROR, MISSING, HARNESS_ERROR, UNSUPPORTED, SKIP, PASS)
"""Worst first: the verdict of several checks is the first of these any of them gave."""
CHARGED = (FAIL, ERROR, MISSING)
"""Verdicts that cost the student points; the others are awarded (and flagged)."""
ADVISORY = ("relu-at-zero",)
"""Contract findings reported as a hint on a passing check, never as a failure."""
LABELS = {FAIL: "wrong"}
"""How ``tally`` words a verdict when it differs from the verdict's own name."""
PROBLEMS = {"not-implemented": MISSING, "unsupported": UNSUPPORTED}
"""The verdict of a case the code could not run, by ``RunError.kind`` (else ``error``)."""
LOAD_PREFIX = "load: "
"""How the error of a submission that never loaded begins (``RunError("load", ...)``)."""


def judge(spec: Spec, case: Case, outcome: Outcome, oracles: list[str],
          skipped: Mapping[str, str], expectations: Expectations,
          adapter: str = "") -> list[Check]:
    """Every check of one case: each quantity against each oracle (and the skips).
    ``adapter`` (its name) lets a failure name the option that would declare it."""
    checks = []
    for quantity in spec.quantities:
        row = [verdict(spec, case, outcome, quantity, o, expectations) for o in oracles]
        checks += contract(spec, case, quantity, outcome, row, expectations, adapter)
        checks += [make(case, quantity, name, SKIP, reason) for name, reason in skipped.items()]
    return checks


def verdict(spec: Spec, case: Case, outcome: Outcome, quantity: str, oracle: str,
            expectations: Expectations) -> Check:
    """One quantity of one case against one oracle."""
    expected = expectations.get(oracle, case.id)
    if expected is None:
        reason = expectations.unsupported.get((oracle, spec.name), "no expected value")
        return make(case, quantity, oracle, SKIP, reason)
    if case.id in expectations.disagreements:
        return make(case, quantity, oracle, HARNESS_ERROR, expectations.disagreements[case.id])
    problem = outcome.error or (outcome.problems.get(quantity[1:]) if quantity != "out"
                                else None)
    if problem is not None:
        return make(case, quantity, oracle, PROBLEMS.get(problem.kind, ERROR),
                    problem.message if problem.kind == "unsupported" else str(problem))
    result = compare(outcome.value(quantity), expected.value(quantity), for_dtype(case.dtype))
    return make(case, quantity, oracle, PASS if result.passed else FAIL, comparison=result)


def contract(spec: Spec, case: Case, quantity: str, outcome: Outcome, row: list[Check],
             expectations: Expectations, adapter: str = "") -> list[Check]:
    """One quantity's checks with the diagnosis's hint where they failed; where they
    passed but the probes show a broken contract, failed (or advised, if ``ADVISORY``)."""
    failed = next((c for c in row if c.verdict == FAIL), None)
    if failed is not None:
        expected = expectations.get(failed.oracle, case.id).value(quantity)
        hint, kind = _explained(spec, case, quantity, outcome, expected, adapter)
        return [replace(c, hint=hint, kind=kind) if c.verdict == FAIL else c for c in row]
    broken = broken_contract(spec, case, quantity, outcome)
    if broken is None:
        return row
    if broken.kind in ADVISORY:
        return [replace(c, hint=f"advice, not charged: {broken}") for c in row]
    return [replace(c, verdict=FAIL, hint=str(broken), kind=broken.kind)
            if c.verdict == PASS else c
            for c in row]


def _explained(spec: Spec, case: Case, quantity: str, outcome: Outcome, expected,
               adapter: str) -> tuple[str, str]:
    """(hint, kind) of a failed quantity. Right on one-hot targets, the code is right
    under a convention, so only the option that declares it is said; otherwise the
    diagnosis, then any convention that would explain the values."""
    actual = outcome.value(quantity)
    onehot = conventions.onehot_advice(spec, quantity, actual, expected, adapter,
                                       outcome.observations.get(probes.ONEHOT))
    if onehot:
        return onehot, "undeclared-onehot-targets"
    found = diagnosed(spec, case, quantity, actual, expected, outcome.observations)
    hint, kind = (str(found), found.kind) if found else ("", "")
    declare = conventions.advice(spec, case, quantity, actual, expected, adapter)
    return ("; ".join(filter(None, (hint.rstrip("."), declare))) if declare else hint), kind


def broken_contract(spec: Spec, case: Case, quantity: str,
                    outcome: Outcome) -> Diagnosis | None:
    """What the probes' observations show about ``quantity``, recomputed from ``case``."""
    if not outcome.observations:
        return None
    return violation(spec, case, quantity, {**outcome.observations, "single": outcome.grads})


def make(case: Case, quantity: str, oracle: str, verdict: str, message: str = "",
         comparison: Comparison | None = None) -> Check:
    """A ``Check`` of ``case`` with its shapes and seed, for the reports."""
    return Check(case.layer, case.index, case.dtype, quantity, oracle, verdict,
                 comparison=comparison, message=message, shapes=case.shapes(), seed=case.seed)


def worst(verdicts: Iterable[str]) -> str:
    """The most severe of ``verdicts`` (``pass`` for none)."""
    present = set(verdicts)
    return next((v for v in SEVERITY if v in present), PASS)


def tally(verdicts: Iterable[str]) -> tuple[str, str]:
    """(worst verdict, label): ``("pass", "pass")``, or ``("fail", "3 / 4 wrong")``,
    counting every verdict that is not a pass and naming the worst."""
    verdicts = list(verdicts)
    bad = worst(verdicts)
    if bad == PASS:
        return PASS, "pass"
    count = sum(v != PASS for v in verdicts)
    return bad, f"{count} / {len(verdicts)} {LABELS.get(bad, bad)}"


def spread(checks: Iterable[Check], cases: int) -> str:
    """In which dtypes and on how many of ``cases`` cases ``checks`` failed, said once:
    ``float32 and float64, 3 / 3 cases``."""
    checks = list(checks)
    dtypes = sorted({c.dtype for c in checks})
    failed = len({c.case for c in checks})
    return f"{' and '.join(dtypes)}, {failed} / {cases} case{'s' if cases != 1 else ''}"


def undefined_in(check: Check) -> str:
    """Where ``check``'s layer was looked for and not found (``mylib/``, and what failed
    to load there, ``Submission.undefined``), else ``""``: a layer the code never
    defines, not a stub that raises ``NotImplementedError``."""
    prefix = str(RunError("not-implemented", f"{check.layer} {NOT_DEFINED} "))
    if check.verdict != MISSING or not check.message.startswith(prefix):
        return ""
    return check.message[len(prefix):]


def never_loaded(result: Result) -> str:
    """The one reason every check failed when the submission never loaded, else ``""``."""
    messages = {c.message for c in result.checks if c.verdict != SKIP}
    if len(messages) != 1 or any(c.verdict not in (ERROR, SKIP) for c in result.checks):
        return ""
    message = next(iter(messages))
    return message[len(LOAD_PREFIX):] if message.startswith(LOAD_PREFIX) else ""
