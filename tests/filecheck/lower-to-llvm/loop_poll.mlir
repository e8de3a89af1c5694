// RUN: ruff-opt %s -p lower-to-llvm | filecheck %s
// A loop's back-edge goes through a poll block: a counter in a stack slot (a register after LLVM's
// mem2reg) counts down, and once every POLL_INTERVAL iterations the loop lets go of the GIL and reads the
// interrupt flag, so Ctrl-C can stop native code. Forward edges branch directly.

ruff.func @count(%n: i64) -> i64 {
  %zero = ruff.constant 0 : i64
  cf.br ^head(%zero : i64)
^head(%i: i64):
  %more = arith.cmpi slt, %i, %n : i64
  cf.cond_br %more, ^body, ^done
^body:
  %one = ruff.constant 1 : i64
  %next = ruff.iadd %i, %one line 4 : i64
  cf.br ^head(%next : i64)
^done:
  ruff.return %i : i64
}

// CHECK-LABEL: llvm.func internal @ruff.count$impl(
// CHECK:         %[[SLOT:.*]] = llvm.alloca %{{.*}} x i64
// CHECK-NEXT:    %[[START:.*]] = llvm.mlir.constant(65536) : i64
// CHECK-NEXT:    llvm.store %[[START]], %[[SLOT]]
// CHECK:         llvm.br ^head(%{{.*}} : i64)
// CHECK:       ^{{.*}}:
// CHECK:         llvm.br ^poll(%{{.*}} : i64)
// CHECK:       ^poll(%[[I:.*]]: i64):
// CHECK-NEXT:    %[[LEFT:.*]] = llvm.load %[[SLOT]] : !llvm.ptr -> i64
// CHECK:         llvm.cond_br %{{.*}}, ^check_interrupt, ^head(%[[I]] : i64)
// CHECK:       ^check_interrupt:
// CHECK:         %[[TS:.*]] = llvm.call @PyEval_SaveThread() : () -> !llvm.ptr
// CHECK-NEXT:    llvm.call @PyEval_RestoreThread(%[[TS]]) : (!llvm.ptr) -> ()
// CHECK:         llvm.mlir.addressof @__ruff_interrupt_ptr
// CHECK:       ^read_interrupt:
// CHECK:         llvm.cond_br %{{.*}}, ^interrupted, ^{{.*}}
// CHECK:       ^interrupted:
// CHECK-NEXT:    %[[KIND:.*]] = llvm.mlir.constant(5) : i64
// CHECK-DAG:   llvm.func @PyEval_SaveThread() -> !llvm.ptr
// CHECK-DAG:   llvm.func @PyEval_RestoreThread(!llvm.ptr)
