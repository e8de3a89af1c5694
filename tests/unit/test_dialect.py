"""The ruff dialect: construction, verifiers, custom syntax round trips, folding, effects, registries."""

from __future__ import annotations

import math

import pytest
from xdsl.dialects import arith, cf
from xdsl.dialects.builtin import FunctionType, IntegerAttr, ModuleOp, f64, i1, i32, i64
from xdsl.ir import Block, Region
from xdsl.traits import is_side_effect_free
from xdsl.transforms.dead_code_elimination import would_be_trivially_dead
from xdsl.utils.exceptions import ParseError, VerifyException

from ruff.dialects.context import make_context, parse_module
from ruff.dialects import ruff as R
from ruff.passes import get_all_passes, get_pass, get_ruff_passes, run_pipeline

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)


def func(name, inputs, outputs, build, **kw):
    """A ruff.func whose entry block is filled by build(block, *args) (which must add the terminator)."""
    f = R.FuncOp(name, (inputs, outputs), **kw)
    build(f.body.block, *f.body.block.args)
    return f


def module(*funcs) -> ModuleOp:
    m = ModuleOp(list(funcs))
    m.verify()
    return m


def roundtrip(m: ModuleOp) -> str:
    text = str(m)
    again = parse_module(text)
    assert str(again) == text
    generic = parse_module(_generic(m))
    assert str(generic) == text
    return text


def _generic(m: ModuleOp) -> str:
    from io import StringIO

    from xdsl.printer import Printer

    out = StringIO()
    Printer(stream=out, print_generic_format=True).print_op(m)
    return out.getvalue()


# ----------------------------------------------------------------------------------------------- types


def test_value_type():
    assert str(R.VALUE) == "!ruff.value"
    assert R.ValueType() == R.VALUE
    assert parse_module('ruff.func @f(%a: !ruff.value) -> !ruff.value {\n ruff.return %a : !ruff.value\n}')


def test_dialect_registration():
    names = [op.name for op in R.Ruff.operations]
    assert len(names) == len(set(names))
    for required in ("ruff.func", "ruff.return", "ruff.constant", "ruff.add", "ruff.sub", "ruff.mul", "ruff.div",
                     "ruff.mod", "ruff.neg", "ruff.eq", "ruff.ne", "ruff.lt", "ruff.le", "ruff.gt", "ruff.ge",
                     "ruff.not", "ruff.truthy", "ruff.iadd", "ruff.isub", "ruff.imul", "ruff.idiv", "ruff.imod",
                     "ruff.call", "ruff.call_direct", "ruff.load_global", "ruff.store_global", "ruff.box",
                     "ruff.unbox", "ruff.guard_type", "ruff.make_array", "ruff.make_dict", "ruff.index_get",
                     "ruff.index_set", "ruff.field_get", "ruff.field_set", "ruff.call_method",
                     "ruff.builtin_call"):  # fmt: skip
        assert required in names, required
    assert R.Ruff.name == "ruff"
    assert "ruff" in make_context().registered_dialect_names


# ----------------------------------------------------------------------------------------- constants

CONSTANTS = [0, -1, I64_MAX, I64_MIN, 0.1, 1e100, -0.0, 5e-324, 1.7976931348623157e308, math.inf, -math.inf,
             math.nan, 'hé€"\\\n\t\x00', "", None, True, False, 1.5e-7, 1e22]  # fmt: skip


def _same(a, b) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(a, float):
        return type(b) is float and a == b and math.copysign(1, a) == math.copysign(1, b)
    return type(a) is type(b) and a == b


def test_boxed_constants_round_trip():
    def build(block):
        for v in CONSTANTS:
            block.add_op(R.ConstantOp(v))
        block.add_op(R.ReturnOp())

    text = roundtrip(module(func("f", [], [], build)))
    parsed = parse_module(text)
    values = [op.py_value for op in parsed.walk() if isinstance(op, R.ConstantOp)]
    assert len(values) == len(CONSTANTS)
    for a, b in zip(CONSTANTS, values):
        assert _same(a, b), (a, b)


def test_typed_constants():
    def build(block):
        block.add_ops([R.ConstantOp(5, i64), R.ConstantOp(2.5, f64), R.ConstantOp(True, i1), R.ReturnOp()])

    text = roundtrip(module(func("f", [], [], build)))
    assert "ruff.constant 5 : i64" in text
    assert "ruff.constant 2.5 : f64" in text
    assert "ruff.constant true : i1" in text


@pytest.mark.parametrize(
    "value, type_, message",
    [("s", i64, 'constant "s" cannot have type i64'), (1.5, i1, "constant 1.5 cannot have type i1"),
     (None, f64, "constant null cannot have type f64"), (3, f64, "constant 3 cannot have type f64"),
     (3, i32, "i32")],  # fmt: skip
)
def test_constant_verifier(value, type_, message):
    op = R.ConstantOp(value, type_)
    with pytest.raises(VerifyException, match=message):
        op.verify()


def test_constant_out_of_range():
    with pytest.raises(ValueError):
        R.ConstantOp(2**63)
    with pytest.raises(ParseError, match="does not fit in i64"):
        parse_module("ruff.func @f() {\n %c = ruff.constant 9223372036854775808 : i64\n ruff.return\n}")


# ------------------------------------------------------------------------------------------ functions


def test_func_properties_and_syntax():
    def build(block, n):
        block.add_op(R.ReturnOp(n))

    f = func("fib", [R.VALUE], [R.VALUE], build, lifted_from="fib", param_names=["n"])
    text = roundtrip(module(f))
    assert 'ruff.func @fib(%0: !ruff.value) -> !ruff.value attributes {lifted_from = "fib", param_names = ["n"]}' in text
    assert f.lifted_from.data == "fib" and [p.data for p in f.param_names.data] == ["n"]
    parsed = parse_module(text).ops.first
    assert isinstance(parsed, R.FuncOp) and parsed.lifted_from.data == "fib"
    assert "lifted_from" not in parsed.attributes  # a property, not a discardable attribute


def test_func_verifier():
    with pytest.raises(VerifyException, match="param_names has 2 names for 1 arguments"):
        module(func("f", [i64], [], lambda b, a: b.add_op(R.ReturnOp()), param_names=["a", "b"]))
    with pytest.raises(VerifyException, match="must be !ruff.value, i64, f64 or i1, got i32"):
        module(func("f", [i32], [], lambda b, a: b.add_op(R.ReturnOp())))
    with pytest.raises(VerifyException, match="returns at most one value"):
        module(R.FuncOp("f", ([], [i64, i64]), Region()))


def test_return_verifier():
    def bad(block, a):
        c = R.ConstantOp(1.5, f64)
        block.add_ops([c, R.ReturnOp(c)])

    with pytest.raises(VerifyException, match=r"ruff.return returns \(f64\) but the function returns \(i64\)"):
        module(func("f", [i64], [i64], bad))


def test_update_function_type():
    def build(block, a):
        block.add_op(R.ReturnOp(a))

    f = func("f", [i64], [i64], build)
    f.function_type = FunctionType.from_lists([i64], [])
    f.update_function_type()
    assert f.function_type == FunctionType.from_lists([i64], [i64])


def test_call_direct_verifier():
    def callee(block, a):
        block.add_op(R.ReturnOp(a))

    def caller_ok(block, a):
        call = R.CallDirectOp("g", [a], [f64])
        block.add_ops([call, R.ReturnOp(call)])

    def caller_bad_args(block, a):
        call = R.CallDirectOp("g", [a], [f64])
        block.add_ops([call, R.ReturnOp(call)])

    module(func("g", [f64], [f64], callee), func("f", [f64], [f64], caller_ok))
    with pytest.raises(VerifyException, match=r"argument types \(i64\) do not match the callee's \(f64\)"):
        module(func("g", [f64], [f64], callee), func("f", [i64], [f64], caller_bad_args))
    with pytest.raises(VerifyException, match="could not be found"):
        module(func("f", [f64], [f64], caller_ok))


# -------------------------------------------------------------------------------- op verifiers


def test_op_verifiers():
    def check(build, message):
        with pytest.raises(VerifyException, match=message):
            module(func("f", [R.VALUE, R.VALUE], [], build))

    def odd_dict(block, k, v):
        block.add_ops([R.MakeDictOp([k, v, k]), R.ReturnOp()])

    def bad_struct(block, t, v):
        block.add_ops([R.MakeStructOp(t, ["x", "y"], [v]), R.ReturnOp()])

    def bad_type_name(block, x, _):
        block.add_ops([R.IsTypeOp(x, "integer"), R.ReturnOp()])

    def bad_guard(block, x, _):
        block.add_ops([R.GuardTypeOp(x, "str"), R.ReturnOp()])

    def bad_kind(block, x, _):
        block.add_ops([R.DefineGlobalOp("x", "static", x), R.ReturnOp()])

    check(odd_dict, "needs key/value pairs, got 3 operands")
    check(bad_struct, "2 field names for 1 values")
    check(bad_type_name, "unknown Ruff type name 'integer'")
    check(bad_guard, "unknown Ruff type name 'str'")
    check(bad_kind, "binding kind must be let, mut, const or var, got 'static'")


def test_checked_ops_take_i64_only():
    def build(block, x):
        block.add_ops([R.IAddOp(x, x), R.ReturnOp()])

    with pytest.raises(VerifyException):
        module(func("f", [f64], [], build))


def test_return_needs_ruff_func_parent():
    with pytest.raises(VerifyException, match="expects parent op 'ruff.func'"):
        parse_module("func.func @f(%x: !ruff.value) {\n  ruff.return %x : !ruff.value\n}").verify()


# ------------------------------------------------------------------------------------------ folding


def _fold_module(build, inputs=(), outputs=()):
    m = module(func("f", list(inputs), list(outputs), build))
    run_pipeline(m, "canonicalize")
    return [op for op in m.ops.first.body.block.ops]


def test_boxed_arithmetic_folds_through_the_runtime():
    def build(block):
        a, b = R.ConstantOp(7), R.ConstantOp(-2)
        d = R.DivOp(a, b)
        s1, s2 = R.ConstantOp("ab"), R.ConstantOp("cd")
        cat = R.AddOp(s1, s2)
        arr = R.MakeArrayOp([d, cat])
        block.add_ops([a, b, d, s1, s2, cat, arr, R.ReturnOp(arr)])

    ops = _fold_module(build, [], [R.VALUE])
    folded = [op.py_value for op in ops if isinstance(op, R.ConstantOp)]
    assert -3 in folded and "abcd" in folded  # Ruff division truncates toward zero


def test_folding_never_hides_errors():
    def build(block):
        mx, one, zero = R.ConstantOp(I64_MAX, i64), R.ConstantOp(1, i64), R.ConstantOp(0, i64)
        bmx, bone, bzero = R.ConstantOp(I64_MAX), R.ConstantOp(1), R.ConstantOp(0)
        bad_str = R.ConstantOp("s")
        block.add_ops([mx, one, zero, bmx, bone, bzero, bad_str,
                       R.IAddOp(mx, one), R.IDivOp(one, zero), R.IModOp(one, zero),
                       R.AddOp(bmx, bone), R.DivOp(bone, bzero), R.SubOp(bad_str, bone), R.ReturnOp()])  # fmt: skip

    names = [op.name for op in _fold_module(build)]
    for name in ("ruff.iadd", "ruff.idiv", "ruff.imod", "ruff.add", "ruff.div", "ruff.sub"):
        assert name in names, name


def test_checked_int_folding_matches_runtime():
    for cls, py, bad in ((R.IAddOp, lambda a, b: a + b, (I64_MAX, 1)), (R.ISubOp, lambda a, b: a - b, (I64_MIN, 1)),
                         (R.IMulOp, lambda a, b: a * b, (I64_MAX, 2))):  # fmt: skip
        for a, b in ((3, 4), (-7, 2), (I64_MAX, 0)):
            assert cls.compute(a, b) == py(a, b)
        assert cls.compute(*bad) is None
    assert R.IDivOp.compute(-7, 2) == -3 and R.IDivOp.compute(7, -2) == -3 and R.IDivOp.compute(1, 0) is None
    assert R.IDivOp.compute(I64_MIN, -1) is None
    assert R.IModOp.compute(-7, 2) == -1 and R.IModOp.compute(7, -2) == 1 and R.IModOp.compute(I64_MIN, -1) is None


def test_unbox_of_box_folds():
    def build(block, x):
        b = R.BoxOp(x)
        u = R.UnboxOp(b, i64)
        block.add_ops([b, u, R.ReturnOp(u)])

    ops = _fold_module(build, [i64], [i64])
    assert [op.name for op in ops] == ["ruff.return"]


# ------------------------------------------------------------------------------------------ effects


def test_effects():
    x = Block(arg_types=[R.VALUE, i64]).args
    assert is_side_effect_free(R.ConstantOp(1))
    assert is_side_effect_free(R.TruthyOp(x[0]))
    assert is_side_effect_free(R.BoxOp(x[1]))
    assert would_be_trivially_dead(R.MakeArrayOp([x[0]]))  # allocation: removable when unused
    assert would_be_trivially_dead(R.LoadGlobalOp("g"))  # a read
    for op in (R.AddOp(x[0], x[0]), R.IAddOp(x[1], x[1]), R.IndexGetOp(x[0], x[0]), R.CallOp(x[0], []),
               R.UnboxOp(x[0], i64), R.StoreGlobalOp("g", x[0])):  # fmt: skip
        assert not would_be_trivially_dead(op), op.name


# ---------------------------------------------------------------------------------- whole programs


def test_cfg_function_round_trip():
    text = """ruff.func @count(%n: !ruff.value) -> !ruff.value attributes {lifted_from = "count", param_names = ["n"]} {
  %0 = ruff.constant 0 : !ruff.value
  cf.br ^loop(%0 : !ruff.value)
^loop(%i: !ruff.value):
  %lt = ruff.lt %i, %n line 2
  %c = ruff.truthy %lt
  cf.cond_br %c, ^body, ^done
^body:
  %1 = ruff.constant 1 : !ruff.value
  %next = ruff.add %i, %1 line 3
  cf.br ^loop(%next : !ruff.value)
^done:
  ruff.return %i : !ruff.value
}"""
    m = parse_module(text)
    roundtrip(m)
    assert isinstance(m.ops.first.body.blocks[1].last_op, cf.ConditionalBranchOp)


def test_constructors_cover_every_op():
    """Every op has a Python constructor that produces verifying IR (as a lifter would build it)."""

    def build(block, v, n, x):
        c = R.ConstantOp(1)
        cell = R.MakeCellOp()
        arr = R.MakeArrayOp([v, c])
        d = R.MakeDictOp([c, v], line=2)
        it = R.MakeIteratorOp(arr)
        nxt = R.IteratorNextOp(it)
        sd = R.MakeStructDefOp("P", 1, [v])
        mp = R.MatchPatternOp(v, 4, 2)
        ops = [
            c, cell, arr, d, it, nxt, sd, mp,
            R.AddOp(v, c, 1), R.SubOp(v, c), R.MulOp(v, c), R.DivOp(v, c), R.ModOp(v, c), R.NegOp(v), R.NotOp(v),
            R.EqOp(v, c), R.NeOp(v, c), R.LtOp(v, c), R.LeOp(v, c), R.GtOp(v, c), R.GeOp(v, c), R.TruthyOp(v),
            R.IsNullOp(v), R.BoxOp(n), R.UnboxOp(v, f64), R.IsTypeOp(v, "int"), R.GuardTypeOp(v, "float"),
            R.IAddOp(n, n), R.ISubOp(n, n), R.IMulOp(n, n), R.IDivOp(n, n), R.IModOp(n, n), R.INegOp(n),
            R.FDivOp(x, x), R.FModOp(x, x), R.LoadGlobalOp("g"), R.StoreGlobalOp("g", v),
            R.DefineGlobalOp("h", "let", v), R.CellGetOp(cell), R.CellSetOp(cell, v), R.LoadUpvalueOp(0),
            R.StoreUpvalueOp(0, v), R.CallOp(v, [c]), R.CallMethodOp(arr, "push", [v]), R.CallSpreadOp(v, arr),
            R.BuiltinCallOp("len", [arr]), R.MakeClosureOp("inner", 3, [cell]), R.SpreadArrayOp(arr, v),
            R.ArrayPushOp(arr, v), R.SpreadDictOp(d, v), R.DictInsertOp(d, c, v), R.IndexGetOp(arr, c),
            R.IndexSetOp(arr, c, v), R.FieldGetOp(v, "x"), R.FieldGetOptOp(v, "x"), R.FieldSetOp(v, "x", c),
            R.MakeStructOp(sd, ["x"], [c]), R.MakeEnumDefOp("E", 5), R.MakeOkOp(v), R.MakeErrOp(v),
            R.MakeSomeOp(v), R.MakeNoneOp(), R.IsFailOp(v), R.UnwrapOp(v), R.BuildStringOp([v, c]),
            R.EnterFrameOp(n, "f"), st := R.FrameStateOp(3, [0], [v, n]), R.ListLenOp(arr), R.ListGetOp(arr, n, st),
            R.ListSetOp(arr, n, v, st), R.ListAppendOp(arr, v), ok := R.IsNullOp(v), R.GuardOp(ok, st),
            R.IsInstanceOp(v, "P"),
            R.StrSliceOp(v, n, n), R.DictGetOp(d, v, c), R.DictSetOp(d, v, c), R.DictItemOp(d, v, st), R.IntTextOp(n), R.TextKeyOp(v), R.StrConcatOp(v, c),
            R.StrMethodOp("upper", [v]), R.StrJoinOp(arr, v, st),
            R.CallDirectOp("f", [v, n, x], [f64]),
        ]  # fmt: skip
        block.add_ops(ops)
        flag = R.TruthyOp(v)
        throw_block, return_block = Block(), Block()
        throw_block.add_op(R.ThrowOp(v))
        return_block.add_op(R.ReturnOp(ops[-1]))
        block.add_ops([flag, cf.ConditionalBranchOp(flag, throw_block, [], return_block, [])])
        block.parent_region().add_block([throw_block, return_block])

    m = module(func("f", [R.VALUE, i64, f64], [f64], build))
    built = {op.name for op in m.walk()}
    missing = {op.name for op in R.RUFF_OPS} - built
    assert not missing, missing
    roundtrip(m)


# --------------------------------------------------------------------------------------- registries


def test_pass_registry():
    passes = get_all_passes()
    assert "lower-to-llvm" in passes and "canonicalize" in passes and "cse" in passes
    assert set(get_ruff_passes()) <= set(passes)
    assert get_pass("lower-to-llvm").name == "lower-to-llvm"


def test_native_arith_lowering_accepts_arith_ops():
    def build(block, a, b):
        add = arith.AddiOp(a, b)
        cmp = arith.CmpiOp(add, b, "slt")
        sel = arith.SelectOp(cmp, add, b)
        block.add_ops([add, cmp, sel, R.ReturnOp(sel)])

    m = module(func("f", [i64, i64], [i64], build))
    run_pipeline(m, "lower-to-llvm")
    names = {op.name for op in m.walk()}
    assert {"llvm.add", "llvm.icmp", "llvm.select"} <= names
    assert not any(n.startswith("ruff.") or n.startswith("arith.") for n in names)
    assert isinstance(m.ops.first.properties.get("value"), IntegerAttr)  # the first global
