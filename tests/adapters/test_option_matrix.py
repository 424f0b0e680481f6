"""Issue #12's matrix: each built-in adapter and each option has a correct and a one-bug
fixture (``option_table.py``). Under its option the correct fixture passes every check of
its layers and the one-bug twin fails one; without the option the correct one fails,
showing the option matters. The completeness tests fail when an adapter or an option is
added without a row (or a reason it means nothing for that adapter)."""

from __future__ import annotations

import inspect
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from adapter_checks import run_check
from option_table import MEANINGLESS, PER_LAYER, ROWS, Fixture, Row

from harness import adapters
from harness.adapters import conventions
from harness.adapters.conventions import CHOICES, FLAGS, READS, TAKES_OPTIONS, Conventions
from harness.errors import UsageError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
F64 = ("float64",)


def builtin_adapters() -> dict[str, str]:
    """The ``backcheck.adapters`` entry points pyproject.toml declares."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    return dict(project["entry-points"]["backcheck.adapters"])


def option_ids() -> list[str]:
    """Every non-default value of every ``Conventions`` field, as ``key=value``; fields
    with free values (``lr``, ``network``) by their key; and the per-layer form."""
    ids = []
    for f in fields(Conventions):
        if f.name == "layers":
            ids.append(PER_LAYER)
        elif f.name in CHOICES:
            ids += [f"{f.name}={v}" for v in CHOICES[f.name] if v != f.default]
        elif f.name in FLAGS:
            ids.append(f"{f.name}={str(not f.default).lower()}")
        else:
            ids.append(f.name)
    return ids


def expected_entries() -> set[tuple[str, str]]:
    """(adapter, option id) for every option of an adapter that takes options, and
    (adapter, "") for one that does not."""
    return {(name, option) for name in builtin_adapters()
            for option in (option_ids() if name in TAKES_OPTIONS else [""])}


def materialize(fixture: Fixture, folder: Path) -> Path:
    """The fixture as a file (or, for a protocol server, a program folder) in ``folder``."""
    folder.mkdir(parents=True)
    target = folder / Path(fixture.path).name
    target.write_text(fixture.text())
    if fixture.path.startswith("options/protocol/"):
        (folder / "backcheck.toml").write_text(f'run = "{sys.executable} {target.name}"\n')
        return folder
    return target


def check(row: Row, fixture: Fixture, spec: str | None, folder: Path):
    if row.needs:
        pytest.importorskip(row.needs)
    adapter = None if row.adapter == "protocol" else spec
    return run_check(materialize(fixture, folder), list(row.layers), adapter, dtypes=F64)


def cases(rows: list[Row]) -> list:
    """``rows`` as parameters, marked with the optional dependency they need."""
    return [pytest.param(r, marks=getattr(pytest.mark, r.needs)) if r.needs else r
            for r in rows]


def failing(result) -> list[str]:
    return [c.explain() for c in result.checks if not c.passed][:3]


@pytest.mark.parametrize("row", cases(ROWS), ids=lambda r: f"{r.spec}-{'+'.join(r.layers)}")
def test_the_correct_fixture_passes_under_its_option(row, tmp_path):
    result = check(row, row.correct, row.spec, tmp_path / "correct")
    assert result.adapter == row.adapter
    assert {c.layer for c in result.checks} == set(row.layers)
    assert result.passed, failing(result)


@pytest.mark.parametrize("row", cases(ROWS), ids=lambda r: f"{r.spec}-{'+'.join(r.layers)}")
def test_the_one_bug_fixture_fails_under_its_option(row, tmp_path):
    result = check(row, row.buggy, row.spec, tmp_path / "buggy")
    assert {c.layer for c in result.checks} == set(row.layers)
    verdicts = {c.verdict for c in result.checks}
    assert "pass" in verdicts and not result.passed, "one bug: some checks pass, some fail"


WITH_PLAIN = [r for r in ROWS if r.plain is not None]


@pytest.mark.parametrize("row", cases(WITH_PLAIN), ids=lambda r: f"{r.spec}-but-{r.plain}")
def test_the_correct_fixture_fails_without_its_option(row, tmp_path):
    """Or, for a value read off the layer anyway, under the contrary declaration."""
    result = check(row, row.correct, row.plain, tmp_path / "plain")
    assert result.checks and not result.passed


# --- completeness -------------------------------------------------------------------


def test_every_adapter_and_option_has_a_row_or_a_reason():
    listed = {(r.adapter, r.option) for r in ROWS} | {(m.adapter, m.option)
                                                     for m in MEANINGLESS}
    missing = expected_entries() - listed
    assert not missing, f"no fixture row and no reason for {sorted(missing)}"
    assert not listed - expected_entries(), "rows for no adapter or option"


def test_an_option_is_either_tested_or_meaningless_not_both():
    both = {(r.adapter, r.option) for r in ROWS} & {(m.adapter, m.option) for m in MEANINGLESS}
    assert not both
    assert all(m.reason for m in MEANINGLESS)


def test_the_builtin_adapters_are_the_entry_points():
    assert builtin_adapters() == adapters.BUILTIN


def test_the_adapters_that_take_options_are_those_whose_constructor_takes_conventions():
    takes = set()
    for name, target in builtin_adapters().items():
        module, _, attr = target.partition(":")
        cls = getattr(__import__(module, fromlist=[attr]), attr)
        if "conventions" in inspect.signature(cls).parameters:
            takes.add(name)
    assert takes == set(TAKES_OPTIONS)


def key_of(option: str) -> str:
    return option.partition("=")[0]


@pytest.mark.parametrize("entry", [m for m in MEANINGLESS if key_of(m.option) not in READS[
    m.adapter]], ids=lambda m: f"{m.adapter}-{m.option}")
def test_an_option_meaningless_for_an_adapter_is_refused_by_it(entry):
    option = entry.option if "=" in entry.option else f"{entry.option}=1"
    with pytest.raises(UsageError, match="does not read option"):
        adapters.load(f"{entry.adapter}:{option}")


def test_an_option_an_adapter_reads_is_meaningless_only_for_some_values():
    """``cs231n:reduction=batch-mean`` is read and means mean: a reason, not a refusal;
    but every option an adapter reads has at least one fixture row."""
    for adapter, reads in READS.items():
        tested = {key_of(r.option) for r in ROWS if r.adapter == adapter}
        assert set(reads) <= tested, (adapter, set(reads) - tested)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.spec)
def test_every_row_spec_is_accepted_by_its_adapter(row):
    assert adapters.load(row.spec).name == row.adapter
    if row.plain is not None:
        adapters.load(row.plain)


def given(spec: str, key: str) -> list:
    """The values ``spec``'s options give ``key``: the library's, then each layer's."""
    parsed = conventions.parse(spec.partition(":")[2])
    return [getattr(parsed, key), *(o[key] for o in parsed.layers.values() if key in o)]


def declares(spec: str, option: str) -> bool:
    """Whether ``spec``'s options declare ``option`` (for the library or one layer)."""
    if option == PER_LAYER:
        return bool(conventions.parse(spec.partition(":")[2]).layers)
    key, _, value = option.partition("=")
    if not value:
        return any(g != getattr(Conventions(), key) for g in given(spec, key))
    return getattr(conventions.parse(option), key) in given(spec, key)


@pytest.mark.parametrize("row", [r for r in ROWS if r.option],
                         ids=lambda r: f"{r.adapter}-{r.option}")
def test_each_row_declares_its_own_option_and_its_plain_spec_does_not(row):
    assert declares(row.spec, row.option), row.spec
    if row.plain is not None:
        key = row.option.partition("=")[0]
        differs = (given(row.plain, key) != given(row.spec, key) if key != PER_LAYER
                   else not declares(row.plain, PER_LAYER))
        assert differs, row.plain
