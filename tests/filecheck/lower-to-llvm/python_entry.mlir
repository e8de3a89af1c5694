// RUN: ruff-opt %s -p lower-to-llvm | filecheck %s
// Every native function gets a METH_FASTCALL entry `$py` that CPython calls directly: it checks the argument
// count and the "stand aside" flag, reads the depth and each argument in place after an exact type guard
// (a float's value at offset 16; an int's single digit at offset 24, or the C API for bigger ones), calls
// the typed body at the caller's depth, and boxes the result. A failed guard calls self[0] (the baseline
// function that profiles), a Ruff error in native code sets the flag and calls self[1] with the same args.

ruff.func @scale(%x: f64, %k: i64) -> f64 {
  %kf = arith.sitofp %k : i64 to f64
  %r = arith.mulf %x, %kf : f64
  ruff.return %r : f64
}

// CHECK-LABEL: llvm.func @ruff.scale$py(%self: !llvm.ptr, %args: !llvm.ptr, %nargs: i64) -> !llvm.ptr
// CHECK:         %[[FOUR:.*]] = llvm.mlir.constant(4) : i64
// CHECK-NEXT:    %{{.*}} = llvm.icmp "eq" %nargs, %[[FOUR]] : i64
// CHECK:       ^miss:
// CHECK:         %[[ONMISS:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK:         llvm.call @PyObject_Vectorcall(%[[ONMISS]], %args, %nargs, %{{.*}})
// CHECK:       ^failed:
// CHECK:         llvm.call @PyObject_Vectorcall(
// CHECK:         llvm.mlir.addressof @__ruff_stand_aside_ptr
// CHECK:         llvm.mlir.addressof @PyLong_Type
// CHECK:       ^int_small:
// CHECK:       ^int_big:
// CHECK:         llvm.call @PyLong_AsLongLongAndOverflow(
// CHECK:         llvm.mlir.addressof @PyFloat_Type
// CHECK:       ^arg0_type_ok:
// CHECK-NEXT:    %[[FV:.*]] = llvm.getelementptr %{{.*}}[16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT:    %{{.*}} = llvm.load %[[FV]] : !llvm.ptr -> f64
// CHECK:         llvm.mlir.addressof @PyLong_Type
// CHECK:         %{{.*}} = llvm.call @ruff.scale$impl(%{{.*}}, %{{.*}}, %{{.*}}) : (f64, i64, i64) -> f64
// CHECK:       ^done:
// CHECK-NEXT:    %{{.*}} = llvm.call @PyFloat_FromDouble(
// CHECK:       ^native_error:
// CHECK:       ^interrupted:
// CHECK:         llvm.call @PyErr_SetNone(
// CHECK:       ^other_error:
// CHECK:         llvm.store %{{.*}}, %{{.*}} : i64, !llvm.ptr
// CHECK-NEXT:    llvm.br ^failed
// CHECK-DAG:   llvm.mlir.global external @PyFloat_Type() {addr_space = 0 : i32} : i8
// CHECK-DAG:   llvm.func @PyObject_Vectorcall(!llvm.ptr, !llvm.ptr, i64, !llvm.ptr) -> !llvm.ptr
