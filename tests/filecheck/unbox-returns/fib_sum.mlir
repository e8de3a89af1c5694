// RUN: ruff-opt %s -p specialize-types,unbox-returns | filecheck %s
// Typed twins return raw i64; native callers use the value directly and only the guarded entry boxes it.

builtin.module {
  ruff.func @fib(%0: !ruff.value) -> !ruff.value attributes {lifted_from = "fib", param_names = ["n"], arg_types = ["int"]} {
    cf.br ^bb1
  ^bb1:
    %1 = ruff.constant 2 : !ruff.value
    %2 = ruff.lt %0, %1 line 2
    %3 = ruff.truthy %2
    cf.cond_br %3, ^bb3, ^bb2
  ^bb2:
    %4 = ruff.load_global "fib" line 3
    %5 = ruff.constant 1 : !ruff.value
    %6 = ruff.sub %0, %5 line 3
    %7 = ruff.call %4(%6) line 3
    %8 = ruff.load_global "fib" line 3
    %9 = ruff.constant 2 : !ruff.value
    %10 = ruff.sub %0, %9 line 3
    %11 = ruff.call %8(%10) line 3
    %12 = ruff.add %7, %11 line 3
    ruff.return %12 : !ruff.value
  ^bb3:
    ruff.return %0 : !ruff.value
  }
  ruff.func @sum_to(%0: !ruff.value) -> !ruff.value attributes {lifted_from = "sum_to", param_names = ["n"], arg_types = ["int"]} {
    cf.br ^bb1
  ^bb1:
    %1 = ruff.constant 0 : !ruff.value
    %2 = ruff.constant 0 : !ruff.value
    cf.br ^bb2(%1, %2 : !ruff.value, !ruff.value)
  ^bb2(%3: !ruff.value, %4: !ruff.value):
    %5 = ruff.lt %4, %0 line 8
    %6 = ruff.truthy %5
    cf.cond_br %6, ^bb4, ^bb3
  ^bb3:
    ruff.return %3 : !ruff.value
  ^bb4:
    %7 = ruff.add %3, %4 line 9
    %8 = ruff.constant 1 : !ruff.value
    %9 = ruff.add %4, %8 line 10
    cf.br ^bb2(%7, %9 : !ruff.value, !ruff.value)
  }
}

// CHECK-LABEL: ruff.func @fib(
// CHECK:         %[[R:.*]] = ruff.call_direct @fib__i(%{{.*}}, %{{.*}}) : (i64, i64) -> i64
// CHECK-NEXT:    %[[B:.*]] = ruff.box %[[R]] : i64
// CHECK-NEXT:    ruff.return %[[B]] : !ruff.value
// CHECK-LABEL: ruff.func @fib__i(%{{.*}}: i64, %depth: i64) -> i64
// CHECK:         %[[C:.*]] = ruff.call_direct @fib__i(%{{.*}}, %{{.*}}) : (i64, i64) -> i64
// CHECK-NOT:     ruff.unbox
// CHECK:         %[[S:.*]] = ruff.iadd
// CHECK-NEXT:    ruff.return %[[S]] : i64
// CHECK-LABEL: ruff.func @sum_to__i(%{{.*}}: i64, %depth: i64) -> i64
// CHECK-NOT:     ruff.box
// CHECK:         ruff.return %{{.*}} : i64
