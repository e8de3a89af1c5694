// RUN: ruff-opt %s -p lower-to-llvm | filecheck %s
// Each ruff.func becomes an external entry point (called from Python with the caller's Ruff depth last) and
// an internal body with that depth argument; the body checks depth and stack room on entry, passes depth + 1 to its callees,
// and after each call propagates a callee's error through the shared unwind exit.

ruff.func @fib(%n: i64) -> i64 attributes {lifted_from = "fib", param_names = ["n"]} {
  %c2 = ruff.constant 2 : i64
  %lt = arith.cmpi slt, %n, %c2 : i64
  cf.cond_br %lt, ^base, ^rec
^base:
  ruff.return %n : i64
^rec:
  %c1 = ruff.constant 1 : i64
  %a = ruff.isub %n, %c1 line 3 : i64
  %r1 = ruff.call_direct @fib(%a) : (i64) -> i64
  %b = ruff.isub %n, %c2 line 3 : i64
  %r2 = ruff.call_direct @fib(%b) : (i64) -> i64
  %s = ruff.iadd %r1, %r2 line 3 : i64
  ruff.return %s : i64
}

// CHECK-NOT:   ruff.
// CHECK-LABEL: llvm.func @ruff.fib(%n: i64, %depth: i64) -> i64 attributes {ruff.name = "fib", ruff.func_id = 0 : i64, ruff.entry} {
// CHECK-NEXT:    %[[R:.*]] = llvm.call @ruff.fib$impl(%n, %depth) : (i64, i64) -> i64
// CHECK-NEXT:    llvm.return %[[R]] : i64
// CHECK-NEXT:  }

// CHECK-LABEL: llvm.func internal @ruff.fib$impl(%{{.*}}: i64, %depth{{.*}}: i64) -> i64 attributes {ruff.name = "fib", ruff.func_id = 0 : i64} {
// CHECK-NEXT:    %[[ONE:.*]] = llvm.mlir.constant(1) : i64
// CHECK-NEXT:    %callee_depth = llvm.add %depth{{.*}}, %[[ONE]] : i64
// CHECK-NEXT:    %[[LP:.*]] = llvm.mlir.addressof @__ruff_depth_limit : !llvm.ptr
// CHECK-NEXT:    %[[L:.*]] = llvm.load %[[LP]] : !llvm.ptr -> i64
// CHECK-NEXT:    %too_deep = llvm.icmp "sgt" %callee_depth, %[[L]] : i64
// CHECK-NEXT:    %[[SP:.*]] = llvm.call_intrinsic "llvm.stacksave.p0"() : () -> !llvm.ptr
// CHECK-NEXT:    %sp = llvm.ptrtoint %[[SP]] : !llvm.ptr to i64
// CHECK-NEXT:    %[[SLP:.*]] = llvm.mlir.addressof @__ruff_stack_limit : !llvm.ptr
// CHECK-NEXT:    %[[SL:.*]] = llvm.load %[[SLP]] : !llvm.ptr -> i64
// CHECK-NEXT:    %stack_low = llvm.icmp "ult" %sp, %[[SL]] : i64
// CHECK-NEXT:    %no_room = llvm.or %too_deep, %stack_low : i1
// CHECK-NEXT:    llvm.cond_br %no_room, ^stack_overflow, ^[[CONT:.*]]
// CHECK-NEXT:  ^[[CONT]]:
// CHECK-NEXT:    llvm.br ^[[BODY:.*]](%{{.*}} : i64)

// CHECK:       ^rec:
// CHECK:         %r1 = llvm.call @ruff.fib$impl(%a, %callee_depth) : (i64, i64) -> i64
// CHECK-NEXT:    %[[KP:.*]] = llvm.mlir.addressof @__ruff_err_kind : !llvm.ptr
// CHECK-NEXT:    %[[K:.*]] = llvm.load %[[KP]] : !llvm.ptr -> i64
// CHECK-NEXT:    %[[Z:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT:    %failed = llvm.icmp "ne" %[[K]], %[[Z]] : i64
// CHECK-NEXT:    llvm.cond_br %failed, ^unwind, ^{{.*}}

// CHECK:         %r2 = llvm.call @ruff.fib$impl(%b, %callee_depth) : (i64, i64) -> i64

// CHECK:       ^stack_overflow:
// CHECK-NEXT:    %[[SO:.*]] = llvm.mlir.constant(4) : i64
// CHECK-NEXT:    %[[SOP:.*]] = llvm.mlir.addressof @__ruff_err_kind : !llvm.ptr
// CHECK-NEXT:    llvm.store %[[SO]], %[[SOP]] : i64, !llvm.ptr

ruff.func @caller(%x: f64, %flag: i1) -> f64 {
  %r = ruff.call_direct @callee(%x) : (f64) -> f64
  ruff.call_direct @nothing(%flag) : (i1) -> ()
  ruff.return %r : f64
}
ruff.func @callee(%x: f64) -> f64 {
  ruff.return %x : f64
}
ruff.func @nothing(%b: i1) {
  ruff.return
}

// CHECK-LABEL: llvm.func internal @ruff.caller$impl(
// CHECK:         %[[CD:callee_depth.*]] = llvm.add %depth{{.*}}, %{{.*}} : i64
// CHECK:         %r = llvm.call @ruff.callee$impl(%{{.*}}, %[[CD]]) : (f64, i64) -> f64
// CHECK:         llvm.call @ruff.nothing$impl(%{{.*}}, %[[CD]]) : (i1, i64) -> ()
// CHECK:       ^unwind{{.*}}:
// CHECK-NEXT:    %[[FZ:.*]] = llvm.mlir.constant(0.000000e+00 : f64) : f64
// CHECK-NEXT:    llvm.return %[[FZ]] : f64

// CHECK-LABEL: llvm.func @ruff.nothing(%{{.*}}: i1, %{{.*}}: i64) attributes {ruff.name = "nothing", ruff.func_id = 3 : i64, ruff.entry} {
// CHECK:         llvm.call @ruff.nothing$impl(%{{.*}}, %{{.*}}) : (i1, i64) -> ()
// CHECK-NEXT:    llvm.return
