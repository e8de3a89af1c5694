// RUN: ruff-opt %s -p tailrec-to-loop,inline | filecheck %s
// The call depth is the twin's last argument and every twin enters its frame first. A tail call turned
// into a loop passes the deeper depth along the back-edge, so every iteration enters one more frame, and
// an inlined callee's enter_frame counts its frame on top of the caller's: native code stops at the same
// depth as the baseline however the calls were rewritten.

builtin.module {
  ruff.func @down__i(%n: i64, %depth: i64) -> i64 attributes {lifted_from = "down", param_names = ["n", "depth"], ruff.depth_arg, specialized_for = ["int"], returns = "int"} {
    %d = ruff.enter_frame %depth "down" : i64
    cf.br ^body(%n : i64)
  ^body(%k: i64):
    %zero = ruff.constant 0 : i64
    %done = arith.cmpi eq, %k, %zero : i64
    cf.cond_br %done, ^base, ^rec
  ^base:
    ruff.return %k : i64
  ^rec:
    %one = ruff.constant 1 : i64
    %m = ruff.isub %k, %one line 3 : i64
    %r = ruff.call_direct @down__i(%m, %d) : (i64, i64) -> i64
    ruff.return %r : i64
  }
  ruff.func @leaf__i(%x: i64, %depth: i64) -> i64 attributes {lifted_from = "leaf", param_names = ["x", "depth"], ruff.depth_arg, specialized_for = ["int"], returns = "int"} {
    %d = ruff.enter_frame %depth "leaf" : i64
    ruff.return %x : i64
  }
  ruff.func @caller__i(%x: i64, %depth: i64) -> i64 attributes {lifted_from = "caller", param_names = ["x", "depth"], ruff.depth_arg, specialized_for = ["int"], returns = "int"} {
    %d = ruff.enter_frame %depth "caller" : i64
    %r = ruff.call_direct @leaf__i(%x, %d) : (i64, i64) -> i64
    ruff.return %r : i64
  }
}

// CHECK-LABEL: ruff.func @down__i(
// CHECK-NEXT:    cf.br ^[[LOOP:.*]](%{{.*}}, %{{.*}} : i64, i64)
// CHECK-NEXT:  ^[[LOOP]](%[[N:.*]]: i64, %[[DEPTH:.*]]: i64):
// CHECK-NEXT:    %[[D:.*]] = ruff.enter_frame %[[DEPTH]] "down" : i64
// CHECK:         %[[M:.*]] = ruff.isub
// CHECK-NEXT:    cf.br ^[[LOOP]](%[[M]], %[[D]] : i64, i64)

// CHECK-LABEL: ruff.func @caller__i(
// CHECK-NEXT:    %[[CD:.*]] = ruff.enter_frame %depth "caller" : i64
// CHECK-NEXT:    cf.br ^[[INL:.*]](%x, %[[CD]] : i64, i64)
// CHECK-NEXT:  ^[[INL]](%{{.*}}: i64, %[[LD:.*]]: i64):
// CHECK-NEXT:    %{{.*}} = ruff.enter_frame %[[LD]] "leaf" : i64
// CHECK-NOT:     ruff.call_direct
