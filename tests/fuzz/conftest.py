"""Hypothesis profiles for fuzzing: small by default (`make test`), large and time-boxed for `make fuzz`.

`HYPOTHESIS_PROFILE=fuzz` switches every test here to the large profile; `WILDCLI_FUZZ_SECONDS`
(set by `make fuzz` from FUZZ_MINUTES) is then shared out between them, and each test keeps
starting new hypothesis runs, with fresh random inputs, until its share is spent.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
FUZZING = PROFILE == "fuzz"
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile("fuzz", deadline=None, max_examples=2_000, suppress_health_check=_SLOW_IS_FINE,
                          print_blob=True)  # fmt: skip
_budget: dict[str, float] = {"tests": 0.0}  # fuzz tests not yet run; "deadline" once the first starts


def fuzz_settings(examples: int) -> settings:
    """`examples` runs in the default profile (they must stay quick), many more when fuzzing."""
    if FUZZING:
        return settings(settings.get_profile("fuzz"))
    return settings(deadline=None, max_examples=examples, suppress_health_check=_SLOW_IS_FINE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    _budget["tests"] = sum("tests/fuzz/" in item.nodeid for item in items)
    if FUZZING:
        # One hypothesis run of the fuzz profile can outlast the suite's per-test timeout on a busy
        # machine; a fuzz test still has one, the whole fuzzing budget plus the usual margin.
        limit = float(os.environ.get("WILDCLI_FUZZ_SECONDS", "60")) + 120
        for item in items:
            if "tests/fuzz/" in item.nodeid:
                item.add_marker(pytest.mark.timeout(limit))


Runner = Callable[[Callable[[], None]], None]


@pytest.fixture
def fuzz() -> Runner:
    """Run a hypothesis test once, or, when fuzzing, again and again for this test's time share.

    The share is the time left divided by the tests left, so a test that stops early (a
    failure, an xfail) leaves its time to the others.
    """

    def run(test: Callable[[], None]) -> None:
        now = time.monotonic()
        deadline = _budget.setdefault("deadline", now + float(os.environ.get("WILDCLI_FUZZ_SECONDS", "60")))
        stop = now + max(0.0, deadline - now) / max(1.0, _budget["tests"])
        _budget["tests"] = max(0.0, _budget["tests"] - 1)
        test()
        while FUZZING and time.monotonic() < stop:
            test()

    return run
