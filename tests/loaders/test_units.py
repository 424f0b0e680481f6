"""Running statements one at a time: failures become notes, the rest runs."""

from __future__ import annotations

from harness.loaders import units


def test_each_statement_is_a_unit_with_its_line():
    found = units.statements("a = 1\n\nb = a + 1\n", "<t>")
    assert [u.label for u in found] == ["line 1", "line 3"]


def test_notes_are_capped():
    code = "\n".join(f"raise ValueError({i})" for i in range(8))
    notes = units.run(units.statements(code, "<cap>"), {})
    assert len(notes) == units.MAX_NOTES + 1
    assert notes[-1] == "... and 3 more failures while loading"


def test_keyboard_interrupt_is_not_swallowed():
    import pytest

    with pytest.raises(KeyboardInterrupt):
        units.run(units.statements("raise KeyboardInterrupt", "<ki>"), {})
