// RUN: ruff-opt %s -p lower-to-llvm | filecheck %s
// `x == null` answers in place for null, a built-in type, or a struct instance whose class has no op_eq
// (a Ruff method is the class attribute _m_op_eq): PyType_IsSubtype against StructInstance, and
// _PyType_Lookup finding no _m_op_eq. Anything else runs the instruction in the runtime (`ip` 3).

ruff.func @leaf(%n: !ruff.value, %depth: i64) -> !ruff.value attributes {specialized_for = ["value"], ruff.depth_arg} {
  %f = ruff.enter_frame %depth "leaf" : i64
  %null = ruff.constant null : !ruff.value
  %c = ruff.eq %n, %null line 2 {ip = 3 : i64}
  ruff.return %c : !ruff.value
}

// CHECK:       ruff.objects = [{{.*}}"[\22class\22, \22StructInstance\22]"{{.*}}"[\22literal\22, \22_m_op_eq\22]"
// CHECK:       llvm.func @ruff.leaf
// CHECK:         %{{.*}} = llvm.call @PyType_IsSubtype(%[[T:.*]], %{{.*}}) : (!llvm.ptr, !llvm.ptr) -> i32
// CHECK:         %{{.*}} = llvm.call @_PyType_Lookup(%[[T]], %{{.*}}) : (!llvm.ptr, !llvm.ptr) -> !llvm.ptr
// CHECK:         llvm.cond_br %{{.*}}, ^fast, ^runtime
// CHECK:       ^runtime:
// CHECK:         llvm.call @PyObject_Vectorcall
