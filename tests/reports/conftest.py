"""A graded buggy submission (and a correct one) shared by the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import rubric, specs
from harness.assessment import grade_one
from harness.plan import Plan

CLASS = Path(__file__).resolve().parents[1] / "fixtures" / "class"


def plan() -> Plan:
    course = rubric.load(str(CLASS / "rubric.toml"))
    return Plan(str(CLASS / "submissions"), specs=tuple(specs.select(course.layers)),
                dtypes=("float32", "float64"), oracles=("fd",), salt=course.salt,
                isolation="none", rubric=course)


@pytest.fixture(scope="session")
def graded_class():
    """Name -> ``Graded`` for every submission of the class fixture (isolation none)."""
    chosen = plan()
    preparation = chosen.prepare()
    folder = CLASS / "submissions"
    return {p.name: grade_one(str(p), chosen, preparation) for p in sorted(folder.iterdir())
            if p.suffix == ".py"}


@pytest.fixture
def buggy(graded_class):
    return graded_class["buggy.py"]


COURSE = """
version = 1
name = "thirds"
salt = "spring-2027-k9"
hidden_visibility = "after_published"
[default]
param = 2
hidden_cases = [2]
[layer.Linear]
points = 20
hidden = ["db"]
[layer.XORNet]
points = 20
partial = "none"
"""
"""Every layer of the catalog, with shares in thirds and sevenths: rounding each share
once made a perfect submission score 51.999998-like totals."""
REFERENCE = Path(__file__).resolve().parents[2] / "reference"


@pytest.fixture(scope="session")
def reference_graded():
    """The reference graded with ``COURSE`` (isolation none, finite differences)."""
    course = rubric.parse(COURSE, "course.toml")
    chosen = Plan(str(REFERENCE), specs=tuple(specs.select(course.layers)),
                  dtypes=tuple(course.dtypes), oracles=("fd",), salt=course.salt,
                  isolation="none", rubric=course)
    return grade_one(str(REFERENCE), chosen, chosen.prepare())
