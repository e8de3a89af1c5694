"""`ruff test-run FILE`: run the `test` blocks of a Ruff file and report.

1. The file's top-level code runs once (definitions, imports; `test`, `test_group`, `test_setup` and
   `test_teardown` statements register zero-argument closures in `vm.tests`).
2. Every `test_group "name" { ... }` body then runs once to register what it contains; its tests are
   named `group > test` (nested groups nest further).
3. Each test runs in source order: the setups that apply to it (outer groups first), the test body, then
   the teardowns (innermost first; they run even when the test or a setup failed). A test fails on any
   Ruff runtime error (the assert_* builtins raise one); a failing setup fails the test with
   "Setup failed: ..." and skips its body; a failing teardown fails it with "Teardown failed: ...".
4. After each test the module's global bindings are put back as they were before its setups ran, so one
   test's rebinding cannot leak into the next (the reference gives every test a fresh copy of the
   environment). Each test also starts from fresh copies of the arrays, dicts and struct values the
   globals hold, so what one test changes in place is not seen by the next.
   Setup, test and teardown bodies are closures: `x := ...` in a setup updates a global only when `x`
   is also bound at the top level of the file (declare `x := null` there); otherwise it is a local of
   the setup block.

Output: a line per failed test as it finishes (with `-v`, per test), then the counts. A failure shows
its message (a failed assert_equal in Ruff's display forms, strings quoted), where it was raised and that
source line; with several files each file's lines follow its name.

      ✓ adds numbers (0ms)                                   (only with -v)
      ✗ strings > upper (1ms)
        Error: Assertion failed: expected "AB", got "Ab"
        at tests/testrun/fail.ruff:12
        12 | assert_equal(upper("ab"), "AB")

    2 passed, 1 failed
    Time: 3ms

Exit status: 0 when every test passed, 1 when any failed; for a file that cannot run its tests, 3 (syntax
error), 4 (its top-level code failed) or 5 (unreadable), the first such code winning over test failures;
or the code given to `exit(code)`. A file without tests prints "No tests found in FILE" (the reference's
words) and passes: the reference exits 4 there, but nothing failed, and with several files a helper
module without tests must not fail the run.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ruff.exit_codes import EXIT_FAILURE, EXIT_OK, EXIT_RUNTIME
from ruff.runner import RunOptions, UserError, load_program, source_name
from ruff.runtime.report import format_runtime_error, source_text
from ruff.runtime.values import AssertionFailure, Module, RuffError, StructInstance


@dataclass
class TestCase:
    name: str
    body: Any  # zero-argument closure
    setups: list = field(default_factory=list)
    teardowns: list = field(default_factory=list)
    error: Optional[RuffError] = None  # set when collecting it already failed (a broken group body)


@dataclass
class TestResult:
    name: str
    passed: bool
    message: Optional[str] = None
    filename: Optional[str] = None  # where the failing assertion or error was raised
    line: int = 0
    ms: int = 0


def _marks() -> tuple[str, str]:
    enc = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "✓✗".encode(enc)
        return "✓", "✗"
    except (UnicodeEncodeError, LookupError):
        return "PASS", "FAIL"


def failure_text(err: RuffError) -> str:
    """What a failed test reports: an assertion in Ruff's own display forms, any other error as raised."""
    return err.readable if isinstance(err, AssertionFailure) else err.message


def collect(vm: Any, entries: list, prefix: str = "", setups: Optional[list] = None,
            teardowns: Optional[list] = None) -> list[TestCase]:
    """Turn registered (kind, name, closure) entries into test cases, running group bodies."""
    setups = list(setups or [])
    teardowns = list(teardowns or [])
    here_setups = setups + [fn for kind, _, fn in entries if kind == "setup"]
    here_teardowns = [fn for kind, _, fn in reversed(entries) if kind == "teardown"] + teardowns
    cases: list[TestCase] = []
    for kind, name, fn in entries:
        if kind == "test":
            cases.append(TestCase(prefix + str(name), fn, here_setups, here_teardowns))
        elif kind == "group":
            saved = vm.tests
            vm.tests = []
            try:
                vm.call(fn, [])
            except RuffError as err:
                del vm.frames[:]
                cases.append(TestCase(prefix + str(name), None, error=err))
                continue
            finally:
                inner, vm.tests = vm.tests, saved
            cases.extend(collect(vm, inner, prefix + str(name) + " > ", here_setups, here_teardowns))
    return cases


def copy_data(v: Any, memo: dict) -> Any:
    """A deep copy of Ruff data (arrays, dicts, struct instances); functions and handles are shared."""
    t = type(v)
    if t is not list and t is not dict and not isinstance(v, StructInstance):
        return v
    if id(v) in memo:
        return memo[id(v)]
    if t is list:
        out_list: list = []
        memo[id(v)] = out_list
        out_list.extend(copy_data(x, memo) for x in v)
        return out_list
    if t is dict:
        out_dict: dict = {}
        memo[id(v)] = out_dict
        out_dict.update((k, copy_data(x, memo)) for k, x in v.items())
        return out_dict
    out_struct = object.__new__(t)  # fields set below, once the copy is in memo for cycles back to it
    memo[id(v)] = out_struct
    for slot in v.type.slots.values():
        setattr(out_struct, slot, copy_data(getattr(v, slot), memo))
    return out_struct


def _restore_globals(vm: Any, module: Module, saved: dict, kinds: dict) -> None:
    g = module.globals
    changed = [k for k in g if k not in saved or g[k] is not saved[k]] + [k for k in saved if k not in g]
    if not changed and module.kinds == kinds:
        return
    g.clear()
    g.update(saved)
    module.kinds.clear()
    module.kinds.update(kinds)
    if vm.jit is not None:
        for name in changed:
            vm.jit.global_rebound(module, name)


def run_case(vm: Any, case: TestCase, module: Module) -> TestResult:
    start = time.perf_counter()

    def done(message: Optional[str] = None, err: Optional[RuffError] = None) -> TestResult:
        ms = int((time.perf_counter() - start) * 1000)
        where = err is not None and err.filename and err.line
        return TestResult(case.name, message is None, message, err.filename if where else None,
                          err.line if where else 0, ms)

    if case.error is not None:
        return done(failure_text(case.error), case.error)

    saved, kinds = dict(module.globals), dict(module.kinds)
    memo: dict = {}
    module.globals.update((k, copy_data(v, memo)) for k, v in saved.items())
    failure: Optional[tuple[str, RuffError]] = None

    def attempt(fn: Any, label: str) -> bool:
        nonlocal failure
        try:
            vm.call(fn, [])
            return True
        except RuffError as err:
            del vm.frames[:]
            if failure is None:
                failure = (label + failure_text(err), err)
            return False

    try:
        if all(attempt(s, "Setup failed: ") for s in case.setups):
            attempt(case.body, "")
        for t in case.teardowns:
            attempt(t, "Teardown failed: ")
    finally:
        _restore_globals(vm, module, saved, kinds)
    if failure is not None:
        return done(*failure)
    return done()


@dataclass
class FileReport:
    """How the tests of one file went; `error_code` is set when the file could not run its tests."""

    passed: int = 0
    failed: int = 0
    error_code: int = EXIT_OK
    listed: bool = False  # a line was printed for one of its tests


def run_tests(path: str, options: RunOptions, write: Optional[Callable[[str], Any]] = None,
              verbose: bool = False) -> int:
    """Run the tests of one file; output goes to stdout (or `write`), diagnostics to stderr."""
    return run_test_files([path], options, verbose=verbose, write=write)


def run_test_files(paths: list[str], options: RunOptions, verbose: bool = False,
                   write: Optional[Callable[[str], Any]] = None) -> int:
    """`ruff test-run FILE...`: every file in turn (each with its own executor), then the totals.

    The exit code: that of the first file that could not run its tests (3, 4, 5), else 1 when a test
    failed, else 0; `exit(code)` in a test ends the whole run with `code`."""
    from ruff.runtime.bigstack import run_in_big_stack

    return run_in_big_stack(lambda: _run_test_files(paths, options, verbose, write))


def _run_test_files(paths: list[str], options: RunOptions, verbose: bool,
                    write: Optional[Callable[[str], Any]]) -> int:
    from ruff.runtime.builtins.core import ExitProgram

    emit = write or sys.stdout.write
    started = time.perf_counter()
    reports: list[FileReport] = []
    try:
        for path in paths:
            if len(paths) > 1:
                emit(f"{source_name(path)}\n")
            reports.append(_run_file(path, options, verbose, write))
    except ExitProgram as e:
        return e.code
    finally:
        try:
            sys.stdout.flush()
        except Exception:
            pass
    passed = sum(r.passed for r in reports)
    failed = sum(r.failed for r in reports)
    if passed or failed:
        total_ms = int((time.perf_counter() - started) * 1000)
        gap = "\n" if len(paths) > 1 or any(r.listed for r in reports) else ""
        emit(f"{gap}{passed} passed, {failed} failed\nTime: {total_ms}ms\n")
    for r in reports:
        if r.error_code != EXIT_OK:
            return r.error_code
    return EXIT_FAILURE if failed else EXIT_OK


def _run_file(path: str, options: RunOptions, verbose: bool, write: Optional[Callable[[str], Any]]) -> FileReport:
    report = FileReport()
    try:
        loaded = load_program(path, options, write)
    except UserError as e:
        print(e.text, file=sys.stderr)
        report.error_code = e.code
        return report
    vm, program, module, source = loaded.vm, loaded.program, loaded.module, loaded.source
    sources = {module.filename: source}
    ok_mark, fail_mark = _marks()

    def out(text: str) -> None:
        vm.write(text)  # read each time: starting a task swaps in a locked writer

    try:
        vm.run_chunk(program.chunk, module)
        entries, vm.tests = vm.tests, []
        cases = collect(vm, entries)
    except RuffError as err:
        sys.stdout.flush()
        print(format_runtime_error(err, sources), file=sys.stderr)
        report.error_code = EXIT_RUNTIME
        return report
    if not cases:
        # The reference exits 4 here, but nothing failed: a file without tests (a helper module among the
        # files given, a suite not written yet) is not a runtime error, so it is reported and passes.
        out(f"No tests found in {module.filename}\n")
        return report
    for case in cases:
        result = run_case(vm, case, module)
        if result.passed:
            report.passed += 1
            if verbose:
                out(f"  {ok_mark} {result.name} ({result.ms}ms)\n")
                report.listed = True
            continue
        report.failed += 1
        report.listed = True
        text = f"  {fail_mark} {result.name} ({result.ms}ms)\n    Error: {result.message}\n"
        if result.filename:
            text += f"    at {result.filename}:{result.line}\n"
            line = source_line(source_text(result.filename, sources), result.line)
            if line:
                text += f"    {result.line} | {line}\n"
        out(text)
    return report


def source_line(source: str, line: int) -> str:
    """Line `line` (1-based) of `source` without its indentation; '' when there is no such line."""
    lines = source.splitlines()
    return lines[line - 1].strip() if 1 <= line <= len(lines) else ""
