"""Unit tests of the benchmark harness (bench/): statistics, the output protocol, the round-robin
schedule, result checking, tables and the markdown report.  No benchmark is actually run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import catalog  # noqa: E402
from bench.cli import main as bench_main  # noqa: E402
from bench.contenders import Contender  # noqa: E402
from bench.extras import parse_jit_log, startup_times  # noqa: E402
from bench.report import (cell_text, failure_lines, fmt_ms, fmt_ratio, jit_table,  # noqa: E402
                          median_table, ratio_table, ratios, render_markdown, render_report,
                          render_text, to_json)
from bench.runner import (Cell, Proc, ProtocolError, classify, mismatches,  # noqa: E402
                          parse_output, reference_result, run_suite, schedule, summarize)
from bench.stats import geomean, median, ratio  # noqa: E402

P = catalog.Program


def progs():
    return [P("alpha", "a", "result: 1", has_c=True), P("beta", "b", "result: 2")]


def contenders():
    return [Contender("ruff-jit", "ruff", ["ruff", "run"]),
            Contender("cpython", "python", ["python3"]),
            Contender("gcc", "c", ["gcc"], binaries={"alpha": "/tmp/alpha"})]


def ok_proc(result="result: 1", work=10.0, wall=20.0):
    return Proc(0, f"{result}\nwork_ms: {work}\n", "", wall)


# --- stats -------------------------------------------------------------------------------------

def test_median_odd_even_empty():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert median([]) is None
    assert median([None, 5.0]) == 5.0


def test_ratio_and_geomean():
    assert ratio(5.0, 10.0) == 0.5
    assert ratio(None, 10.0) is None
    assert ratio(5.0, None) is None
    assert ratio(5.0, 0.0) is None
    assert geomean([1.0, 4.0]) == pytest.approx(2.0)
    assert geomean([None, 2.0]) == pytest.approx(2.0)
    assert geomean([]) is None


# --- output protocol ---------------------------------------------------------------------------

def test_parse_output_basic_and_number_forms():
    assert parse_output("result: 832040\nwork_ms: 12.5\n") == ("result: 832040", 12.5)
    assert parse_output("result: 1\r\nwork_ms: 3\r\n") == ("result: 1", 3.0)  # Ruff prints 3.0 as 3
    assert parse_output("result: x\nwork_ms: 1e-05\n")[1] == pytest.approx(1e-05)
    # extra chatter is ignored; the last occurrence wins; trailing blanks are not part of the result
    assert parse_output("hi\nresult: a  \nresult: b \nwork_ms: 1.5\n") == ("result: b", 1.5)


@pytest.mark.parametrize("stdout, why", [
    ("work_ms: 1.0\n", "result"),
    ("result: 1\n", "work_ms"),
    ("result: 1\nwork_ms: fast\n", "unparsable"),
    ("", "result"),
])
def test_parse_output_protocol_errors(stdout, why):
    with pytest.raises(ProtocolError, match=why):
        parse_output(stdout)


def test_classify_statuses():
    assert classify("p", "c", 0, ok_proc(), 5).status == "ok"
    run = classify("p", "c", 0, ok_proc(work=7.25, wall=30.0), 5)
    assert (run.result, run.work_ms, run.wall_ms) == ("result: 1", 7.25, 30.0)
    t = classify("p", "c", 0, Proc(None, "", "", 5000.0), 5)
    assert t.status == "timeout" and t.wall_ms is None
    e = classify("p", "c", 0, Proc(4, "", "boom.ruff:3:1: Integer overflow\n", 9.0), 5)
    assert e.status == "error" and "exit 4" in e.detail and "Integer overflow" in e.detail
    assert classify("p", "c", 0, Proc(0, "hello\n", "", 9.0), 5).status == "bad-output"


# --- schedule ----------------------------------------------------------------------------------

def test_schedule_round_robin_rotates_and_skips_missing_twins():
    cs = contenders()
    order = [(p.name, rep, c.name) for p, rep, c in schedule(progs(), cs, 3)]
    alpha = [x for x in order if x[0] == "alpha"]
    assert [c for _, rep, c in alpha if rep == 0] == ["ruff-jit", "cpython", "gcc"]
    assert [c for _, rep, c in alpha if rep == 1] == ["cpython", "gcc", "ruff-jit"]
    assert [c for _, rep, c in alpha if rep == 2] == ["gcc", "ruff-jit", "cpython"]
    # reps of one contender are not back to back: every rep visits all contenders first
    assert [rep for _, rep, _ in alpha] == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    beta = [c for p, _, c in order if p == "beta"]
    assert "gcc" not in beta and len(beta) == 6  # no C twin for beta


def test_schedule_skips_unavailable():
    cs = contenders()
    cs[0].available = False
    names = {c.name for _, _, c in schedule(progs(), cs, 2)}
    assert "ruff-jit" not in names


def test_run_suite_stops_a_contender_after_failure():
    calls = []

    def fake(argv, timeout):
        calls.append(argv[0])
        if argv[0] == "ruff":
            return Proc(1, "", "crash", 1.0)
        return ok_proc()

    runs = run_suite(progs()[:1], contenders(), 4, 10.0, proc_runner=fake)
    assert calls.count("ruff") == 1
    assert len(runs[("alpha", "cpython")]) == 4
    assert runs[("alpha", "ruff-jit")][0].status == "error"


def test_run_suite_reports_c_compile_error_without_running():
    cs = contenders()
    cs[2].binaries.clear()
    cs[2].compile_errors["alpha"] = "gcc failed (exit 1): syntax error"
    runs = run_suite(progs()[:1], cs, 2, 10.0, proc_runner=lambda argv, t: ok_proc())
    assert runs[("alpha", "gcc")][0].status == "error"
    assert "syntax error" in runs[("alpha", "gcc")][0].detail


# --- result checking ---------------------------------------------------------------------------

def test_mismatches_against_expected_baseline_and_majority():
    res = {"ruff-jit": "result: 2", "cpython": "result: 1", "gcc": "result: 1"}
    assert mismatches("result: 1", res) == ["ruff-jit"]
    assert mismatches(None, res) == ["ruff-jit"]  # baseline (cpython) is the reference
    assert mismatches("result: 2", res) == ["cpython", "gcc"]
    no_base = {"ruff-jit": "result: 2", "pypy": "result: 1", "gcc": "result: 1"}
    assert reference_result(None, no_base) == "result: 1"  # most common
    assert mismatches("result: 1", {"ruff-jit": None, "cpython": "result: 1"}) == []


def _summarize(fake):
    ps, cs = progs(), contenders()
    return summarize(ps, cs, run_suite(ps, cs, 3, 10.0, proc_runner=fake))


def test_summarize_medians_and_statuses():
    walls = iter(range(100, 1000))

    def fake(argv, timeout):
        return ok_proc(result="result: 1" if "alpha" in argv[-1] else "result: 2",
                       work={"ruff": 1.0, "python3": 10.0, "/tmp/alpha": 0.1}[argv[0]],
                       wall=float(next(walls)))

    cells = _summarize(fake)
    assert cells[("alpha", "ruff-jit")].status == "ok"
    assert cells[("alpha", "ruff-jit")].work_ms == 1.0
    assert len(cells[("alpha", "cpython")].runs) == 3
    assert cells[("beta", "gcc")].status == "n/a"
    assert not failure_lines(cells)


def test_summarize_flags_mismatch_loudly():
    def fake(argv, timeout):
        if argv[0] == "ruff" and "alpha" in argv[-1]:
            return ok_proc(result="result: 999")
        return ok_proc(result="result: 1" if "alpha" in argv[-1] else "result: 2")

    cells = _summarize(fake)
    cell = cells[("alpha", "ruff-jit")]
    assert cell.status == "mismatch" and cell.failing
    assert "result: 999" in cell.detail and "result: 1" in cell.detail
    lines = failure_lines(cells)
    assert len(lines) == 1 and lines[0].startswith("RESULT MISMATCH: alpha under ruff-jit")


def test_summarize_flags_result_varying_between_reps():
    seq = iter(["result: 1", "result: 1", "result: 7"] * 10)

    def fake(argv, timeout):
        if argv[0] == "ruff" and "alpha" in argv[-1]:
            return ok_proc(result=next(seq))
        return ok_proc(result="result: 1" if "alpha" in argv[-1] else "result: 2")

    cell = _summarize(fake)[("alpha", "ruff-jit")]
    assert cell.status == "mismatch" and "between repetitions" in cell.detail


def test_summarize_unavailable_contender():
    ps, cs = progs(), contenders()
    cs[0].available, cs[0].note = False, "ruff run not working"
    cells = summarize(ps, cs, run_suite(ps, cs, 1, 10.0, proc_runner=lambda a, t: ok_proc(
        result="result: 1" if "alpha" in a[-1] else "result: 2")))
    assert cells[("alpha", "ruff-jit")].status == "unavailable"
    assert not failure_lines(cells)


# --- tables and report -------------------------------------------------------------------------

def _cells():
    cs = contenders()
    cells = {
        ("alpha", "ruff-jit"): Cell("alpha", "ruff-jit", "ok", "result: 1", 2.0, 50.0),
        ("alpha", "cpython"): Cell("alpha", "cpython", "ok", "result: 1", 20.0, 40.0),
        ("alpha", "gcc"): Cell("alpha", "gcc", "ok", "result: 1", 0.2, 2.0),
        ("beta", "ruff-jit"): Cell("beta", "ruff-jit", "mismatch", "result: 3", 5.0, 9.0,
                                   detail="printed 'result: 3', expected 'result: 2'"),
        ("beta", "cpython"): Cell("beta", "cpython", "ok", "result: 2", 10.0, 30.0),
        ("beta", "gcc"): Cell("beta", "gcc", "n/a"),
    }
    return progs(), cs, cells


def test_format_helpers():
    assert fmt_ms(None) == "-"
    assert fmt_ms(1234.4) == "1234"
    assert fmt_ms(12.34) == "12.3"
    assert fmt_ms(1.234) == "1.23"
    assert fmt_ms(0.01234) == "0.012"
    assert fmt_ratio(0.1) == "0.1x"
    assert fmt_ratio(1.0) == "1x"
    assert fmt_ratio(250.0) == "250x"
    assert fmt_ratio(None) == "-"


def test_cell_text():
    _, _, cells = _cells()
    assert cell_text(cells[("alpha", "cpython")], "work") == "20.0"
    assert cell_text(cells[("alpha", "cpython")], "process") == "40.0"
    assert cell_text(cells[("beta", "gcc")], "work") == "-"
    assert "wrong result" in cell_text(cells[("beta", "ruff-jit")], "work")
    assert cell_text(Cell("p", "c", "timeout"), "work") == "timeout"


def test_median_table_marks_mismatch_row():
    ps, cs, cells = _cells()
    headers, rows = median_table(ps, cs, cells, "work")
    assert headers == ["program", "ruff-jit", "cpython", "gcc"]
    assert rows[0] == ["alpha", "2.00", "20.0", "0.200"]
    assert rows[1][0] == "beta !! MISMATCH"
    assert rows[1][3] == "-"


def test_ratio_table_and_geomean_row():
    ps, cs, cells = _cells()
    r = ratios(ps, cs, cells, "work")
    assert r["alpha"]["ruff-jit"] == pytest.approx(0.1)
    assert r["alpha"]["cpython"] == pytest.approx(1.0)
    assert r["beta"]["ruff-jit"] is None  # a wrong result gets no ratio
    assert ratios(ps, cs, cells, "process")["alpha"]["ruff-jit"] == pytest.approx(1.25)
    headers, rows = ratio_table(ps, cs, cells, "work")
    assert rows[0][1:] == ["0.1x", "1x", "0.01x"]
    assert rows[-1] == ["geometric mean", "0.1x", "1x", "0.01x"]


def test_ratio_table_without_baseline_is_dashes():
    ps, cs, cells = _cells()
    cs = [c for c in cs if c.name != "cpython"]
    _, rows = ratio_table(ps, cs, {k: v for k, v in cells.items() if k[1] != "cpython"}, "work")
    assert rows[0][1:] == ["-", "-"]


def test_unavailable_contender_gets_no_column():
    ps, cs, cells = _cells()
    cs[2].available = False
    headers, _ = median_table(ps, cs, cells, "work")
    assert "gcc" not in headers


def test_render_text_aligns_columns():
    text = render_text((["program", "ms"], [["a", "1.5"], ["longer", "100"]]))
    lines = text.splitlines()
    assert lines[0].startswith("program") and lines[0].endswith(" ms")
    assert lines[2] == "a        1.5"
    assert lines[3] == "longer   100"
    assert len({len(ln) for ln in lines}) == 1
    assert render_text((["a", "b"], [["x", "y"]]), "ll").splitlines()[2] == "x  y"


def test_render_markdown():
    md = render_markdown((["program", "ruff-jit"], [["a|b", "1.0"]]))
    lines = md.splitlines()
    assert lines[0] == "| program | ruff-jit |"
    assert lines[1] == "|:---|---:|"
    assert lines[2] == "| a\\|b | 1.0 |"


def test_render_report_sections_and_failures():
    ps, cs, cells = _cells()
    meta = {"date": "2026-01-01T00:00:00+00:00", "command": "python -m bench --repeat 3",
            "repeat": 3, "timeout": 300.0, "machine": {"cpu": "TestCPU", "git": "abc123"}}
    startup = {"median_ms": {"ruff run hello.ruff": 80.0, "python3 -c pass": 20.0},
               "ratio_to_python": {"ruff run hello.ruff": 4.0, "python3 -c pass": 1.0},
               "samples_ms": {}, "errors": {}, "reps": 5}
    jit = {"alpha": {"status": "ok", "compiled": [["fib(int)", 35.2]], "total_ms": 35.2,
                     "detail": ""},
           "beta": {"status": "ok", "compiled": [], "total_ms": None, "detail": ""}}
    md = render_report(meta, ps, cs, cells, startup, jit, "latest.png")
    for needle in ("# Ruff benchmarks", "python -m bench --repeat 3", "TestCPU", "abc123",
                   "## Work time", "## Process wall time", "## Relative to CPython",
                   "RESULT MISMATCH: beta under ruff-jit", "| ruff run hello.ruff | 80.0 | 4x |",
                   "| alpha | fib(int) | 35.2 |", "| beta | n/a | - |", "![", "latest.png",
                   "`result: 1`"):
        assert needle in md, needle
    md2 = render_report(meta, ps, cs, {k: v for k, v in cells.items() if k[0] == "alpha"},
                        None, {"alpha": {"status": "unsupported", "compiled": [],
                                         "total_ms": None, "detail": "--jit-log not supported"}},
                        None, "matplotlib is not installed")
    assert "All contenders printed identical" in md2
    assert "n/a (--jit-log not supported)" in md2
    assert "not generated: matplotlib is not installed" in md2


def test_to_json_document():
    ps, cs, cells = _cells()
    doc = to_json({"date": "d", "command": "c", "repeat": 1, "timeout": 1.0, "machine": {}},
                  ps, cs, cells, None, None)
    assert doc["ok"] is False and doc["baseline"] == "cpython"
    assert doc["programs"]["alpha"]["cells"]["gcc"]["work_ms_median"] == 0.2
    assert doc["programs"]["alpha"]["ratio_to_baseline"]["work"]["ruff-jit"] == pytest.approx(0.1)
    assert doc["geomean_ratio_to_baseline"]["work"]["gcc"] == pytest.approx(0.01)
    assert any("MISMATCH" in f for f in doc["failures"])


# --- extras ------------------------------------------------------------------------------------

def test_parse_jit_log():
    text = ("[jit] compiled fib(int) in 35.2 ms\n"
            "hello\n"
            "[jit] compiled Vec2.add(Vec2, Vec2) [i64, i64] in 3 ms\n"
            "[jit] skipped foo: unstable types\n")
    assert parse_jit_log(text) == [("fib(int)", 35.2), ("Vec2.add(Vec2, Vec2) [i64, i64]", 3.0)]
    loop = ("[jit] compiled loop at bench/programs/x.ruff:9 in fib_iter (i: int, n: int) "
            "in 337.5 ms")
    assert parse_jit_log(loop) == [("loop at bench/programs/x.ruff:9 in fib_iter (i: int, n: int)",
                                    337.5)]
    assert parse_jit_log("nothing here") == []
    assert jit_table({"p": {"status": "ok", "compiled": [], "detail": ""}})[1] == [["p", "n/a", "-"]]


def test_startup_times_alternates_and_ratios():
    seen = []

    def fake(argv, timeout):
        seen.append(argv[0])
        return Proc(0, "", "", 80.0 if argv[0] == "ruff" else 20.0)

    ruff = Contender("ruff-jit", "ruff", ["ruff", "run"])
    st = startup_times(ruff, "python3", None, reps=3, proc_runner=fake)
    assert seen == ["ruff", "python3", "python3", "ruff", "ruff", "python3"]
    assert st["median_ms"]["ruff run hello.ruff"] == 80.0
    assert st["ratio_to_python"]["ruff run hello.ruff"] == pytest.approx(4.0)
    ruff.available = False
    st = startup_times(ruff, "python3", None, reps=1, proc_runner=fake)
    assert st["errors"]["ruff run hello.ruff"] == "not available"


# --- catalog and CLI ---------------------------------------------------------------------------

def test_catalog_files_exist_and_follow_protocol():
    assert len(catalog.PROGRAMS) == 11
    for p in catalog.PROGRAMS:
        for kind in ("ruff", "python") + (("c",) if p.has_c else ()):
            src = p.source(kind)
            assert src is not None and src.exists(), (p.name, kind)
            text = src.read_text()
            assert "result:" in text and "work_ms:" in text, (p.name, kind)
        assert p.expected.startswith("result: ")
    assert {p.name for p in catalog.PROGRAMS if p.has_c} == {
        "fib_recursive", "fib_iterative", "sum_loop", "nested_loops"}
    assert catalog.HELLO.exists()
    assert set(catalog.QUICK) <= set(catalog.BY_NAME)


def test_catalog_select():
    assert [p.name for p in catalog.select(["sum_loop", "fib_recursive"])] == [
        "fib_recursive", "sum_loop"]  # suite order
    assert len(catalog.select(None)) == len(catalog.PROGRAMS)
    with pytest.raises(ValueError, match="nope"):
        catalog.select(["nope"])


def test_cli_list_and_usage_errors(capsys):
    assert bench_main(["--list"]) == 0
    assert "fib_recursive" in capsys.readouterr().out
    assert bench_main(["--contenders", "cpython,nodejs"]) == 2
    assert bench_main(["--only", "nope"]) == 2
    assert bench_main(["--repeat", "0"]) == 2


def test_ablation_contenders_turn_one_pass_off() -> None:
    from bench.contenders import ABLATION, ABLATED_PASSES, LABELS, RUFF_ENV

    assert ABLATION == [f"ruff-jit-no-{p}" for p in ABLATED_PASSES]
    assert RUFF_ENV["ruff-jit-no-inline"] == {"RUFF_JIT_DISABLE": "inline"}
    assert LABELS["ruff-jit-no-tailrec-to-loop"] == "Ruff (JIT without tailrec-to-loop)"
