"""The tier fuzzer: generated Ruff programs must behave identically on every tier (issue 18).

Each example is a whole program from `programs.py` (edge-value int/float arithmetic, comparisons, nested and
hot loops, recursion up to and past the call-depth limit, hot functions called with changing argument types,
rebinding, try/except around runtime errors). It runs as four processes: `--tier interp --no-jit` (the
reference), `--no-jit`, `--jit-threshold 0` and the default flags; stdout, stderr and the exit code must all
match the reference. A failure is shrunk by hypothesis to a small program and printed with every tier's
outcome.

Budget: by default RUFF_FUZZ_EXAMPLES=40 programs, in two halves of 20 that pytest-xdist runs side by side
(seeds DEFAULT_SEEDS, chosen because together their programs cover every construct the generator writes),
about a minute of two cores. More on demand (RUFF_FUZZ_SEED=S: seeds S and S + 1), e.g.

    RUFF_FUZZ_EXAMPLES=3000 .venv/bin/python -m pytest -n 2 tests/fuzz
    RUFF_FUZZ_EXAMPLES=500 RUFF_FUZZ_SEED=7 .venv/bin/python -m pytest -n 2 tests/fuzz

For long campaigns that keep going past the first difference and save each one minimized, use
`python -m tests.fuzz --help`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, given, seed, settings

from ruff.frontend.compiler import compile_source

from .programs import ALL_FEATURES, features, programs
from .runner import MIN_TIMEOUT, REFERENCE, SHRINK_MIN_TIMEOUT, differing, internal_error, report, run_all

DEFAULT_EXAMPLES = 40
DEFAULT_SEEDS = (3, 31)
EXAMPLES = int(os.environ.get("RUFF_FUZZ_EXAMPLES", DEFAULT_EXAMPLES))
_SEED = os.environ.get("RUFF_FUZZ_SEED")
SEEDS = (int(_SEED), int(_SEED) + 1) if _SEED else DEFAULT_SEEDS
HALF = (EXAMPLES + 1) // 2  # programs per seed

# No example database (runs are reproducible from the seed alone) and no "explain" phase (it reruns the
# failing program many more times, each four process launches, to annotate the report).
FUZZ_SETTINGS = settings(max_examples=HALF, deadline=None, database=None,
                         phases=[Phase.explicit, Phase.generate, Phase.shrink],
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                HealthCheck.large_base_example])


FAILURES: list[str] = []  # failing programs seen by this process


def default_budget_programs() -> list[str]:
    """The programs the default budget runs (given that they all pass): same seeds, same settings."""
    seen: list[str] = []
    for run_seed in DEFAULT_SEEDS:
        @seed(run_seed)
        @settings(FUZZ_SETTINGS, max_examples=(DEFAULT_EXAMPLES + 1) // 2)
        @given(programs())
        def collect(source: str) -> None:
            seen.append(source)

        collect()
    return seen


def check_program(source: str) -> None:
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


# Two halves with their own seeds, so that `pytest -n 2` runs them side by side.
@seed(SEEDS[0])
@FUZZ_SETTINGS
@given(programs())
def test_every_tier_agrees_with_the_interpreter(source: str) -> None:
    check_program(source)


@seed(SEEDS[1])
@FUZZ_SETTINGS
@given(programs())
def test_every_tier_agrees_with_the_interpreter_second_half(source: str) -> None:
    check_program(source)


@settings(max_examples=100, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(programs())
def test_generated_programs_compile(source: str) -> None:
    compile_source(source, "prog.ruff")


def test_the_default_budget_covers_the_generator() -> None:
    """The fixed seeds were picked so that their few programs use every construct the generator can write."""
    covered: set[str] = set()
    for source in default_budget_programs():
        covered |= features(source)
    assert ALL_FEATURES - covered == set()
