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


THIRDS = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "thirds.toml"
REFERENCE = Path(__file__).resolve().parents[2] / "reference"


@pytest.fixture(scope="session")
def reference_graded():
    """The reference graded with the thirds rubric (isolation none, finite differences)."""
    course = rubric.load(str(THIRDS))
    chosen = Plan(str(REFERENCE), specs=tuple(specs.select(course.layers)),
                  dtypes=tuple(course.dtypes), oracles=("fd",), salt=course.salt,
                  isolation="none", rubric=course)
    return grade_one(str(REFERENCE), chosen, chosen.prepare())
