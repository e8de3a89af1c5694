// RUN: ruff-opt %s -p lower-to-llvm | filecheck %s
// Checked i64 arithmetic becomes LLVM's overflow intrinsics; an overflow stores the error slot
// (kind 1, operator, operands, line, function id) and leaves through the shared unwind exit.

ruff.func @add(%a: i64, %b: i64) -> i64 {
  %r = ruff.iadd %a, %b line 7 : i64
  ruff.return %r : i64
}

// CHECK:      llvm.mlir.global external @__ruff_err_kind(0 : i64)
// CHECK:      llvm.mlir.global external @__ruff_depth_limit(1000000 : i64)
// CHECK:      llvm.mlir.global external @__ruff_stack_limit(0 : i64)

// CHECK-LABEL: llvm.func internal @ruff.add$impl(
// CHECK:         %[[P:.*]] = llvm.call_intrinsic "llvm.sadd.with.overflow.i64"(%[[A:.*]], %[[B:.*]]) : (i64, i64) -> !llvm.struct<(i64, i1)>
// CHECK-NEXT:    %[[R:.*]] = llvm.extractvalue %[[P]][0] : !llvm.struct<(i64, i1)>
// CHECK-NEXT:    %[[O:.*]] = llvm.extractvalue %[[P]][1] : !llvm.struct<(i64, i1)>
// CHECK-NEXT:    llvm.cond_br %[[O]], ^overflow, ^[[OK:.*]]
// CHECK-NEXT:  ^[[OK]]:
// CHECK-NEXT:    llvm.return %[[R]] : i64
// CHECK:       ^unwind:
// CHECK-NEXT:    %[[Z:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT:    llvm.return %[[Z]] : i64
// CHECK:       ^overflow:
// CHECK-NEXT:    %[[KIND:.*]] = llvm.mlir.constant(1) : i64
// CHECK-NEXT:    %[[KP:.*]] = llvm.mlir.addressof @__ruff_err_kind : !llvm.ptr
// CHECK-NEXT:    llvm.store %[[KIND]], %[[KP]] : i64, !llvm.ptr
// CHECK-NEXT:    %[[OP:.*]] = llvm.mlir.constant(1) : i64
// CHECK-NEXT:    %[[OPP:.*]] = llvm.mlir.addressof @__ruff_err_op : !llvm.ptr
// CHECK-NEXT:    llvm.store %[[OP]], %[[OPP]] : i64, !llvm.ptr
// CHECK-NEXT:    %[[LP:.*]] = llvm.mlir.addressof @__ruff_err_lhs : !llvm.ptr
// CHECK-NEXT:    llvm.store %[[A]], %[[LP]] : i64, !llvm.ptr
// CHECK-NEXT:    %[[RP:.*]] = llvm.mlir.addressof @__ruff_err_rhs : !llvm.ptr
// CHECK-NEXT:    llvm.store %[[B]], %[[RP]] : i64, !llvm.ptr
// CHECK-NEXT:    %[[LINE:.*]] = llvm.mlir.constant(7) : i64
// CHECK-NEXT:    %[[LINEP:.*]] = llvm.mlir.addressof @__ruff_err_line : !llvm.ptr
// CHECK-NEXT:    llvm.store %[[LINE]], %[[LINEP]] : i64, !llvm.ptr
// CHECK:         llvm.br ^unwind

ruff.func @sub_mul_neg(%a: i64, %b: i64) -> i64 {
  %d = ruff.isub %a, %b line 1 : i64
  %m = ruff.imul %d, %b line 2 : i64
  %n = ruff.ineg %m line 3 : i64
  ruff.return %n : i64
}

// CHECK-LABEL: llvm.func internal @ruff.sub_mul_neg$impl(
// CHECK:         llvm.call_intrinsic "llvm.ssub.with.overflow.i64"
// CHECK:         llvm.call_intrinsic "llvm.smul.with.overflow.i64"
// Negation is 0 - x, reported with operator code 6 (unary minus)
// CHECK:         %[[ZERO:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT:    llvm.call_intrinsic "llvm.ssub.with.overflow.i64"(%[[ZERO]], %{{.*}})
// CHECK:         llvm.mlir.constant(6) : i64
// CHECK-NEXT:    llvm.mlir.addressof @__ruff_err_op

ruff.func @float_ops(%x: f64, %y: f64) -> f64 {
  %fs = arith.addf %x, %y : f64
  %fp = arith.mulf %fs, %y : f64
  %fd = arith.subf %fp, %x : f64
  %fn = arith.negf %fd : f64
  ruff.return %fn : f64
}

// Plain float arithmetic cannot fail: no checks
// CHECK-LABEL: llvm.func internal @ruff.float_ops$impl(
// CHECK:         %fs = llvm.fadd %{{.*}}, %{{.*}} : f64
// CHECK-NEXT:    %fp = llvm.fmul %fs, %{{.*}} : f64
// CHECK-NEXT:    %fd = llvm.fsub %fp, %{{.*}} : f64
// CHECK-NEXT:    %fn = llvm.fneg %fd : f64
// CHECK-NEXT:    llvm.return %fn : f64
