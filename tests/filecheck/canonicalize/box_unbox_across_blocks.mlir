// RUN: ruff-opt %s -p canonicalize | filecheck %s
// A block argument that only receives boxed i64s and is only unboxed becomes an i64 argument; one that
// is also used boxed (returned here) keeps its boxes.

ruff.func @merge(%c: i1, %a: i64, %b: i64) -> i64 {
  cf.cond_br %c, ^left, ^right
^left:
  %x = ruff.box %a : i64
  cf.br ^join(%x : !ruff.value)
^right:
  %y = ruff.box %b : i64
  cf.br ^join(%y : !ruff.value)
^join(%v: !ruff.value):
  %r = ruff.unbox %v : i64
  ruff.return %r : i64
}

ruff.func @escapes(%c: i1, %a: i64) -> !ruff.value {
  %x = ruff.box %a : i64
  cf.br ^join(%x : !ruff.value)
^join(%v: !ruff.value):
  ruff.return %v : !ruff.value
}

// After the boxes go, xDSL's own patterns fold the diamond into a select.
// CHECK-LABEL: ruff.func @merge
// CHECK-NEXT:    %[[V:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : i64
// CHECK-NEXT:    ruff.return %[[V]] : i64
// CHECK-LABEL: ruff.func @escapes
// CHECK:         ruff.box
