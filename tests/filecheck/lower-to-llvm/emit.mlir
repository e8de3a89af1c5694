// RUN: ruff-opt %s -p lower-to-llvm --emit llvm-ir | filecheck %s --check-prefix=IR
// RUN: ruff-opt %s -p lower-to-llvm --emit llvm-ir-opt | filecheck %s --check-prefix=OPT
// RUN: ruff-opt %s -p lower-to-llvm --emit asm | filecheck %s --check-prefix=ASM
// RUN: ruff-opt %s -p lower-to-llvm -t llvm | filecheck %s --check-prefix=IR
// ruff-opt can print the LLVM IR of the lowered module and the host assembly LLVM makes of it.

ruff.func @add(%a: i64, %b: i64) -> i64 {
  %r = ruff.iadd %a, %b line 7 : i64
  ruff.return %r : i64
}

// IR: @"__ruff_err_kind" = global i64 0
// IR: define i64 @"ruff.add"(i64 %".1", i64 %".2", i64 %".3")
// IR: define internal i64 @"ruff.add$impl"(i64 %".1", i64 %".2", i64 %".3")
// IR: call {i64, i1} @"llvm.sadd.with.overflow.i64"(i64
// IR: store i64 7, {{.*}} @"__ruff_err_line"

// OPT: define i64 @ruff.add(i64 %.1, i64 %.2, i64 %.3)
// OPT: call { i64, i1 } @llvm.sadd.with.overflow.i64

// ASM: ruff.add:
