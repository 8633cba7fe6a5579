"""Contract coverage for consumers: which declared operation x status pairs the tests exercised."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest

from agentmock import contracts
from agentmock.mockserver import vendors

if TYPE_CHECKING:
    from agentmock.mockserver.journal import Entry

__all__ = ["ContractCoverage", "CoverageReport"]

_WORKER_KEY = "agentmock_coverage"

_METHODS = ("get", "put", "post", "delete", "patch")


def declared_pairs() -> list[tuple[str, str, int]]:
    """Every (vendor, operationId, status) the contracts declare."""
    pairs: list[tuple[str, str, int]] = []
    for vendor in vendors.names():  # the registry's order: the oldest vendor first
        for item in contracts.load(vendors.contract(vendor))["paths"].values():
            for method in _METHODS:
                if method in item:
                    op = item[method]
                    for status in op["responses"]:
                        pairs.append((vendor, op["operationId"], int(status)))
    return pairs


class ContractCoverage:
    """Fed every journal entry of every fake the fixtures make; reports at the session's end."""

    def __init__(self) -> None:
        self.declared = declared_pairs()
        self.seen: set[tuple[str, str, int]] = set()
        self._lock = threading.Lock()

    def observe(self, entry: Entry) -> None:
        if entry.operation is not None and entry.status is not None:
            with self._lock:
                self.seen.add((entry.vendor, entry.operation, entry.status))

    def export(self) -> list[list[str | int]]:
        """What this process saw, as JSON-able rows (pytest-xdist workers send it home)."""
        with self._lock:
            return [[vendor, operation, status] for vendor, operation, status in sorted(self.seen)]

    def merge(self, rows: list[list[str | int]]) -> None:
        """Add what another process saw (`export`'s rows)."""
        with self._lock:
            self.seen.update((str(v), str(o), int(s)) for v, o, s in rows)

    @property
    def percent(self) -> float:
        hit = sum(1 for pair in self.declared if pair in self.seen)
        return 100.0 * hit / len(self.declared)

    def lines(self) -> list[str]:
        rows = ["agentmock contract coverage (operation: statuses exercised / declared)"]
        current: tuple[str, str] | None = None
        by_op: dict[tuple[str, str], list[int]] = {}
        for vendor, operation, status in self.declared:
            by_op.setdefault((vendor, operation), []).append(status)
        width = max(len(f"{v} {o}") for v, o in by_op)
        for (vendor, operation), statuses in by_op.items():
            current = (vendor, operation)
            marks = " ".join(
                f"{s}" if (*current, s) in self.seen else f"({s})" for s in sorted(statuses)
            )
            hit = sum(1 for s in statuses if (*current, s) in self.seen)
            name = f"{vendor} {operation}"
            rows.append(f"  {name:<{width}}  {hit:>2}/{len(statuses):<2}  {marks}")
        hit = sum(1 for pair in self.declared if pair in self.seen)
        rows.append(
            f"  total: {hit}/{len(self.declared)} = {self.percent:.1f}%  ((NNN) = not exercised)"
        )
        return rows


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workeroutput")


class CoverageReport:
    """The coverage report's pytest hooks, registered only in runs with `--agentmock-coverage`
    or `--agentmock-coverage-fail-under`: under pytest-xdist each worker hands what it saw to
    the controller, which reports the union."""

    def __init__(self, coverage: ContractCoverage) -> None:
        self.coverage = coverage

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist: a worker finished; fold what its tests exercised into the report."""
        seen = getattr(node, "workeroutput", {}).get(_WORKER_KEY)
        if seen:
            self.coverage.merge(seen)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        coverage = self.coverage
        if _is_xdist_worker(session.config):  # the controller reports the union of all workers
            session.config.workeroutput[_WORKER_KEY] = coverage.export()  # type: ignore[attr-defined]
            return
        threshold = session.config.getoption("--agentmock-coverage-fail-under", default=None)
        below = threshold is not None and coverage.percent < threshold
        if below and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any, config: pytest.Config) -> None:
        if _is_xdist_worker(config):
            return
        coverage = self.coverage
        for line in coverage.lines():
            terminalreporter.write_line(line)
        threshold = config.getoption("--agentmock-coverage-fail-under", default=None)
        if threshold is not None and coverage.percent < threshold:
            terminalreporter.write_line(
                f"agentmock: contract coverage {coverage.percent:.1f}% is below the required "
                f"{threshold:g}% (--agentmock-coverage-fail-under); exercise the statuses in "
                "parentheses above, or lower the threshold",
                red=True,
            )
