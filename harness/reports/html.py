"""A self-contained HTML report with pictures (matplotlib PNGs embedded as base64).

For each layer, bars of the largest relative error of each quantity in each dtype
against that dtype's tolerance (log scale, so a near miss and a wild miss both show);
for each failing gradient (up to ``MAX_HEATMAPS``), expected / got / difference
heatmaps of the worst case. No external file, script or font is referenced, so the
file can be mailed or attached to an LMS as is. matplotlib is imported only here
(the ``html`` extra); figures are drawn without pyplot, one at a time (``DRAWING``).

Every text from a submission goes through ``esc``: control characters made visible,
then HTML-escaped. With ``students``, the page shows only ``Grade.for_students``.
"""

from __future__ import annotations

import base64
import html
import io
import threading
from collections.abc import Mapping
from typing import Any

import numpy as np

from harness.grading import Grade, LayerGrade
from harness.points import amount, pair
from harness.reports.untrusted import printable
from harness.repro import reproduce
from harness.tolerance import BY_DTYPE

MAX_HEATMAPS = 8
OFF_CHART = 1e2
"""Bar height of a failure with no element-wise error (wrong shape, raised, missing)."""
DRAWING = threading.Lock()
"""matplotlib is not thread-safe (its text parser shares state): one drawing at a time."""
Arrays = Mapping[str, tuple[np.ndarray, np.ndarray]]
"""Failing item label (``"Linear dW case 1 float32"``) -> (expected, actual)."""

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em}
th{background:#f4f4f4}.pass{color:#17702a}.fail{color:#b3261e}.flag{color:#7a3e9d}
img{max-width:100%;display:block;margin:.5em 0}code,pre{background:#f6f6f6}
pre{padding:.5em;white-space:pre-wrap}
"""
READY = """<script>
(function(){function check(){var imgs=document.images,ok=true;
for(var i=0;i<imgs.length;i++){if(!imgs[i].complete||imgs[i].naturalWidth===0){ok=false;}}
document.body.setAttribute('data-images-ok',ok?'yes':'no');
document.body.setAttribute('data-image-count',String(imgs.length));}
if(document.readyState==='complete'){check();}else{window.addEventListener('load',check);}
})();
</script>"""
"""Marks ``<body>`` with ``data-images-ok`` once every image has decoded (for tests)."""


def render(grade: Grade, arrays: Arrays | None = None, students: bool = False) -> str:
    """The HTML document for ``grade``; ``arrays`` feed the heatmaps."""
    with DRAWING:
        return _render(grade, arrays, students)


def esc(text: str) -> str:
    """Submission text as HTML text or attribute value: shown as written, never obeyed."""
    return html.escape(printable(text))


def _render(grade: Grade, arrays: Arrays | None, students: bool) -> str:
    grade = grade.for_students() if students else grade
    scope = " on the visible checks" if grade.withheld else ""
    body = [f"<h1>backcheck: {esc(grade.submission)}</h1>",
            f"<p>Score <b>{pair(grade.points, grade.max_points)}</b>{scope} "
            f"(rubric {esc(grade.rubric)}).</p>"]
    if grade.withheld:
        body.append(f"<p>Hidden checks worth another {amount(grade.withheld)} count too; "
                    "their results are shown when released.</p>")
    if grade.unloaded:
        body.append(f'<p class="fail">{grade.unloaded_heading}: {esc(grade.unloaded)}</p>')
    else:
        body += [_layer(layer, grade.result) for layer in grade.layers]
        body += _heatmaps(arrays or {}, grade)
    if grade.flags:
        body.append("<h2>For the instructor</h2><ul>" +
                    "".join(f'<li class="flag">{esc(f)}</li>' for f in grade.flags) + "</ul>")
    return page(f"backcheck: {grade.submission}", "\n".join(body))


def page(title: str, body: str) -> str:
    """A complete HTML5 page around ``body``."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head>\n"
            f"<body>\n{body}\n{READY}\n</body></html>\n")


def png(figure) -> str:
    """An ``<img>`` holding ``figure`` as an embedded PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="plot" src="data:image/png;base64,{data}">'


def _layer(layer: LayerGrade, result=None) -> str:
    rows = []
    for test in layer.tests:
        verdict, label = test.status
        status = f'<span class="{"pass" if verdict == "pass" else "fail"}">{label}</span>'
        detail = ""
        if test.failures:
            item = test.failures[0]
            detail = (f"{esc(test.spread)} (first: case {item.case} {item.dtype}): "
                      f"{esc(item.detail)}")
            how = reproduce(result, layer.layer, item.case, item.dtype, test.quantity)
            detail += f"<br><code>{esc(how)}</code>" if how else ""
        rows.append(f"<tr><td>{esc(test.name)}</td><td>{pair(test.points, test.max_points)}"
                    f"</td><td>{status}</td><td>{detail}</td></tr>")
    table = ("<table><tr><th>check</th><th>points</th><th>status</th><th>first failure"
             "</th></tr>" + "".join(rows) + "</table>")
    missing = all(item.verdict == "missing" for test in layer.tests for item in test.items)
    bars = "" if missing else _error_bars(layer)
    return (f"<h2>{esc(layer.layer)}: {pair(layer.points, layer.max_points)}</h2>"
            f"{table}{bars}")


def _errors(layer: LayerGrade) -> dict[tuple[str, str], float]:
    """(quantity, dtype) -> the largest relative error over its cases and oracles."""
    found: dict[tuple[str, str], float] = {}
    for test in layer.tests:
        for item in test.items:
            comparison = item.check.comparison if item.check else None
            value = comparison.max_rel if comparison is not None else float("nan")
            if value != value:
                value = 0.0 if item.passed else OFF_CHART
            key = (test.quantity, item.dtype)
            found[key] = max(found.get(key, 0.0), float(value))
    return found


def _error_bars(layer: LayerGrade) -> str:
    """Bars of each quantity's largest relative error in each dtype, with the tolerances
    as dashed lines; a failure with no element-wise error (a wrong shape, an exception)
    is drawn off the chart."""
    from matplotlib.figure import Figure

    errors = _errors(layer)
    quantities = list(dict.fromkeys(q for q, _ in errors)) or ["out"]
    dtypes = sorted({d for _, d in errors} or BY_DTYPE)
    figure = Figure(figsize=(3.2 + 1.0 * len(quantities), 2.6))
    axes = figure.add_subplot()
    width = 0.8 / len(dtypes)
    floor = 1e-17
    for k, dtype in enumerate(dtypes):
        x = np.arange(len(quantities)) + k * width
        values = [max(errors.get((q, dtype), 0.0), floor) for q in quantities]
        bars = axes.bar(x, values, width, label=dtype, bottom=floor)
        if dtype in BY_DTYPE:
            axes.axhline(BY_DTYPE[dtype].rtol, linestyle="--", linewidth=1,
                         color=bars.patches[0].get_facecolor(), label=f"{dtype} tolerance")
    axes.set_yscale("log")
    axes.set_ylim(floor, 1e3)
    axes.set_xticks(np.arange(len(quantities)) + width * (len(dtypes) - 1) / 2, quantities)
    axes.set_ylabel("max rel error")
    axes.set_title(f"{layer.layer}: largest relative error vs tolerance", fontsize=9)
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    figure.tight_layout()
    return png(figure)


def _heatmaps(arrays: Arrays, grade: Grade) -> list[str]:
    """The heatmaps of failing items of ``grade``'s tests (none of a test it leaves out)."""
    items = {f"{t.layer} {t.quantity} case {i.case} {i.dtype}" for t in grade.tests
             for i in t.failures}
    drawn = [(label, arrays[label]) for label in arrays if label in items]
    if not drawn:
        return []
    parts = ["<h2>Failing gradients: expected / got / difference</h2>"]
    for label, (expected, actual) in drawn[:MAX_HEATMAPS]:
        parts.append(f"<h3>{esc(label)}</h3>{_heatmap(label, expected, actual)}")
    return parts


def _as_2d(array: Any) -> np.ndarray:
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 0:
        return array.reshape(1, 1)
    if array.ndim == 1:
        return array.reshape(1, -1)
    return array.reshape(array.shape[0], -1)


def _heatmap(label: str, expected: np.ndarray, actual: np.ndarray) -> str:
    from matplotlib.figure import Figure

    want, got = _as_2d(expected), _as_2d(actual)
    panels = [("expected", want), ("got", got)]
    if want.shape == got.shape:
        panels.append(("difference", got - want))
    figure = Figure(figsize=(3.0 * len(panels), 2.6))
    limit = max(float(np.nanmax(np.abs(want), initial=0.0)), 1e-12)
    for k, (title, data) in enumerate(panels):
        axes = figure.add_subplot(1, len(panels), k + 1)
        clean = np.nan_to_num(data, nan=0.0, posinf=limit, neginf=-limit)
        image = axes.imshow(clean, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
        axes.set_title(f"{title} {tuple(np.shape(data))}", fontsize=8)
        figure.colorbar(image, ax=axes, fraction=0.046)
    figure.suptitle(label, fontsize=9)
    figure.tight_layout()
    return png(figure)


def report(graded, view) -> str:
    """``report.html`` (the ``harness.reports`` signature), with the failing arrays."""
    return render(graded.grade, graded.arrays, view.students)
