"""The tier fuzzer: generated Ruff programs must behave identically on every tier (issue 18).

Each example is a whole program from `programs.py` (edge-value int/float arithmetic, comparisons, nested and
hot loops, recursion up to and past the call-depth limit, hot functions called with changing argument types,
rebinding, try/except around runtime errors). It runs as four processes: `--tier interp --no-jit` (the
reference), `--no-jit`, `--jit-threshold 0` and the default flags; stdout, stderr and the exit code must all
match the reference. A failure is shrunk by hypothesis to a small program and printed with every tier's
outcome.

Budget: by default a fixed set of RUFF_FUZZ_EXAMPLES=30 programs (seed RUFF_FUZZ_SEED=DEFAULT_SEED, chosen
because its 30 programs cover every construct the generator writes), about a minute of one core. More on
demand, e.g.

    RUFF_FUZZ_EXAMPLES=3000 .venv/bin/python -m pytest -n 0 tests/fuzz
    RUFF_FUZZ_EXAMPLES=500 RUFF_FUZZ_SEED=7 .venv/bin/python -m pytest -n 0 tests/fuzz

For long campaigns that keep going past the first difference and save each one minimized, use
`python -m tests.fuzz --help`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, given, seed, settings

from ruff.frontend.compiler import compile_source

from .programs import ALL_FEATURES, features, programs
from .runner import MIN_TIMEOUT, REFERENCE, SHRINK_MIN_TIMEOUT, differing, internal_error, report, run_all

DEFAULT_EXAMPLES = 30
DEFAULT_SEED = 8
EXAMPLES = int(os.environ.get("RUFF_FUZZ_EXAMPLES", DEFAULT_EXAMPLES))
SEED = int(os.environ.get("RUFF_FUZZ_SEED", DEFAULT_SEED))

# No example database (runs are reproducible from the seed alone) and no "explain" phase (it reruns the
# failing program many more times, each four process launches, to annotate the report).
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                         phases=[Phase.explicit, Phase.generate, Phase.shrink],
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                HealthCheck.large_base_example])


FAILURES: list[str] = []  # failing programs seen by this process


def default_budget_programs() -> list[str]:
    """The programs the default budget runs (given that they all pass): same seed, same settings."""
    seen: list[str] = []

    @seed(DEFAULT_SEED)
    @settings(FUZZ_SETTINGS, max_examples=DEFAULT_EXAMPLES)
    @given(programs())
    def collect(source: str) -> None:
        seen.append(source)

    collect()
    return seen


@seed(SEED)
@FUZZ_SETTINGS
@given(programs())
def test_every_tier_agrees_with_the_interpreter(source: str) -> None:
    # Once a failure is found, hypothesis is shrinking it: stop each run at the first difference, and
    # give a configuration that hangs seconds rather than the full timeout.
    shrinking = bool(FAILURES)
    outcomes = run_all(source, stop_early=True, min_timeout=SHRINK_MIN_TIMEOUT if shrinking else MIN_TIMEOUT)
    try:
        assert outcomes[REFERENCE].code is not None, f"the reference timed out: the generator must bound work\n{source}"
        assert not internal_error(outcomes[REFERENCE]), "internal error (exit 6)\n" + report(source, outcomes)
        assert not differing(outcomes), report(source, outcomes)
    except AssertionError:
        FAILURES.append(source)
        raise


@settings(max_examples=100, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs())
def test_generated_programs_compile(source: str) -> None:
    compile_source(source, "prog.ruff")


def test_the_default_budget_covers_the_generator() -> None:
    """The fixed seed was picked so that its few programs use every construct the generator can write."""
    covered: set[str] = set()
    for source in default_budget_programs():
        covered |= features(source)
    assert ALL_FEATURES - covered == set()
