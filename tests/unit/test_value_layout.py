"""No value a Ruff program can hold takes an attribute it was not made with.

The fast tier stores a struct field as `obj._f_x = v` and reads it as `obj._f_x`, taking AttributeError to
mean "not a struct with field x" (statements.py, Op.FieldSet / Op.FieldGet). An object with a __dict__
would silently take the attribute instead, and a later read would find it: so every class whose instances
reach Ruff code has __slots__ all the way up (`__dictoffset__ == 0`). Classes that never reach Ruff code
are listed here with the reason.
"""

import importlib
import inspect
import pkgutil
import types

import pytest

import ruff.runtime
from ruff.runtime.values import StructType, slot_name

# Internal classes whose instances a Ruff program never holds (qualified name -> why).
_INTERNAL = {
    # Exceptions: raised and caught by the executors; `except e` binds an ErrorObject or the thrown value.
    "ruff.runtime.values.RuffError": "exception",
    "ruff.runtime.values.AssertionFailure": "exception",
    "ruff.runtime.values._CyclicValue": "exception inside display",
    "ruff.runtime.modules.ModuleCompileError": "exception",
    "ruff.runtime.builtins._util._Cyclic": "exception inside a builtin",
    "ruff.runtime.builtins.core.ExitProgram": "exception carrying exit()",
    # Executors, loaders and their bookkeeping.
    "ruff.runtime.vm.VM": "executor",
    "ruff.runtime.fast.fastvm.FastVM": "executor",
    "ruff.runtime.modules.ModuleLoader": "loader",
    "ruff.runtime.builtins._util.Registry": "builtin table",
    "ruff.runtime.concurrency._State": "scheduler state",
    "ruff.runtime.concurrency.TaskJit": "task bookkeeping",
    "ruff.runtime.builtins.http_server._Pending": "server-internal request",
    "ruff.runtime.builtins.yaml._Budget": "parser budget",
    "ruff.runtime.builtins.arg_parser._Option": "parsed option spec, turned into dict entries",
    "ruff.runtime.native_support.DeoptSite": "native-code metadata",
    "ruff.runtime.native_support.OpSite": "native-code metadata",
    "ruff.runtime.native_support.FrameSite": "native-code metadata",
    "ruff.runtime.native_support.NativeSupport": "native-code metadata",
    "ruff.runtime.native_support.ObjectResolver": "native-code metadata",
}
# The fast tier's code generator: compile-time objects only.
_INTERNAL_MODULES = ("ruff.runtime.fast.codegen", "ruff.runtime.fast.expressions", "ruff.runtime.fast.statements",
                     "ruff.runtime.fast.placement", "ruff.runtime.fast.pvector", "ruff.runtime.fast.pysource",
                     "ruff.runtime.fast.typeflow")


def _runtime_classes() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(ruff.runtime.__path__, "ruff.runtime."):
        mod = importlib.import_module(info.name)
        for obj in vars(mod).values():
            if inspect.isclass(obj) and obj.__module__ == mod.__name__:
                found.append(obj)
    return found


def test_every_runtime_value_class_has_no_instance_dict():
    classes = _runtime_classes()
    assert len(classes) > 40  # the walk found the runtime
    with_dict = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes
                       if c.__dictoffset__ != 0 and c.__module__ not in _INTERNAL_MODULES)
    assert [n for n in with_dict if n not in _INTERNAL] == []
    # The allowlist names classes that still exist and still need it.
    assert sorted(set(_INTERNAL) - set(with_dict)) == []


@pytest.mark.parametrize("value", [0, 1.5, "s", True, None, [1], {"a": 1}, b"x", types.CellType(1)])
def test_plain_values_refuse_a_field_attribute(value):
    with pytest.raises(AttributeError):
        setattr(value, slot_name("x"), 1)


def test_struct_instances_take_only_their_own_fields():
    v = StructType("P", ("x",), {}, {}).cls()
    setattr(v, slot_name("x"), 2)
    assert getattr(v, slot_name("x")) == 2
    with pytest.raises(AttributeError):
        setattr(v, slot_name("y"), 1)
