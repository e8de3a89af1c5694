// RUN: ruff-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s
// The verifiers of the ruff dialect: each chunk is invalid IR and must be rejected with this message.

ruff.func @f() {
  %c = ruff.constant "text" : i64
  ruff.return
}
// CHECK: constant "text" cannot have type i64

// -----

ruff.func @f() {
  %c = ruff.constant 1.5 : i1
  ruff.return
}
// CHECK: constant 1.5 cannot have type i1

// -----

ruff.func @f() {
  %c = ruff.constant null : f64
  ruff.return
}
// CHECK: constant null cannot have type f64

// -----

ruff.func @f() {
  %c = ruff.constant 9223372036854775808 : i64
  ruff.return
}
// CHECK: integer constant 9223372036854775808 does not fit in i64

// -----

ruff.func @f(%a: i64) -> i64 {
  %c = ruff.constant 1.5 : f64
  ruff.return %c : f64
}
// CHECK: ruff.return returns (f64) but the function returns (i64)

// -----

ruff.func @f(%a: i64) -> i64 {
  ruff.return
}
// CHECK: ruff.return returns (nothing) but the function returns (i64)

// -----

ruff.func @f(%a: i16) {
  ruff.return
}
// CHECK: ruff.func types must be !ruff.value, i64, f64 or i1, got i16

// -----

ruff.func @f(%a: i64) attributes {param_names = ["a", "b"]} {
  ruff.return
}
// CHECK: param_names has 2 names for 1 arguments

// -----

ruff.func @f(%a: i64) -> i64 {
  %r = ruff.call_direct @missing(%a) : (i64) -> i64
  ruff.return %r : i64
}
// CHECK: '@missing' could not be found in symbol table

// -----

ruff.func @g(%a: f64) -> i64 {
  %r = ruff.call_direct @g(%a) : (f64) -> i64
  ruff.return %r : i64
}
ruff.func @f(%a: i64) -> i64 {
  %r = ruff.call_direct @g(%a) : (i64) -> i64
  ruff.return %r : i64
}
// CHECK: argument types (i64) do not match the callee's (f64)

// -----

func.func @g(%a: i64) -> i64 {
  func.return %a : i64
}
ruff.func @f(%a: i64) -> i64 {
  %r = ruff.call_direct @g(%a) : (i64) -> i64
  ruff.return %r : i64
}
// CHECK: '@g' does not reference a ruff.func

// -----

ruff.func @f(%a: f64) -> f64 {
  %r = "ruff.iadd"(%a, %a) : (f64, f64) -> f64
  ruff.return %r : f64
}
// CHECK: operand 'lhs' at position 0 does not verify:
// CHECK-NEXT: Expected attribute i64 but got f64

// -----

ruff.func @f(%k: !ruff.value) {
  %d = ruff.make_dict (%k, %k, %k)
  ruff.return
}
// CHECK: ruff.make_dict needs key/value pairs, got 3 operands

// -----

ruff.func @f(%t: !ruff.value, %x: !ruff.value) {
  %p = ruff.make_struct %t ["x", "y"](%x)
  ruff.return
}
// CHECK: 2 field names for 1 values

// -----

ruff.func @f(%x: !ruff.value) {
  %c = ruff.is_type %x "integer"
  ruff.return
}
// CHECK: unknown Ruff type name 'integer'

// -----

ruff.func @f(%x: !ruff.value) {
  ruff.define_global "x" "static", %x
  ruff.return
}
// CHECK: binding kind must be let, mut, const or var, got 'static'

// -----

func.func @f(%x: !ruff.value) {
  ruff.return %x : !ruff.value
}
// CHECK: 'ruff.return' expects parent op 'ruff.func'

// -----

ruff.func @f(%x: i32) {
  %v = ruff.box %x : i32
  ruff.return
}
// CHECK: Expected one of f64, i1, i64, but got i32
