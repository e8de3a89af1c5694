// RUN: ruff-opt %s -p cse | filecheck %s
// xDSL's cse merges what the dialect's effects allow: a second read of the same global with no write in
// between, a repeated pure type test. Two `ruff.add`s stay (each may raise or run `op_add`), and so do
// two `ruff.make_array`s (each makes a new, mutable array); a store between two reads keeps both reads.

ruff.func @merge(%x: !ruff.value) -> !ruff.value {
  %g1 = ruff.load_global "limit" line 1
  %g2 = ruff.load_global "limit" line 1
  %t1 = ruff.is_type %x "int"
  %t2 = ruff.is_type %x "int"
  %b1 = ruff.box %t1 : i1
  %b2 = ruff.box %t2 : i1
  %a1 = ruff.add %x, %g1 line 2
  %a2 = ruff.add %x, %g2 line 2
  %l1 = ruff.make_array [%x]
  %l2 = ruff.make_array [%x]
  ruff.store_global "seen", %a1 line 3
  %g3 = ruff.load_global "limit" line 1
  %all = ruff.make_array [%g1, %g2, %b1, %b2, %a1, %a2, %l1, %l2, %g3]
  ruff.return %all : !ruff.value
}

// CHECK-LABEL: ruff.func @merge
// CHECK-NEXT:    %[[G:.*]] = ruff.load_global "limit" line 1
// CHECK-NEXT:    %[[T:.*]] = ruff.is_type %x "int"
// CHECK-NEXT:    %[[B:.*]] = ruff.box %[[T]] : i1
// CHECK-NEXT:    %[[A1:.*]] = ruff.add %x, %[[G]] line 2
// CHECK-NEXT:    %[[A2:.*]] = ruff.add %x, %[[G]] line 2
// CHECK-NEXT:    %[[L1:.*]] = ruff.make_array [%x]
// CHECK-NEXT:    %[[L2:.*]] = ruff.make_array [%x]
// CHECK-NEXT:    ruff.store_global "seen", %[[A1]] line 3
// CHECK-NEXT:    %[[G3:.*]] = ruff.load_global "limit" line 1
// CHECK-NEXT:    ruff.make_array [%[[G]], %[[G]], %[[B]], %[[B]], %[[A1]], %[[A2]], %[[L1]], %[[L2]], %[[G3]]]
