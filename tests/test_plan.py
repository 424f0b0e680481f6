"""Every option of every command reaches the run: a table, one row per option.

Each command runs in process with one option set to a value that is not its default;
the pipeline is stopped at its first expensive step (``engine.run``), where the plan
the command made, the target it reads, the plan it prepares and the executor it built
are recorded and compared with what the option asks for. A last test makes the table
complete: an option a command's parser accepts and no row covers fails it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import ClassVar

import pytest

from harness import cli, engine, isolation, plan
from harness.commands.options import COMMAND_ONLY
from harness.errors import BackcheckError, UsageError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SUBMISSION = FIXTURES / "class" / "submissions" / "correct.py"
RUBRIC = FIXTURES / "class" / "rubric.toml"
COURSE = FIXTURES / "rubrics" / "onehot-course.toml"
ADAPTER_FILE = FIXTURES / "submissions" / "conventions" / "mylib_adapter.py"
HIDDEN = FIXTURES / "class"
SPEC_FILE = str(FIXTURES.parents[1] / "examples" / "course-layer" / "rmsnorm.py")
EXTRA_LIB = FIXTURES / "submissions" / "loading" / "extra_lib"


class Stop(BaseException):
    """Raised where the expensive work would start (not an ``Exception``: nothing
    between there and the test catches it)."""


@pytest.fixture
def catalog():
    """The catalog as it was before the test (``--spec-file`` adds to it), restored."""
    from harness.specs import CATALOG, plugins

    saved, files = dict(CATALOG), dict(plugins._FROM_FILES)
    tables = {k: dict(v) for k, v in plugins._EXPRESSIONS.items()}
    yield
    CATALOG.clear()
    CATALOG.update(saved)
    plugins._EXPRESSIONS.update(tables)
    plugins._FROM_FILES.clear()
    plugins._FROM_FILES.update(files)


@pytest.fixture
def recorded(monkeypatch, tmp_path, catalog):
    """Run a command until ``engine.run``; what each stage was given."""
    seen: dict = {}
    made = plan.make
    monkeypatch.setattr(plan, "make", lambda *a, **k: seen.setdefault("plan", made(*a, **k)))
    monkeypatch.setattr(plan.Plan, "prepare",
                        lambda self, expectations=None: seen.setdefault("prepared", self))

    def executor(level, limits=None):
        seen.update(isolation=level, limits=limits)
        return lambda target, jobs: None

    def run(target, prepared, executor=None, shrink=False):
        seen["target"] = target
        raise Stop

    monkeypatch.setattr(isolation, "executor", executor)
    monkeypatch.setattr(engine, "run", run)
    monkeypatch.setattr("harness.commands.grade._warm_sandbox", lambda: None)
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "correct.py").write_text(SUBMISSION.read_text())

    def go(command: str, *options: str) -> dict:
        path = {"check": SUBMISSION, "grade": SUBMISSION, "batch": folder}[command]
        extra = ("--rubric", str(RUBRIC)) if command != "check" and "--rubric" not in options \
            else ()
        with pytest.raises(Stop):
            cli.main([command, str(path), *extra, *options])
        return seen

    return go


SANDBOXED = ("--isolation", "process")
ROWS = {
    "adapter": (("--adapter", "classes:bias=column"),
                lambda r: r["target"].adapter == "classes:bias=column"),
    "adapter_file": (("--adapter-file", str(ADAPTER_FILE)),
                     lambda r: r["target"].adapter_file == str(ADAPTER_FILE)),
    "layers": (("--layers", "ReLU"), lambda r: r["prepared"].layers == ("ReLU",)),
    "dtype": (("--dtype", "float32"), lambda r: r["prepared"].dtypes == ("float32",)),
    "oracles": (("--oracles", "fd"), lambda r: r["prepared"].oracles == ("fd",)),
    "salt": (("--salt", "term-2"), lambda r: r["prepared"].salt == "term-2"),
    "isolation": (None, None),
    "timeout": ((*SANDBOXED, "--timeout", "7"), lambda r: r["limits"].timeout == 7),
    "total_timeout": ((*SANDBOXED, "--total-timeout", "70"),
                      lambda r: r["limits"].total_timeout == 70),
    "memory_mb": ((*SANDBOXED, "--memory-mb", "777"), lambda r: r["limits"].memory_mb == 777),
    "hide": ((*SANDBOXED, "--hide", str(HIDDEN)), lambda r: str(HIDDEN) in r["limits"].hidden),
    "rubric": (("--rubric", str(RUBRIC)),
               lambda r: r["prepared"].rubric.name == "fixture-course"
               and r["prepared"].layers == ("Linear", "ReLU", "Sigmoid", "MSELoss")
               and str(RUBRIC) in r["limits"].hidden),
    "format": (("--format", "junit"), lambda r: "junit" in r["plan"].formats),
    "out": (("--out", "elsewhere", *SANDBOXED),
            lambda r: r["plan"].out == "elsewhere" and "elsewhere" in r["limits"].hidden),
    "students": (("--students",), lambda r: r["plan"].students is True),
    "spec_file": (("--spec-file", SPEC_FILE, *SANDBOXED),
                  lambda r: r["prepared"].spec_files == (SPEC_FILE,)
                  and SPEC_FILE in r["limits"].hidden),
    "import_path": (("--path", str(EXTRA_LIB), *SANDBOXED),
                    lambda r: r["target"].import_paths == (str(EXTRA_LIB),)),
    "cases": (("--cases", "Linear:N=1", "--layers", "Linear"),
              lambda r: [s.layer for s in r["prepared"].cases] == ["Linear"]),
}
"""Plan option -> (the arguments that set it, what the run must then show)."""

ISOLATION = {"check": "process", "grade": "none", "batch": "none"}
"""A value of ``--isolation`` that is not the command's default."""


CHECK_ROWS = {
    "rubric": (("--rubric", str(COURSE), *SANDBOXED),
               lambda r: r["prepared"].rubric is None
               and r["target"].adapter == "classes:CrossEntropy.targets=onehot"
               and [s.layer for s in r["prepared"].cases] == ["CrossEntropy"]
               and str(COURSE) in r["limits"].hidden),
}
"""``check`` grades nothing: of a rubric it reads the class's adapter and cases only."""


def command_options(command: str) -> set[str]:
    """The ``dest`` of every option the command's parser accepts."""
    sub = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {a.dest for a in sub.choices[command]._actions if a.dest != "help"}


CASES = [(command, option) for command in ("check", "grade", "batch")
         for option in sorted(command_options(command) - set(COMMAND_ONLY))]


@pytest.mark.parametrize(("command", "option"), CASES)
def test_every_option_reaches_the_run(recorded, command, option):
    if option == "isolation":
        seen = recorded(command, "--isolation", ISOLATION[command])
        assert seen["isolation"] == ISOLATION[command] == seen["plan"].isolation
        return
    args, honoured = (CHECK_ROWS if command == "check" and option in CHECK_ROWS else ROWS)[option]
    seen = recorded(command, *args)
    assert seen["prepared"] is seen["plan"], "the command ran a plan it did not validate"
    assert seen["target"].path.endswith("correct.py")
    assert honoured(seen), (command, option, seen)


def test_the_table_covers_every_option_of_every_command():
    for command in ("check", "grade", "batch"):
        uncovered = command_options(command) - set(COMMAND_ONLY) - set(ROWS)
        assert not uncovered, f"{command} accepts {uncovered} but no row checks them"
    assert set(ROWS) <= set(plan.KEYS)


def test_an_option_the_plan_does_not_read_is_refused():
    with pytest.raises(UsageError, match="'specs_file' is not part of a plan"):
        plan.make("check", {"path": "reference", "specs_file": "x.py"})


@pytest.mark.parametrize(("options", "message"), [
    ({"adapter": "classes", "adapter_file": str(ADAPTER_FILE)}, "exclude each other"),
    ({"adapter_file": "no/such/adapter.py"}, "adapter file not found"),
    ({"isolation": "process", "timeout": float("inf")}, "--timeout inf: must be"),
    ({"hide": ["x"]}, "--hide applies only to sandboxed code"),
])
def test_contradictions_are_refused(options, message):
    with pytest.raises(Exception, match=message):
        plan.make("check", {"path": "reference", **options})


def test_the_same_options_make_the_same_plan_for_the_plugin_and_check():
    from harness import plugin

    class Config:
        values: ClassVar[dict] = {"backcheck_impl": "reference", "backcheck_adapter": "classes",
                  "backcheck_adapter_file": None, "backcheck_oracles": "fd",
                  "backcheck_layers": "Linear,ReLU", "backcheck_dtype": "float64",
                  "backcheck_salt": "s", "backcheck_isolation": "none",
                  "backcheck_spec_file": [], "backcheck_path": [],
                  "backcheck_cases": [], "backcheck_rubric": None}

        def getoption(self, name):
            return self.values[name]

    from_plugin = plugin.plan_of(Config())
    from_cli = plan.make("check", {"path": "reference", "adapter": "classes",
                                   "oracles": ["fd"], "layers": ["Linear", "ReLU"],
                                   "dtype": "float64", "salt": "s"})
    assert from_plugin == from_cli
    assert set(plugin.OPTIONS) <= set(plan.KEYS)


def test_the_rubric_adapter_and_cases_apply_unless_the_command_line_gives_its_own():
    def made(**options):
        return plan.make("grade", {"path": str(SUBMISSION), "rubric": str(COURSE),
                                   "format": ["json"], **options})

    course = made()
    assert course.adapter == "classes:CrossEntropy.targets=onehot"
    assert [s.layer for s in course.cases] == ["CrossEntropy"]
    assert made(adapter="classes").adapter == "classes"
    own_file = made(adapter_file=str(ADAPTER_FILE))
    assert (own_file.adapter, own_file.adapter_file) == (None, str(ADAPTER_FILE))
    assert [t.value for s in made(cases=["CrossEntropy:N=1"]).cases for t in s.terms] == [1]
    assert plan.make("check", {"path": str(SUBMISSION)}).adapter is None


def test_an_adapter_file_recipe_for_no_catalog_layer_is_refused_with_the_near_name(tmp_path):
    path = tmp_path / "typo_adapter.py"
    path.write_text("from harness.adapters.api import LibraryAdapter, Recipe\n"
                    "ADAPTER = LibraryAdapter('mine', {'LayerNrom': Recipe('RowNorm')})\n")
    with pytest.raises(BackcheckError, match="recipe for 'LayerNrom'") as raised:
        plan.make("check", {"path": "reference", "adapter_file": str(path)})
    assert raised.value.hint == "did you mean 'LayerNorm'?"


def test_cases_that_leave_a_checked_layer_nothing_to_run_are_refused():
    with pytest.raises(UsageError, match="leaves Conv2d no case to run") as raised:
        plan.make("check", {"path": "reference", "layers": ["Conv2d", "Linear"],
                            "cases": ["Conv2d:stride=7"]})
    assert raised.value.hint == "its cases have stride 1, 2, (2, 1), (1, 2)"
    kept = plan.make("check", {"path": "reference", "layers": ["Linear"],
                               "cases": ["Conv2d:stride=7"]})
    assert kept.layers == ("Linear",)
