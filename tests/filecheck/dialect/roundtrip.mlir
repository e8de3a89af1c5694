// RUN: ruff-opt %s | ruff-opt | filecheck %s
// RUN: ruff-opt %s --print-op-generic | ruff-opt | filecheck %s
// RUN: ruff-opt %s > %t.1.mlir && ruff-opt %t.1.mlir > %t.2.mlir && diff %t.1.mlir %t.2.mlir
// Every op of the ruff dialect prints in its custom syntax and parses back to the same text.

ruff.func @fib(%n: !ruff.value) -> !ruff.value attributes {lifted_from = "fib", param_names = ["n"]} {
  %c2 = ruff.constant 2 : !ruff.value
  %lt = ruff.lt %n, %c2 line 2
  %t = ruff.truthy %lt
  cf.cond_br %t, ^base, ^rec
^base:
  ruff.return %n : !ruff.value
^rec:
  %f = ruff.load_global "fib" line 3
  %c1 = ruff.constant 1 : !ruff.value
  %a = ruff.sub %n, %c1 line 3
  %r1 = ruff.call %f(%a) line 3
  %s = ruff.add %r1, %r1 line 3
  ruff.return %s : !ruff.value
}

// CHECK-LABEL: ruff.func @fib(%n: !ruff.value) -> !ruff.value attributes {lifted_from = "fib", param_names = ["n"]} {
// CHECK-NEXT:    %c2 = ruff.constant 2 : !ruff.value
// CHECK-NEXT:    %lt = ruff.lt %n, %c2 line 2
// CHECK-NEXT:    %t = ruff.truthy %lt
// CHECK-NEXT:    cf.cond_br %t, ^base, ^rec
// CHECK:         %f = ruff.load_global "fib" line 3
// CHECK:         %a = ruff.sub %n, %c1 line 3
// CHECK-NEXT:    %r1 = ruff.call %f(%a) line 3
// CHECK-NEXT:    %s = ruff.add %r1, %r1 line 3
// CHECK-NEXT:    ruff.return %s : !ruff.value

ruff.func @constants() {
  %i = ruff.constant -9223372036854775808 : !ruff.value
  %f = ruff.constant 0.1 : !ruff.value
  %big = ruff.constant 1.0e+100 : f64
  %neg0 = ruff.constant -0.0 : f64
  %inf = ruff.constant -inf : f64
  %nan = ruff.constant nan : f64
  %s = ruff.constant "a \"quoted\"\n line" : !ruff.value
  %null = ruff.constant null : !ruff.value
  %t = ruff.constant true : !ruff.value
  %b = ruff.constant false : i1
  %x = ruff.constant 42 : i64
  ruff.return
}

// CHECK-LABEL: ruff.func @constants() {
// CHECK-NEXT:    %i = ruff.constant -9223372036854775808 : !ruff.value
// CHECK-NEXT:    %f = ruff.constant 0.1 : !ruff.value
// CHECK-NEXT:    %big = ruff.constant 1.0e+100 : f64
// CHECK-NEXT:    %neg0 = ruff.constant -0.0 : f64
// CHECK-NEXT:    %inf = ruff.constant -inf : f64
// CHECK-NEXT:    %nan = ruff.constant nan : f64
// CHECK-NEXT:    %s = ruff.constant "a \22quoted\22\0A line" : !ruff.value
// CHECK-NEXT:    %null = ruff.constant null : !ruff.value
// CHECK-NEXT:    %t = ruff.constant true : !ruff.value
// CHECK-NEXT:    %b = ruff.constant false : i1
// CHECK-NEXT:    %x = ruff.constant 42 : i64
// CHECK-NEXT:    ruff.return

ruff.func @boxed_ops(%a: !ruff.value, %b: !ruff.value) -> !ruff.value {
  %0 = ruff.add %a, %b
  %1 = ruff.sub %a, %b line 1
  %2 = ruff.mul %a, %b line 2
  %3 = ruff.div %a, %b line 3
  %4 = ruff.mod %a, %b line 4
  %5 = ruff.neg %a line 5
  %6 = ruff.not %a
  %7 = ruff.eq %a, %b
  %8 = ruff.ne %a, %b
  %9 = ruff.lt %a, %b
  %10 = ruff.le %a, %b
  %11 = ruff.gt %a, %b
  %12 = ruff.ge %a, %b line 12
  %13 = ruff.truthy %12
  %14 = ruff.is_null %a
  ruff.return %0 : !ruff.value
}

// CHECK-LABEL: ruff.func @boxed_ops
// CHECK-NEXT:    %0 = ruff.add %a, %b
// CHECK-NEXT:    %1 = ruff.sub %a, %b line 1
// CHECK-NEXT:    %2 = ruff.mul %a, %b line 2
// CHECK-NEXT:    %3 = ruff.div %a, %b line 3
// CHECK-NEXT:    %4 = ruff.mod %a, %b line 4
// CHECK-NEXT:    %5 = ruff.neg %a line 5
// CHECK-NEXT:    %6 = ruff.not %a
// CHECK-NEXT:    %7 = ruff.eq %a, %b
// CHECK-NEXT:    %8 = ruff.ne %a, %b
// CHECK-NEXT:    %9 = ruff.lt %a, %b
// CHECK-NEXT:    %10 = ruff.le %a, %b
// CHECK-NEXT:    %11 = ruff.gt %a, %b
// CHECK-NEXT:    %12 = ruff.ge %a, %b line 12
// CHECK-NEXT:    %13 = ruff.truthy %12
// CHECK-NEXT:    %14 = ruff.is_null %a

ruff.func @native(%x: !ruff.value, %y: i64, %z: f64) -> i64 {
  %0 = ruff.iadd %y, %y line 4 : i64
  %1 = ruff.isub %0, %y : i64
  %2 = ruff.imul %1, %y line 5 : i64
  %3 = ruff.idiv %2, %y line 6 : i64
  %4 = ruff.imod %3, %y line 7 : i64
  %5 = ruff.ineg %4 line 8 : i64
  %6 = ruff.fdiv %z, %z line 9 : f64
  %7 = ruff.fmod %6, %z : f64
  %8 = ruff.box %5 : i64
  %9 = ruff.unbox %x : f64
  %10 = ruff.is_type %x "int"
  ruff.guard_type %x "float"
  %11 = ruff.call_direct @native(%8, %5, %9) : (!ruff.value, i64, f64) -> i64
  ruff.return %11 : i64
}

// CHECK-LABEL: ruff.func @native
// CHECK-NEXT:    %0 = ruff.iadd %y, %y line 4 : i64
// CHECK-NEXT:    %1 = ruff.isub %0, %y : i64
// CHECK-NEXT:    %2 = ruff.imul %1, %y line 5 : i64
// CHECK-NEXT:    %3 = ruff.idiv %2, %y line 6 : i64
// CHECK-NEXT:    %4 = ruff.imod %3, %y line 7 : i64
// CHECK-NEXT:    %5 = ruff.ineg %4 line 8 : i64
// CHECK-NEXT:    %6 = ruff.fdiv %z, %z line 9 : f64
// CHECK-NEXT:    %7 = ruff.fmod %6, %z : f64
// CHECK-NEXT:    %8 = ruff.box %5 : i64
// CHECK-NEXT:    %9 = ruff.unbox %x : f64
// CHECK-NEXT:    %10 = ruff.is_type %x "int"
// CHECK-NEXT:    ruff.guard_type %x "float"
// CHECK-NEXT:    %11 = ruff.call_direct @native(%8, %5, %9) : (!ruff.value, i64, f64) -> i64

ruff.func @objects(%x: !ruff.value, %k: !ruff.value) -> !ruff.value {
  %arr = ruff.make_array [%x, %k]
  %empty = ruff.make_array []
  %d = ruff.make_dict (%k, %x) line 3
  %e = ruff.index_get %arr[%k] line 5
  ruff.index_set %arr[%k], %x line 6
  %f = ruff.field_get %x "name" line 7
  %fo = ruff.field_get_opt %x "name"
  ruff.field_set %x "name", %f
  %m = ruff.call_method %arr "push"(%x, %k) line 8
  %b = ruff.builtin_call "len"(%arr)
  %cs = ruff.call_spread %x, %arr line 9
  ruff.spread_array %arr, %x line 10
  ruff.array_push %arr, %x
  ruff.spread_dict %d, %x
  ruff.dict_insert %d, %k, %x
  %str = ruff.build_string (%k, %x)
  %sd = ruff.make_struct_def "Point"(%x) info 2
  %p = ruff.make_struct %sd ["x", "y"](%x, %k) line 11
  %ed = ruff.make_enum_def "Shape" info 7
  %ok = ruff.make_ok %x
  %err = ruff.make_err %x
  %some = ruff.make_some %x
  %none = ruff.make_none
  %fail = ruff.is_fail %ok
  %inner = ruff.unwrap %ok line 12
  %matched, %b0, %b1 = ruff.match_pattern %x pattern 5 : !ruff.value, !ruff.value
  %matched2 = ruff.match_pattern %x pattern 6
  %it = ruff.make_iterator %arr line 13
  %has, %item = ruff.iterator_next %it
  ruff.return %p : !ruff.value
}

// CHECK-LABEL: ruff.func @objects
// CHECK-NEXT:    %arr = ruff.make_array [%x, %k]
// CHECK-NEXT:    %empty = ruff.make_array []
// CHECK-NEXT:    %d = ruff.make_dict (%k, %x) line 3
// CHECK-NEXT:    %e = ruff.index_get %arr[%k] line 5
// CHECK-NEXT:    ruff.index_set %arr[%k], %x line 6
// CHECK-NEXT:    %f = ruff.field_get %x "name" line 7
// CHECK-NEXT:    %fo = ruff.field_get_opt %x "name"
// CHECK-NEXT:    ruff.field_set %x "name", %f
// CHECK-NEXT:    %m = ruff.call_method %arr "push"(%x, %k) line 8
// CHECK-NEXT:    %b = ruff.builtin_call "len"(%arr)
// CHECK-NEXT:    %cs = ruff.call_spread %x, %arr line 9
// CHECK-NEXT:    ruff.spread_array %arr, %x line 10
// CHECK-NEXT:    ruff.array_push %arr, %x
// CHECK-NEXT:    ruff.spread_dict %d, %x
// CHECK-NEXT:    ruff.dict_insert %d, %k, %x
// CHECK-NEXT:    %str = ruff.build_string (%k, %x)
// CHECK-NEXT:    %sd = ruff.make_struct_def "Point"(%x) info 2
// CHECK-NEXT:    %p = ruff.make_struct %sd ["x", "y"](%x, %k) line 11
// CHECK-NEXT:    %ed = ruff.make_enum_def "Shape" info 7
// CHECK-NEXT:    %ok = ruff.make_ok %x
// CHECK-NEXT:    %err = ruff.make_err %x
// CHECK-NEXT:    %some = ruff.make_some %x
// CHECK-NEXT:    %none = ruff.make_none
// CHECK-NEXT:    %fail = ruff.is_fail %ok
// CHECK-NEXT:    %inner = ruff.unwrap %ok line 12
// CHECK-NEXT:    %matched, %b0, %b1 = ruff.match_pattern %x pattern 5 : !ruff.value, !ruff.value
// CHECK-NEXT:    %matched2 = ruff.match_pattern %x pattern 6
// CHECK-NEXT:    %it = ruff.make_iterator %arr line 13
// CHECK-NEXT:    %has, %item = ruff.iterator_next %it

ruff.func @variables(%x: !ruff.value) {
  %g = ruff.load_global "g"
  ruff.store_global "g", %x line 2
  ruff.define_global "h" "const", %x
  %cell = ruff.make_cell
  ruff.cell_set %cell, %x
  %v = ruff.cell_get %cell
  %u = ruff.load_upvalue 0
  ruff.store_upvalue 1, %u
  %clo = ruff.make_closure "inner"(%cell) chunk 3
  %clo0 = ruff.make_closure "other"() chunk 4
  ruff.throw %v line 9
}

// CHECK-LABEL: ruff.func @variables
// CHECK-NEXT:    %g = ruff.load_global "g"
// CHECK-NEXT:    ruff.store_global "g", %x line 2
// CHECK-NEXT:    ruff.define_global "h" "const", %x
// CHECK-NEXT:    %cell = ruff.make_cell
// CHECK-NEXT:    ruff.cell_set %cell, %x
// CHECK-NEXT:    %v = ruff.cell_get %cell
// CHECK-NEXT:    %u = ruff.load_upvalue 0
// CHECK-NEXT:    ruff.store_upvalue 1, %u
// CHECK-NEXT:    %clo = ruff.make_closure "inner"(%cell) chunk 3
// CHECK-NEXT:    %clo0 = ruff.make_closure "other"() chunk 4
// CHECK-NEXT:    ruff.throw %v line 9
