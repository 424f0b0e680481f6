"""The HTML reports: self-contained, with decodable pictures, rendered by a real browser."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from harness.reports import html, summary
from harness.reports import json as json_report

pytest.importorskip("matplotlib")

PNG = b"\x89PNG\r\n\x1a\n"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def page(graded_class) -> str:
    buggy = graded_class["buggy.py"]
    return html.render(buggy.grade, buggy.arrays)


def images(page: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([^"]+)"',
                                                    page)]


def test_report_has_error_bars_per_layer_and_heatmaps_for_failures(buggy, page):
    pictures = images(page)
    assert len(buggy.arrays) == 3  # Linear dW, Sigmoid dx, Sigmoid dx (hidden)
    assert len(pictures) == len(buggy.grade.layers) + len(buggy.arrays)
    assert all(p.startswith(PNG) for p in pictures)
    assert "expected / got / difference" in page and "Linear dW case 0 float32" in page
    assert not re.search(r'(src|href)="(?!data:)', page), "references an external file"


def test_student_report_leaves_out_hidden_heatmaps(buggy):
    page = html.render(buggy.grade, buggy.arrays, students=True)
    assert "Sigmoid dx case 2" not in page and "For the instructor" not in page


def test_class_summary_has_a_histogram_and_links(graded_class):
    grades = [json_report.grade_dict(g.grade) for g in graded_class.values()]
    page = summary.render(grades, {"buggy.py": "submissions/buggy.py/report.html"})
    assert len(images(page)) == 1
    assert '<a href="submissions/buggy.py/report.html">buggy.py</a>' in page
    assert "4 submissions" in page


def browse(path: Path, *extra: str) -> tuple[str, str]:
    """Headless chromium on ``path``: (DOM after load, its log on stderr)."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
             "--enable-logging=stderr", "--v=0", *extra, path.as_uri()],
            capture_output=True, text=True, timeout=120)
    return done.stdout, done.stderr


def console_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_reports_render_in_chromium_without_console_errors(buggy, graded_class, page,
                                                           tmp_path):
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    grades = [json_report.grade_dict(g.grade) for g in graded_class.values()]
    overview = tmp_path / "summary.html"
    overview.write_text(summary.render(grades), encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text("<body><script>console.error('planted');</script></body>")
    for path, count in ((report, len(buggy.grade.layers) + len(buggy.arrays)), (overview, 1)):
        dom, log = browse(path, "--dump-dom")
        assert 'data-images-ok="yes"' in dom, log[-2000:]
        assert f'data-image-count="{count}"' in dom
        assert console_lines(log) == []
    assert console_lines(browse(broken, "--dump-dom")[1]), "console messages not seen"


PAINT = """<script>
window.addEventListener('load', function () {
  var cells = document.querySelectorAll('td.pass, td.fail');
  var colors = [];
  for (var i = 0; i < cells.length; i++) { colors.push(getComputedStyle(cells[i]).color); }
  document.body.setAttribute('data-score-colors', colors.join(';'));
});
</script>"""
"""Added by the test: writes the colour each score cell is painted in into the DOM."""
PASS_COLOR, FAIL_COLOR = "rgb(23, 112, 42)", "rgb(179, 38, 30)"


def test_perfect_rows_of_the_summary_are_marked_passed(reference_graded, graded_class):
    grades = [json_report.grade_dict(reference_graded.grade),
              json_report.grade_dict(graded_class["buggy.py"].grade)]
    page = summary.render(grades)
    assert grades[0]["score"] == grades[0]["max_score"]
    cells = re.findall(r'<td class="(pass|fail)">([^<]*)</td>', page)
    assert cells == [("fail", "14.14 / 19"), ("pass", f"{grades[0]['max_score']:g} / "
                                                      f"{grades[0]['max_score']:g}")]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_chromium_paints_perfect_rows_green_and_others_red(reference_graded, graded_class,
                                                           tmp_path):
    grades = [json_report.grade_dict(reference_graded.grade),
              json_report.grade_dict(graded_class["buggy.py"].grade)]
    path = tmp_path / "summary.html"
    path.write_text(summary.render(grades).replace("</body>", PAINT + "</body>"),
                    encoding="utf-8")
    dom, log = browse(path, "--dump-dom")
    colors = re.search(r'data-score-colors="([^"]*)"', dom)
    assert colors, log[-2000:]
    assert colors.group(1).split(";") == [FAIL_COLOR, PASS_COLOR]  # buggy.py, reference
