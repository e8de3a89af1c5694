"""`did you mean …?` for undefined names: which names are visible at a position, and the closest one."""

from __future__ import annotations

from ruff.frontend.parser import parse
from ruff.frontend.suggest import closest_name, names_visible_at

SRC = """\
import lib.mathutil
from lib.shapes import circle, square
total := 0
func outer(count, pair) {
  [a, b] := pair
  inner_sum := 0
  for item in [1] { running := item }
  helper := func(x) { hidden := x }
  match count { case Some(got): { } case [first, ...others]: { } }
  try { } except failure { }
  return coutn
}
func other() { secret := 1 }
struct Point {
  x_pos, y_pos
  func norm(self) { return x_pso }
}
"""


def test_names_visible_inside_a_function():
    names = names_visible_at(parse(SRC, "t.ruff"), 11, 10)
    assert names[:4] == ["count", "pair", "a", "b"]  # the innermost function's first
    assert {"inner_sum", "item", "running", "helper", "got", "first", "others", "failure"} <= set(names)
    assert {"total", "outer", "other", "Point", "mathutil", "circle", "square"} <= set(names)
    assert not {"x", "hidden", "secret", "x_pos"} & set(names)  # other functions' locals, other structs' fields


def test_struct_fields_are_visible_in_methods_and_top_level_names_everywhere():
    program = parse(SRC, "t.ruff")
    assert {"self", "x_pos", "y_pos", "total"} <= set(names_visible_at(program, 16, 28))
    top = names_visible_at(program, 3, 1)
    assert "total" in top and "count" not in top


def test_closest_name():
    names = ["message", "messages", "print", "len", "Point"]
    assert closest_name("mesage", names) == "message"
    assert closest_name("prnt", names) == "print"
    assert closest_name("point", names) == "Point"  # case alone
    assert closest_name("mesasge", names) == "message"  # a transposition is one edit
    assert closest_name("lne", names) == "len"
    assert closest_name("zzz", names) is None
    assert closest_name("x", ["y", "xy"]) == "y"
    assert closest_name("message", ["message"]) is None  # never the name itself
    assert closest_name("tmp", ["$tmp"]) is None  # compiler-hidden locals
