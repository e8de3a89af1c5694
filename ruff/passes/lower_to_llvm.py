"""lower-to-llvm: specialized `ruff.func`s → the xDSL `llvm` dialect, with Ruff's runtime errors built in.

Input: `ruff.func`s whose signature is all i64 / f64 / i1 (or returns nothing), whose bodies use only
  ruff.constant (typed), ruff.iadd isub imul idiv imod ineg, ruff.fdiv fmod, ruff.call_direct (to another
  such function in the same module), ruff.return, arith (constant, addi subi muli andi ori xori shli shrsi
  shrui, addf subf mulf divf negf, cmpi cmpf select sitofp extui extsi trunci), math (sqrt floor ceil
  absf sin cos exp log log2 powf) and cf.br / cf.cond_br.
  Anything else (boxed `!ruff.value` ops, unknown ops) makes the pass fail with the op's location.
Output: one `llvm.func` per ruff.func, plus the runtime-state globals below.

THE NATIVE ABI
--------------
* Symbols: `ruff.func @fib` becomes three functions:
    `llvm.func @<prefix>fib(args, i64 depth) -> T`    the C entry point (external; ctypes calls it)
    `llvm.func internal @<prefix>fib$impl(args, i64 depth) -> T`   the body, called by native code
    `llvm.func @<prefix>fib$py(self, args, nargs) -> PyObject*`   the METH_FASTCALL entry CPython calls
                                                      (guards, unboxing, boxing: passes/_python_entry.py)
  The prefix (option, default "ruff.") keeps a Ruff function called `sqrt` or `exit` from clashing with
  a C library symbol that LLVM knows by name.  All carry `ruff.name = "fib"` and `ruff.func_id = <n>`
  (the function's index in the module); the C entry point also carries `ruff.entry`.
* Arguments and result: by value in the C calling convention (the caller's depth last), i64 → int64_t, f64 → double, i1 → bool;
  a function without result returns void.  Only the value is returned, never a status.
* Errors: every module has these external i64 globals (the "error slot"), all zero-initialized:
      @__ruff_err_kind   0 = ok, 1 = integer overflow, 2 = division by zero, 3 = modulo by zero,
                         4 = stack overflow, 5 = interrupted (ruff.passes.abi.ERR_*)
      @__ruff_err_op     1 '+', 2 '-', 3 '*', 4 '/', 5 '%', 6 unary '-' (ruff.passes.abi.OP_*)
      @__ruff_err_lhs    the operands of the failing operation (the one operand for unary '-')
      @__ruff_err_rhs
      @__ruff_err_line   the `line` property of the failing op (0 if unknown)
      @__ruff_err_func   ruff.func_id of the function that raised
  A failing check stores kind/op/operands/line/func there and returns a zero of the result type.
  After every native call the caller loads @__ruff_err_kind and, when it is non-zero, returns at once
  too (propagation).  After the outermost call the entry point's caller reads the slot and resets it to
  0: the `$py` entry hands the call to the baseline (see _python_entry.py), ctypes' caller raises
  NativeError.  The value returned alongside a non-zero status is meaningless.
* Depth: the recursion depth is a trailing i64 argument of every `$impl` function and of the entry point
  (the Ruff depth of the caller: the baseline passes its own), every call passes its own depth + 1 (a
  typed twin counts it explicitly with `ruff.enter_frame`, see EnterFrameOp), so counting costs no memory traffic — a global counter
  incremented on entry and decremented on exit made recursive code ~40% slower (a load/store chain
  through every call).  On entry, depth + 1 > @__ruff_depth_limit (initialized to DEFAULT_DEPTH_LIMIT,
  settable at run time) is a "Stack overflow" (kind 4), and so is a stack pointer below
  @__ruff_stack_limit (an address the runtime sets a safe margin above the end of the calling thread's
  stack; 0 disables this check) — together they keep deep recursion from ever crashing the process.
* Division: `/` is sdiv (truncates toward zero), `%` is srem (sign of the dividend); a zero divisor and
  i64.min / -1 (and % -1) are checked first, so LLVM never sees undefined behaviour.  Float `/` and `%`
  by zero (ruff.fdiv / ruff.fmod) are errors too; `%` is frem (C fmod).
* Loops: every back-edge goes through a poll block that counts down a stack-slot counter; once every
  POLL_INTERVAL iterations it releases and retakes the GIL (PyEval_SaveThread/RestoreThread, so the main
  thread can run Python's SIGINT handler) and reads the flag at the address in @__ruff_interrupt_ptr
  (0: never); a set flag is kind 5, which the Python side raises as KeyboardInterrupt.
* The globals are plain (not thread-local): code of one module must not run on two threads at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import arith, builtin, cf, llvm
from xdsl.dialects.builtin import (
    ArrayAttr,
    StringAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    f64,
    i1,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.utils.diagnostic import Diagnostic
from xdsl.utils.exceptions import PassFailedException

from ruff.dialects import ruff

from ruff.limits import I64_MIN
from ruff.passes.abi import (
    DEFAULT_DEPTH_LIMIT,
    DEFAULT_SYMBOL_PREFIX,
    ERR_DIV_ZERO,
    ERR_INTERRUPT,
    ERR_MOD_ZERO,
    ERR_OVERFLOW,
    ERR_STACK,
    IMPL_SUFFIX,
    OP_ADD,
    OP_DIV,
    OP_MOD,
    OP_MUL,
    OP_NEG,
    OP_SUB,
    POLL_INTERVAL,
    STATE_GLOBALS,
)
from ruff.passes.abi import INTERRUPT_PTR as G_INTERRUPT_PTR
from ruff.passes.abi import DEPTH_LIMIT as G_DEPTH_LIMIT
from ruff.passes.abi import ERR_FUNC as G_FUNC
from ruff.passes.abi import ERR_KIND as G_KIND
from ruff.passes.abi import ERR_LHS as G_LHS
from ruff.passes.abi import ERR_LINE as G_LINE
from ruff.passes.abi import ERR_OP as G_OP
from ruff.passes.abi import ERR_RHS as G_RHS
from ruff.passes.abi import STACK_LIMIT as G_STACK_LIMIT


PTR = llvm.LLVMPointerType()
# CPython's C API, resolved in the process: a loop's poll lets go of the GIL for a moment.
SAVE_THREAD, RESTORE_THREAD = "PyEval_SaveThread", "PyEval_RestoreThread"
from ruff.passes._cpython import declarations  # noqa: E402
from ruff.passes._object_lowering import OBJECTS_ATTR, ObjectLowering, ObjectTable, llvm_type  # noqa: E402
from ruff.passes._ownership import Ownership  # noqa: E402
from ruff.passes._python_entry import python_entry  # noqa: E402
from ruff.passes.unbox_returns import has_deopt_exits  # noqa: E402
_OVF_STRUCT = llvm.LLVMStructType.from_type_list([i64, i1])

_NATIVE = (i64, f64, i1)

# arith binary op → llvm op class
_ARITH_BINARY: dict[type[Operation], type[Operation]] = {
    arith.AddiOp: llvm.AddOp,
    arith.SubiOp: llvm.SubOp,
    arith.MuliOp: llvm.MulOp,
    arith.AndIOp: llvm.AndOp,
    arith.OrIOp: llvm.OrOp,
    arith.XOrIOp: llvm.XOrOp,
    arith.ShLIOp: llvm.ShlOp,
    arith.ShRSIOp: llvm.AShrOp,
    arith.ShRUIOp: llvm.LShrOp,
    arith.AddfOp: llvm.FAddOp,
    arith.SubfOp: llvm.FSubOp,
    arith.MulfOp: llvm.FMulOp,
    arith.DivfOp: llvm.FDivOp,
}
_ARITH_CAST: dict[type[Operation], type[Operation]] = {
    arith.SIToFPOp: llvm.SIToFPOp,
    arith.ExtUIOp: llvm.ZExtOp,
    arith.ExtSIOp: llvm.SExtOp,
    arith.TruncIOp: llvm.TruncOp,
}
_MATH_INTRINSICS = {
    "math.sqrt": "llvm.sqrt.f64",
    "math.floor": "llvm.floor.f64",
    "math.ceil": "llvm.ceil.f64",
    "math.absf": "llvm.fabs.f64",
    "math.sin": "llvm.sin.f64",
    "math.cos": "llvm.cos.f64",
    "math.exp": "llvm.exp.f64",
    "math.log": "llvm.log.f64",
    "math.log2": "llvm.log2.f64",
    "math.powf": "llvm.pow.f64",
}
_CHECKED_ADD_SUB_MUL = {
    ruff.IAddOp: ("llvm.sadd.with.overflow.i64", OP_ADD),
    ruff.ISubOp: ("llvm.ssub.with.overflow.i64", OP_SUB),
    ruff.IMulOp: ("llvm.smul.with.overflow.i64", OP_MUL),
}


def _fail(op: Operation, msg: str) -> PassFailedException:
    """A pass failure naming the function, with the IR printed and the offending op marked."""
    func = _enclosing_func(op)
    where = f" (in @{func.sym_name.data})" if isinstance(func, ruff.FuncOp) else ""
    error = PassFailedException(f"lower-to-llvm: {msg}{where}")
    diagnostic = Diagnostic()
    diagnostic.add_message(op, msg)
    try:
        diagnostic.raise_exception(op, error)  # attaches the marked-up IR as a note
    except PassFailedException:
        pass
    return error


def _enclosing_func(op: Operation) -> Operation | None:
    cur: Operation | None = op
    while cur is not None and not isinstance(cur, ruff.FuncOp):
        cur = cur.parent_op()
    return cur


def _zero(t: Attribute) -> Attribute:
    return FloatAttr(0.0, f64) if t == f64 else IntegerAttr(0, t)  # type: ignore[arg-type]


@dataclass
class _FuncLowering(ObjectLowering):
    """Lowers one ruff.func into one llvm.func (blocks are created as we go; checks split blocks)."""

    func: ruff.FuncOp
    func_id: int
    symbols: dict[str, tuple[str, str]]  # ruff symbol → (llvm entry symbol, llvm impl symbol)
    explicit: frozenset[str]  # functions whose depth is their last argument (ruff.DEPTH_ARG)
    boxing: frozenset[str]  # functions that touch objects only to box their result (see boxes_only)
    table: ObjectTable = field(default_factory=ObjectTable)  # the module's object table (shared)
    values: dict[SSAValue, SSAValue] = field(default_factory=dict)
    blocks: dict[Block, Block] = field(default_factory=dict)
    region: Region = field(default_factory=Region)
    current: Block | None = None
    unwind: Block | None = None
    depth: SSAValue | None = None  # this call's depth + 1, passed on to callees
    back_edges: set = field(default_factory=set)  # (ruff block, loop header) pairs: where loops poll
    counter: SSAValue | None = None  # the poll counter's stack slot
    c_functions: set = field(default_factory=set)  # C API functions this function calls
    c_data: set = field(default_factory=set)  # C API data symbols (type objects, singletons) it uses
    own: Ownership | None = None  # who releases each object reference (functions with !ruff.value values)
    frame_depth: SSAValue | None = None  # this call's own depth (its entry enter_frame), for deopt exits
    entry_block: Block | None = None
    moved: dict[Operation, SSAValue] = field(default_factory=dict)  # op → the operand reference it took over
    _addr_cache: dict[tuple[Block, str], SSAValue] = field(default_factory=dict)

    # -- helpers ---------------------------------------------------------------------------------------
    def emit(self, op: Operation) -> Operation:
        assert self.current is not None
        self.current.add_op(op)
        return op

    def new_block(self, arg_types=(), name: str | None = None, after: Block | None = None) -> Block:
        """A new block at the end of the function, or right after `after` (for straight-line continuations)."""
        b = Block(arg_types=arg_types)
        b.name_hint = name
        if after is None:
            self.region.add_block(b)
        else:
            self.region.insert_block_after(b, after)
        return b

    def const(self, value: int | float, t: Attribute = i64) -> SSAValue:
        attr = FloatAttr(value, f64) if t == f64 else IntegerAttr(int(value), t)  # type: ignore[arg-type]
        return self.emit(llvm.ConstantOp(attr, t)).results[0]

    def addr(self, name: str) -> SSAValue:
        assert self.current is not None
        key = (self.current, name)
        if key not in self._addr_cache:
            self._addr_cache[key] = self.emit(llvm.AddressOfOp(name, PTR)).results[0]
        return self._addr_cache[key]

    def load(self, name: str) -> SSAValue:
        return self.emit(llvm.LoadOp(self.addr(name), i64)).results[0]

    def store(self, value: SSAValue, name: str) -> None:
        self.emit(llvm.StoreOp(value, self.addr(name)))

    def v(self, value: SSAValue) -> SSAValue:
        return self.values[value]

    @property
    def result_type(self) -> Attribute | None:
        outs = self.func.function_type.outputs.data
        return outs[0] if outs else None

    @property
    def boxes_only(self) -> bool:
        """Works on objects only to box its result: its errors take the typed functions' way out, through the
        error slot, so that the baseline makes the call again."""
        return self.func.sym_name.data in self.boxing

    @property
    def llvm_result(self) -> Attribute | None:
        t = self.result_type
        return None if t is None else llvm_type(t)

    def ret_zero(self) -> None:
        t = self.result_type
        if t == ruff.VALUE:
            self.return_null()
            return
        self.emit(llvm.ReturnOp(None if t is None else self.emit(llvm.ConstantOp(_zero(t), t)).results[0]))

    def raise_if(self, cond: SSAValue, kind: int, op_code: int, lhs: SSAValue | None, rhs: SSAValue | None, line: int,
                 at: Operation | None = None) -> None:
        """Branch to a new error block when `cond`; continue emitting in a new fall-through block.

        In a function on objects the error becomes a Python exception there and then (see slot_error_exit;
        `at` is the op that failed, None where nothing is owned yet)."""
        err = self.new_block(name=_ERROR_BLOCK_NAMES.get(kind))
        cont = self.new_block(after=self.current)
        self.emit(llvm.CondBrOp(cond, err, [], cont, []))
        self.current = err
        # errors leave as Python exceptions
        objects = self.own is not None and self.result_type == ruff.VALUE and not self.boxes_only
        if objects and kind == ERR_STACK:
            self.refuse_call()
            self.current = cont
            return
        self.store(self.const(kind), G_KIND)
        self.store(self.const(op_code), G_OP)
        self.store(lhs if lhs is not None else self.const(0), G_LHS)
        self.store(rhs if rhs is not None else self.const(0), G_RHS)
        self.store(self.const(line), G_LINE)
        self.store(self.const(self.func_id), G_FUNC)
        if objects:
            self.slot_error_exit(at, own_frame=True)
        elif self.boxes_only:
            self.slot_exit(at)
        else:
            self.emit(llvm.BrOp(self.get_unwind()))
        self.current = cont

    def get_unwind(self) -> Block:
        """The shared exit for errors (own or propagated): return a zero."""
        if self.unwind is None:
            saved = self.current
            self.unwind = self.current = self.new_block(name="unwind")
            self.ret_zero()
            self.current = saved
        return self.unwind

    # -- the function ----------------------------------------------------------------------------------
    def lower(self) -> tuple[llvm.FuncOp, llvm.FuncOp]:
        """(entry point, impl)."""
        f = self.func
        if f.is_declaration:
            raise _fail(f, "cannot lower a ruff.func declaration")
        ft = f.function_type
        for t in (*ft.inputs.data, *ft.outputs.data):
            if t not in _NATIVE and t != ruff.VALUE:
                raise _fail(f, f"signature type {t} is not native (i64, f64, i1); run specialize-types first")
        entry_sym, impl_sym = self.symbols[f.sym_name.data]
        explicit = ruff.DEPTH_ARG in f.attributes  # the depth is the last argument, counted by enter_frame ops
        params = [llvm_type(t) for t in (ft.inputs.data[:-1] if explicit else ft.inputs.data)]
        if any(t == PTR for t in params) or ft.outputs.data == (ruff.VALUE,) or any(
                o.results and o.results[0].type in (ruff.VALUE, ruff.STATE) for o in f.walk()):
            self.own = Ownership(f)
        entry = self.new_block(arg_types=[*params, i64])
        self.entry_block = entry
        # one llvm block per ruff block (created up front so branches can target them)
        for b in f.body.blocks:
            self.blocks[b] = self.new_block(arg_types=[llvm_type(t) for t in b.arg_types], name=b.name_hint)
            for a_old, a_new in zip(b.args, self.blocks[b].args):
                self.values[a_old] = a_new
                if a_old.name_hint:
                    a_new.name_hint = a_old.name_hint
        for a, p in zip(entry.args, f.args):
            a.name_hint = p.name_hint
        entry.args[-1].name_hint = "depth"
        self.current = entry
        self.back_edges = back_edges(f)
        if self.back_edges:
            # The loops' poll counter: a local, which LLVM keeps in a register.
            self.counter = self.emit(llvm.AllocaOp(self.const(1), i64, alignment=8)).results[0]
            self.emit(llvm.StoreOp(self.const(POLL_INTERVAL), self.counter))
        first = f.body.blocks.first
        assert first is not None
        if explicit:
            self.emit(llvm.BrOp(self.blocks[first], *entry.args))
        else:
            # prologue: depth and stack checks
            self.depth = self.enter_frame(entry.args[-1])
            self.emit(llvm.BrOp(self.blocks[first], *entry.args[:-1]))
        self.lower_body()
        return self.finish(entry_sym, impl_sym, params)

    def successor(self, source: Block, target: Block, args: list[SSAValue]) -> Block:
        """The llvm block a branch from ruff block `source` to `target` goes to: the target's own, or, on a
        loop's back-edge, a poll block in front of it (which takes the same arguments)."""
        if (source, target) not in self.back_edges:
            return self.blocks[target]
        saved = self.current
        poll = self.new_block(arg_types=[a.type for a in args], name="poll")
        self.current = poll
        left = self.emit(llvm.SubOp(self.emit(llvm.LoadOp(self.counter, i64)).results[0], self.const(1))).results[0]
        self.emit(llvm.StoreOp(left, self.counter))
        due = self.emit(llvm.ICmpOp(left, self.const(0), _icmp("sle"))).results[0]
        check = self.new_block(name="check_interrupt")
        self.emit(llvm.CondBrOp(due, check, [], self.blocks[target], list(poll.args)))
        self.current = check
        self.emit(llvm.StoreOp(self.const(POLL_INTERVAL), self.counter))
        # Let go of the GIL for a moment: the main thread runs Python's SIGINT handler, which sets the flag.
        state = self.emit(llvm.CallOp(SAVE_THREAD, return_type=PTR)).results[0]
        self.emit(llvm.CallOp(RESTORE_THREAD, state))
        self.c_functions.update((SAVE_THREAD, RESTORE_THREAD))
        where = self.load(G_INTERRUPT_PTR)
        known = self.emit(llvm.ICmpOp(where, self.const(0), _icmp("ne"))).results[0]
        read = self.new_block(name="read_interrupt", after=self.current)
        resume = self.new_block(name="resume")
        self.emit(llvm.CondBrOp(known, read, [], resume, []))
        self.current = read
        flag = self.emit(llvm.LoadOp(self.emit(llvm.IntToPtrOp(where)).results[0], i64)).results[0]
        self.raise_if(self.emit(llvm.ICmpOp(flag, self.const(0), _icmp("ne"))).results[0], ERR_INTERRUPT, 0,
                      None, None, 0)
        self.emit(llvm.BrOp(resume))
        self.current = resume
        self.emit(llvm.BrOp(self.blocks[target], *poll.args))
        self.current = saved
        return poll

    def lower_body(self) -> None:
        for b in self.func.body.blocks:
            self.current = self.blocks[b]
            releases = {}
            if self.own is not None:
                self.release(self.own.releases_at_start(b))
                releases = self.own.releases_after(b)
            for op in b.ops:
                self.lower_op(op)
                if op in releases:
                    self.release([v for v in releases[op] if v not in self.taken(op)])
                for r in op.results:
                    new = self.values.get(r)
                    if r.name_hint and new is not None and new.name_hint is None:
                        new.name_hint = r.name_hint

    def enter_frame(self, depth: SSAValue, op: Operation | None = None) -> SSAValue:
        """depth + 1, after checking it against the depth limit and the stack pointer against its floor
        (deoptimizing to op's state, when it has one, where the check fails)."""
        deeper = self.emit(llvm.AddOp(depth, self.const(1))).results[0]
        too_deep = self.emit(llvm.ICmpOp(deeper, self.load(G_DEPTH_LIMIT), _icmp("sgt"))).results[0]
        sp = self.emit(llvm.CallIntrinsicOp("llvm.stacksave.p0", [], [PTR])).results[0]
        sp_int = self.emit(llvm.PtrToIntOp(sp, i64)).results[0]
        too_low = self.emit(llvm.ICmpOp(sp_int, self.load(G_STACK_LIMIT), _icmp("ult"))).results[0]
        bad = self.emit(llvm.OrOp(too_deep, too_low)).results[0]
        for value, hint in ((deeper, "callee_depth"), (too_deep, "too_deep"), (sp_int, "sp"),
                            (too_low, "stack_low"), (bad, "no_room")):  # fmt: skip
            value.name_hint = hint
        state = getattr(op, "state", None)
        if state is not None:
            self.deopt_if(bad, state, op)
        else:
            self.raise_if(bad, ERR_STACK, 0, None, None, 0, op)
        return deeper

    def finish(self, entry_sym: str, impl_sym: str, params: list) -> tuple[llvm.FuncOp, llvm.FuncOp]:
        """The internal body, and the entry point Python calls with the caller's depth last."""
        f = self.func
        impl_type = llvm.LLVMFunctionType([*params, i64], self.llvm_result)
        order_blocks(self.region)
        impl = llvm.FuncOp(impl_sym, impl_type, linkage=llvm.LinkageAttr("internal"), body=self.region)
        wrapper = Block(arg_types=[*params, i64])
        for a, p in zip(wrapper.args, f.args):
            a.name_hint = p.name_hint
        wrapper.args[-1].name_hint = "depth"
        call = llvm.CallOp(impl_sym, *wrapper.args, return_type=self.llvm_result)
        wrapper.add_ops([call, llvm.ReturnOp(call.results[0] if self.llvm_result else None)])
        entry_fn = llvm.FuncOp(
            entry_sym,
            llvm.LLVMFunctionType([*params, i64], self.llvm_result),
            linkage=llvm.LinkageAttr("external"),
            body=Region(wrapper),
        )
        for fn in (entry_fn, impl):
            fn.attributes["ruff.name"] = f.sym_name
            fn.attributes["ruff.func_id"] = IntegerAttr(self.func_id, i64)
        entry_fn.attributes["ruff.entry"] = builtin.UnitAttr()
        return entry_fn, impl

    # -- ops -------------------------------------------------------------------------------------------
    def lower_op(self, op: Operation) -> None:
        t = type(op)
        if self.own is not None:
            try:
                if self.lower_object_op(op):
                    return
            except ValueError as e:
                raise _fail(op, str(e)) from None
        if isinstance(op, ruff.ConstantOp | arith.ConstantOp):
            rt = op.results[0].type
            if rt not in _NATIVE:
                raise _fail(op, f"constant of type {rt} has no native form")
            value = op.value
            if isinstance(value, IntegerAttr) and rt == i1:
                value = IntegerAttr(1 if value.value.data else 0, i1)
            if not isinstance(value, IntegerAttr | FloatAttr):
                raise _fail(op, "unsupported constant")
            self.values[op.results[0]] = self.emit(llvm.ConstantOp(value, rt)).results[0]
        elif t in _CHECKED_ADD_SUB_MUL:
            intrinsic, code = _CHECKED_ADD_SUB_MUL[t]
            a, b = self.v(op.operands[0]), self.v(op.operands[1])
            self.values[op.results[0]] = self.checked(intrinsic, a, b, code, a, b, _line_of(op), op)
        elif isinstance(op, ruff.INegOp):
            a = self.v(op.operand)
            self.values[op.result] = self.checked("llvm.ssub.with.overflow.i64", self.const(0), a, OP_NEG, a, None,
                                                  _line_of(op), op)
        elif isinstance(op, ruff.IDivOp | ruff.IModOp):
            a, b = self.v(op.lhs), self.v(op.rhs)
            is_div = isinstance(op, ruff.IDivOp)
            line = _line_of(op)
            zero = self.emit(llvm.ICmpOp(b, self.const(0), _icmp("eq"))).results[0]
            self.fail_if(op, zero, ERR_DIV_ZERO if is_div else ERR_MOD_ZERO, OP_DIV if is_div else OP_MOD, a, b, line)
            m1 = self.emit(llvm.ICmpOp(b, self.const(-1), _icmp("eq"))).results[0]
            mn = self.emit(llvm.ICmpOp(a, self.const(I64_MIN), _icmp("eq"))).results[0]
            ovf = self.emit(llvm.AndOp(m1, mn)).results[0]
            self.fail_if(op, ovf, ERR_OVERFLOW, OP_DIV if is_div else OP_MOD, a, b, line)
            res = self.emit(llvm.SDivOp(a, b) if is_div else llvm.SRemOp(a, b))
            self.values[op.result] = res.results[0]
        elif isinstance(op, ruff.FDivOp | ruff.FModOp):
            a, b = self.v(op.lhs), self.v(op.rhs)
            is_div = isinstance(op, ruff.FDivOp)
            zero = self.emit(llvm.FCmpOp(b, self.const(0.0, f64), "oeq")).results[0]
            self.fail_if(op, zero, ERR_DIV_ZERO if is_div else ERR_MOD_ZERO, OP_DIV if is_div else OP_MOD, None, None,
                         _line_of(op))
            res = self.emit(llvm.FDivOp(a, b) if is_div else llvm.FRemOp(a, b))
            self.values[op.result] = res.results[0]
        elif t in _ARITH_BINARY:
            res = self.emit(_ARITH_BINARY[t](self.v(op.operands[0]), self.v(op.operands[1])))
            self.values[op.results[0]] = res.results[0]
        elif t in _ARITH_CAST:
            res = self.emit(_ARITH_CAST[t](self.v(op.operands[0]), op.results[0].type))
            self.values[op.results[0]] = res.results[0]
        elif isinstance(op, arith.NegfOp):
            self.values[op.result] = self.emit(llvm.FNegOp(self.v(op.operand))).results[0]
        elif isinstance(op, arith.CmpiOp):
            pred = IntegerAttr(op.predicate.value.data, i64)
            self.values[op.result] = self.emit(llvm.ICmpOp(self.v(op.lhs), self.v(op.rhs), pred)).results[0]
        elif isinstance(op, arith.CmpfOp):
            pred = IntegerAttr(op.predicate.value.data, i64)
            self.values[op.result] = self.emit(llvm.FCmpOp(self.v(op.lhs), self.v(op.rhs), pred)).results[0]
        elif isinstance(op, arith.SelectOp):
            res = self.emit(llvm.SelectOp(self.v(op.cond), self.v(op.lhs), self.v(op.rhs)))
            self.values[op.result] = res.results[0]
        elif op.name in _MATH_INTRINSICS:
            if any(o.type != f64 for o in op.operands):
                raise _fail(op, "only f64 math is supported")
            res = self.emit(llvm.CallIntrinsicOp(_MATH_INTRINSICS[op.name], [self.v(o) for o in op.operands], [f64]))
            self.values[op.results[0]] = res.results[0]
        elif isinstance(op, cf.BranchOp):
            args = [self.v(a) for a in op.arguments]
            target = self.successor(op.parent_block(), op.successor, args)
            if self.own is not None:
                target, args = self.edge_block(op.parent_block(), 0, target, args)
            self.emit(llvm.BrOp(target, *args))
        elif isinstance(op, cf.ConditionalBranchOp):
            then_args = [self.v(a) for a in op.then_arguments]
            else_args = [self.v(a) for a in op.else_arguments]
            then_b = self.successor(op.parent_block(), op.then_block, then_args)
            else_b = self.successor(op.parent_block(), op.else_block, else_args)
            if self.own is not None:
                then_b, then_args = self.edge_block(op.parent_block(), 0, then_b, then_args)
                else_b, else_args = self.edge_block(op.parent_block(), 1, else_b, else_args)
            if then_b is else_b:  # one predecessor may not feed two different values into a phi
                tramp = self.new_block()
                saved, self.current = self.current, tramp
                self.emit(llvm.BrOp(then_b, *then_args))
                self.current = saved
                then_b, then_args = tramp, []
            self.emit(llvm.CondBrOp(self.v(op.cond), then_b, then_args, else_b, else_args))
        elif isinstance(op, ruff.EnterFrameOp):
            self.values[op.result] = self.enter_frame(self.v(op.depth), op)
            if self.frame_depth is None and op.parent_block() is self.func.body.blocks.first:
                self.frame_depth = self.values[op.result]
        elif isinstance(op, ruff.CallDirectOp):
            callee = op.callee.string_value()
            if callee not in self.symbols:
                raise _fail(op, f"callee @{callee} is not a ruff.func of this module")
            ret = op.res.types[0] if op.res else None
            args = [self.v(a) for a in op.args]
            if callee not in self.explicit:
                if self.depth is None:
                    raise _fail(op, f"@{callee} takes no depth argument but its caller counts depth explicitly")
                args.append(self.depth)
            call = self.emit(llvm.CallOp(self.symbols[callee][1], *args, return_type=llvm_type(ret) if ret else None))
            if op.res:
                self.values[op.res[0]] = call.results[0]
            if ret == ruff.VALUE:
                if callee in self.boxing:
                    # It fails through the error slot, like a typed callee.
                    failed = self.emit(llvm.ICmpOp(self.load(G_KIND), self.const(0), _icmp("ne"))).results[0]
                    failed.name_hint = "failed"
                    self.callee_failed(failed, op)
                self.check_null(call.results[0], op)  # an object function: NULL is an error in flight
            else:
                failed = self.emit(llvm.ICmpOp(self.load(G_KIND), self.const(0), _icmp("ne"))).results[0]
                failed.name_hint = "failed"
                self.callee_failed(failed, op)
        elif isinstance(op, ruff.ReturnOp):
            if op.arguments and self.own is not None and self.own.owned(op.arguments[0]) is False \
                    and op.arguments[0].type == ruff.VALUE:
                self.incref(self.v(op.arguments[0]))  # an argument or a constant: the caller gets its own reference
            self.emit(llvm.ReturnOp(self.v(op.arguments[0]) if op.arguments else None))
        else:
            if any(r.type == ruff.VALUE for r in (*op.results, *op.operands)):
                raise _fail(op, f"'{op.name}' works on boxed !ruff.value values, which have no native form")
            raise _fail(op, f"no lowering for '{op.name}'")

    def callee_failed(self, failed: SSAValue, op: ruff.CallDirectOp) -> None:
        """Where a direct call's callee reported an error through the error slot (`failed`)."""
        if op.state is not None:
            # A typed callee met an error: it had no side effect, so the baseline makes the call again
            # from this frame state (the error slot is cleared there).
            self.clear_error_slot_on(failed)
            self.deopt_if(failed, op.state, op)
        elif self.own is not None and self.result_type == ruff.VALUE:
            err, cont = self.new_block(name="callee_failed"), self.new_block(after=self.current)
            self.emit(llvm.CondBrOp(failed, err, [], cont, []))
            self.current = err
            if self.boxes_only:
                self.slot_exit(op)
            else:
                self.slot_error_exit(op, own_frame=True)
            self.current = cont
        else:
            cont = self.new_block(after=self.current)
            self.emit(llvm.CondBrOp(failed, self.get_unwind(), [], cont, []))
            self.current = cont

    def slot_exit(self, at: Operation | None) -> None:
        """Leave a function that only boxes its result with the error left in the slot: free what it owns at
        `at`, return NULL (its Python entry, or its native caller, then sees the slot)."""
        if at is not None:
            assert self.own is not None
            self.release(sorted(self.own.alive_before(at.parent_block(), at) - set(at.results),
                                key=self.own.order.__getitem__))
        self.return_null()

    def checked(self, intrinsic: str, x: SSAValue, y: SSAValue, code: int, lhs: SSAValue, rhs: SSAValue | None,
                line: int, op: Operation) -> SSAValue:
        pair = self.emit(llvm.CallIntrinsicOp(intrinsic, [x, y], [_OVF_STRUCT])).results[0]
        value = self.emit(llvm.ExtractValueOp(DenseArrayBase.from_list(i64, [0]), pair, i64)).results[0]
        ovf = self.emit(llvm.ExtractValueOp(DenseArrayBase.from_list(i64, [1]), pair, i1)).results[0]
        ovf.name_hint = "ovf"
        self.fail_if(op, ovf, ERR_OVERFLOW, code, lhs, rhs, line)
        return value

    def fail_if(self, op: Operation, cond: SSAValue, kind: int, op_code: int, lhs: SSAValue | None,
                rhs: SSAValue | None, line: int) -> None:
        """A Ruff error when cond holds: through the error slot, or, for an op that carries a frame state
        (native object code), by deoptimizing there so that the baseline raises it."""
        state = getattr(op, "state", None)
        if state is not None:
            self.deopt_if(cond, state, op)
        else:
            self.raise_if(cond, kind, op_code, lhs, rhs, line, op)

    def clear_error_slot_on(self, cond: SSAValue) -> None:
        """Reset the error slot when cond holds (before leaving through a deopt exit)."""
        zero = self.const(0)
        kind = self.load(G_KIND)
        self.store(self.emit(llvm.SelectOp(cond, zero, kind)).results[0], G_KIND)


def boxes_only(func: ruff.FuncOp) -> bool:
    """Whether a function returning !ruff.value takes only raw arguments and touches objects only to make
    its result (ruff.box, constants, the return): like a typed function it has no side effect, so where it
    fails the baseline can make the whole call again and raise the error with every frame."""
    if func.function_type.outputs.data != (ruff.VALUE,):
        return False
    if any(t == ruff.VALUE for t in func.function_type.inputs.data):
        return False
    for op in func.walk():
        if op is func:
            continue
        if isinstance(op, ruff.FrameStateOp):
            return False
        if any(v.type == ruff.VALUE for v in (*op.operands, *op.results)) and not isinstance(
                op, (ruff.BoxOp, ruff.ConstantOp, ruff.ReturnOp)):
            return False
    return True


_ERROR_BLOCK_NAMES = {
    ERR_OVERFLOW: "overflow", ERR_DIV_ZERO: "division_by_zero", ERR_MOD_ZERO: "modulo_by_zero",
    ERR_STACK: "stack_overflow", ERR_INTERRUPT: "interrupted",
}  # fmt: skip


def order_blocks(region: Region) -> None:
    """Put the blocks in reverse postorder from the entry: every value's definition comes before its uses,
    which xDSL's LLVM IR printer needs (exits created while lowering land wherever they were made)."""
    blocks = list(region.blocks)
    if len(blocks) < 2 or not _used_before_defined(blocks):
        return  # keep the order the lowering made, which reads best
    seen: set[Block] = set()
    post: list[Block] = []
    stack: list[tuple[Block, int]] = [(blocks[0], 0)]
    seen.add(blocks[0])
    while stack:
        b, k = stack.pop()
        succs = list(reversed(b.last_op.successors)) if b.last_op is not None else []
        if k < len(succs):
            stack.append((b, k + 1))
            nxt = succs[k]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, 0))
        else:
            post.append(b)
    order = list(reversed(post)) + [b for b in blocks if b not in seen]
    if order == blocks:
        return
    for b in blocks:
        region.detach_block(b)
    for b in order:
        region.add_block(b)


def _used_before_defined(blocks: list[Block]) -> bool:
    position = {b: k for k, b in enumerate(blocks)}
    for k, b in enumerate(blocks):
        for op in b.ops:
            for v in op.operands:
                owner = v.owner
                where = owner.parent_block() if isinstance(owner, Operation) else owner
                if position.get(where, -1) > k:
                    return True
    return False


def back_edges(func: ruff.FuncOp) -> set[tuple[Block, Block]]:
    """The edges of `func` whose target dominates their source: the back-edges of its loops."""
    blocks = list(func.body.blocks)
    if not blocks:
        return set()
    succs = {b: list(b.last_op.successors) if b.last_op is not None else [] for b in blocks}
    preds: dict[Block, list[Block]] = {b: [] for b in blocks}
    for b in blocks:
        for t in succs[b]:
            preds[t].append(b)
    everything = set(blocks)
    dom = {b: set(everything) for b in blocks}
    dom[blocks[0]] = {blocks[0]}
    changed = True
    while changed:
        changed = False
        for b in blocks[1:]:
            incoming = [dom[p] for p in preds[b]]
            new = (set.intersection(*incoming) if incoming else set()) | {b}
            if new != dom[b]:
                dom[b], changed = new, True
    return {(b, t) for b in blocks for t in succs[b] if t in dom[b]}


def _icmp(pred: str) -> IntegerAttr:
    return IntegerAttr(llvm.ICmpPredicateFlag(pred).to_int(), i64)


def _line_of(op: Operation) -> int:
    line = op.properties.get("line")
    return line.value.data if isinstance(line, IntegerAttr) else 0


def state_globals() -> list[llvm.GlobalOp]:
    """The runtime-state globals of the native ABI (see the module docstring)."""
    return [
        llvm.GlobalOp(
            i64,
            name,
            "external",
            value=IntegerAttr(DEFAULT_DEPTH_LIMIT if name == G_DEPTH_LIMIT else 0, i64),
            alignment=8,
        )
        for name in STATE_GLOBALS
    ]


# The passes that make a lifted module lowerable, in pipeline order.
_PREPARING_PASSES = ("specialize-types", "unbox-returns", "extract-native")


def _check_signatures(funcs: list[ruff.FuncOp]) -> None:
    """Refuse a boxed signature naming every pass still missing before lower-to-llvm: a boxed original
    left beside its typed twins needs extract-native, a twin still returning a boxed value unbox-returns,
    and a module without twins all three."""
    has_twins = any("specialized_for" in f.attributes for f in funcs)
    missing: set[str] = set()
    first: tuple[ruff.FuncOp, Attribute] | None = None
    for f in funcs:
        if f.is_declaration:
            continue
        ft = f.function_type
        boxed = [t for t in (*ft.inputs.data, *ft.outputs.data) if t not in _NATIVE]
        if not boxed:
            continue
        if "specialized_for" not in f.attributes:
            first = first or (f, boxed[0])
            missing.update(("extract-native",) if has_twins else _PREPARING_PASSES)
        elif all(t in _NATIVE for t in ft.inputs.data) and f.attributes.get("returns", StringAttr("value")).data in \
                ("int", "float", "bool") and not has_deopt_exits(f):
            first = first or (f, boxed[0])
            missing.add("unbox-returns")
        # else: a twin working on objects (native object code), whose boxed values are PyObject*
    if first is not None:
        order = ",".join(p for p in _PREPARING_PASSES if p in missing)
        raise _fail(first[0], f"signature type {first[1]} is not native (i64, f64, i1); run {order} before lower-to-llvm")


@dataclass(frozen=True)
class LowerToLLVMPass(ModulePass):
    """Lower specialized ruff.funcs to llvm.funcs with checked arithmetic, error slot and depth counter."""

    name = "lower-to-llvm"

    prefix: str = DEFAULT_SYMBOL_PREFIX
    """Prepended to every function symbol ("" keeps the Ruff names)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        funcs = [o for o in op.ops if isinstance(o, ruff.FuncOp)]
        _check_signatures(funcs)
        symbols = {f.sym_name.data: (self.prefix + f.sym_name.data, self.prefix + f.sym_name.data + IMPL_SUFFIX) for f in funcs}
        existing = {o.sym_name.data for o in op.ops if isinstance(o, llvm.GlobalOp)}
        explicit = frozenset(f.sym_name.data for f in funcs if ruff.DEPTH_ARG in f.attributes)
        boxing = frozenset(f.sym_name.data for f in funcs if boxes_only(f))
        table = ObjectTable()
        lowerings = [_FuncLowering(f, i, symbols, explicit, boxing, table) for i, f in enumerate(funcs)]
        lowered = [fl.lower() for fl in lowerings]
        c_functions: set[str] = set().union(*(fl.c_functions for fl in lowerings)) if lowerings else set()
        c_data: set[str] = set().union(*(fl.c_data for fl in lowerings)) if lowerings else set()
        entries = []
        for f, (entry, impl) in zip(funcs, lowered):
            params = list(impl.function_type.inputs.data[:-1])
            result = impl.function_type.output
            kinds = f.attributes.get("specialized_for")
            py, objects = python_entry(entry.sym_name.data, impl.sym_name.data, params,
                                       None if isinstance(result, llvm.LLVMVoidType) else result,
                                       [k.data for k in kinds.data] if isinstance(kinds, ArrayAttr) else None)
            for a in ("ruff.name", "ruff.func_id"):
                py.attributes[a] = entry.attributes[a]
            entries.append(py)
            c_functions |= objects.functions
            c_data |= objects.data
        # all checks passed: now rewrite the module
        first = op.body.block.first_op
        for g in state_globals():
            if g.sym_name.data not in existing:
                if first is None:
                    op.body.block.add_op(g)
                else:
                    op.body.block.insert_op_before(g, first)
        for f, new, py in zip(funcs, lowered, entries):
            op.body.block.insert_ops_before([*new, py], f)
            f.detach()
            f.erase(safe_erase=False)
        declared = {o.sym_name.data for o in op.ops if isinstance(o, llvm.FuncOp | llvm.GlobalOp)}
        op.body.block.add_ops(d for d in declarations(c_functions - declared, c_data - declared))
        if table.keys:
            op.body.block.add_ops(table.globals())
            op.attributes[OBJECTS_ATTR] = table.attribute()


__all__ = ["LowerToLLVMPass", "state_globals"]
