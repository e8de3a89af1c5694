// RUN: ruff-opt %s -p "inline{budget=40 depth=1}" | filecheck %s
// RUN: ruff-opt %s -p "inline{budget=5}" | filecheck %s --check-prefix=SMALL
// A small callee is copied into its caller (one level of recursion here); its ops keep their lines.
// Over the size budget nothing is inlined.

builtin.module {
  ruff.func @sum_acc__ii(%0: i64, %1: i64) -> i64 attributes {lifted_from = "sum_acc", param_names = ["n", "acc"], specialized_for = ["int", "int"], returns = "int"} {
    %2 = ruff.constant 0 : i64
    %3 = arith.cmpi eq, %0, %2 : i64
    cf.cond_br %3, ^bb2, ^bb1
  ^bb1:
    %4 = ruff.constant 1 : i64
    %5 = ruff.isub %0, %4 line 3 : i64
    %6 = ruff.iadd %1, %0 line 3 : i64
    %7 = ruff.call_direct @sum_acc__ii(%5, %6) : (i64, i64) -> i64
    ruff.return %7 : i64
  ^bb2:
    ruff.return %1 : i64
  }
  ruff.func @fib__i(%0: i64) -> i64 attributes {lifted_from = "fib", param_names = ["n"], specialized_for = ["int"], returns = "int"} {
    %1 = ruff.constant 2 : i64
    %2 = arith.cmpi slt, %0, %1 : i64
    cf.cond_br %2, ^bb2, ^bb1
  ^bb1:
    %3 = ruff.constant 1 : i64
    %4 = ruff.isub %0, %3 line 7 : i64
    %5 = ruff.call_direct @fib__i(%4) : (i64) -> i64
    %6 = ruff.constant 2 : i64
    %7 = ruff.isub %0, %6 line 7 : i64
    %8 = ruff.call_direct @fib__i(%7) : (i64) -> i64
    %9 = ruff.iadd %5, %8 line 7 : i64
    ruff.return %9 : i64
  ^bb2:
    ruff.return %0 : i64
  }
}

// CHECK-LABEL: ruff.func @fib__i
// CHECK:         %[[A:.*]] = ruff.isub %{{.*}}, %{{.*}} line 7 : i64
// CHECK-NEXT:    cf.br ^[[CALLEE:.*]](%[[A]] : i64)
// CHECK-NEXT:  ^[[CALLEE]](%[[N1:.*]]: i64):
// CHECK-NEXT:    %{{.*}} = ruff.constant 2 : i64
// CHECK-NEXT:    %{{.*}} = arith.cmpi slt, %[[N1]], %{{.*}} : i64
// CHECK:         ruff.call_direct @fib__i
// CHECK:         cf.br ^[[JOIN:.*]](%{{.*}} : i64)
// CHECK:       ^[[JOIN]](%{{.*}}: i64):
// CHECK:         ruff.iadd %{{.*}}, %{{.*}} line 7 : i64

// SMALL-LABEL: ruff.func @fib__i
// SMALL:         %[[X:.*]] = ruff.call_direct @fib__i(%{{.*}}) : (i64) -> i64
// SMALL:         %[[Y:.*]] = ruff.call_direct @fib__i(%{{.*}}) : (i64) -> i64
// SMALL-NEXT:    ruff.iadd %[[X]], %[[Y]] line 7 : i64
