"""pytest plugin: ``pytest --backcheck-impl PATH`` runs backcheck's checks as tests.

Each check becomes one test, ``test_gradient[Linear-case2-dW-torch]``: layer, case,
quantity and oracle. When more than one dtype is checked (the default checks float32
and float64) the dtype joins the id after the case: ``Linear-case2-float32-dW-torch``.
A failing test's text is the check's explanation (hint, message and the comparison),
the same words ``backcheck check`` prints.

With ``--backcheck-impl``, pytest runs these checks *instead of* the tests it would
collect by default (so ``tox -e torch -- --backcheck-impl alice.py`` replaces the
project's suite); paths given on the command line are collected as well.

This module imports nothing but pytest: backcheck itself is imported only when
``--backcheck-impl`` is given. Collection needs only the catalog's names, so it is
cheap, deterministic and imports no framework (pytest-xdist workers collect the same
tests); a layer's expected values and the implementation's outcomes are computed when
its first test runs, once per process. ``--dist loadscope`` gives each layer to one
xdist worker, so no layer is computed twice.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from harness.plan import Plan
    from harness.result import Check

DTYPE_CHOICES = ("float32", "float64", "all")


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ``--backcheck-*`` options; nothing happens unless ``--backcheck-impl`` is set."""
    group = parser.getgroup("backcheck", "backcheck gradient conformance checks")
    group.addoption("--backcheck-impl", default=None, metavar="PATH",
                    help="check this implementation (a .py file, notebook, .zip, directory "
                         "or module name) instead of collecting tests")
    group.addoption("--backcheck-adapter", default=None, metavar="NAME",
                    help="adapter name (default: detect)")
    group.addoption("--backcheck-adapter-file", default=None, metavar="FILE",
                    help="a local Python file defining ADAPTER")
    group.addoption("--backcheck-oracles", default="", metavar="LIST",
                    help="comma-separated oracles, e.g. fd,torch (default: all registered)")
    group.addoption("--backcheck-layers", default="", metavar="LIST",
                    help="comma-separated layers (default: the whole catalog)")
    group.addoption("--backcheck-dtype", default="all", choices=DTYPE_CHOICES,
                    help="dtype to check in (default: all)")
    group.addoption("--backcheck-salt", default="", metavar="SALT",
                    help="course salt for the case seeds")
    group.addoption("--backcheck-isolation", default="none", choices=("none", "process"),
                    help="where the implementation runs (default: none, in-process)")
    group.addoption("--backcheck-spec-file", action="append", default=[], metavar="FILE",
                    help="a Python file defining SPECS (course layers); repeatable")
    group.addoption("--backcheck-path", action="append", default=[], metavar="DIR",
                    help="a folder the implementation imports from; repeatable")
    group.addoption("--backcheck-rubric", default=None, metavar="FILE",
                    help="a course rubric whose adapter and cases apply (its points do not); "
                         "--backcheck-adapter and --backcheck-cases override them")
    group.addoption("--backcheck-cases", action="append", default=[], metavar="SELECTOR",
                    help="run only these configurations, e.g. 'Conv2d:stride=1,padding=0'; "
                         "repeatable")


def pytest_configure(config: pytest.Config) -> None:
    """Register the checks when ``--backcheck-impl`` is given; bad options stop pytest."""
    if not config.getoption("backcheck_impl"):
        return
    from harness import native_log
    from harness.errors import BackcheckError

    native_log.install()
    try:
        plan = plan_of(config)
    except BackcheckError as exc:
        raise pytest.UsageError(f"backcheck: {exc}") from None
    config.pluginmanager.register(Conformance(plan), "backcheck-conformance")


OPTIONS = {"path": "backcheck_impl", "adapter": "backcheck_adapter",
           "adapter_file": "backcheck_adapter_file", "oracles": "backcheck_oracles",
           "layers": "backcheck_layers", "dtype": "backcheck_dtype",
           "salt": "backcheck_salt", "isolation": "backcheck_isolation",
           "spec_file": "backcheck_spec_file", "import_path": "backcheck_path",
           "cases": "backcheck_cases", "rubric": "backcheck_rubric"}
"""``Plan`` option -> the pytest option that sets it (the lists are comma-separated)."""


def plan_of(config: pytest.Config) -> Plan:
    """The validated ``Plan`` of the ``--backcheck-*`` options (``harness.plan.make``);
    every oracle is named, so the tests can be collected without choosing later."""
    from dataclasses import replace

    from harness import oracles, plan
    from harness.specs import CATALOG, plugins

    options = {key: config.getoption(name) for key, name in OPTIONS.items()}
    plugins.load_files(options["spec_file"], CATALOG)
    options["oracles"] = _csv(options["oracles"])
    options["layers"] = _csv(options["layers"])
    made = plan.make("plugin", options)
    return replace(made, oracles=made.oracles or tuple(oracles.registered()))


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class CheckKey:
    """Which check one test stands for."""

    layer: str
    case: int
    dtype: str
    quantity: str
    oracle: str

    def id(self, with_dtype: bool) -> str:
        """``Linear-case2-dW-torch``, or ``Linear-case2-float32-dW-torch``."""
        from harness.case import Case

        return Case.identify(self.layer, self.case, self.dtype if with_dtype else "",
                             self.quantity, self.oracle)


class Conformance:
    """The plugin object registered when ``--backcheck-impl`` is given."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self._skipped: dict[str, str] | None = None
        self.unjudged: list[str] = []
        """Why each check backcheck could not judge was skipped (oracles disagree)."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Checks skipped because backcheck cannot judge them, said once at the end: a
        run green for want of judged checks must not pass for a conforming one."""
        if self.unjudged:
            terminalreporter.write_line(
                f"backcheck: {len(self.unjudged)} checks not judged, backcheck's problem "
                f"and not charged: {self.unjudged[0]}", yellow=True)

    def skipped_oracles(self) -> dict[str, str]:
        """Oracle name -> why it cannot run here (checked without importing frameworks)."""
        if self._skipped is None:
            from harness import oracles

            self._skipped = oracles.available(oracles.load(list(self.plan.oracles)))[1]
        return self._skipped

    def pytest_report_header(self, config: pytest.Config) -> list[str]:
        """Implementation, adapter, selection and oracle versions, so a typo shows at once."""
        s = self.plan
        adapter = (f"from {s.adapter_file}" if s.adapter_file else s.adapter or "detect")
        return [
            f"backcheck: implementation {s.path}, adapter {adapter}, "
            f"isolation {s.isolation}",
            f"backcheck: layers {self._layers()}; dtypes {', '.join(s.dtypes)}"
            + (f"; salt {s.salt!r}" if s.salt else ""),
            f"backcheck: oracles {'; '.join(self._describe(name) for name in s.oracles)}",
        ]

    def _layers(self) -> str:
        from harness.specs import CATALOG

        layers = self.plan.layers
        return f"all {len(layers)}" if len(layers) == len(CATALOG) else ", ".join(layers)

    def _describe(self, name: str) -> str:
        from harness import oracles

        reason = self.skipped_oracles().get(name)
        if reason:
            return f"{name} skipped ({reason})"
        return f"{name} ({oracles.load([name])[0].version()})"

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector):
        """Put the checks first in the session; drop default paths, keep explicit ones."""
        report = yield
        if not isinstance(collector, pytest.Session):
            return report
        checks = ImplementationChecks.from_parent(collector, name="backcheck", nodeid="backcheck",
                                                  plugin=self)
        if collector.config.args_source == pytest.Config.ArgsSource.ARGS:
            report.result = [checks, *report.result]
            return report
        return pytest.CollectReport(collector.nodeid, "passed", None, [checks])

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        """Add the failing case's shapes, seed and a rerun hint below the failure text."""
        report = yield
        if isinstance(item, GradientCheck) and report.failed and item.check is not None:
            report.sections.append(("backcheck case", item.case_details()))
        return report


class ImplementationChecks(pytest.Collector):
    """Every layer's checks of the implementation, one collector per layer."""

    def __init__(self, *, plugin: Conformance, **kwargs: Any):
        super().__init__(**kwargs)
        self.plugin = plugin

    def collect(self) -> list[LayerChecks]:
        return [LayerChecks.from_parent(self, name=layer, plugin=self.plugin)
                for layer in self.plugin.plan.layers]


class LayerChecks(pytest.Collector):
    """One layer's checks; computes them all on first use and keeps them."""

    def __init__(self, *, plugin: Conformance, **kwargs: Any):
        super().__init__(**kwargs)
        self.plugin = plugin
        self._checks: dict[CheckKey, Check] | None = None
        self._error: str = ""
        self.adapter = ""

    def collect(self) -> Iterator[GradientCheck]:
        from harness import selection
        from harness.specs import CATALOG

        plan = self.plugin.plan
        spec = CATALOG[self.name]
        skipped = self.plugin.skipped_oracles()
        for index in range(len(spec.variants)):
            if not selection.keep(plan.cases, spec, index):
                continue
            for dtype in plan.dtypes:
                for quantity in spec.quantities:
                    for oracle in plan.oracles:
                        key = CheckKey(self.name, index, dtype, quantity, oracle)
                        test_id = key.id(with_dtype=len(plan.dtypes) > 1)
                        item = GradientCheck.from_parent(
                            self, name=f"test_gradient[{test_id}]", key=key, test_id=test_id)
                        if oracle in skipped:
                            item.add_marker(pytest.mark.skip(reason=skipped[oracle]))
                        yield item

    def check(self, key: CheckKey) -> Check:
        """The ``Check`` for ``key``; fails the test when the layer could not be run."""
        if self._checks is None:
            self._compute()
        if self._error:
            pytest.fail(f"backcheck: error: {self._error}", pytrace=False)
        if key not in self._checks:
            raise LookupError(f"backcheck produced no check {key} (a bug in backcheck)")
        return self._checks[key]

    def _compute(self) -> None:
        from dataclasses import replace

        from harness import engine, specs
        from harness.errors import BackcheckError, HarnessError

        plan = replace(self.plugin.plan, specs=tuple(specs.select([self.name])))
        try:
            result = engine.run(plan.target(), plan.prepare(), executor=plan.executor())
        except HarnessError as exc:
            pytest.exit(f"backcheck cannot judge: {exc}", returncode=pytest.ExitCode.INTERNAL_ERROR)
        except BackcheckError as exc:
            self._error, self._checks = str(exc), {}
            return
        self.adapter = result.adapter
        self._checks = {CheckKey(c.layer, c.case, c.dtype, c.quantity, c.oracle): c
                        for c in result.checks}


class GradientCheck(pytest.Item):
    """One check as a test: passes, skips with the reason, or fails with the explanation."""

    def __init__(self, *, key: CheckKey, test_id: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.key = key
        self.test_id = test_id
        self.parent: LayerChecks
        self.check: Check | None = None
        self.user_properties += [(field, str(getattr(key, field)))
                                 for field in ("layer", "case", "dtype", "quantity", "oracle")]

    def runtest(self) -> None:
        from harness.result import HARNESS_ERROR, PASS, SKIP, UNSUPPORTED

        check = self.check = self.parent.check(self.key)
        if check.verdict == PASS:
            return
        if check.verdict == SKIP:
            pytest.skip(check.message)
        if check.verdict == UNSUPPORTED:
            pytest.skip(f"unsupported by the library (not charged): {check.message}")
        if check.verdict == HARNESS_ERROR:
            self.parent.plugin.unjudged.append(check.message)
            pytest.skip(f"backcheck cannot judge this case (not charged): {check.message}")
        self.user_properties += [("verdict", check.verdict), ("shapes", check.shapes),
                                 ("seed", str(check.seed))]
        pytest.fail(check.explain(), pytrace=False)

    def case_details(self) -> str:
        """Shapes and seed of the failing case, the adapter, and how to rerun just it."""
        check = self.check
        assert check is not None, "only called after runtest"
        return (f"{self.key.layer} case {self.key.case} ({self.key.dtype}): {check.shapes}; "
                f"seed {check.seed}; adapter {self.parent.adapter or 'none'}\n"
                f"rerun only this check: add -k '{self.test_id}'\n")

    def reportinfo(self) -> tuple[str, int, str]:
        """The implementation's path (the root for a module name) for the progress line."""
        impl = self.parent.plugin.plan.path
        return (impl if os.path.exists(impl) else str(self.config.rootpath)), 0, self.name
