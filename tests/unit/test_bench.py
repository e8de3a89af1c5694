"""Unit tests of the benchmark harness (bench/): statistics, the output protocol, the round-robin
schedule, result checking, tables and the markdown report.  No benchmark is actually run."""

from __future__ import annotations

import json
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
from bench.report import (cell_text, failure_lines, fmt_ms, fmt_ratio, group_geomeans,  # noqa: E402
                          group_table, jit_table, median_table, ratio_table, ratios,
                          render_markdown, render_report, render_text, skipped_note, to_json)
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

GAME = ["nbody", "spectral_norm", "fannkuch_redux", "binary_trees", "mandelbrot",
        "fasta_knucleotide", "sieve", "quicksort"]


def test_catalog_files_exist_and_follow_protocol():
    assert len(catalog.PROGRAMS) == 20
    for p in catalog.PROGRAMS:
        for kind in ("ruff", "python") + (("c",) if p.has_c else ()):
            src = p.source(kind)
            assert src is not None and src.exists(), (p.name, kind)
            text = src.read_text()
            assert "result:" in text and "work_ms:" in text, (p.name, kind)
        assert p.expected.startswith("result: ")
        assert p.group in catalog.GROUP_LABELS
    assert {p.name for p in catalog.PROGRAMS if p.has_c} == {
        "fib_recursive", "fib_iterative", "sum_loop", "nested_loops", *GAME} - {"fasta_knucleotide"}
    assert [p.name for p in catalog.PROGRAMS if p.group == catalog.BENCHMARKS_GAME] == GAME
    assert catalog.groups(catalog.PROGRAMS) == [catalog.MICRO, catalog.BENCHMARKS_GAME]
    assert catalog.HELLO.exists()
    assert set(catalog.QUICK) <= set(catalog.BY_NAME)
    assert set(catalog.ABLATION_SET) <= {p.name for p in catalog.PROGRAMS if p.has_c}


def test_game_programs_are_deterministic_and_time_only_the_work():
    """Own LCG (never `random`), a warm-up call before the timed one, in every twin."""
    for name in GAME:
        p = catalog.BY_NAME[name]
        for kind in ("ruff", "python") + (("c",) if p.has_c else ()):
            text = p.source(kind).read_text()
            assert "random" not in text.replace("pseudo-random", ""), (name, kind)
            if kind != "c":
                warm, timed = text.index("bench_warm"), text.index("bench_t0")
                assert warm < timed, (name, kind)


def test_interp_skips_the_game_set_unless_named():
    nbody, fib = catalog.BY_NAME["nbody"], catalog.BY_NAME["fib_recursive"]
    interp = Contender("ruff-interp", "ruff", ["ruff", "run", "--tier=interp", "--no-jit"])
    assert interp.runs(fib) and not interp.runs(nbody)
    assert Contender("ruff-jit", "ruff", ["ruff", "run"]).runs(nbody)
    cells = summarize([fib, nbody], [interp], run_suite(
        [fib, nbody], [interp], 1, 10.0, proc_runner=lambda a, t: ok_proc(result=fib.expected)))
    assert cells[("nbody", "ruff-interp")].status == "skipped"
    assert not cells[("nbody", "ruff-interp")].failing
    assert cell_text(cells[("nbody", "ruff-interp")], "work") == "skipped"
    assert skipped_note([fib, nbody], [interp], cells) == [
        "- `ruff-interp` skipped nbody: too slow for it (minutes per run); name it in "
        "`--contenders` to run them.", ""]
    interp.run_slow = True
    assert interp.runs(nbody)


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


# --- groups: the Benchmarks-Game set ----------------------------------------------------------

def _grouped():
    """Two micro programs and two game programs; ruff-jit is 2x CPython on the game set's first
    program and 8x on the second, PyPy 0.5x on both (so ruff-jit is 4x CPython, 8x PyPy there)."""
    ps = [P("m1", "", "result: 1"), P("g1", "", "result: 1", group=catalog.BENCHMARKS_GAME),
          P("g2", "", "result: 1", group=catalog.BENCHMARKS_GAME)]
    cs = [Contender("ruff-jit", "ruff", ["ruff", "run"]), Contender("cpython", "python", ["python3"]),
          Contender("pypy", "python", ["pypy3"])]
    work = {("m1", "ruff-jit"): 1.0, ("m1", "cpython"): 10.0, ("m1", "pypy"): 10.0,
            ("g1", "ruff-jit"): 20.0, ("g1", "cpython"): 10.0, ("g1", "pypy"): 5.0,
            ("g2", "ruff-jit"): 80.0, ("g2", "cpython"): 10.0, ("g2", "pypy"): 5.0}
    cells = {k: Cell(k[0], k[1], "ok", "result: 1", v, v) for k, v in work.items()}
    return ps, cs, cells


def test_group_geomeans_against_cpython_and_pypy():
    ps, cs, cells = _grouped()
    gm = group_geomeans(ps, cs, cells, "work", catalog.BENCHMARKS_GAME)
    assert gm["ruff-jit"]["cpython"] == pytest.approx(4.0)
    assert gm["ruff-jit"]["pypy"] == pytest.approx(8.0)
    assert gm["pypy"]["cpython"] == pytest.approx(0.5)
    assert gm["ruff-jit"]["programs"] == 2
    headers, rows = group_table(ps, cs, cells, "work", catalog.BENCHMARKS_GAME)
    assert headers == ["contender", "vs CPython", "vs PyPy", "programs"]
    assert rows[0] == ["ruff-jit", "4x", "8x", "2/2"]
    # a failed program drops out of the means and the count says so
    cells[("g2", "ruff-jit")].status = "error"
    assert group_table(ps, cs, cells, "work", catalog.BENCHMARKS_GAME)[1][0] == [
        "ruff-jit", "2x", "4x", "1/2"]


def test_ratio_table_has_a_geomean_row_per_group():
    ps, cs, cells = _grouped()
    _, rows = ratio_table(ps, cs, cells, "work")
    labels = [r[0] for r in rows[3:]]
    assert labels == ["geometric mean, Micro-benchmarks", "geometric mean, Benchmarks-Game set",
                      "geometric mean, all"]
    assert rows[3][1] == "0.1x" and rows[4][1] == "4x" and rows[5][1] == "1.17x"
    _, single = ratio_table(ps[:1], cs, cells, "work")
    assert [r[0] for r in single] == ["m1", "geometric mean"]  # one group: one mean row


def test_report_and_json_carry_the_group_means():
    ps, cs, cells = _grouped()
    meta = {"date": "d", "command": "c", "repeat": 1, "timeout": 1.0, "machine": {}}
    md = render_report(meta, ps, cs, cells, None, None, None)
    assert "## Benchmarks-Game set — geometric mean of the work-time ratio" in md
    assert "| ruff-jit | 4x | 8x | 2/2 |" in md
    doc = to_json(meta, ps, cs, cells, None, None)
    assert doc["geomean_by_group"]["benchmarks-game"]["work"]["ruff-jit"]["pypy"] == pytest.approx(8.0)
    assert doc["programs"]["g1"]["group"] == "benchmarks-game"


# --- chart -------------------------------------------------------------------------------------

def test_every_contender_gets_its_own_colour():
    from bench.chart import COLORS, contender_colors
    from bench.contenders import ABLATION, KNOWN

    everyone = contender_colors(KNOWN + ABLATION)
    assert len(set(everyone.values())) == len(KNOWN + ABLATION)
    assert everyone["gcc"] == COLORS["gcc"] and everyone["ruff-jit"] == COLORS["ruff-jit"]
    ablation_run = contender_colors(["ruff-jit", *ABLATION, "cpython", "gcc"])
    assert len(set(ablation_run.values())) == len(ablation_run)
    assert ablation_run["ruff-jit-no-unbox-returns"] != COLORS["gcc"]


def test_chart_bars_carry_values_and_ratios_grow_from_one(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from bench.chart import _panel, contender_colors, write_chart

    jit, interp = Contender("ruff-jit", "ruff", []), Contender("ruff-interp", "ruff", [])
    fig, ax = plt.subplots()
    _panel(ax, [(jit, [0.01, 2.0], ["", ""]), (interp, [100.0, None], ["", "skipped"])],
           contender_colors(["ruff-jit", "ruff-interp"]), fmt_ratio, "ratio", "lower is better",
           base=1.0)
    texts = [t.get_text() for t in ax.texts]
    assert {"0.01x", "2x", "100x", "skipped"} <= set(texts)
    assert ax.get_yscale() == "log"
    lo, hi = ax.get_ylim()
    assert lo < 0.01 and hi > 100.0  # the slow bar does not squash the fast ones off the axis
    bars = ax.patches
    assert bars[0].get_y() == pytest.approx(1.0) and bars[0].get_height() < 0  # faster: downwards
    plt.close(fig)
    ps, cs, cells = _grouped()
    assert write_chart(tmp_path / "c.png", ps, cs, cells, "t") is None
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_legend_has_every_contender_in_its_own_colour():
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex
    from bench.chart import contender_colors, draw

    ps, cs, cells = _grouped()
    interp = Contender("ruff-interp", "ruff", [])
    cs.insert(1, interp)  # skipped everywhere: no bar at all, still its own legend colour
    for p in ps:
        cells[(p.name, "ruff-interp")] = Cell(p.name, "ruff-interp", "skipped")
    fig = draw(ps, cs, cells)
    legend = {t.get_text(): h for t, h in zip(fig.legends[0].get_texts(),
                                               fig.legends[0].legend_handles)}
    colors = contender_colors([c.name for c in cs])
    for c in cs:
        assert to_hex(legend[c.label].get_facecolor()) == colors[c.name], c.name
    assert "CPython = 1x (top)" in legend
    assert "skipped" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)


# --- partial runs never touch the committed results --------------------------------------------

def _fake_machinery(monkeypatch, chart_reason=None):
    """Run the CLI without running anything: every program prints its expected result."""
    import bench.cli as cli
    from bench.contenders import KNOWN

    kinds = {"ruff-jit": "ruff", "ruff-nojit": "ruff", "ruff-interp": "ruff", "cpython": "python",
             "pypy": "python", "gcc": "c"}

    def discover(names, **_):
        return [Contender(n, kinds.get(n, "ruff"), [n]) for n in KNOWN + cli.ABLATION if n in names]

    def compile_c(gcc, programs, build_dir):
        gcc.binaries.update({p.name: "/fake/" + p.name for p in programs if p.has_c})

    def proc(argv, timeout):
        return ok_proc(result=catalog.BY_NAME[Path(argv[-1]).stem].expected)

    real = cli.run_suite
    monkeypatch.setattr(cli, "discover", discover)
    monkeypatch.setattr(cli, "compile_c", compile_c)
    monkeypatch.setattr(cli, "run_suite", lambda *a, **k: real(*a, proc_runner=proc, **k))
    monkeypatch.setattr(cli, "startup_times", lambda *a, **k: None)
    monkeypatch.setattr(cli, "jit_compile_times", lambda *a, **k: None)
    monkeypatch.setattr(cli, "machine_info", lambda: {"git": "test"})
    monkeypatch.setattr(cli, "write_chart", lambda path, *a, **k: chart_reason or (
        path.write_bytes(b"new chart") and None))


def _committed(tmp_path):
    for name in ("latest", "ablation"):
        for ext, data in (("json", b'{"old": 1}\n'), ("md", b"# old\n"), ("png", b"old png")):
            (tmp_path / f"{name}.{ext}").write_bytes(data)
    return {f.name: f.read_bytes() for f in tmp_path.iterdir()}


@pytest.mark.parametrize("argv", [
    ["--only", "fib_recursive", "--repeat", "1"],
    ["--only", "fib_recursive,sum_loop"],
    ["--repeat", "2"],
    ["--contenders", "ruff-jit,cpython"],
    ["--no-startup"],
    ["--no-chart"],
])
def test_partial_run_leaves_latest_byte_identical(tmp_path, monkeypatch, capsys, argv):
    _fake_machinery(monkeypatch)
    before = _committed(tmp_path)
    assert bench_main([*argv, "--results-dir", str(tmp_path)]) == 0
    assert {f: (tmp_path / f).read_bytes() for f in before} == before
    assert (tmp_path / "partial.json").exists() and (tmp_path / "partial.md").exists()
    out = capsys.readouterr().out
    assert "partial run" in out and str(tmp_path / "partial.json") in out


def test_partial_ablation_run_writes_ablation_partial(tmp_path, monkeypatch):
    _fake_machinery(monkeypatch)
    before = _committed(tmp_path)
    assert bench_main(["--ablation", "--only", "sum_loop", "--results-dir", str(tmp_path)]) == 0
    assert {f: (tmp_path / f).read_bytes() for f in before} == before
    assert (tmp_path / "ablation-partial.json").exists()


def test_partial_run_cannot_be_told_to_write_latest(tmp_path, monkeypatch, capsys):
    _fake_machinery(monkeypatch)
    before = _committed(tmp_path)
    for argv in (["--only", "sum_loop", "--output", "latest"], ["--quick", "--output", "latest"],
                 ["--ablation", "--output", "latest"]):
        assert bench_main([*argv, "--results-dir", str(tmp_path)]) == 2
        assert "only a complete run writes" in capsys.readouterr().err
    assert {f.name: f.read_bytes() for f in tmp_path.iterdir()} == before


def test_complete_run_writes_latest(tmp_path, monkeypatch):
    _fake_machinery(monkeypatch)
    _committed(tmp_path)
    assert bench_main(["--results-dir", str(tmp_path)]) == 0
    doc = json.loads((tmp_path / "latest.json").read_text())
    assert doc["ok"] and set(doc["programs"]) == set(catalog.BY_NAME)
    assert doc["programs"]["nbody"]["cells"]["ruff-interp"]["status"] == "skipped"
    assert (tmp_path / "latest.png").read_bytes() == b"new chart"
    assert not (tmp_path / "partial.json").exists()


def test_missing_matplotlib_never_deletes_the_chart(tmp_path, monkeypatch):
    _fake_machinery(monkeypatch, chart_reason="matplotlib is not installed")
    _committed(tmp_path)
    assert bench_main(["--results-dir", str(tmp_path)]) == 0
    assert (tmp_path / "latest.png").read_bytes() == b"old png"
    md = (tmp_path / "latest.md").read_text()
    assert "not generated: matplotlib is not installed; latest.png next to this report is from an " \
           "earlier run" in md


def test_the_ruff_package_is_byte_compiled_before_timing(tmp_path: Path) -> None:
    # With PYTHONDONTWRITEBYTECODE set, stale caches stay stale: the suite compiles them once itself.
    from bench.contenders import byte_compile_ruff
    import ruff.tiering

    script = tmp_path / "ruff"
    script.write_text(f"#!{sys.executable}\nimport sys\n")
    cached = Path(ruff.tiering.__file__).parent / "__pycache__" / f"tiering.{sys.implementation.cache_tag}.pyc"
    cached.unlink(missing_ok=True)
    assert byte_compile_ruff(str(script)) == ""
    assert cached.exists()
    (tmp_path / "tool").write_text("#!/bin/sh\n")
    assert "not a Python script" in byte_compile_ruff(str(tmp_path / "tool"))
    assert byte_compile_ruff(None) == "no ruff executable"
