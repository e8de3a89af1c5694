// RUN: ruff-opt %s -p specialize-types | filecheck %s
// A function with recorded argument types gets a typed twin; its own body becomes a type guard
// that calls the twin or falls back to the boxed code.

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
// CHECK:         %[[OK:.*]] = ruff.is_type %[[N:.*]] "int"
// CHECK-NEXT:    cf.cond_br %[[OK]], ^[[FAST:.*]], ^[[SLOW:.*]](%[[N]] : !ruff.value)
// CHECK:       ^[[FAST]]:
// CHECK-NEXT:    %[[U:.*]] = ruff.unbox %[[N]] : i64
// CHECK-NEXT:    %[[D0:.*]] = ruff.constant 0 : i64
// CHECK-NEXT:    %[[R:.*]] = ruff.call_direct @fib__i(%[[U]], %[[D0]]) : (i64, i64) -> !ruff.value
// CHECK-NEXT:    ruff.return %[[R]] : !ruff.value
// CHECK:       ^[[SLOW]](%{{.*}}: !ruff.value):
// CHECK:         ruff.lt
// The twin takes the call depth last and enters its frame first; its calls pass the deeper depth on.
// CHECK-LABEL: ruff.func @fib__i(%{{.*}}: i64, %depth: i64) -> !ruff.value
// CHECK-SAME:    ruff.depth_arg, specialized_for = ["int"]
// CHECK-NEXT:    %[[D:.*]] = ruff.enter_frame %depth "fib" : i64
// CHECK:         arith.cmpi slt
// CHECK:         %[[A:.*]] = ruff.isub %{{.*}}, %{{.*}} line 3 : i64
// CHECK-NEXT:    %[[C:.*]] = ruff.call_direct @fib__i(%[[A]], %[[D]]) : (i64, i64) -> !ruff.value
// CHECK-NEXT:    %{{.*}} = ruff.unbox %[[C]] : i64
// CHECK:         ruff.iadd %{{.*}}, %{{.*}} line 3 : i64
// CHECK:         ruff.box
// CHECK-LABEL: ruff.func @sum_to__i(%{{.*}}: i64, %depth: i64) -> !ruff.value
// CHECK:       ^{{.*}}(%{{.*}}: i64, %{{.*}}: i64):
// CHECK:         ruff.iadd %{{.*}}, %{{.*}} line 9 : i64
