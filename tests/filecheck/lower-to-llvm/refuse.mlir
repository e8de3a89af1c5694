// RUN: not ruff-opt %s -p lower-to-llvm 2>&1 | filecheck %s
// lower-to-llvm only takes specialized functions: boxed values and ops have no native form, and the pass
// fails naming the function and marking the op, instead of producing wrong code.

ruff.func @boxed(%a: !ruff.value) -> !ruff.value {
  ruff.return %a : !ruff.value
}
// CHECK: lower-to-llvm: signature type !ruff.value is not native (i64, f64, i1); run specialize-types,unbox-returns,extract-native before lower-to-llvm (in @boxed)
