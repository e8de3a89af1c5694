// RUN: ruff-opt %s -p 'specialize-types{arg-types="run(value,int)"},canonicalize' | filecheck %s
// `v.add(n)` where one struct type of the program, the global V, defines `add` (the module attribute the JIT
// sets): the twin checks that v is an instance of the type V holds when the call runs (deoptimizing at the
// frame state before the call otherwise) and calls the method's own twin directly, v as `self`.
// add's twin works on objects and may deoptimize, the baseline finishing it with a result of any kind: the
// int it returns is guarded at a frame state past the call (the next instruction, the result on the stack).
// `v.other()` names a method no struct type is known to define: it stays a call through the runtime.

builtin.module attributes {ruff.struct_methods = {add = "V"}} {
  ruff.func @V.add(%0: !ruff.value, %1: !ruff.value) -> !ruff.value attributes {lifted_from = "V.add", param_names = ["self", "n"]} {
    %2 = ruff.frame_state 1(%1, %0) {slots = array<i64: 1>} : !ruff.value, !ruff.value
    %3 = ruff.field_get %0 "x" line 4 {ip = 1 : i64}
    %4 = ruff.frame_state 3(%3, %1) {slots = array<i64>} : !ruff.value, !ruff.value
    %5 = ruff.add %3, %1 line 4 {ip = 3 : i64}
    ruff.return %5 : !ruff.value
  }
  ruff.func @run(%0: !ruff.value, %1: !ruff.value) -> !ruff.value attributes {lifted_from = "run", param_names = ["v", "n"]} {
    %2 = ruff.frame_state 2(%0, %0, %1) {slots = array<i64: 0>} : !ruff.value, !ruff.value, !ruff.value
    %3 = ruff.call_method %0 "add"(%1) line 9 {ip = 2 : i64}
    %4 = ruff.frame_state 5(%3, %0) {slots = array<i64>} : !ruff.value, !ruff.value
    %5 = ruff.call_method %0 "other"() line 10 {ip = 5 : i64}
    ruff.return %3 : !ruff.value
  }
}

// CHECK:       ruff.func @run__vi_{{[0-9a-f]+}}(%[[V:.*]]: !ruff.value, %[[N:.*]]: i64, %depth: i64)
// CHECK:         %[[DEPTH:.*]] = ruff.enter_frame %depth "run"
// CHECK-NEXT:    %[[S:.*]] = ruff.frame_state 2
// CHECK-NEXT:    %[[OK:.*]] = ruff.is_instance %[[V]] "V"
// CHECK-NEXT:    ruff.guard %[[OK]] deopt %[[S]]
// CHECK-NEXT:    %[[R:.*]] = ruff.call_direct @V.add__vi_{{[0-9a-f]+}}(%[[V]], %[[N]], %[[DEPTH]]) {ip = 2 : i64}
// CHECK-NEXT:    %[[PAST:.*]] = ruff.frame_state 3(%[[V]], %[[R]]) {slots = array<i64: 0>}
// CHECK-NEXT:    ruff.guard_type %[[R]] "int" deopt %[[PAST]]
// CHECK-NEXT:    %{{.*}} = ruff.unbox %[[R]] : i64
// CHECK:         ruff.call_method %[[V]] "other"() line 10
// CHECK:       ruff.func @V.add__vi_{{[0-9a-f]+}}(%{{.*}}: !ruff.value, %{{.*}}: i64, %depth: i64)
