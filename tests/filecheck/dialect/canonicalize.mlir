// RUN: ruff-opt %s -p canonicalize | filecheck %s
// RUN: ruff-opt %s -p cse,dce | filecheck %s --check-prefix=DCE
// Folding and dead-code rules: constants fold through operators unless the operation would raise at run
// time (overflow, division by zero), and ops that can raise are never removed even when unused.

ruff.func @fold(%x: !ruff.value, %y: i64) -> i64 {
  %a = ruff.constant 2 : !ruff.value
  %b = ruff.constant 3 : !ruff.value
  %s = ruff.add %a, %b line 1
  %t = ruff.mul %s, %x line 2
  %max = ruff.constant 9223372036854775807 : i64
  %one = ruff.constant 1 : i64
  %zero = ruff.constant 0 : i64
  %ovf = ruff.iadd %max, %one line 5 : i64
  %ok = ruff.isub %max, %one line 5 : i64
  %dz = ruff.idiv %max, %zero line 6 : i64
  %q = ruff.idiv %ok, %one : i64
  %bx = ruff.box %y : i64
  %ub = ruff.unbox %bx : i64
  %r = ruff.iadd %ub, %q : i64
  ruff.return %r : i64
}

// CHECK-LABEL: ruff.func @fold
// CHECK-NEXT:    %s = ruff.constant 5 : !ruff.value
// CHECK-NEXT:    %t = ruff.mul %s, %x line 2
// CHECK-NEXT:    %max = ruff.constant 9223372036854775807 : i64
// CHECK-NEXT:    %one = ruff.constant 1 : i64
// CHECK-NEXT:    %zero = ruff.constant 0 : i64
// CHECK-NEXT:    %ovf = ruff.iadd %max, %one line 5 : i64
// CHECK-NEXT:    %dz = ruff.idiv %max, %zero line 6 : i64
// CHECK-NEXT:    %q = ruff.constant 9223372036854775806 : i64
// CHECK-NEXT:    %r = ruff.iadd %y, %q : i64
// CHECK-NEXT:    ruff.return %r : i64

ruff.func @dead(%x: !ruff.value, %y: i64) {
  %arr = ruff.make_array [%x]
  %g = ruff.load_global "g"
  %tr = ruff.truthy %x
  %bx = ruff.box %y : i64
  %sum = ruff.add %x, %x line 3
  %ovf = ruff.iadd %y, %y line 4 : i64
  %e = ruff.index_get %x[%x] line 5
  %c = ruff.call %x(%x) line 6
  ruff.return
}

// DCE-LABEL: ruff.func @dead
// DCE-NEXT:    %sum = ruff.add %x, %x line 3
// DCE-NEXT:    %ovf = ruff.iadd %y, %y line 4 : i64
// DCE-NEXT:    %e = ruff.index_get %x[%x] line 5
// DCE-NEXT:    %c = ruff.call %x(%x) line 6
// DCE-NEXT:    ruff.return

ruff.func @cse(%x: !ruff.value) -> !ruff.value {
  %g1 = ruff.load_global "g"
  %g2 = ruff.load_global "g"
  %a1 = ruff.make_array [%g1]
  %a2 = ruff.make_array [%g2]
  %s = ruff.add %a1, %a2
  ruff.return %s : !ruff.value
}

// DCE-LABEL: ruff.func @cse
// DCE-NEXT:    %g1 = ruff.load_global "g"
// DCE-NEXT:    %a1 = ruff.make_array [%g1]
// DCE-NEXT:    %a2 = ruff.make_array [%g1]
// DCE-NEXT:    %s = ruff.add %a1, %a2
