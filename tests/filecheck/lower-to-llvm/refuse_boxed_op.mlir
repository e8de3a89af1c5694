// RUN: not ruff-opt %s -p lower-to-llvm 2>&1 | filecheck %s
// A boxed op with no native lowering runs its bytecode instruction in the runtime, which needs the `ip`
// the lifter records; IR written by hand without one is refused, with the op marked.

ruff.func @add(%a: !ruff.value, %b: !ruff.value) -> !ruff.value attributes {specialized_for = ["value", "value"]} {
  %c = ruff.add %a, %b line 2
  ruff.return %c : !ruff.value
}
// CHECK: lower-to-llvm: 'ruff.add' has no native lowering and no bytecode position to run it at (in @add)
// CHECK: ruff.add
// CHECK-NEXT: ^^^^
