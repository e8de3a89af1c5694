"""Struct instances have a layout fixed by their struct type: one class per type, fields as __slots__ in
declaration order at offsets native code can read (values.StructInstance)."""

import ctypes

from ruff.runtime.values import (
    StructInstance, StructType, display, is_container, method_attr, new_closure, new_struct, slot_name, values_equal,
)
from ruff.testing import copy_data


def _point() -> StructType:
    return StructType("Point", ("x", "y", "label"), {}, {})


def test_each_struct_type_has_its_own_class_with_a_slot_per_field():
    p, q = _point(), _point()
    assert p.cls is not q.cls and issubclass(p.cls, StructInstance)
    assert p.cls.__slots__ == (slot_name("x"), slot_name("y"), slot_name("label"))
    v = new_struct(p, {"label": "a", "y": 2, "x": 1})
    assert not hasattr(v, "__dict__") and v.type is p
    assert v.field_items() == [("x", 1), ("y", 2), ("label", "a")]


def test_field_offsets_hold_the_field_objects():
    p = _point()
    x, y, label = 1.5, [1, 2], "lbl"
    v = new_struct(p, {"x": x, "y": y, "label": label})
    for name, value in (("x", x), ("y", y), ("label", label)):
        ptr = ctypes.c_void_p.from_address(id(v) + p.field_offset(name)).value
        assert ptr == id(value), name
    offsets = sorted(p.field_offset(f) for f in p.fields)
    assert offsets == [object.__basicsize__ + 8 * k for k in range(3)]  # right after the object header
    assert p.cls.__basicsize__ == offsets[-1] + 8


def test_a_field_declared_twice_has_one_slot():
    t = StructType("D", ("x", "x"), {}, {})
    v = new_struct(t, {"x": 3})
    assert v.field_items() == [("x", 3)] and display(v) == "D { x: 3 }"


def test_values_of_different_struct_types_differ_and_copies_are_equal():
    p, q = _point(), _point()
    a = new_struct(p, {"x": 1, "y": 2, "label": "a"})
    b = new_struct(q, {"x": 1, "y": 2, "label": "a"})
    assert not values_equal(a, b)
    c = copy_data(a, {})
    assert c is not a and type(c) is type(a) and values_equal(a, c)
    assert is_container(a) and not is_container(1)


def test_only_closure_methods_become_class_attributes():
    from ruff.frontend.bytecode import Chunk
    from ruff.runtime.values import Builtin, Module

    m = new_closure(Chunk("area", []), [], Module("m", "m.ruff"))
    t = StructType("S", ("w",), {}, {"area": m, "native": Builtin("native", lambda rt, a: None)})
    assert getattr(t.cls, method_attr("area")) is m
    assert not hasattr(t.cls, method_attr("native"))


def test_operator_methods_of_any_kind_mark_the_class():
    from ruff.runtime.values import Builtin, overload_attr

    op = Builtin("op_eq", lambda rt, args: True)
    t = StructType("E", ("x",), {}, {"op_eq": op, "show": op})
    v = new_struct(t, {"x": 1})
    assert hasattr(v, overload_attr("op_eq")) and not hasattr(v, overload_attr("op_ne"))
    assert not hasattr(v, overload_attr("show")) and not hasattr(v, method_attr("op_eq"))  # not a Closure
    assert not hasattr(new_struct(_point(), {"x": 1, "y": 2, "label": ""}), overload_attr("op_eq"))


def test_native_code_finds_a_struct_types_class_and_fields_at_their_slot_offsets():
    from ruff.runtime.values import field_offsets, slot_offset

    p = _point()
    for attr in ("cls", "fields"):
        ptr = ctypes.c_void_p.from_address(id(p) + slot_offset(StructType, attr)).value
        assert ptr == id(getattr(p, attr)), attr
    # an instance's layout follows from the field names alone
    assert field_offsets(p.fields) == {f: p.field_offset(f) for f in p.fields}
    assert field_offsets(("b", "a")) == {"a": 16, "b": 24}
