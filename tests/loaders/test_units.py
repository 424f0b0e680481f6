"""Running statements one at a time: failures become notes, the rest runs."""

from __future__ import annotations

from harness.loaders import units


def test_each_statement_is_a_unit_with_its_line():
    found = units.statements("a = 1\n\nb = a + 1\n", "<t>")
    assert [u.label for u in found] == ["line 1", "line 3"]


def test_notes_are_capped():
    code = "\n".join(f"raise ValueError({i})" for i in range(8))
    notes = units.run(units.statements(code, "<cap>"), {}).notes
    assert len(notes) == units.MAX_NOTES + 1
    assert notes[-1] == "... and 3 more failures while loading"


def test_keyboard_interrupt_is_not_swallowed():
    import pytest

    with pytest.raises(KeyboardInterrupt):
        units.run(units.statements("raise KeyboardInterrupt", "<ki>"), {})


def test_an_exit_is_noted_with_the_name_and_line_and_the_rest_runs():
    namespace: dict = {}
    notes = units.run(units.statements("import sys\nsys.exit(0)\nx = 1\n", "<e>"),
                      namespace, "alice.py").notes
    assert notes == ["alice.py called sys.exit(0) at line 2 while loading; "
                     "the rest still loaded"]
    assert namespace["x"] == 1


def test_a_memory_error_is_noted_as_running_out_of_memory():
    notes = units.run(units.statements("raise MemoryError('big')\n", "<m>"), {}, "bob.py").notes
    assert notes == ["bob.py ran out of memory (MemoryError: big) at line 1 while loading; "
                     "the rest still loaded"]


def test_an_exit_is_noted_even_after_many_other_failures():
    code = "\n".join(f"raise ValueError({i})" for i in range(8)) + "\nraise SystemExit(4)\n"
    notes = units.run(units.statements(code, "<many>"), {}, "carol.py").notes
    assert notes[0] == "carol.py called sys.exit(4) at line 9 while loading; the rest still loaded"
    assert len(notes) == units.MAX_NOTES + 2
