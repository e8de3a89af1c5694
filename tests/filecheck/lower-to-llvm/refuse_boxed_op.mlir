// RUN: not ruff-opt %s -p lower-to-llvm 2>&1 | filecheck %s
// A boxing op left in a function whose signature is native is refused too, with the op marked.

ruff.func @unbox(%a: i64) -> i64 {
  %b = ruff.box %a : i64
  %c = ruff.unbox %b : i64
  ruff.return %c : i64
}
// CHECK: lower-to-llvm: 'ruff.box' works on boxed !ruff.value values, which have no native form (in @unbox)
// CHECK: "ruff.box"
// CHECK-NEXT: ^^^^
