"""The native tier: specialized ruff IR → lower-to-llvm → LLVM → callable, with Ruff's errors and limits."""

from __future__ import annotations

import math
import random
import subprocess
import sys
import threading

import pytest

from ruff.passes.abi import NativeError
from ruff.runtime import ops as rt_ops
from ruff.runtime.values import RuffError

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)

FIB = """
ruff.func @fib(%n: i64) -> i64 attributes {lifted_from = "fib", param_names = ["n"]} {
  %c2 = ruff.constant 2 : i64
  %lt = arith.cmpi slt, %n, %c2 : i64
  cf.cond_br %lt, ^base, ^rec
^base:
  ruff.return %n : i64
^rec:
  %c1 = ruff.constant 1 : i64
  %a = ruff.isub %n, %c1 line 3 : i64
  %r1 = ruff.call_direct @fib(%a) : (i64) -> i64
  %b = ruff.isub %n, %c2 line 3 : i64
  %r2 = ruff.call_direct @fib(%b) : (i64) -> i64
  %s = ruff.iadd %r1, %r2 line 3 : i64
  ruff.return %s : i64
}
"""

SUM = """
ruff.func @sum(%n: i64) -> i64 {
  %c0 = ruff.constant 0 : i64
  %c1 = ruff.constant 1 : i64
  cf.br ^loop(%c0, %c0 : i64, i64)
^loop(%i: i64, %acc: i64):
  %lt = arith.cmpi slt, %i, %n : i64
  cf.cond_br %lt, ^body, ^exit
^body:
  %acc2 = ruff.iadd %acc, %i line 4 : i64
  %i2 = ruff.iadd %i, %c1 line 4 : i64
  cf.br ^loop(%i2, %acc2 : i64, i64)
^exit:
  ruff.return %acc : i64
}
"""

OPS = """
ruff.func @add(%a: i64, %b: i64) -> i64 {
  %r = ruff.iadd %a, %b line 7 : i64
  ruff.return %r : i64
}
ruff.func @sub(%a: i64, %b: i64) -> i64 {
  %r = ruff.isub %a, %b line 8 : i64
  ruff.return %r : i64
}
ruff.func @mul(%a: i64, %b: i64) -> i64 {
  %r = ruff.imul %a, %b line 9 : i64
  ruff.return %r : i64
}
ruff.func @div(%a: i64, %b: i64) -> i64 {
  %r = ruff.idiv %a, %b line 10 : i64
  ruff.return %r : i64
}
ruff.func @mod(%a: i64, %b: i64) -> i64 {
  %r = ruff.imod %a, %b line 11 : i64
  ruff.return %r : i64
}
ruff.func @neg(%a: i64) -> i64 {
  %r = ruff.ineg %a line 12 : i64
  ruff.return %r : i64
}
ruff.func @fdiv(%a: f64, %b: f64) -> f64 {
  %r = ruff.fdiv %a, %b line 13 : f64
  ruff.return %r : f64
}
ruff.func @fmod(%a: f64, %b: f64) -> f64 {
  %r = ruff.fmod %a, %b line 14 : f64
  ruff.return %r : f64
}
ruff.func @deep(%n: i64) -> i64 {
  %c0 = ruff.constant 0 : i64
  %z = arith.cmpi eq, %n, %c0 : i64
  cf.cond_br %z, ^done, ^rec
^done:
  ruff.return %c0 : i64
^rec:
  %c1 = ruff.constant 1 : i64
  %m = ruff.isub %n, %c1 line 2 : i64
  %r = ruff.call_direct @deep(%m) : (i64) -> i64
  %s = ruff.iadd %r, %c1 line 3 : i64
  ruff.return %s : i64
}
ruff.func @twice(%a: i64) -> i64 {
  %r = ruff.call_direct @add(%a, %a) : (i64, i64) -> i64
  %c2 = ruff.constant 2 : i64
  %s = ruff.iadd %r, %c2 line 20 : i64
  ruff.return %s : i64
}
ruff.func @mixed(%a: i64, %x: f64, %p: i1) -> f64 {
  %f = arith.sitofp %a : i64 to f64
  %lt = arith.cmpf olt, %f, %x : f64
  %both = arith.andi %lt, %p : i1
  %m = arith.select %both, %f, %x : f64
  %s = math.sqrt %m : f64
  ruff.return %s : f64
}
ruff.func @is_small(%a: i64) -> i1 {
  %c = ruff.constant 10 : i64
  %r = arith.cmpi slt, %a, %c : i64
  ruff.return %r : i1
}
ruff.func @nothing(%a: i64) {
  ruff.return
}
"""

EDGE = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 1000, I64_MAX, I64_MIN, I64_MAX - 1, I64_MIN + 1, 2**32, -(2**32),
        2**31 - 1, 3037000499, 3037000500, -3037000500]  # fmt: skip


@pytest.fixture(scope="module")
def ops():
    from ruff.backend.jit import compile_ruff_text

    return compile_ruff_text(OPS)


def test_fib_recursive():
    from ruff.backend.jit import compile_ruff_text

    native = compile_ruff_text(FIB)
    assert native["fib"](25) == 75025
    assert native["fib"](30) == 832040
    assert native["fib"](1) == 1 and native["fib"](0) == 0 and native["fib"](-5) == -5


def test_sum_loop():
    from ruff.backend.jit import compile_ruff_text

    native = compile_ruff_text(SUM)
    assert native["sum"](10) == 45
    assert native["sum"](1_000_000) == 499999500000
    assert native["sum"](0) == 0


def test_overflow_message(ops):
    with pytest.raises(NativeError) as e:
        ops["add"](I64_MAX, 1)
    assert e.value.message == "Integer overflow: 9223372036854775807 + 1"
    assert str(e.value) == "Integer overflow: 9223372036854775807 + 1"
    assert e.value.kind == "overflow" and e.value.line == 7 and e.value.function == "add"
    assert ops["add"](1, 2) == 3  # the error slot was reset


def _runtime(op, a, b=None):
    fn = {"add": rt_ops.add, "sub": rt_ops.sub, "mul": rt_ops.mul, "div": rt_ops.div, "mod": rt_ops.mod}
    try:
        return ("ok", rt_ops.neg(a) if op == "neg" else fn[op](a, b))
    except RuffError as e:
        return ("err", str(e))


def _native(native, op, *args):
    try:
        return ("ok", native[op](*args))
    except NativeError as e:
        return ("err", e.message)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "mod"])
def test_int_ops_match_the_runtime(ops, op):
    """Same results and the same error messages as ruff.runtime.ops, on edge cases and random values."""
    rng = random.Random(op)
    pairs = [(a, b) for a in EDGE for b in EDGE]
    pairs += [(rng.randint(I64_MIN, I64_MAX), rng.randint(-1000, 1000)) for _ in range(300)]
    pairs += [(rng.randint(-(2**40), 2**40), rng.randint(-(2**30), 2**30)) for _ in range(300)]
    for a, b in pairs:
        assert _native(ops, op, a, b) == _runtime(op, a, b), (op, a, b)


def test_neg_matches_the_runtime(ops):
    for a in EDGE:
        assert _native(ops, "neg", a) == _runtime("neg", a), a
    with pytest.raises(NativeError, match=r"Integer overflow: -\(-9223372036854775808\)"):
        ops["neg"](I64_MIN)


def test_division_errors(ops):
    with pytest.raises(NativeError) as e:
        ops["div"](1, 0)
    assert (e.value.kind, e.value.message, e.value.line) == ("division_by_zero", "Division by zero", 10)
    with pytest.raises(NativeError) as e:
        ops["mod"](1, 0)
    assert (e.value.kind, e.value.message, e.value.line) == ("modulo_by_zero", "Modulo by zero", 11)
    with pytest.raises(NativeError, match=r"Integer overflow: -9223372036854775808 / -1"):
        ops["div"](I64_MIN, -1)
    assert ops["div"](-7, 2) == -3 and ops["mod"](-7, 2) == -1 and ops["mod"](7, -2) == 1


def test_float_division(ops):
    assert ops["fdiv"](1.0, 4.0) == 0.25
    assert ops["fmod"](-7.5, 2.0) == math.fmod(-7.5, 2.0)
    for b in (0.0, -0.0):
        with pytest.raises(NativeError, match="Division by zero"):
            ops["fdiv"](1.0, b)
        with pytest.raises(NativeError, match="Modulo by zero"):
            ops["fmod"](1.0, b)
    assert math.isnan(ops["fdiv"](math.nan, 2.0))


def test_error_propagates_through_calls(ops):
    assert ops["twice"](5) == 12
    with pytest.raises(NativeError) as e:
        ops["twice"](I64_MAX // 2 + 1)
    assert e.value.function == "add" and e.value.line == 7  # raised in the callee, not re-raised by twice
    with pytest.raises(NativeError) as e:
        ops["twice"](I64_MAX // 2)  # the callee succeeds, twice's own + 2 overflows
    assert e.value.function == "twice" and e.value.line == 20
    assert ops["twice"](1) == 4


def test_mixed_types_and_results(ops):
    assert ops["mixed"](4, 9.0, True) == 2.0
    assert ops["mixed"](4, 9.0, False) == 3.0
    assert ops["is_small"](3) is True and ops["is_small"](30) is False
    assert ops["nothing"](1) is None


def test_deep_recursion_is_a_stack_overflow_not_a_crash(ops):
    assert ops["deep"](10_000) == 10_000
    with pytest.raises(NativeError) as e:
        ops["deep"](1_000_000)
    assert (e.value.kind, e.value.message, e.value.function) == ("stack_overflow", "Stack overflow", "deep")
    assert ops["deep"](100) == 100  # state is clean afterwards
    with pytest.raises(NativeError, match="Stack overflow"):
        ops["deep"](10**12)


def test_depth_limit(ops):
    saved = ops.depth_limit
    try:
        ops.depth_limit = 100
        assert ops["deep"](99) == 99  # 100 frames
        with pytest.raises(NativeError, match="Stack overflow"):
            ops["deep"](100)  # 101 frames
    finally:
        ops.depth_limit = saved
    assert ops["deep"](1000) == 1000


def test_small_thread_stack_does_not_crash(ops):
    """The stack-pointer check guards threads whose stack is far smaller than the depth limit allows."""
    results = []

    def run():
        try:
            results.append(ops["deep"](900_000))
        except NativeError as e:
            results.append(e.message)
        results.append(ops["deep"](1000))

    old = threading.stack_size(4 * 1024 * 1024)
    try:
        t = threading.Thread(target=run)
        t.start()
        t.join()
    finally:
        threading.stack_size(old)
    assert results == ["Stack overflow", 1000]


def test_object_code_round_trip(ops):
    from ruff.backend.jit import load_object

    again = load_object(ops.object_code, ops.signatures)
    assert again["add"](2, 3) == 5
    with pytest.raises(NativeError, match="Integer overflow: 9223372036854775807 \\* 2"):
        again["mul"](I64_MAX, 2)


def test_emitters():
    from ruff.dialects.context import parse_module
    from ruff.backend.jit import emit_asm, emit_llvm_ir
    from ruff.passes import run_pipeline

    module = parse_module(FIB)
    run_pipeline(module, "lower-to-llvm")
    ir = emit_llvm_ir(module)
    assert '@"ruff.fib$impl"' in ir and "llvm.ssub.with.overflow.i64" in ir
    assert "define i64 @ruff.fib(" in emit_llvm_ir(module, optimize=True)
    assert "ruff.fib:" in emit_asm(module)


def test_compile_needs_lowered_module():
    from ruff.dialects.context import parse_module
    from ruff.backend.jit import compile_module

    with pytest.raises(ValueError):
        compile_module(parse_module(FIB))


def test_boxed_values_are_python_objects_in_native_code():
    # A !ruff.value is a PyObject*: boxing makes one (a new reference), unboxing reads it in place.
    from ruff.backend.jit import compile_ruff_text

    native = compile_ruff_text(
        """ruff.func @f(%a: i64) -> i64 {
             %b = ruff.box %a : i64
             %c = ruff.unbox %b : i64
             ruff.return %c : i64
           }"""
    )
    assert [native["f"](n) for n in (0, 7, -3, 2**40, -(2**62))] == [0, 7, -3, 2**40, -(2**62)]


def test_lowering_refuses_a_generic_op_without_its_bytecode_position():
    from xdsl.utils.exceptions import PassFailedException

    from ruff.backend.jit import compile_ruff_text

    with pytest.raises(PassFailedException, match="no native lowering and no bytecode position"):
        compile_ruff_text(
            """ruff.func @f(%a: !ruff.value, %b: !ruff.value) -> !ruff.value attributes {specialized_for = ["value", "value"]} {
                 %c = ruff.add %a, %b line 2
                 ruff.return %c : !ruff.value
               }"""
        )


def test_light_imports():
    """The runtime can import the ABI and the registries without loading xDSL or llvmlite."""
    code = (
        "import sys, ruff.backend, ruff.passes.abi, ruff.passes, ruff.dialects\n"
        "from ruff.passes import get_ruff_passes; get_ruff_passes()\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('xdsl', 'llvmlite')]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

