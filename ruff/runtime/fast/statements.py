"""Instructions as Python statements in the fast tier's generated code: variables, globals, calls,
fields, closures, collections, results and options, iteration, strings, and what is handed to the
interpreter's own `slow_op` (struct and enum definitions, spreads, imports, tests, spawn).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ruff.frontend.bytecode import Chunk, Op
from ruff.frontend.cfg import stack_effect
from ruff.limits import MAX_FRAMES
from ruff.runtime.fast.expressions import _ARITH, I64_MIN_TEXT, ExpressionEmitter, StackEntry, stored_key_text, text_key_of
from ruff.runtime.fast.factories import Factory
from ruff.runtime.fast.pysource import If, Line, Try
from ruff.runtime.fast.placement import Unsupported
from ruff.runtime.values import field_names, float_flag_attr, method_attr, slot_name


# Operations the generated code hands to the interpreter's own slow_op (rare, or big: one definition).
_VIA_SLOW_OP = (Op.MakeStructDef, Op.MakeEnumDef, Op.SpreadArray, Op.SpreadDict, Op.Import, Op.ImportFrom,
                Op.RegisterTest, Op.Spawn)
# What InstructionEmitter.instr translates (comparisons and branches are FunctionEmitter's).
STATEMENTS = frozenset(_ARITH) | frozenset(_VIA_SLOW_OP) | {
    Op.LoadConst, Op.LoadLocal, Op.StoreLocal, Op.Pop, Op.LoadGlobal, Op.StoreGlobal, Op.DefineGlobal, Op.Call,
    Op.CallMethod, Op.CallSpread, Op.LoadDeref, Op.StoreDeref, Op.MakeCell, Op.LoadUpvalue, Op.StoreUpvalue,
    Op.IndexGet, Op.IndexSet, Op.FieldGet, Op.FieldGetOpt, Op.FieldSet, Op.MakeClosure, Op.MakeArray,
    Op.MakeDict, Op.ArrayPush, Op.DictInsert, Op.MakeStruct, Op.Negate, Op.Not, Op.Truthy, Op.MakeOk, Op.MakeErr,
    Op.MakeSome, Op.MakeNone, Op.TryUnwrap, Op.MakeIterator, Op.BuildString, Op.Yield, Op.Await, Op.Dup, Op.Swap,
    Op.EndTry, Op.Nop}

@dataclass(frozen=True)
class InlineBuiltin:
    """A builtin whose result a call site computes inline when the global still holds the builtin
    (fastvm's `_h_B_<name>`) and the arguments have the kinds below; `expr` is then exactly what the
    builtin returns."""

    argc: int
    classes: tuple[Optional[tuple[str, ...]], ...]  # per argument: the Python classes allowed (None: any)
    expr: str  # the result, from the argument texts {0}, {1}, ..
    hint: Optional[str] = None  # the result's class
    nonneg: tuple[int, ...] = ()  # arguments that must be ints >= 0
    nonempty: tuple[int, ...] = ()  # arguments that must be non-empty strings
    extra: str = ""  # a further condition, from the argument texts
    keys: tuple[int, ...] = ()  # string arguments that are dict keys: {n} is then the key's stored form

    def texts(self, args: list, stored: Optional[dict] = None) -> list[str]:
        """The argument texts `expr` is formatted with: a constant key stored by dict_keys's rule now, and a key
        whose stored form is already in a temp (`stored`: argument number → temp) that temp."""
        stored = stored or {}
        return [stored[n] if n in stored else stored_key_text(a) if n in self.keys else a.text
                for n, a in enumerate(args)]


INLINE_BUILTINS = {
    "sqrt": InlineBuiltin(1, (("float",),), "_h_msqrt({0})", "float", extra="{0} >= 0.0"),
    "len": InlineBuiltin(1, (("str", "list", "dict"),), "_h_pylen({0})", "int"),
    "substring": InlineBuiltin(3, (("str",), ("int",), ("int",)), "{0}[{1}:{2}]", "str", nonneg=(1, 2)),
    "get_default": InlineBuiltin(3, (("dict",), ("str",), None), "{0}.get({1}, {2})", keys=(1,)),
    # Strings and dicts (ruff/runtime/builtins/strings.py, dicts.py, core.py): the builtin's own Python
    # operation once its argument checks are known to pass.
    "to_string": InlineBuiltin(1, (("str", "int"),), "_h_str({0})", "str"),
    "upper": InlineBuiltin(1, (("str",),), "{0}.upper()", "str"),
    "lower": InlineBuiltin(1, (("str",),), "{0}.lower()", "str"),
    "trim": InlineBuiltin(1, (("str",),), "{0}.strip()", "str"),
    "replace": InlineBuiltin(3, (("str",), ("str",), ("str",)), "{0}.replace({1}, {2})", "str"),
    "split": InlineBuiltin(2, (("str",), ("str",)), "{0}.split({1})", nonempty=(1,)),
    "contains": InlineBuiltin(2, (("str",), ("str",)), "(1 if {1} in {0} else 0)", "int"),
    "starts_with": InlineBuiltin(2, (("str",), ("str",)), "{0}.startswith({1})"),
    "ends_with": InlineBuiltin(2, (("str",), ("str",)), "{0}.endswith({1})"),
    "index_of": InlineBuiltin(2, (("str",), ("str",)), "{0}.find({1})", "int"),
    "has_key": InlineBuiltin(2, (("dict",), ("str",)), "(1 if {1} in {0} else 0)", "int", keys=(1,)),
}
# Other names of the same builtins (each global is still tested against its own builtin object).
for _alias, _name in (("str", "to_string"), ("to_upper", "upper"), ("to_lower", "lower")):
    INLINE_BUILTINS[_alias] = INLINE_BUILTINS[_name]


class InstructionEmitter(ExpressionEmitter):
    """One instruction at a time (a part of FunctionEmitter): `instr` emits the statements of any
    instruction that neither branches nor is a comparison fused into a branch.

    Needs from the emitter, besides ExpressionEmitter's: `gname`, `spill_local`, `jit`, `builtin_names`, `factories`,
    `pure_callees`,
    `slot_hint` (what each local slot probably holds), and the sets it records what the prologue must set up in (`uses`, `upvals`, `stored_globals`,
    `has_yield`), and `leaves` (leaf_closures.leaves_by_arity).
    """

    def closure_call(self, fobj: str, args: list[str], r: str, i: int) -> list:
        """Statements calling `fobj`, known to be a Closure, with `args` (texts); result into r.

        The callee runs one frame deeper, checks the depth, fills defaults and does the native-tier
        bookkeeping itself; a TypeError raised by the Python call itself means the argument count does
        not fit. The function is named before it is called (`(_cf := f.chunk.fx)(...)`): CPython 3.11
        cannot specialize the method-call form `f.chunk.fx(...)` of an instance attribute, whose generic
        lookup costs as much again as the call's own overhead.
        """
        argtext = ", ".join(args)
        return [Try([Line(f"{r} = (_cf := {fobj}.chunk.fx)({fobj}, d + 1{', ' if args else ''}{argtext})", i)],
                    "_h_TypeError as _te", [Line(f"{r} = _h_arity(_te, {fobj}, [{argtext}], d)", i)], i)]

    def inline_guard(self, spec: InlineBuiltin, args: list, i: int) -> Optional[str]:
        """What the call at i must test, besides the callee, to compute spec inline: "" when typeflow
        proves every argument's kind, " and <test> and .." otherwise; None when an argument can never fit."""
        parts = []
        for e, classes in zip(args, spec.classes):
            if classes is None:
                continue
            tests = [self.is_cls(e, c) for c in classes]
            if None in tests:
                continue  # proven
            tests = [t for t in tests if t != "False"]
            if not tests:
                return None
            parts.append(tests[0] if len(tests) == 1 else f"({' or '.join(tests)})")
        for k in spec.nonneg:
            e = args[k]
            if e.kind == "c":
                if e.value < 0:
                    return None
            elif not self.nonnegative(i, len(args) - k):
                parts.append(f"{e.text} >= 0")
        for k in spec.nonempty:
            e = args[k]
            if e.kind == "c":
                if e.value == "":
                    return None
            else:
                parts.append(f"{e.text} != ''")
        if spec.extra:
            parts.append(spec.extra.format(*(a.text for a in args)))
        return "".join(f" and {p}" for p in parts)

    def call(self, ins: Any, i: int, state: list, out: list) -> None:
        argc = ins.arg
        args = [state.pop() for _ in range(argc)][::-1]
        f = state.pop()
        r = self.temp()
        argtext = ", ".join(a.text for a in args)
        if f.kind == "c" or self.cold:
            out.append(self.again(r, "_h_call", [f.text, f"[{argtext}]"], i))
        else:
            closure = self.closure_call(f.text, [a.text for a in args], r, i)
            builtin = [Line("_h_vm.cdepth = d", i), Line(f"{r} = {f.text}.fn(_h_vm, [{argtext}])", i)]
            other = [self.again(r, "_h_ocall", [f.text, f"[{argtext}]"], i)]
            is_closure, is_builtin = f"{f.text}.__class__ is _h_Closure", f"{f.text}.__class__ is _h_Builtin"
            inline = INLINE_BUILTINS.get(f.value) if f.builtin else None
            guard = self.inline_guard(inline, args, i) if inline is not None and inline.argc == argc else None
            if guard is not None:
                stored = {}
                for n in inline.keys:
                    if args[n].kind == "l" and self.is_cls(args[n], "str") is None:
                        # A local known to hold a string: its stored key made once, for this call and for
                        # a store by the same key right after (`d[k] := get_default(d, k, 0) + 1`).
                        stored[n] = self.temp()
                        self.stored_key = (args[n].slot, i, stored[n])
                calls = [If(is_builtin, i, builtin, [If(is_closure, i, closure, other)])]
                if f.value == "get_default" and 1 in stored and args[0].kind in ("l", "t"):
                    # The key as it is first: a dict holds a string key only in its stored form, so a hit
                    # proves the key is its own stored form and only a miss needs the number-text test.
                    d, k, key = args[0].text, args[1].text, stored[1]
                    typed: list = [
                        Line(f"{r} = {d}.get({k}, _h_MISSING)", i),
                        If(f"{r} is _h_MISSING", i,
                           [Line(f"{key} = {text_key_of(k)}", i),
                            Line(f"{r} = {d}.get({key}, {args[2].text}) if {key} is not {k} else {args[2].text}", i)],
                           [Line(f"{key} = {k}", i)])]
                    calls.insert(0, Line(f"{key} = {text_key_of(k)}", i))
                else:
                    for n, temp in stored.items():
                        self.line(out, f"{temp} = {text_key_of(args[n].text)}", i)
                    typed = [Line(f"{r} = {inline.expr.format(*inline.texts(args, stored))}", i)]
                out.append(If(f"{f.text} is _h_B_{f.value}{guard}", i, typed, calls))
                state.append(StackEntry(r, "t", hint=inline.hint))
                return
            target = self.inplace_target(args[0], i, state) if f.builtin and f.value == "push" and argc == 2 else None
            if target is not None:
                # `xs := push(xs, x)` appends in place when nothing but the local holds the array (the
                # reference count of a local's object is 2 inside getrefcount): no one can see the
                # difference from the copy push makes.
                x = args[1].text
                general = If(is_builtin, i, builtin, [If(is_closure, i, closure, other)])
                out.append(If(f"{f.text} is _h_B_push and {target}.__class__ is _h_list and "
                              f"_h_refcount({target}) == 2", i, [Line(f"{target}.append({x})", i)],
                              [general, Line(f"{target} = {r}", i)]))
                state.append(StackEntry(target, "l", slot=args[0].slot))
                return
            if f.builtin:  # `len(x)`: test for a builtin first
                out.append(If(is_builtin, i, builtin, [If(is_closure, i, closure, other)]))
            else:
                # Most likely a Closure: no test before the call; anything else has no `.chunk`.
                call = closure[0]
                call.more = (("_h_AttributeError as _ae", [Line(f"{r} = _h_notfn(_ae, {f.text}, [{argtext}], d)", i)]),
                             ) + call.more
                is_global = f.kind == "t" and type(f.value) is str
                factory = self.factories.get(f.value) if is_global else None
                pure = self.pure_callees.get(f.value) if is_global else None
                if factory is not None and len(factory.chunk.params) == argc:
                    out.append(self.factory_call(factory, f.text, args, r, i, call))
                elif pure is not None and len(pure.callee.chunk.params) == argc:
                    out.append(pure.emit_call(self, f.text, args, r, i, call))
                elif not is_global and self.leaves.get(argc):
                    out.append(self.leaf_calls(self.leaves[argc], f.text, args, r, i, call))
                else:
                    out.append(call)
                if is_global and f.value == self.chunk.name and all(self.hint(a) == "int" for a in args):
                    # A function calling itself with ints (fib, ackermann) mostly returns ints: arithmetic
                    # on the result tests int first (only the order of the tests; each is still made).
                    state.append(StackEntry(r, "t", hint="int"))
                    return
        state.append(StackEntry(r, "t"))

    def factory_call(self, factory: Factory, fobj: str, args: list, r: str, i: int, call: Any) -> If:
        """A call of a global that held the closure factory `factory` (see factories.py): the closure it
        returns, built in place while fobj is still that factory and its frame would be within the depth
        limit; `call` otherwise."""
        cells: dict[int, str] = {}
        body = []
        for slot in dict.fromkeys(factory.captured):
            cells[slot] = self.temp()
            body.append(Line(f"{cells[slot]} = [{args[slot].text}]", i))  # a Cell
        ups = ", ".join(cells[s] for s in factory.captured)
        body.append(Line(f"{r} = _h_Closure(); {r}.chunk = {self.const_name(factory.inner)}; "
                         f"{r}.upvalues = [{ups}]; {r}.module = {fobj}.module; {r}.defaults = None", i))
        guard = (f"{fobj}.__class__ is _h_Closure and {fobj}.chunk is {self.const_name(factory.chunk)} "
                 f"and d < {MAX_FRAMES}")
        return If(guard, i, body, [call])

    def leaf_calls(self, leaves: tuple, fobj: str, args: list, r: str, i: int, call: Any) -> Any:
        """A call of fobj, not a global, where the compilation unit has leaf closures taking that many
        arguments (see leaf_closures.py): each computed in place while fobj is one of them, `call` otherwise."""
        from ruff.runtime.fast.leaf_closures import inline_leaf  # imported once a program has closures

        if any(a.kind not in ("l", "t", "c") for a in args):
            return call  # an argument that is an expression: the inline path names each argument several times
        stmt = call
        for leaf in reversed(leaves):
            inlined = inline_leaf(leaf, fobj, args, r, self)
            if inlined is not None:
                stmt = If(inlined.cond, i, [Line(e, i) for e in inlined.effects], [stmt])
        return stmt

    def call_method(self, ins: Any, i: int, state: list, out: list) -> None:
        name, argc = ins.arg
        args = [state.pop() for _ in range(argc)][::-1]
        o = state.pop()
        r = self.temp()
        argtext = ", ".join(a.text for a in args)
        slow = self.again(r, "_h_mcall", [o.text, repr(name), f"[{argtext}]"], i)
        if o.kind == "c" or self.cold:
            out.append(slow)
        else:
            fast = self.closure_call("_m", [o.text] + [a.text for a in args], r, i)
            # Only struct classes have method attributes, and only for methods that are Closures.
            cond = f"(_m := _h_getattr({o.text}, {method_attr(name)!r}, None)) is not None"
            out.append(If(cond, i, fast, [slow]))
        state.append(StackEntry(r, "t"))

    def float_kind(self, e: StackEntry) -> Optional[bool]:
        """True: e is a float; False: e is not; None: not known here."""
        if e.kind == "c":
            return type(e.value) is float
        if e.cls is not None:
            return e.cls == "float"
        if e.kind == "f" and not e.tree.tests:
            return True
        return None

    def spec_field(self, o: StackEntry, field: str) -> bool:
        """o, a lazy local, is behind the float-field guard for `field`: a struct whose `field` is a float."""
        return self.spec_fields is not None and o.kind == "l" and field in self.spec_fields.get(o.slot, ())

    def note_store(self, slot: int, v: StackEntry) -> None:
        """Behind the float-field guard: whether local `slot` now holds a float; a copy of a guarded struct
        is guarded too."""
        if self.spec_fields is None:
            return
        if v.cls == "str" or (v.kind == "c" and type(v.value) is str):
            self.spec_strs.add(slot)
        else:
            self.spec_strs.discard(slot)
        if self.float_kind(v) is True:
            self.spec_floats.add(slot)
        else:
            self.spec_floats.discard(slot)
        fields = self.spec_fields.get(v.slot) if v.kind == "l" and v.slot != slot else None
        if fields is not None:
            self.spec_fields[slot] = fields
        else:
            self.spec_fields.pop(slot, None)

    def instr(self, ins: Any, i: int, state: list, out: list) -> None:
        op, arg = ins.op, ins.arg
        if op is Op.LoadConst:
            state.append(self.const(self.consts[arg]))
        elif op is Op.LoadLocal:
            e = StackEntry(f"l{arg}", "l", slot=arg, hint=self.slot_hint.get(arg))
            if self.spec_fields is not None and arg in self.spec_floats:
                e.cls = e.known = "float"
            elif self.spec_fields is not None and arg in self.spec_strs:
                e.cls = e.known = "str"
            state.append(e)
        elif op is Op.StoreLocal:
            v = state.pop()
            h = self.hint(v)
            if h is not None:
                self.slot_hint[arg] = h
            self.note_store(arg, v)
            self.spill_local(state, arg, out)
            if v.text != f"l{arg}":
                self.line(out, f"l{arg} = {v.text}", i)
        elif op is Op.Pop:
            state.pop()
        elif op in _ARITH:
            self.arith(op, state, out, i)
        elif op is Op.LoadGlobal:
            r = self.temp()
            # Ruff globals are the function's Python globals, Ruff builtins its Python builtins.
            out.append(Try([Line(f"{r} = {self.gname(arg)}", i)], "_h_NameError",
                           [Line(f"{r} = _h_gmiss({arg!r})", i)], i))
            state.append(StackEntry(r, "t", builtin=arg in self.builtin_names, value=arg))
        elif op is Op.StoreGlobal:
            v = state.pop()
            self.uses.add("K")
            self.stored_globals.add(arg)
            # let/const bindings: the interpreter's StoreGlobal raises the error.
            self.line(out, f"if {arg!r} in K and K[{arg!r}] in _h_IMMUTABLE: _h_slow({int(Op.StoreGlobal)}, "
                           f"{arg!r}, [{v.text}], cl)", i)
            self.line(out, f"{self.gname(arg)} = {v.text}", i)
            if self.jit:
                self.uses.add("M")
                self.line(out, f"_h_vm.jit.global_rebound(_M, {arg!r})", i)
        elif op is Op.DefineGlobal:
            name, kind = arg
            v = state.pop()
            self.uses.add("K")
            self.stored_globals.add(name)
            self.line(out, f"{self.gname(name)} = {v.text}", i)
            self.line(out, f"K[{name!r}] = {kind!r}", i)
            if self.jit:
                self.uses.add("M")
                self.line(out, f"_h_vm.jit.global_rebound(_M, {name!r})", i)
        elif op is Op.Call:
            self.call(ins, i, state, out)
        elif op is Op.CallMethod:
            self.call_method(ins, i, state, out)
        elif op is Op.CallSpread:
            a = state.pop()
            f = state.pop()
            self.result(state, out, f"_h_call({f.text}, _h_list({a.text}), d)", i)
        elif op is Op.LoadDeref:
            self.result(state, out, f"l{arg}[0]", i)
        elif op is Op.StoreDeref:
            v = state.pop()
            self.line(out, f"l{arg}[0] = {v.text}", i)
        elif op is Op.MakeCell:
            self.spill_local(state, arg, out)
            self.line(out, f"l{arg} = [None]", i)  # a Cell
        elif op is Op.LoadUpvalue:
            self.upvals.add(arg)
            self.result(state, out, f"u{arg}[0]", i)
        elif op is Op.StoreUpvalue:
            v = state.pop()
            self.upvals.add(arg)
            self.line(out, f"u{arg}[0] = {v.text}", i)
        elif op is Op.IndexGet:
            self.index_get(state, out, i)
        elif op is Op.IndexSet:
            self.index_set(state, out, i)
        elif op is Op.FieldGet and self.cold:
            o = state.pop()
            self.result(state, out, f"_h_fget({o.text}, {arg!r})", i)
        elif op is Op.FieldSet and self.cold:
            v = state.pop()
            o = state.pop()
            self.line(out, f"_h_fset({o.text}, {arg!r}, {v.text})", i)
        elif op is Op.FieldGet and self.spec_field(state[-1], arg):
            # Behind the float-field guard (codegen.FunctionEmitter.split): a struct whose field is a float,
            # read where it is used (a read that cannot fail; what may store fields realizes it first).
            o = state.pop()
            e = StackEntry(f"{o.text}.{slot_name(arg)}", "x", hint="float")
            e.cls = e.known = "float"
            e.reads = o.reads
            state.append(e)
        elif op is Op.FieldGet:
            o = state.pop()
            r = self.temp()
            # Only struct instances have slot attributes: anything else (a dict, a method's name, another
            # struct type) raises AttributeError and takes the general path.
            out.append(Try([Line(f"{r} = {o.text}.{slot_name(arg)}", i)],
                           "_h_AttributeError", [Line(f"{r} = _h_fget({o.text}, {arg!r})", i)], i))
            state.append(StackEntry(r, "t"))
        elif op is Op.FieldGetOpt:
            o = state.pop()
            self.result(state, out, f"None if {o.text} is None else _h_fget({o.text}, {arg!r})", i)
        elif op is Op.FieldSet:
            v = state.pop()
            o = state.pop()
            store = Line(f"{o.text}.{slot_name(arg)} = {v.text}", i)
            vf = self.float_kind(v)
            if vf is True and self.spec_field(o, arg):
                out.append(store)  # behind the float-field guard: a struct with this field
                return
            body = [store]
            if vf is not True:
                # Keep the class's float-only flag of the field true (values.note_nonfloat); the flag exists
                # on every class whose instances have the slot.
                test = f"{o.text}.{float_flag_attr(arg)}"
                if vf is None:
                    test = f"{v.text}.__class__ is not _h_float and {test}"
                body.append(Line(f"if {test}: _h_nofloat({o.text}, {arg!r})", i))
                if self.spec_fields:
                    for fields in self.spec_fields.values():
                        fields.discard(arg)
            # Only struct instances take a slot attribute: no value a program can hold has a __dict__
            # (tests/unit/test_value_layout.py), so anything else raises AttributeError.
            out.append(Try(body, "_h_AttributeError", [Line(f"_h_fset({o.text}, {arg!r}, {v.text})", i)], i))
        elif op is Op.MakeClosure:
            sub: Chunk = self.consts[arg]
            k = sum(1 for f in sub.param_defaults if f)
            defaults = [state.pop() for _ in range(k)][::-1]
            cells = []
            for u in sub.upvalues:
                if u.from_parent_local:
                    cells.append(f"l{u.index}")
                else:
                    self.upvals.add(u.index)
                    cells.append(f"u{u.index}")
            self.uses.add("M")
            dtext = f"[{', '.join(e.text for e in defaults)}]" if k else "None"
            # Closure's fields set one by one on `Closure()` (it has no __init__: see values.Closure).
            t = self.temp()
            self.line(out, f"{t} = _h_Closure(); {t}.chunk = {self.const_name(sub)}; "
                           f"{t}.upvalues = [{', '.join(cells)}]; {t}.module = _M; {t}.defaults = {dtext}", i)
            state.append(StackEntry(t, "t"))
        elif op is Op.MakeArray:
            items = [state.pop() for _ in range(arg)][::-1]
            self.result(state, out, f"[{', '.join(e.text for e in items)}]", i)
        elif op is Op.MakeDict:
            items = [state.pop() for _ in range(2 * arg)][::-1]
            parts = []
            for j in range(0, len(items), 2):
                key, val = items[j], items[j + 1]
                ktext = stored_key_text(key) if key.kind == "c" and type(key.value) is str else f"_h_dk({key.text})"
                parts.append(f"{ktext}: {val.text}")
            self.result(state, out, "{" + ", ".join(parts) + "}", i)
        elif op is Op.ArrayPush:
            v = state.pop()
            arr = state.pop()
            target = self.inplace_target(arr, i, state) if not self.cold and arr.cls != "list" else None
            test = self.is_cls(arr, "list") if target is not None else "False"
            if arr.cls == "list":  # typeflow: a list, which push appends to in place and returns
                self.line(out, f"{arr.text}.append({v.text})", i)
                state.append(arr)
            elif target is not None and test != "False":
                # `xs := push(xs, v)` on an array: array_push's own append, without the call.
                append = Line(f"{target}.append({v.text})", i)
                out.append(append if test is None else
                           If(test, i, [append], [Line(f"{target} = _h_apush(_h_vm, {target}, {v.text})", i)]))
                state.append(StackEntry(target, "l", slot=arr.slot))
            else:
                self.result(state, out, f"_h_apush(_h_vm, {arr.text}, {v.text})", i)
        elif op is Op.DictInsert:
            v = state.pop()
            key = state.pop()
            self.line(out, f"{state[-1].text}[_h_dk({key.text})] = {v.text}", i)
        elif op is Op.MakeStruct:
            n = len(arg)
            vals = [state.pop() for _ in range(n)][::-1]
            stype = state.pop()
            r = self.temp()
            names = self.const_name(field_names(arg))
            slow = Line(f"{r} = _h_mkstruct({stype.text}, {names}, [{', '.join(e.text for e in vals)}])", i)
            if len(set(arg)) == n and not self.cold:
                # Every field given, in declaration order (the type's own interned tuple): the instance
                # make_struct would build, its slots set one by one.
                sets = "".join(f"; {r}.{slot_name(f)} = {e.text}" for f, e in zip(arg, vals))
                fast = [Line(f"{r} = {stype.text}.cls(){sets}", i)]
                # The float-only flags of the fields (values.note_nonfloats), while the class has any.
                kinds = [self.float_kind(e) for e in vals]
                if False in kinds:
                    fast.append(Line(f"if {stype.text}.fm: _h_nofloats({r})", i))
                elif None in kinds:
                    tests = " or ".join(f"{e.text}.__class__ is not _h_float" for e, k in zip(vals, kinds) if k is None)
                    fast.append(Line(f"if {stype.text}.fm and ({tests}): _h_nofloats({r})", i))
                out.append(If(f"{stype.text}.__class__ is _h_ST and {stype.text}.fields is {names}", i, fast, [slow]))
            else:
                out.append(slow)
            state.append(StackEntry(r, "t"))
        elif op is Op.Negate:
            a = state.pop()
            x = a.text
            self.result(state, out, f"-{x} if ({x}.__class__ is _h_int and {x} != {I64_MIN_TEXT}) "
                                    f"or {x}.__class__ is _h_float else _h_neg({x}, d)", i)
        elif op is Op.Not:
            a = state.pop()
            if a.kind == "c" and (a.value is None or type(a.value) in (bool, int, float, str)):
                state.append(self.const(not a.value))  # Ruff truthiness of these is Python's
            elif a.isbool or a.kind == "cond":
                self.result(state, out, f"not {a.text}", i, isbool=True)
            else:
                self.result(state, out, f"{a.text} is False if {a.text}.__class__ is _h_bool else _h_not({a.text}, d)", i)
        elif op is Op.Truthy:
            a = state.pop()
            if a.isbool:
                state.append(a)
            else:
                self.result(state, out, self.truth(a), i, isbool=True)
        elif op is Op.MakeOk:
            self.result(state, out, f"_h_EV('Result', 'Ok', ({state.pop().text},))", i)
        elif op is Op.MakeErr:
            self.result(state, out, f"_h_EV('Result', 'Err', ({state.pop().text},))", i)
        elif op is Op.MakeSome:
            self.result(state, out, f"_h_EV('Option', 'Some', ({state.pop().text},))", i)
        elif op is Op.MakeNone:
            state.append(StackEntry("_h_NONE", "t"))
        elif op is Op.TryUnwrap:
            v = state.pop()
            out.append(If(f"{v.text}.__class__ is not _h_EV or {v.text}.variant not in _h_OK_SOME", i,
                          [Line(f"return _h_unwrap_other({v.text})", i, term=True)], []))
            self.result(state, out, f"{v.text}.values[0] if {v.text}.values else None", i)
        elif op is Op.MakeIterator:
            v = state.pop()
            self.result(state, out, f"_h_iter({v.text}) if {v.text}.__class__ is _h_list else _h_mkiter({v.text})", i)
        elif op is Op.BuildString:
            parts = [state.pop() for _ in range(arg)][::-1]
            texts = [p.text if p.kind == "c" and type(p.value) is str else f"_h_disp({p.text})" for p in parts]
            if any(p.kind != "c" and p.cls not in ("int", "float", "str", "bool") for p in parts):
                self.line(out, "_h_vm.cdepth = d", i)  # a struct's own to_string runs above this frame
            if not texts:
                expr = "''"
            elif len(texts) <= 3:
                expr = " + ".join(texts)
            else:
                expr = f"''.join(({', '.join(texts)},))"
            self.result(state, out, expr, i)
        elif op is Op.Yield:
            v = state.pop()
            self.has_yield = True
            self.line(out, f"yield {v.text}", i)
            state.append(StackEntry("None", "c", value=None))
        elif op is Op.Await:
            self.result(state, out, f"_h_await({state.pop().text})", i)
        elif op in _VIA_SLOW_OP:
            pops, pushes = stack_effect(ins, self.consts)
            operands = [state.pop() for _ in range(pops)][::-1]
            argtext = self.const_name(arg) if arg is not None else "None"
            self.line(out, "_h_vm.cdepth = d", i)  # an import runs the module's code above this frame
            call = f"_h_slow({int(op)}, {argtext}, [{', '.join(e.text for e in operands)}], cl)"
            if pushes == 0:
                self.line(out, call, i)
            elif pushes == 1:
                self.result(state, out, f"{call}[0]", i)
            else:
                temps = [self.temp() for _ in range(pushes)]
                self.line(out, f"{', '.join(temps)} = {call}", i)
                state.extend(StackEntry(t, "t") for t in temps)
        elif op is Op.Dup:
            state.append(state[-1])
        elif op is Op.Swap:
            state[-1], state[-2] = state[-2], state[-1]
        elif op is Op.EndTry or op is Op.Nop:
            pass
        else:
            raise Unsupported(f"opcode {op.name}")
