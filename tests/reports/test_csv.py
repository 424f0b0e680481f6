"""The gradebook stays CSV and inert in a spreadsheet, whatever the names and messages."""

from __future__ import annotations

import csv
import io

from harness.reports import csv as gradebook


def row(submission: str, reason: str = "", problems=(), status="graded", score=1.0):
    return {"submission": submission, "status": status, "score": score, "max_score": 2.0,
            "layers": [{"layer": "Linear", "score": score}], "flags": [], "reason": reason,
            "problems": list(problems)}


def parsed(grades) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(gradebook.render(grades))))


def test_cells_that_would_start_a_formula_are_quoted_as_text():
    rows = parsed([row('=HYPERLINK("http://evil","x").py'), row("+1.py"), row("-rf.py"),
                   row("@SUM.py"), row("\tTAB.py"), row("ok.py", reason="=1+1",
                                                         problems=["-2", "fine"])])
    names = [r["submission"] for r in rows]
    assert names == ["'\tTAB.py", "'+1.py", "'-rf.py", "'=HYPERLINK(\"http://evil\",\"x\").py",
                     "'@SUM.py", "ok.py"]
    ok = rows[-1]
    assert (ok["reason"], ok["problems"], ok["score"], ok["Linear"]) == (
        "'=1+1", "'-2; fine", "1", "1")


def test_newlines_quotes_and_commas_survive_a_round_trip():
    name = 'a "b",\nc.py'
    assert [r["submission"] for r in parsed([row(name)])] == [name]


def test_a_submission_not_graded_yet_has_no_score():
    rows = parsed([row("late.py", status="not graded", score=0, reason="stopped")])
    assert (rows[0]["status"], rows[0]["score"], rows[0]["max_score"]) == (
        "not graded", "", "2")
