// RUN: ruff-opt %s -p tailrec-to-loop | filecheck %s
// A self call in tail position becomes a branch back to the old entry block; other self calls stay.

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

// CHECK-LABEL: ruff.func @sum_acc__ii(%{{.*}}: i64, %{{.*}}: i64) -> i64
// CHECK-NEXT:    cf.br ^[[LOOP:.*]](%{{.*}}, %{{.*}} : i64, i64)
// CHECK-NEXT:  ^[[LOOP]](%[[N:.*]]: i64, %[[ACC:.*]]: i64):
// CHECK:         %[[N1:.*]] = ruff.isub %[[N]], %{{.*}} line 3 : i64
// CHECK-NEXT:    %[[A1:.*]] = ruff.iadd %[[ACC]], %[[N]] line 3 : i64
// CHECK-NEXT:    cf.br ^[[LOOP]](%[[N1]], %[[A1]] : i64, i64)
// CHECK:         ruff.return %[[ACC]] : i64
// CHECK-NOT:     ruff.call_direct @sum_acc__ii
// CHECK-LABEL: ruff.func @fib__i
// CHECK:         ruff.call_direct @fib__i
// CHECK:         ruff.call_direct @fib__i
