"""The Ruff value model.

Scalars are plain Python objects, which keeps the executor and builtins fast:
int (always within i64), float, bool, str, None (null), bytes (the reference's binary value: read and
written by the binary file builtins, indexed to ints, compared by content, shown as `<unknown>` by
print and interpolation as the reference shows it). Arrays are Python lists, dicts are
Python dicts whose keys are always str (an int index `d[1]` means key "1", as in the
reference; displayed sorted). Everything else is a class below.

Display forms and equality are docs/LANGUAGE.md's. Note `bool` is a subclass of `int` in Python: code that asks "is this a Ruff int" must use
`type(v) is int`, never isinstance.
"""

from __future__ import annotations

import math
import threading

from ruff.limits import I64_MAX
from ruff.runtime import native_flags
from ruff.runtime.dict_keys import sorted_text_items
from decimal import Decimal
from typing import Any, Callable, Optional



# A captured variable shared between a frame and the closures that capture it: a one-element list
# `[value]`, read and written as `cell[0]`. CPython 3.11 specializes a list subscript by a constant, so
# that read costs half what Python's own cell's `cell_contents` (a generic attribute lookup) costs, and
# `[value]` is built in a third of the time `types.CellType(value)` takes. Only the slots the compiler
# marks as cells (MakeCell, LoadDeref, ...) and a closure's `upvalues` ever hold one.
Cell = list


class Module:
    """A loaded source file: its globals and the binding kinds ("let"/"const" are immutable)."""

    __slots__ = ("name", "filename", "globals", "kinds", "exports", "source")

    def __init__(self, name: str, filename: str, source: str = "") -> None:
        self.name = name
        self.filename = filename
        self.globals: dict[str, Any] = {}
        self.kinds: dict[str, str] = {}
        self.exports: Optional[set[str]] = None  # None: everything top-level is visible
        self.source = source


class Closure:
    """A function value: its chunk, its cells (`upvalues`, one per captured variable, in the chunk's
    order), the module it was made in and its evaluated default parameter values (`defaults`, None where
    no default). Made by new_closure(), or field by field in generated code: the class has no __init__
    because `Closure()` and four slot stores cost half what a call of a Python __init__ does (and a third
    less than `object.__new__(Closure)`), which a program making closures in a loop pays every round."""

    __slots__ = ("chunk", "upvalues", "module", "defaults")

    chunk: Any
    upvalues: list[Cell]
    module: Module
    defaults: Optional[list]

    @property
    def name(self) -> str:
        return self.chunk.name


def new_closure(chunk: Any, upvalues: list[Cell], module: Module, defaults: Optional[list] = None) -> Closure:
    """A Closure of chunk over these cells, made in module."""
    c = Closure()
    c.chunk = chunk
    c.upvalues = upvalues
    c.module = module
    c.defaults = defaults
    return c


class Builtin:
    """A native function. `fn(rt, args)` gets the runtime (for callbacks) and a list of arguments."""

    __slots__ = ("name", "fn")

    def __init__(self, name: str, fn: Callable[[Any, list], Any]) -> None:
        self.name = name
        self.fn = fn


class BoundMethod:
    """`obj.method` taken as a value: calling it passes obj as `self`."""

    __slots__ = ("receiver", "function")

    def __init__(self, receiver: Any, function: Any) -> None:
        self.receiver = receiver
        self.function = function


class StructType:
    """A struct declaration: its fields in declaration order, default values and methods.

    Each StructType makes its own Python class for its instances (`cls`, a subclass of StructInstance):
    see StructInstance for the layout.
    """

    __slots__ = ("name", "fields", "defaults", "methods", "slots", "cls", "fm")

    def __init__(self, name: str, fields: tuple[str, ...], defaults: dict[str, Any], methods: dict[str, Any]) -> None:
        self.name = name
        self.fields = field_names(fields)
        self.defaults = defaults
        self.methods = methods
        # field name -> attribute on an instance, in declaration order (a name declared twice has one slot)
        self.slots = {f: slot_name(f) for f in fields}
        self.cls = _instance_class(self)
        self.fm = self.cls._fm  # the class's float-only mask, where a struct literal reads it (a slot: cheap)

    def field_offset(self, name: str) -> int:
        """Byte offset of a field's PyObject* inside an instance (see StructInstance)."""
        return field_offsets(self.fields)[name]


def slot_offset(cls: type, slot: str) -> int:
    """Byte offset of the PyObject* of cls's own __slots__ member `slot` inside an instance of cls (a class
    whose base has no slots of its own): CPython lays slots out after the base, sorted by name."""
    return cls.__base__.__basicsize__ + 8 * sorted(cls.__slots__).index(slot)  # type: ignore[attr-defined]


def field_offsets(fields: tuple[str, ...]) -> dict[str, int]:
    """Byte offset of each field's PyObject* inside an instance of a struct type declaring `fields`
    (see StructInstance): the layout follows from the field names alone, so native code that checked a
    struct type's `fields` knows where its instances keep them."""
    order = sorted({slot_name(f) for f in fields})  # CPython lays __slots__ out sorted by name
    return {f: StructInstance.__basicsize__ + 8 * order.index(slot_name(f)) for f in fields}


# Every tuple of field names StructType and the fast tier's struct literals use, one object per value.
_FIELD_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}


def field_names(names: Any) -> tuple[str, ...]:
    """The one tuple object holding these field names: a struct literal naming a type's fields in
    declaration order holds the type's own `fields`, so generated code tests that with `is`."""
    t = tuple(names)
    return _FIELD_NAMES.setdefault(t, t)


def slot_name(field: str) -> str:
    """The attribute (a __slots__ member) holding a struct field. The prefix keeps field names apart from
    Python's own attributes; only struct instances have attributes starting with it, so generated code
    may read `obj._f_x` and take an AttributeError to mean "not a struct with field x"."""
    return "_f_" + field


# Float-field speculation (the fast tier without a JIT). Every struct class says which of its fields have
# only ever held floats, in every instance: `_ff_<field>` (a bool) and `_fm` (the same facts as a mask, one
# bit per field name, FLOAT_FIELD_BITS). A class starts with every field set (it has no instances yet);
# every store of anything but a float into a field clears the field on its class for good (`note_nonfloat`:
# new_struct, objects.field_set and the fast tier's own stores call it; native code, which does not, runs
# only with a JIT, when nothing reads these). Generated code tests `obj._fm & M == M` once and then does
# float arithmetic on the fields in M without a class test per value. Once a second thread runs Ruff code,
# a test and the reads after it could interleave with another thread's store: every class is cleared
# for good (`disable_float_fields`).
FLOAT_FIELD_BITS: dict[str, int] = {}
_float_fields_on = True


class FloatFactsEpoch:
    """Changes (`mark` is a new object) whenever a struct class loses a float-only field. Generated code
    that found a class's `_fm` satisfied for a mask keeps (class, mark) and later tests the class and the
    mark by identity: three cheap `is` tests instead of reading `_fm`, a class attribute that CPython 3.11
    looks up the slow way on every read. Bits are only ever cleared, so an unchanged mark means the
    class still satisfies every mask it satisfied then."""

    __slots__ = ("mark",)

    def __init__(self) -> None:
        self.mark = object()

    def changed(self) -> None:
        self.mark = object()


FLOAT_EPOCH = FloatFactsEpoch()


def float_field_bit(name: str) -> int:
    """The bit of field `name` in struct classes' `_fm` masks (one bit per field name, process-wide)."""
    bit = FLOAT_FIELD_BITS.get(name)
    if bit is None:
        bit = FLOAT_FIELD_BITS.setdefault(name, 1 << len(FLOAT_FIELD_BITS))
    return bit


def float_flag_attr(field: str) -> str:
    """The class attribute that is True while every value field `field` has held is a float."""
    return "_ff_" + field


def note_nonfloat(obj: Any, name: str) -> None:
    """Something other than a float is being stored into field `name` of struct instance `obj`."""
    cls = type(obj)
    setattr(cls, float_flag_attr(name), False)
    cls._fm &= ~FLOAT_FIELD_BITS.get(name, 0)
    cls.type.fm = cls._fm
    FLOAT_EPOCH.changed()


def note_nonfloats(obj: Any) -> None:
    """`obj` was just built: clear the fields of its class that got something other than a float."""
    cls = type(obj)
    if cls._fm:
        for f, s in obj.type.slots.items():
            if type(getattr(obj, s)) is not float:
                note_nonfloat(obj, f)


def disable_float_fields() -> None:
    """No struct class has float-only fields any more, now or later (a second Ruff thread exists)."""
    global _float_fields_on
    if not _float_fields_on:
        return
    _float_fields_on = False
    pending = [StructInstance]
    while pending:
        for cls in pending.pop().__subclasses__():
            pending.append(cls)
            cls._fm = cls.type.fm = 0
            for f in cls.type.slots:
                setattr(cls, float_flag_attr(f), False)
    FLOAT_EPOCH.changed()


def method_attr(method: str) -> str:
    """The class attribute holding a struct's Ruff-closure method (fast-tier method calls)."""
    return "_m_" + method


def overload_attr(method: str) -> str:
    """The class attribute (True) marking a struct type that defines the operator method `method` (op_eq,
    op_ne, ...): generated code asks `hasattr(v, overload_attr("op_eq"))` of a value of any kind."""
    return "_o_" + method


class StructInstance:
    """Base class of every struct instance; `type(v)` is the instance's own class, so ask
    `isinstance(v, StructInstance)`.

    Layout: the class of a struct type has one __slots__ member per field, named by slot_name, and no
    __dict__ or __weakref__. CPython places slots after the object header in the order of their sorted
    names, so the field whose slot name ranks k-th is the PyObject* at byte offset `16 + 8 * k` of the
    instance on a 64-bit CPython: StructType.field_offset is the one home of that rule (a unit test reads
    the fields back through it), and native code can load and store a field there. `type` (the StructType)
    and the methods that are Ruff closures (method_attr) are class attributes. Every field is always set
    (make_struct fills defaults and null). The class has no __init__ or __new__ of its own: `cls()` is an
    instance with no field set yet, made without a Python frame (the fast tier calls that and sets the
    slots itself, a third cheaper than `object.__new__(cls)`; native code allocates one with
    PyType_GenericAlloc and stores the fields at their offsets).
    """

    __slots__ = ()
    type: StructType

    def field_items(self) -> list[tuple[str, Any]]:
        """(name, value) for each field, in declaration order."""
        return [(f, getattr(self, s)) for f, s in self.type.slots.items()]

    def field_values(self) -> list[Any]:
        return [getattr(self, s) for s in self.type.slots.values()]

    def get_field(self, name: str, default: Any = None) -> Any:
        slot = self.type.slots.get(name)
        return default if slot is None else getattr(self, slot)

    def has_field(self, name: str) -> bool:
        return name in self.type.slots


def _instance_class(stype: StructType) -> type:
    """The class of stype's instances (see StructInstance: `cls()` has no field set yet)."""
    cls = type(stype.name, (StructInstance,), {"__slots__": tuple(stype.slots.values())})
    cls.type = stype
    cls._fm = 0
    for f in stype.slots:
        setattr(cls, float_flag_attr(f), _float_fields_on)
        if _float_fields_on:
            cls._fm |= float_field_bit(f)
    for name, fn in stype.methods.items():
        if type(fn) is Closure:
            setattr(cls, method_attr(name), fn)
        if name.startswith("op_"):
            setattr(cls, overload_attr(name), True)
    return cls


def new_struct(stype: StructType, fields: dict[str, Any]) -> StructInstance:
    """An instance of stype with these fields (every declared field, none other)."""
    obj = stype.cls()
    for f, slot in stype.slots.items():
        setattr(obj, slot, fields[f])
    note_nonfloats(obj)
    return obj


class EnumType:
    __slots__ = ("name", "variants")

    def __init__(self, name: str, variants: dict[str, int]) -> None:
        self.name = name
        self.variants = variants


class EnumValue:
    """A tagged value: `Shape::Circle(2)`, and also Ok/Err (enum "Result") and Some/None (enum "Option")."""

    __slots__ = ("enum", "variant", "values")

    def __init__(self, enum: str, variant: str, values: tuple = ()) -> None:
        self.enum = enum
        self.variant = variant
        self.values = values


class VariantConstructor:
    """`Shape::Circle` before it is called."""

    __slots__ = ("enum", "variant", "arity")

    def __init__(self, enum: str, variant: str, arity: int) -> None:
        self.enum = enum
        self.variant = variant
        self.arity = arity


class ErrorObject:
    """What `except e` binds for a runtime error (and for `throw` of a non-error value, see vm)."""

    __slots__ = ("message", "line", "stack", "cause", "payload")

    def __init__(self, message: str, line: int = 0, stack: Optional[list[str]] = None, cause: Any = None, payload: Any = None) -> None:
        self.message = message
        self.line = line
        self.stack = stack or []
        self.cause = cause
        self.payload = payload


NONE_VALUE = EnumValue("Option", "None")


class RuffError(Exception):
    """A Ruff runtime error or thrown value in flight.

    `value` is what an `except` clause binds. `line` and `stack` are filled in by the executor as the
    error leaves frames; builtins and ops raise it with just a message.
    """

    def __init__(self, message: str, value: Any = None, line: int = 0) -> None:
        super().__init__(message)
        native_flags.error_made()  # native code that stood aside for this error may run again
        self.message = message
        self.value = value
        self.line = line
        self.col = 0
        self.stack: list[str] = []  # "fn (file:line)" entries, innermost first
        self.stack_names: list[str] = []
        self.unwound: list[str] = []  # functions the error has left so far, innermost first
        self.filename: Optional[str] = None
        self.traced = False  # executor has recorded where it started


class AssertionFailure(RuffError):
    """A failed `assert_equal` / `assert_not_equal`.

    `message` keeps the reference's wording, with Rust debug forms (`expected Int(5), got Int(4)`): it is
    what `except e` sees. `readable` says the same with Ruff's own forms (`expected 5, got 4`), for the
    report of `ruff test-run`."""

    def __init__(self, message: str, readable: str) -> None:
        super().__init__(message)
        self.readable = readable


# ----------------------------------------------------------------------------- type names


def type_name(v: Any) -> str:
    t = type(v)
    if t is int:
        return "int"
    if t is float:
        return "float"
    if t is str:
        return "string"
    if t is bool:
        return "bool"
    if v is None:
        return "null"
    if t is list:
        return "array"
    if t is dict:
        return "dict"
    if t is bytes:
        return "bytes"
    if t is Builtin:
        return "native_function"
    if t in (Closure, BoundMethod, VariantConstructor):
        return "function"
    if t is EnumValue:
        return v.enum
    if t is ErrorObject:
        return "error"
    if t is StructType or isinstance(v, StructInstance):
        return "struct"
    if t is EnumType:
        return "enum"
    return getattr(v, "ruff_type_name", t.__name__.lower())


def count_upto(n: Any) -> int:
    """How many times `for i in n` runs over a number: the reference iterates 0..n-1, truncating a float
    toward zero (as Rust's `as i64`: NaN is 0, infinities saturate) and treating a negative count as 0."""
    if type(n) is float:
        if n != n:
            return 0
        if n in (float("inf"), float("-inf")):
            return I64_MAX if n > 0 else 0
        n = min(int(n), I64_MAX)
    return n if n > 0 else 0


# ----------------------------------------------------------------------------- values that contain themselves

# Arrays and dicts are shared, so a program can put one inside itself (`xs[0] = xs`). What walks a value
# (display, ==, debug, set elements) counts the containers it is inside, and a container this deep is
# checked once for a cycle; shallower values pay nothing for it.
CYCLE_CHECK_DEPTH = 100
_CONTAINERS = frozenset((list, dict, EnumValue))


def is_container(v: Any) -> bool:
    """An array, dict, struct instance or tagged value: what can hold a value again."""
    return type(v) in _CONTAINERS or isinstance(v, StructInstance)


def _children(v: Any) -> Any:
    t = type(v)
    if t is list:
        return v
    if t is dict:
        return v.values()
    if t is EnumValue:
        return v.values
    if isinstance(v, StructInstance):
        return v.field_values()
    return ()


def has_cycle(root: Any) -> bool:
    """Whether a container reaches itself again through arrays, dicts, struct fields or enum payloads."""
    on_path: set[int] = set()
    done: set[int] = set()
    stack: list[tuple[Any, Any]] = [(root, iter(_children(root)))]
    on_path.add(id(root))
    while stack:
        node, children = stack[-1]
        for child in children:
            if not is_container(child):
                continue
            key = id(child)
            if key in on_path:
                return True
            if key not in done:
                on_path.add(key)
                stack.append((child, iter(_children(child))))
                break
        else:
            stack.pop()
            on_path.discard(id(node))
            done.add(id(node))
    return False


# ----------------------------------------------------------------------------- truthiness and equality


def truthy(v: Any) -> bool:
    if v is None or v is False:
        return False
    t = type(v)
    if t is bool:
        return True
    if t is int or t is float or t is str or t is list or t is dict:
        return bool(v)
    if hasattr(v, "ruff_to_list"):  # lazy arrays (range): empty is falsey like []
        return bool(v)
    return True


def _float_eq(a: float, b: float) -> bool:
    if a == b:
        return True
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return False
    # The spec keeps epsilon-based equality for finite floats.
    return abs(a - b) < 1e-10


def _lazy_array_equal(a: Any, b: Any) -> bool:
    """A lazy array (range) equals the array it stands for, and a range with the same elements: compared
    by length first, so a range of 2**64 - 1 elements is never built."""
    if hasattr(a, "ruff_to_list") and hasattr(b, "ruff_to_list"):
        return a.r == b.r  # Python compares ranges as the sequences they stand for
    if not hasattr(a, "ruff_to_list"):
        a, b = b, a
    if type(b) is not list or a.length() != len(b):
        return False
    return values_equal(a.ruff_to_list(), b)


def values_equal(a: Any, b: Any, depth: int = 0) -> bool:
    """Ruff's `==`. `depth` counts the containers around a and b: at CYCLE_CHECK_DEPTH, values that
    contain themselves are compared by _equal_cyclic instead of recursing until the stack gives out."""
    ta, tb = type(a), type(b)
    if hasattr(a, "ruff_to_list") or hasattr(b, "ruff_to_list"):
        return _lazy_array_equal(a, b)
    if ta is int and tb is int:
        return a == b
    if (ta is int or ta is float) and (tb is int or tb is float):
        return _float_eq(float(a), float(b))
    if ta is not tb:
        return False
    if ta is str or ta is bool or ta is bytes:
        return a == b
    if a is None:
        return True
    if ta in _CONTAINERS or isinstance(a, StructInstance):
        if depth == CYCLE_CHECK_DEPTH and (has_cycle(a) or has_cycle(b)):
            return _equal_cyclic(a, b, set())
        depth += 1
    if ta is list:
        return len(a) == len(b) and all(values_equal(x, y, depth) for x, y in zip(a, b))
    if ta is dict:
        return a.keys() == b.keys() and all(values_equal(v, b[k], depth) for k, v in a.items())
    if isinstance(a, StructInstance):  # ta is tb: the same struct type
        return all(values_equal(x, y, depth) for x, y in zip(a.field_values(), b.field_values()))
    if ta is EnumValue:
        return a.enum == b.enum and a.variant == b.variant and values_equal(list(a.values), list(b.values), depth)
    if ta is ErrorObject:
        return a.message == b.message
    if ta is Closure:
        return a.chunk is b.chunk and len(a.upvalues) == len(b.upvalues) and all(
            x is y for x, y in zip(a.upvalues, b.upvalues))
    if ta is Builtin:
        return a.name == b.name
    return a is b


def _equal_cyclic(a: Any, b: Any, assumed: set[tuple[int, int]]) -> bool:
    """`==` on values that contain themselves: two containers are equal unless some finite path tells them
    apart, so a pair met again on the way is taken as equal (`xs[0] = xs` equals `ys[0] = ys`)."""
    ta = type(a)
    if not is_container(a) or type(b) is not ta:
        return values_equal(a, b)
    pair = (id(a), id(b))
    if pair in assumed:
        return True
    assumed.add(pair)
    if ta is list:
        return len(a) == len(b) and all(_equal_cyclic(x, y, assumed) for x, y in zip(a, b))
    if ta is dict:
        return a.keys() == b.keys() and all(_equal_cyclic(v, b[k], assumed) for k, v in a.items())
    if isinstance(a, StructInstance):  # ta is tb: the same struct type
        return all(_equal_cyclic(x, y, assumed) for x, y in zip(a.field_values(), b.field_values()))
    return a.enum == b.enum and a.variant == b.variant and len(a.values) == len(b.values) and all(
        _equal_cyclic(x, y, assumed) for x, y in zip(a.values, b.values))


# ----------------------------------------------------------------------------- display


def format_float(f: float) -> str:
    """Shortest round-trip text, positional like Rust's `{}` (no exponent), whole values without `.0`."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    text = repr(f)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if text.endswith(".0"):
        text = text[:-2]
    if text == "-0":
        return "-0"
    return text


def display(v: Any) -> str:
    """How print() and string interpolation show a value."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is float:
        return format_float(v)
    return _display_other(v, nested=False)


def display_nested(v: Any) -> str:
    """How a value shows inside an array, dict, struct or tagged value (strings unquoted, as the reference)."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is float:
        return format_float(v)
    return _display_other(v, True)


def display_literal(v: Any, depth: int = 0) -> str:
    """A value as Ruff source would write it where that differs from `display`: strings quoted, also
    inside arrays and dicts (the REPL's echo, test-run's assertion reports)."""
    t = type(v)
    if t is str:
        return '"' + v + '"'
    if depth > 20:
        return "..."
    if t is list:
        return "[" + ", ".join(display_literal(x, depth + 1) for x in v) + "]"
    if t is dict:
        return "{" + ", ".join(f'"{k}": {display_literal(x, depth + 1)}' for k, x in sorted_text_items(v)) + "}"
    return display(v)


# The runtime executing on this thread: display calls a struct's own `to_string` method through it.
_running = threading.local()


# What print and interpolation show for a value the reference's stringify has no case for
# (bytes, zip archives, database connections and pools).
OPAQUE_DISPLAY = "<unknown>"


def set_running_runtime(rt: Any) -> None:
    _running.rt = rt


def running_runtime() -> Any:
    """The runtime executing on this thread, or None."""
    return getattr(_running, "rt", None)


# Containers are written into one list of parts, joined once: the text of a value nested n deep is built
# in O(size), not O(n * size) as by concatenating each level's text into the next.
#
# On a value that contains itself (found at CYCLE_CHECK_DEPTH) the whole display starts over, writing each
# way back into a container as `[...]`, `{...}`, `Name {...}` or `Variant(...)` (as Python shows `[[...]]`)
# instead of recursing until the stack gives out.


class _CyclicValue(Exception):
    """Raised where the writer finds a cycle; display() starts over, cutting the cycles short."""


def _write_items(items: Any, out: list, depth: int, active: Optional[set[int]]) -> None:
    """Values separated by ", ", each as display_nested shows it."""
    append = out.append
    first = True
    for x in items:
        if first:
            first = False
        else:
            append(", ")
        t = type(x)
        if t is str:
            append(x)
        elif t is int:
            append(str(x))
        elif t is float:
            append(format_float(x))
        elif t in _CONTAINERS or isinstance(x, StructInstance):
            _write_container(x, out, depth, active)
        else:
            append(_display_other(x, True))


def _write_container(v: Any, out: list, depth: int, active: Optional[set[int]]) -> None:
    if active is None:
        if depth == CYCLE_CHECK_DEPTH and has_cycle(v):
            raise _CyclicValue
    else:
        key = id(v)
        if key in active:
            out.append(_cycle_mark(v))
            return
        active.add(key)
    t = type(v)
    depth += 1
    if t is list:
        out.append("[")
        _write_items(v, out, depth, active)
        out.append("]")
    elif t is dict:
        out.append("{")
        first = True
        for k, x in sorted_text_items(v):
            if first:
                first = False
            else:
                out.append(", ")
            out.append(f'"{k}": ')
            _write_items((x,), out, depth, active)
        out.append("}")
    elif isinstance(v, StructInstance):
        method = v.type.methods.get("to_string")
        rt = getattr(_running, "rt", None)
        if method is not None and rt is not None:
            out.append(display(rt.call(method, [v])))
        elif v.type.fields:
            out.append(f"{v.type.name} {{ ")
            first = True
            for k, x in sorted(v.field_items()):
                if first:
                    first = False
                else:
                    out.append(", ")
                out.append(f"{k}: ")
                _write_items((x,), out, depth, active)
            out.append(" }")
        else:
            out.append(f"{v.type.name} {{}}")
    else:
        name = v.variant if v.enum in ("Result", "Option") else f"{v.enum}::{v.variant}"
        out.append(name)
        if v.values:
            out.append("(")
            _write_items(v.values, out, depth, active)
            out.append(")")
    if active is not None:
        active.discard(id(v))


def _cycle_mark(v: Any) -> str:
    """How a way back into a container being shown is written."""
    t = type(v)
    if t is list:
        return "[...]"
    if t is dict:
        return "{...}"
    if t is EnumValue:
        return f"{v.variant}(...)"
    return f"{v.type.name} {{...}}"


def _display_other(v: Any, nested: bool) -> str:
    t = type(v)
    if t is bool:
        return "true" if v else "false"
    if v is None:
        return "null"
    if t in _CONTAINERS or isinstance(v, StructInstance):
        out: list[str] = []
        try:
            _write_container(v, out, 0, None)
        except _CyclicValue:
            out = []
            _write_container(v, out, 0, set())
        return "".join(out)
    if t is bytes:
        return OPAQUE_DISPLAY
    if t is ErrorObject:
        stack = "[" + ", ".join(v.stack) + "]"
        return f"Error {{ line: {v.line}, message: {v.message}, stack: {stack} }}"
    if t is Closure:
        return f"<function {v.chunk.name}>"
    if t is Builtin:
        return f"<native function {v.name}>"
    if t is BoundMethod:
        return f"<method {display(v.function)}>"
    if t is StructType:
        return f"<struct {v.name}>"
    if t is EnumType:
        return f"<enum {v.name}>"
    if t is VariantConstructor:
        return f"{v.enum}::{v.variant}"
    custom = getattr(v, "ruff_display", None)
    if custom is not None:
        return custom()
    return f"<{type_name(v)}>"
