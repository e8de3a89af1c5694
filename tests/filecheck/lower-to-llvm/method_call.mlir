// RUN: ruff-opt %s -p 'specialize-types{arg-types="run(value)"},canonicalize,extract-native,lower-to-llvm' | filecheck %s
// ruff.is_instance, the receiver guard of a direct method call: the global V is looked up in the module's
// globals dict when the call runs (the object table's, by its interned name: no address in the code); a
// miss, or a value that is not a StructType, is false; otherwise the receiver's class (ob_type, at 8) is
// compared with the type's `cls` (its slot at 16). False deoptimizes; true calls V.get's twin directly.

builtin.module attributes {ruff.struct_methods = {get = "V"}} {
  ruff.func @V.get(%0: !ruff.value) -> !ruff.value attributes {lifted_from = "V.get", param_names = ["self"]} {
    %1 = ruff.frame_state 1(%0, %0) {slots = array<i64: 0>} : !ruff.value, !ruff.value
    %2 = ruff.field_get %0 "x" line 4 {ip = 1 : i64}
    ruff.return %2 : !ruff.value
  }
  ruff.func @run(%0: !ruff.value) -> !ruff.value attributes {lifted_from = "run", param_names = ["v"]} {
    %1 = ruff.frame_state 1(%0, %0) {slots = array<i64: 0>} : !ruff.value, !ruff.value
    %2 = ruff.call_method %0 "get"() line 9 {ip = 1 : i64}
    ruff.return %2 : !ruff.value
  }
}

// CHECK:       ruff.objects = [{{.*}}\22globals\22{{.*}}\22literal\22, \22V\22{{.*}}\22class\22, \22StructType\22{{.*}}a method's receiver is not a V{{.*}}]
// CHECK:       llvm.func internal @ruff.run__v_{{[0-9a-f]+}}$impl
// CHECK:         %[[G:.*]] = llvm.call @PyDict_GetItem(%{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr) -> !llvm.ptr
// CHECK:         llvm.cond_br %{{.*}}, ^is_instance(%{{.*}} : i1), ^global_there
// CHECK:       ^global_there:
// CHECK-NEXT:    %{{.*}} = llvm.getelementptr %[[G]][8] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK:         llvm.cond_br %{{.*}}, ^is_struct_type, ^is_instance(%{{.*}} : i1)
// CHECK:       ^is_struct_type:
// CHECK-NEXT:    %{{.*}} = llvm.getelementptr %[[V:.*]][8] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK:         %{{.*}} = llvm.getelementptr %[[G]][16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK:         llvm.br ^is_instance(%{{.*}} : i1)
// CHECK:       ^is_instance(%{{.*}}: i1):
// CHECK:         llvm.cond_br %{{.*}}, ^deopt, ^[[CALL:.*]]
// CHECK:       ^[[CALL]]:
// CHECK-NEXT:    %{{.*}} = llvm.call @ruff.V.get__v_{{[0-9a-f]+}}$impl(%[[V]], %{{.*}}) : (!llvm.ptr, i64) -> !llvm.ptr
