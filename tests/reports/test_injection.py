"""One hostile grade through every report: text a submission controls (its name, error
messages, notes) carrying HTML and script, Markdown, rich markup, ANSI escapes, XML
control characters, bidirectional overrides, a lone surrogate and a spreadsheet formula
is shown as written and obeyed by no reader."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from rich.console import Console

from harness import rubric
from harness.grading import crashed, grade
from harness.reports import gradescope, html, junit, markdown, summary, terminal
from harness.reports import json as json_report
from harness.reports.untrusted import UNSAFE, one_line, printable
from harness.result import ERROR, FAIL, HARNESS_ERROR, Check, Result

pytest.importorskip("matplotlib")

ATTACK = ("<script>alert(1)</script><img src=x onerror=alert(2)> **bold** "
          "[click](javascript:alert(3)) ![t](http://evil.example/t.png) `tick` | cell | "
          "[bold red]RED[/bold red] [link=https://evil.example]here[/link] :smile: $x$ "
          "\x1b[2J\x1b[31mFAKE score 52 / 52\x1b[0m "
          "\x1b]8;;https://evil.example\x07osc\x1b]8;;\x07 "
          "\x00\x01\x08\x0b\x0c\x1f\x7f\x9b \u202eevil\u202c \ud800 "
          '=HYPERLINK("http://evil.example","x") &amp; <!-- c --> \\')
NAME = "<b>eve</b>[red]`|\x1b[31m\u202e.py"
RUBRIC = rubric.parse("layers = ['Linear']\ndtypes = ['float64']\n[layer.Linear]\n"
                      "hidden = ['db']", "t.toml")
ESCAPES = ("\x1b[2J", "\x1b[31mFAKE", "\x1b]8;", "\x00", "\x01", "\x7f", "\u202e", "\ud800")
"""What a reader would act on; no report may contain any of them raw."""


def hostile_result() -> Result:
    checks = []
    for quantity, verdict in (("out", ERROR), ("dx", FAIL), ("dW", HARNESS_ERROR),
                              ("db", ERROR)):
        checks.append(Check("Linear", 0, "float64", quantity, "fd", verdict, message=ATTACK,
                            hint=ATTACK, shapes=ATTACK))
    return Result(NAME, "native", checks, {"torch": ATTACK}, [ATTACK], 0.1)


@pytest.fixture(scope="module")
def hostile():
    return grade(hostile_result(), RUBRIC, NAME)


def test_printable_makes_every_unsafe_character_visible():
    text = printable(ATTACK)
    assert not UNSAFE.search(text) and "\\x1b[2J" in text and "\\u202e" in text
    assert "\\ud800" in text and printable("a\nb\tc") == "a\nb\tc"
    assert one_line("a\nb") == "a b"


def raw_escapes(text: str) -> list[str]:
    return [e for e in ESCAPES if e in text]


def terminal_output(render, *args, **kwargs) -> tuple[str, str]:
    """(bytes a colour terminal receives, the text a person reads)."""
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, color_system="truecolor", width=400,
                      record=True)
    render(*args, console=console, **kwargs)
    return stream.getvalue(), console.export_text()


@pytest.mark.parametrize("students", [False, True])
def test_terminal_shows_markup_and_escapes_as_text(hostile, students):
    sent, read = terminal_output(terminal.render_grade, hostile, students=students)
    assert raw_escapes(sent) == [] and "\x1b]8;" not in sent  # no forged colours or links
    assert "[bold red]RED[/bold red]" in read and "[link=https://evil.example]" in read
    assert ":smile:" in read and "\\x1b[31mFAKE" in read and "[red]`|" in read


def test_terminal_check_report_shows_markup_and_escapes_as_text():
    sent, read = terminal_output(terminal.render, hostile_result())
    assert raw_escapes(sent) == []
    assert "[bold red]RED[/bold red]" in read and ":smile:" in read and "\\x1b[2J" in read


class Tags(HTMLParser):
    """Every start tag, attribute and script body of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs


PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "b",
             "table", "tr", "th", "td", "span", "img", "ul", "li", "script", "a", "br", "code"}


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


@pytest.mark.parametrize("students", [False, True])
def test_html_report_holds_no_tag_or_script_of_the_submission(hostile, students):
    page = html.render(hostile, students=students)
    tags = parsed(page)
    assert set(tags.tags) <= PAGE_TAGS and tags.tags.count("script") == 1  # our READY
    assert not [a for a in tags.attributes if a[0].startswith("on")]
    assert "&lt;script&gt;alert(1)" in page and raw_escapes(page) == []
    page.encode("utf-8")


def test_class_summary_holds_no_tag_of_the_submission(hostile):
    data = json.loads(json_report.dumps(json_report.grade_dict(hostile)))
    other = json_report.grade_dict(crashed("javascript:alert(1)", RUBRIC, ATTACK))
    page = summary.render([data, other], {NAME: f"submissions/{NAME}/report.html",
                                          "javascript:alert(1)": "javascript:alert(1)"})
    tags = parsed(page)
    assert set(tags.tags) <= PAGE_TAGS and tags.tags.count("script") == 1
    links = [value for key, value in tags.attributes if key == "href"]
    assert len(links) == 2 and all(re.fullmatch(r"[\w%./-]+", link) for link in links)
    assert raw_escapes(page) == []
    page.encode("utf-8")


@pytest.mark.parametrize("students", [False, True])
def test_markdown_renders_none_of_the_submission_s_markup(hostile, students):
    markdown_it = pytest.importorskip("markdown_it")
    text = markdown.render(hostile, students=students)
    assert raw_escapes(text) == []
    rendered = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(
        text)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "href" not in rendered and "<s>" not in rendered
    assert "<strong>bold</strong>" not in rendered and "**bold**" in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<code>&lt;b&gt;eve&lt;/b&gt;[red]`|" in rendered  # the name, in a code span
    text.encode("utf-8")


def test_junit_stays_valid_xml_with_the_text_shown_as_written(hostile):
    document = junit.render(hostile)
    root = ET.fromstring(document.encode("utf-8"))
    messages = [e.get("message") for e in root.iter() if e.get("message")]
    assert messages and all("<script>alert(1)" in m for m in messages)
    assert any("\\x1b[2J" in (e.text or "") for e in root.iter("error"))
    assert raw_escapes(document) == []
    crash = ET.fromstring(junit.render(crashed(NAME, RUBRIC, ATTACK)).encode("utf-8"))
    assert "\\x00" in crash.find(".//error").get("message")


def test_gradescope_output_is_plain_text_with_nothing_raw(hostile):
    results = json.loads(json_report.dumps(gradescope.to_dict(hostile)))
    outputs = [results["output"]] + [t["output"] for t in results["tests"]]
    assert results["output_format"] == "text"
    assert all(t["output_format"] == "text" for t in results["tests"])
    assert all(raw_escapes(o) == [] for o in outputs)
    assert "Note: <script>alert(1)" in results["output"]
    assert any("\\x1b[2J" in o for o in outputs)


def test_json_keeps_the_text_exactly_and_is_valid_utf8(hostile):
    text = json_report.dumps(json_report.grade_dict(hostile))
    text.encode("utf-8")
    assert json.loads(text)["notes"] == [ATTACK]
    assert json.loads(json_report.dumps(json_report.to_dict(hostile_result())))["target"] == NAME
