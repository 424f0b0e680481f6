"""JUnit XML for CI: one ``testsuite`` per layer, one ``testcase`` per item.

A testcase is one quantity on one case in one dtype (``Linear-case2-dW-float32``), the
grain CI dashboards show best; its failure message is the diagnosis and the evidence.
Charged items are ``failure`` (wrong values) or ``error`` (raised, missing); items the
student is not charged for (oracles disagree) are ``skipped`` with the reason. Text from
a submission goes through ``printable``, so the document stays well-formed XML 1.0
whatever the submission raised (ElementTree escapes markup but writes NUL and other
control characters as they are).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.case import Case
from harness.grading import ERROR, MISSING, Grade, Item, Test
from harness.reports.untrusted import printable
from harness.repro import reproduce


def render(grade: Grade) -> str:
    """The JUnit XML document for ``grade``."""
    suites = ET.Element("testsuites", name=f"backcheck {printable(grade.submission)}")
    for layer in grade.layers:
        suite = ET.SubElement(suites, "testsuite", name=layer.layer)
        cases = [_case(suite, layer.layer, t, i, grade.result) for t in layer.tests
                 for i in t.items]
        suite.set("tests", str(len(cases)))
        for kind in ("failures", "errors", "skipped"):
            suite.set(kind, str(sum(c == kind for c in cases)))
    if grade.reason:
        suite = ET.SubElement(suites, "testsuite", name="submission", tests="1", errors="1")
        case = ET.SubElement(suite, "testcase", classname="submission", name="load")
        ET.SubElement(case, "error", message=printable(grade.reason))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _case(suite: ET.Element, layer: str, test: Test, item: Item, result=None) -> str:
    name = Case.identify(layer, item.case, test.quantity, item.dtype)
    case = ET.SubElement(suite, "testcase", classname=f"backcheck.{layer}", name=name)
    if item.flag:
        ET.SubElement(case, "skipped", message=printable(item.flag))
        return "skipped"
    if item.passed:
        return "passed"
    tag = "error" if item.verdict in (ERROR, MISSING) else "failure"
    detail = printable(item.detail)
    element = ET.SubElement(case, tag, message=_first_line(detail), type=item.verdict)
    how = reproduce(result, layer, item.case, item.dtype, test.quantity)
    element.text = f"{detail}\n{printable(how)}" if how else detail
    return "errors" if tag == "error" else "failures"


def _first_line(text: str) -> str:
    return text.splitlines()[0][:300] if text else ""


def report(graded, view) -> str:
    """``junit.xml`` (the ``harness.reports`` signature)."""
    return render(graded.grade)
