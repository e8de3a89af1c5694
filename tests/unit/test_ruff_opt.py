"""ruff-opt: argument kinds as a specialize-types option, and what it says about functions it cannot type."""

from __future__ import annotations

from pathlib import Path

import pytest

from ruff.tools.ruff_opt import run

PROGRAM = """func sq(x) {
    return x * x
}
func norm(xs) {
    s := 0.0
    for x in xs {
        s := s + x * x
    }
    return s
}
i := 0
while i < 10 {
    print(sq(i) + norm([1.5]))
    i := i + 1
}
"""


def opt(tmp_path: Path, capsys: pytest.CaptureFixture, *args: str, source: str = PROGRAM) -> tuple[int, str, str]:
    path = tmp_path / "prog.ruff"
    path.write_text(source)
    code = run([str(path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def twins(ir: str) -> list[str]:
    return [line.split("@", 1)[1].split("(", 1)[0] for line in ir.splitlines() if line.startswith("  ruff.func @")]


def test_without_types_it_says_which_functions_stay_boxed(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, err = opt(tmp_path, capsys, "-p", "specialize-types,extract-native")
    assert code == 0 and twins(out) == []
    assert ('ruff-opt: note: sq(x) stays boxed: no call with literal arguments gives its argument types (add them: '
            'specialize-types{arg-types="sq(KIND)"})') in err
    assert "norm(xs) stays boxed" in err


def test_plain_kinds_type_every_function_of_that_arity(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, err = opt(tmp_path, capsys, "-p", "specialize-types{arg-types=int},unbox-returns,extract-native")
    assert code == 0 and err == ""
    assert twins(out) == ["sq__i", "norm__i"]
    assert "ruff.imul" in out  # sq's x * x on raw i64


def test_a_signature_types_one_function(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, err = opt(tmp_path, capsys, "-p", 'specialize-types{arg-types="norm(array:float)"},extract-native')
    assert code == 0
    assert [t.split("_a")[0] for t in twins(out)] == ["norm_"]
    assert 'specialized_for = ["array:float"]' in out
    assert "sq(x) stays boxed" in err and "norm(xs)" not in err


def test_the_option_wins_over_literal_call_sites(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = "func f(a, b) {\n    return a + b\n}\nprint(f(1, 2))\n"
    code, out, _ = opt(tmp_path, capsys, "-p", "specialize-types{arg-types=float,int},extract-native", source=source)
    assert code == 0 and twins(out) == ["f__fi"]
    code, out, _ = opt(tmp_path, capsys, "-p", "specialize-types,extract-native", source=source)
    assert code == 0 and twins(out) == ["f__ii"]


@pytest.mark.parametrize("option, message", [
    ("arg-types=integer", "unknown kind 'integer'"),
    ('arg-types="sq(int"', "is not a signature"),
    ('arg-types="sq(array:string)"', "unknown kind 'array:string'"),
])
def test_a_bad_option_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture, option: str,
                                       message: str) -> None:
    code, out, err = opt(tmp_path, capsys, "-p", f"specialize-types{{{option}}}")
    assert code == 2 and out == ""
    assert err.startswith("ruff-opt: error: invalid pass pipeline") and message in err, err


def test_a_function_it_refuses_is_named_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "two.mlir"
    path.write_text('ruff.func @g(%0: !ruff.value) -> !ruff.value attributes {lifted_from = "g", '
                    'arg_types = ["int", "int"]} {\n  ruff.return %0 : !ruff.value\n}\n')
    code = run([str(path), "-p", "specialize-types"])
    err = capsys.readouterr().err
    assert code == 0
    assert "ruff-opt: note: specialize-types leaves g: expected 1 argument types" in err


def test_help_lists_ruff_passes_with_options_and_the_jit_pipeline(capsys: pytest.CaptureFixture) -> None:
    from ruff.passes import RUFF_PASSES
    from ruff.tiering import NATIVE_PIPELINE, PIPELINE

    with pytest.raises(SystemExit) as done:
        run(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    ours = text[text.index("Ruff's passes"):text.index("xDSL's passes:")]
    listed = [line.split()[0] for line in ours.splitlines()[1:] if line.startswith("  ") and line[2] != " "]
    assert listed[:len(RUFF_PASSES)] == list(RUFF_PASSES)
    assert "options: arg-types=KIND,..." in ours and "options: budget=40 depth=1" in ours
    pipeline = " ".join(ours[ours.index("The JIT's pipeline"):].split("):", 1)[1].split())
    assert pipeline == ", ".join(PIPELINE + NATIVE_PIPELINE)
    wrapped = [line for line in ours[ours.index("The JIT's pipeline"):].splitlines() if line.strip()]
    assert len(wrapped) > 1 and max(len(line) for line in wrapped) <= 100  # wrapped between pass names
