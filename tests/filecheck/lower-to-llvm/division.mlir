// RUN: ruff-opt %s -p lower-to-llvm | filecheck %s
// Integer `/` and `%`: the divisor is checked for zero, then i64.min / -1 for overflow, and only then
// sdiv / srem run (which truncate toward zero / keep the dividend's sign, like Ruff).
// Float `/` and `%` by zero are Ruff errors too.

ruff.func @div(%a: i64, %b: i64) -> i64 {
  %r = ruff.idiv %a, %b line 8 : i64
  ruff.return %r : i64
}

// CHECK-LABEL: llvm.func internal @ruff.div$impl(
// CHECK:         %[[Z:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT:    %[[ISZ:.*]] = llvm.icmp "eq" %[[B:.*]], %[[Z]] : i64
// CHECK-NEXT:    llvm.cond_br %[[ISZ]], ^division_by_zero, ^[[NZ:.*]]
// CHECK-NEXT:  ^[[NZ]]:
// CHECK-NEXT:    %[[M1:.*]] = llvm.mlir.constant(-1) : i64
// CHECK-NEXT:    %[[ISM1:.*]] = llvm.icmp "eq" %[[B]], %[[M1]] : i64
// CHECK-NEXT:    %[[MIN:.*]] = llvm.mlir.constant(-9223372036854775808) : i64
// CHECK-NEXT:    %[[ISMIN:.*]] = llvm.icmp "eq" %[[A:.*]], %[[MIN]] : i64
// CHECK-NEXT:    %[[BOTH:.*]] = llvm.and %[[ISM1]], %[[ISMIN]] : i1
// CHECK-NEXT:    llvm.cond_br %[[BOTH]], ^overflow, ^[[GO:.*]]
// CHECK-NEXT:  ^[[GO]]:
// CHECK-NEXT:    %[[Q:.*]] = llvm.sdiv %[[A]], %[[B]] : i64
// CHECK-NEXT:    llvm.return %[[Q]] : i64
// CHECK:       ^division_by_zero:
// CHECK-NEXT:    %[[K:.*]] = llvm.mlir.constant(2) : i64
// CHECK-NEXT:    %{{.*}} = llvm.mlir.addressof @__ruff_err_kind
// CHECK:         llvm.br ^unwind

ruff.func @mod(%a: i64, %b: i64) -> i64 {
  %r = ruff.imod %a, %b line 9 : i64
  ruff.return %r : i64
}

// CHECK-LABEL: llvm.func internal @ruff.mod$impl(
// CHECK:         llvm.cond_br %{{.*}}, ^[[MZ:modulo_by_zero.*]], ^{{.*}}
// CHECK:         llvm.cond_br %{{.*}}, ^{{overflow.*}}, ^[[GO:.*]]
// CHECK-NEXT:  ^[[GO]]:
// CHECK-NEXT:    %{{.*}} = llvm.srem %{{.*}}, %{{.*}} : i64
// CHECK:       ^[[MZ]]:
// CHECK-NEXT:    llvm.mlir.constant(3) : i64

ruff.func @fdiv(%a: f64, %b: f64) -> f64 {
  %fq = ruff.fdiv %a, %b line 4 : f64
  %fr = ruff.fmod %fq, %b line 5 : f64
  ruff.return %fr : f64
}

// CHECK-LABEL: llvm.func internal @ruff.fdiv$impl(
// CHECK:         %[[FZ:.*]] = llvm.mlir.constant(0.000000e+00 : f64) : f64
// CHECK-NEXT:    %[[ISZ:.*]] = llvm.fcmp "oeq" %[[B:.*]], %[[FZ]] : f64
// CHECK-NEXT:    llvm.cond_br %[[ISZ]], ^{{division_by_zero.*}}, ^[[OK:.*]]
// CHECK-NEXT:  ^[[OK]]:
// CHECK-NEXT:    %fq = llvm.fdiv %{{.*}}, %[[B]] : f64
// CHECK:         llvm.cond_br %{{.*}}, ^{{modulo_by_zero.*}}, ^[[OK2:.*]]
// CHECK-NEXT:  ^[[OK2]]:
// CHECK-NEXT:    %fr = llvm.frem %fq, %[[B]] : f64
