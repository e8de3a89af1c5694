// RUN: ruff-opt %s -p lower-to-llvm | filecheck %s
// cf branches with block arguments become llvm branches (phis); arith comparisons, selects and casts map
// one to one to their llvm counterparts.

ruff.func @sum(%n: i64) -> i64 {
  %c0 = ruff.constant 0 : i64
  %c1 = ruff.constant 1 : i64
  cf.br ^loop(%c0, %c0 : i64, i64)
^loop(%i: i64, %acc: i64):
  %lt = arith.cmpi slt, %i, %n : i64
  cf.cond_br %lt, ^body, ^exit
^body:
  %acc2 = ruff.iadd %acc, %i line 4 : i64
  %i2 = ruff.iadd %i, %c1 line 4 : i64
  cf.br ^loop(%i2, %acc2 : i64, i64)
^exit:
  ruff.return %acc : i64
}

// CHECK-LABEL: llvm.func internal @ruff.sum$impl(
// CHECK:         llvm.br ^loop(%c0, %c0 : i64, i64)
// CHECK-NEXT:  ^loop(%i: i64, %acc: i64):
// CHECK-NEXT:    %lt = llvm.icmp "slt" %i, %{{.*}} : i64
// CHECK-NEXT:    llvm.cond_br %lt, ^body, ^exit
// CHECK-NEXT:  ^body:
// CHECK-NEXT:    llvm.call_intrinsic "llvm.sadd.with.overflow.i64"(%acc, %i)
// CHECK:         llvm.br ^poll(%i2, %acc2 : i64, i64)
// CHECK:       ^exit:
// CHECK-NEXT:    llvm.return %acc : i64
// The back-edge goes through the loop's poll block (see loop_poll.mlir).
// CHECK:       ^poll(%[[PI:.*]]: i64, %[[PA:.*]]: i64):
// CHECK:         llvm.cond_br %{{.*}}, ^check_interrupt, ^loop(%[[PI]], %[[PA]] : i64, i64)

ruff.func @mixed(%a: i64, %x: f64, %p: i1) -> f64 {
  %f = arith.sitofp %a : i64 to f64
  %lt = arith.cmpf olt, %f, %x : f64
  %both = arith.andi %lt, %p : i1
  %m = arith.select %both, %f, %x : f64
  %e = arith.extui %p : i1 to i64
  cf.cond_br %p, ^a(%m : f64), ^a(%x : f64)
^a(%r: f64):
  ruff.return %r : f64
}

// CHECK-LABEL: llvm.func internal @ruff.mixed$impl(
// CHECK:         %f = llvm.sitofp %{{.*}} : i64 to f64
// CHECK-NEXT:    %[[LT:.*]] = llvm.fcmp "olt" %f, %{{.*}} : f64
// CHECK-NEXT:    %both = llvm.and %[[LT]], %{{.*}} : i1
// CHECK-NEXT:    %m = llvm.select %both, %f, %{{.*}} : i1, f64
// CHECK-NEXT:    %e = llvm.zext %{{.*}} : i1 to i64
// Both successors are the same block: the first edge goes through a trampoline so each phi gets one
// value per predecessor
// CHECK-NEXT:    llvm.cond_br %{{.*}}, ^[[T:.*]], ^a(%{{.*}} : f64)
// CHECK:       ^[[T]]:
// CHECK-NEXT:    llvm.br ^a(%m : f64)
