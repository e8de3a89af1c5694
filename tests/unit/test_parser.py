import sys

import pytest

from ruff.diagnostics import RuffSyntaxError
from ruff.frontend import ast as A
from ruff.frontend.parser import parse


def stmts(src):
    return parse(src, "t.ruff").stmts


def stmt(src):
    (only,) = stmts(src)
    return only


def expr(src):
    node = stmt(src)
    assert isinstance(node, A.ExprStmt)
    return node.expr


def value(src):
    """The right-hand side of `v := <src>`."""
    node = stmt("v := " + src)
    assert isinstance(node, A.Assign)
    return node.value


def parse_error(src):
    with pytest.raises(RuffSyntaxError) as info:
        parse(src, "t.ruff")
    err = info.value
    assert err.kind == "parse"
    return err.message, err.line, err.col


N = A.Name
I = A.IntLit
S = A.StrLit


def call(name, *args):
    return A.Call(N(name), list(args))


def block(*stmts):
    return A.Block(list(stmts))


# ----------------------------------------------------------------------------- expressions


def test_literals():
    assert value("42") == I(42)
    assert value("1.5") == A.FloatLit(1.5)
    assert value('"hi"') == S("hi")
    assert value("'hi'") == S("hi")
    assert value("true") == A.BoolLit(True)
    assert value("false") == A.BoolLit(False)
    assert value("null") == A.NullLit()


def test_precedence_of_binary_operators():
    assert value("1 + 2 * 3") == A.Binary("+", I(1), A.Binary("*", I(2), I(3)))
    assert value("1 - 2 - 3") == A.Binary("-", A.Binary("-", I(1), I(2)), I(3))
    assert value("a < b == c > d") == A.Binary("==", A.Binary("<", N("a"), N("b")), A.Binary(">", N("c"), N("d")))
    assert value("a || b && c") == A.Logical("||", N("a"), A.Logical("&&", N("b"), N("c")))
    assert value("a ?? b || c") == A.Logical("??", N("a"), A.Logical("||", N("b"), N("c")))
    assert value("a |> f ?? g") == A.Pipe(N("a"), A.Logical("??", N("f"), N("g")))
    assert value("a % b / c") == A.Binary("/", A.Binary("%", N("a"), N("b")), N("c"))
    assert value("(1 + 2) * 3") == A.Binary("*", A.Binary("+", I(1), I(2)), I(3))


def test_unary_and_await():
    assert value("-x * 2") == A.Binary("*", A.Unary("-", N("x")), I(2))
    assert value("!!ok") == A.Unary("!", A.Unary("!", N("ok")))
    assert value("-f(x)") == A.Unary("-", call("f", N("x")))
    assert value("await fetch(u) + 1") == A.Binary("+", A.Await(call("fetch", N("u"))), I(1))


def test_i64_min_literal():
    assert value("-9223372036854775808") == I(-(2**63))
    with pytest.raises(RuffSyntaxError) as info:
        parse("v := 1 - 9223372036854775808")
    assert (info.value.kind, info.value.message) == ("lex", "Numeric literal overflow: 9223372036854775808")


def test_postfix_chain():
    assert value("a.b[1](2).m(3)?") == A.TryUnwrap(
        A.MethodCall(A.Call(A.Index(A.Field(N("a"), "b"), I(1)), [I(2)]), "m", [I(3)])
    )
    assert value("a?.b") == A.Field(N("a"), "b", optional=True)
    assert value("a?.m(1)") == A.MethodCall(N("a"), "m", [I(1)], optional=True)
    assert value("x.test") == A.Field(N("x"), "test")


def test_calls_with_spread_and_trailing_comma():
    assert value("f(a, ...rest, b,)") == call("f", N("a"), A.Spread(N("rest")), N("b"))
    assert value("f()") == call("f")


def test_pipe():
    assert value("xs |> map(f) |> sum") == A.Pipe(A.Pipe(N("xs"), call("map", N("f"))), N("sum"))


def test_arrays_and_dicts():
    assert value("[1, ...xs, 2,]") == A.ArrayLit([I(1), A.Spread(N("xs")), I(2)])
    assert value("[]") == A.ArrayLit([])
    assert value('{"a": 1, b: 2, 3: c, ...d}') == A.DictLit(
        [A.DictEntry(S("a"), I(1)), A.DictEntry(S("b"), I(2)), A.DictEntry(I(3), N("c")), A.Spread(N("d"))]
    )
    assert value("{}") == A.DictLit([])
    assert value("{from: 1}") == A.DictLit([A.DictEntry(S("from"), I(1))])


def test_enum_paths_and_constructors():
    assert value("Result::Ok(5)") == A.Call(A.EnumPath("Result", "Ok"), [I(5)])
    assert value("Shape::Empty") == A.EnumPath("Shape", "Empty")
    assert value("Ok(1)") == call("Ok", I(1))
    assert value("None") == N("None")


def test_struct_literals():
    assert value("P { x: 1, y: 2 }") == A.StructLit("P", [("x", I(1)), ("y", I(2))])
    assert value("P {}") == A.StructLit("P", [])
    assert value("geo.P { x: 1 }") == A.StructLit("geo.P", [("x", I(1))])
    assert value("P {\n  x: 1,\n  y: P { x: 2 },\n}") == A.StructLit(
        "P", [("x", I(1)), ("y", A.StructLit("P", [("x", I(2))]))]
    )


def test_brace_after_name_in_a_condition_opens_the_body():
    node = stmt("if ok { x: int := 1 }")
    assert node == A.If(N("ok"), block(A.Assign(N("x"), ":=", I(1), "int")))
    assert stmt("while ok {}") == A.While(N("ok"), block())
    assert stmt("for a in items {}") == A.For(A.PatBind("a"), N("items"), block())
    assert stmt("match v {}") == A.Match(N("v"), [])
    node = stmt("if f(P { x: 1 }) { }")
    assert node.cond == call("f", A.StructLit("P", [("x", I(1))]))
    assert stmt("if (P {}) == p {}").cond == A.Binary("==", A.StructLit("P", []), N("p"))


def test_functions():
    node = value("func(x, y = 2) { return x + y }")
    assert node == A.FuncExpr(
        [A.Param("x"), A.Param("y", default=I(2))], block(A.Return(A.Binary("+", N("x"), N("y"))))
    )
    assert value("async func() { }") == A.FuncExpr([], block(), is_async=True)
    assert value("func*() { yield 1 }") == A.FuncExpr([], block(A.ExprStmt(A.Yield(I(1)))), is_generator=True)


def test_interpolated_strings():
    node = value('"a ${x + 1} b ${ {"k": 1}["k"] }"')
    assert node == A.InterpString(
        ["a ", A.Binary("+", N("x"), I(1)), " b ", A.Index(A.DictLit([A.DictEntry(S("k"), I(1))]), S("k"))]
    )
    assert value('"${"${n}!"}"') == A.InterpString([A.InterpString([N("n"), "!"])])


def test_interpolation_subexpressions_keep_their_source_positions():
    node = value('"ab ${foo + bar}"')
    binary = node.parts[1]
    assert (binary.span.line, binary.span.col) == (1, 12)
    assert (binary.right.span.line, binary.right.span.col) == (1, 18)
    assert parse_error('v := "${1 +}"') == ("Expected expression, found '}'", 1, 12)
    assert parse_error('v := "${a b}"') == ("Expected '}' to close interpolation, found 'b'", 1, 11)


def test_spawn_yield_throw_as_expressions():
    assert expr("spawn { f() }") == A.Spawn(block(A.ExprStmt(call("f"))))
    assert expr('throw("bad")') == A.Throw(S("bad"))
    assert expr("throw Err(1)") == A.Throw(call("Err", I(1)))
    (gen,) = stmts("func* g() {\n yield\n yield 2\n}")
    assert gen.func.body.stmts == [A.ExprStmt(A.Yield(None)), A.ExprStmt(A.Yield(I(2)))]


# ----------------------------------------------------------------------------- statements


def test_bindings():
    assert stmt("let x := 1") == A.Let("let", A.PatBind("x"), I(1))
    assert stmt("mut x: int := 1") == A.Let("mut", A.PatBind("x"), I(1), "int")
    assert stmt("const K = 3") == A.Let("const", A.PatBind("K"), I(3))
    assert stmt("let [a, ...rest] := xs") == A.Let("let", A.PatArray([A.PatBind("a")], "rest"), N("xs"))
    assert stmt("let {a, b} := d") == A.Let("let", A.PatDict(["a", "b"]), N("d"))
    assert stmt("let t: Result<int, string>? := f()").type_ann == "Result<int, string>?"
    assert stmt("let xs: int[] := []").type_ann == "int[]"


def test_assignments():
    assert stmt("x := 1") == A.Assign(N("x"), ":=", I(1))
    assert stmt("x = 1") == A.Assign(N("x"), "=", I(1))
    assert stmt("x: float := 5") == A.Assign(N("x"), ":=", I(5), "float")
    for op in ("+=", "-=", "*=", "/=", "%="):
        assert stmt(f"x {op} 2") == A.Assign(N("x"), op, I(2))
    assert stmt("p.x := 1") == A.Assign(A.Field(N("p"), "x"), ":=", I(1))
    assert stmt("g[1][0] := 7") == A.Assign(A.Index(A.Index(N("g"), I(1)), I(0)), ":=", I(7))
    assert stmt("todos[0].done := true") == A.Assign(A.Field(A.Index(N("todos"), I(0)), "done"), ":=", A.BoolLit(True))


def test_destructuring_assignments():
    assert stmt("[a, b] := arr") == A.Assign(A.PatArray([A.PatBind("a"), A.PatBind("b")]), ":=", N("arr"))
    assert stmt("{a, b} := d") == A.Assign(A.PatDict(["a", "b"]), ":=", N("d"))
    assert stmt("[[a, _], ...] := m") == A.Assign(
        A.PatArray([A.PatArray([A.PatBind("a"), A.PatWildcard()])], ""), ":=", N("m")
    )
    # Not followed by `:=`, a bracket starts an expression statement.
    assert stmt("[1, 2].len()") == A.ExprStmt(A.MethodCall(A.ArrayLit([I(1), I(2)]), "len", []))


def test_bracket_on_a_new_line_starts_a_new_statement():
    assert stmts("x := ys\n[a, b] := x") == [
        A.Assign(N("x"), ":=", N("ys")),
        A.Assign(A.PatArray([A.PatBind("a"), A.PatBind("b")]), ":=", N("x")),
    ]
    assert stmts("f\n(1)") == [A.ExprStmt(N("f")), A.ExprStmt(I(1))]
    assert stmts("a\n.b") == [A.ExprStmt(A.Field(N("a"), "b"))]
    assert stmts("a +\n b") == [A.ExprStmt(A.Binary("+", N("a"), N("b")))]


def test_statement_separators():
    assert stmts("a; b;; c\nd") == [A.ExprStmt(N(n)) for n in "abcd"]
    assert len(stmts("if a { } f()")) == 2
    assert parse_error("x := 1 y := 2") == ("Expected newline or ';' after statement, found 'y'", 1, 8)


def test_invalid_and_chained_assignment():
    assert parse_error("f() := 1") == ("Invalid assignment target", 1, 1)
    assert parse_error("1 = 2") == ("Invalid assignment target", 1, 1)
    assert parse_error("a?.b := 1") == ("Invalid assignment target", 1, 1)
    assert parse_error("a := b := 1")[1:] == (1, 8)
    assert parse_error("a := b := 1")[0].startswith("Chained assignment is not supported")
    assert parse_error("a += b = 1")[1:] == (1, 8)


def test_if_else_chain():
    node = stmt("if a { x } else if b { y } else { z }")
    assert node == A.If(
        N("a"), block(A.ExprStmt(N("x"))), A.If(N("b"), block(A.ExprStmt(N("y"))), block(A.ExprStmt(N("z"))))
    )
    assert stmt("if a {\n}\nelse {\n}") == A.If(N("a"), block(), block())


def test_loops():
    assert stmt("while i < 3 { i += 1 }") == A.While(A.Binary("<", N("i"), I(3)), block(A.Assign(N("i"), "+=", I(1))))
    assert stmt("loop { break }") == A.Loop(block(A.Break()))
    assert stmt("loop while go { continue }") == A.While(N("go"), block(A.Continue()))
    assert stmt("for x in range(3) { }") == A.For(A.PatBind("x"), call("range", I(3)), block())
    assert stmt("for [k, v] in pairs { }") == A.For(A.PatArray([A.PatBind("k"), A.PatBind("v")]), N("pairs"), block())
    assert stmt("for _ in xs { }").target == A.PatBind("_")


def test_return():
    (fn,) = stmts("func f() {\n  return\n}")
    assert fn.func.body.stmts == [A.Return(None)]
    (fn,) = stmts("func f() { return }")
    assert fn.func.body.stmts == [A.Return(None)]
    (fn,) = stmts("func f() { return a }")
    assert fn.func.body.stmts == [A.Return(N("a"))]
    (fn,) = stmts("func f() { return; g() }")
    assert fn.func.body.stmts == [A.Return(None), A.ExprStmt(call("g"))]


def test_function_declarations():
    node = stmt("func add(a, b: int, c = 3) -> int { return a }")
    assert node == A.FuncDecl(
        "add",
        A.FuncExpr(
            [A.Param("a"), A.Param("b", "int"), A.Param("c", default=I(3))],
            block(A.Return(N("a"))),
            name="add",
            return_type="int",
        ),
    )
    gen = stmt("func* gen() { yield 1 }")
    assert gen.func.is_generator and gen.name == "gen"
    assert stmt("func *gen() { }").func.is_generator
    task = stmt("async func task() { await sleep(1) }")
    assert task.func.is_async and task.func.body.stmts == [A.ExprStmt(A.Await(call("sleep", I(1))))]
    assert stmt("func(x) { }\n") == A.ExprStmt(A.FuncExpr([A.Param("x")], block()))


def test_struct_declaration():
    src = """struct P {
        x: float, y = 0
        z
        func m(self, k) { return k }
        async func n() { },
    }"""
    node = stmt(src)
    assert node.name == "P"
    assert node.fields == [A.StructField("x", "float"), A.StructField("y", default=I(0)), A.StructField("z")]
    assert [m.name for m in node.methods] == ["m", "n"]
    assert node.methods[0].func.params == [A.Param("self"), A.Param("k")]
    assert node.methods[1].func.is_async
    assert parse_error("struct P { x y }") == ("Expected ',' or newline after struct field, found 'y'", 1, 14)


def test_enum_declaration():
    node = stmt("enum Shape {\n Circle(r), Rect(w: float, h: float)\n Empty\n}")
    assert node == A.EnumDecl(
        "Shape",
        [
            A.EnumVariantDecl("Circle", ["r"], True),
            A.EnumVariantDecl("Rect", ["w", "h"], True),
            A.EnumVariantDecl("Empty", [], False),
        ],
    )


def test_match_cases_and_patterns():
    src = """match v {
        case 1: { a }
        case -2.5 { }
        case "s": { }
        case true: { }
        case null: { }
        case Ok(x) if x > 0: { }
        case Some(x) { }
        case None: { }
        case Err(e) { }
        case Shape::Circle(r) { }
        case Shape::Empty { }
        case [a, b, ...rest] { }
        case {a, b} { }
        case Ok([x, _]) => { }
        case n: return n
        case _ { }
    }"""
    node = stmt(src)
    assert node.subject == N("v")
    pats = [c.pattern for c in node.cases]
    assert pats == [
        A.PatLiteral(I(1)),
        A.PatLiteral(A.Unary("-", A.FloatLit(2.5))),
        A.PatLiteral(S("s")),
        A.PatLiteral(A.BoolLit(True)),
        A.PatLiteral(A.NullLit()),
        A.PatVariant(None, "Ok", [A.PatBind("x")], True),
        A.PatVariant(None, "Some", [A.PatBind("x")], True),
        A.PatVariant(None, "None", [], False),
        A.PatVariant(None, "Err", [A.PatBind("e")], True),
        A.PatVariant("Shape", "Circle", [A.PatBind("r")], True),
        A.PatVariant("Shape", "Empty", [], False),
        A.PatArray([A.PatBind("a"), A.PatBind("b")], "rest"),
        A.PatDict(["a", "b"]),
        A.PatVariant(None, "Ok", [A.PatArray([A.PatBind("x"), A.PatWildcard()])], True),
        A.PatBind("n"),
        A.PatWildcard(),
    ]
    assert node.cases[0].body == block(A.ExprStmt(N("a")))
    assert node.cases[5].guard == A.Binary(">", N("x"), I(0))
    assert node.cases[14].body == block(A.Return(N("n")))
    assert all(c.guard is None for i, c in enumerate(node.cases) if i != 5)


def test_match_default_and_one_line_cases():
    node = stmt("match v { case 1: return 1 case _: return 2 }")
    assert [c.body for c in node.cases] == [block(A.Return(I(1))), block(A.Return(I(2)))]
    node = stmt("match v {\n default: { }\n}")
    assert node.cases == [A.MatchCase(A.PatWildcard(), None, block())]


def test_try_except():
    assert stmt("try { f() } except e { g(e) }") == A.Try(block(A.ExprStmt(call("f"))), "e", block(A.ExprStmt(call("g", N("e")))))
    assert stmt("try { } except { }") == A.Try(block(), None, block())
    assert stmt('throw("x")') == A.ExprStmt(A.Throw(S("x")))


def test_imports():
    assert stmt("import math") == A.Import("math")
    assert stmt("import a.b as c") == A.Import("a.b", "c")
    assert stmt("from a.b import x, y") == A.FromImport("a.b", ["x", "y"])
    assert parse_error("from ..a import x") == ("Expected module name after 'from', found '.'", 1, 6)


def test_exports():
    node = stmt("export func f() { }")
    assert isinstance(node, A.FuncDecl) and node.exported
    assert stmt("export async func f() { }").exported
    assert stmt("export struct P { }").exported
    assert stmt("export enum E { A }").exported
    assert stmt("export let x := 1") == A.Export(A.Let("let", A.PatBind("x"), I(1)))
    assert stmt("export x") == A.Export(A.ExprStmt(N("x")))


def test_test_blocks():
    src = 'test_group "g" {\n test_setup { }\n test_teardown { }\n test "t" { assert_true(1) }\n}'
    assert stmt(src) == A.TestGroup(
        "g", block(A.TestSetup(block()), A.TestTeardown(block()), A.TestDecl("t", block(A.ExprStmt(call("assert_true", I(1))))))
    )
    assert parse_error("test name { }") == ("Expected test name string after 'test', found 'name'", 1, 6)


# ----------------------------------------------------------------------------- spans


def test_spans():
    prog = parse("x := 1\nif x > 0 {\n  print(x)\n}", "t.ruff")
    assign, if_stmt = prog.stmts
    assert assign.span == A.Span(1, 1, 1, 7)
    assert if_stmt.span == A.Span(2, 1, 4, 2)
    assert if_stmt.cond.span == A.Span(2, 4, 2, 9)
    call_node = if_stmt.then.stmts[0].expr
    assert call_node.span == A.Span(3, 3, 3, 11)
    assert call_node.args[0].span == A.Span(3, 9, 3, 10)
    assert prog.filename == "t.ruff"


def test_every_node_has_a_span():
    src = """
    import m
    struct P { x = 1, func m(self) { return self?.x } }
    enum E { A(v), B }
    func* g(a: int = 2) -> int { yield [a, ...b] }
    let {k} := {"k": P { x: "${a}" }}
    match v { case E::A([x, ...r]) if -x: { } case _ { } }
    try { throw(1) } except e { for i in r { spawn { } } }
    """
    seen = 0

    def walk(node):
        nonlocal seen
        if isinstance(node, A.Node):
            assert node.span.line > 0, node
            seen += 1
            for name in node.__dataclass_fields__:
                walk(getattr(node, name))
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)

    walk(parse(src))
    assert seen > 50


# ----------------------------------------------------------------------------- errors


def test_error_messages_name_expected_and_found():
    assert parse_error("if x {\n    print(x, y}\n}") == ("Expected ')' after arguments, found '}'", 2, 15)
    assert parse_error("x := else") == ("Expected expression, found 'else'", 1, 6)
    assert parse_error("x := [1, 2") == ("Expected ']' after array elements, found end of input", 1, 6)
    assert parse_error("if x print(x)") == ("Expected '{' to start if body, found 'print'", 1, 6)
    assert parse_error("func f(a { }") == ("Expected ')' after parameters, found '{'", 1, 10)
    assert parse_error("func f(1) { }") == ("Expected parameter name, found '1'", 1, 8)
    assert parse_error("match v { x }") == ("Expected 'case' or '}' in match body, found 'x'", 1, 11)
    assert parse_error("}") == ("Expected statement, found '}'", 1, 1)


def test_input_ending_inside_a_delimiter_points_at_the_delimiter_left_open():
    """As rustc does: the `{` left open is what to fix; the end of input (end of the last line) comes second."""
    from ruff.diagnostics import SecondarySpan

    with pytest.raises(RuffSyntaxError) as info:
        parse("func f() {\n  x := 1\n\n")
    err = info.value
    assert (err.message, err.line, err.col, err.label) == (
        "Expected '}' to close function body, found end of input", 1, 10, "unclosed delimiter")
    assert err.secondary == (SecondarySpan(2, 9, "end of input"),)
    assert parse_error("print(1,\n") == ("Expected expression, found end of input", 1, 6)
    # The innermost delimiter still open; closers that match an outer one close it.
    assert parse_error("f(a, [1, {\n  k: (2)\n}") == ("Expected ']' after array elements, found end of input", 1, 6)
    assert parse_error("if x {\n  g(]\n") == ("Expected expression, found ']'", 2, 5)
    assert parse_error("x := ") == ("Expected expression, found end of input", 1, 5)


def test_unclosed_delimiter_inside_an_interpolation_is_not_the_end_of_input():
    assert parse_error('print("${(1 + 2}")') == ("Expected ')' after expression, found '}'", 1, 16)


@pytest.mark.parametrize(
    "src, message",
    [
        ("x := " + "(" * 100_000 + "1" + ")" * 100_000, "Expression nesting too deep (limit 256)"),
        ("x := " + "[" * 100_000 + "]" * 100_000, "Expression nesting too deep (limit 256)"),
        ("{" * 100_000 + "}" * 100_000, "Expression nesting too deep (limit 256)"),
        ("[" * 100_000 + "] := x", "Expression nesting too deep (limit 256)"),
        ("x := " + "-" * 100_000 + "1", "Expression nesting too deep (limit 256)"),
        ("f" + "(" * 100_000, "Expression nesting too deep (limit 256)"),
        ('x := ' + '"${' * 300 + "1" + '}"' * 300, "Expression nesting too deep (limit 256)"),
        ("match x { case " + "[" * 1000 + "]" * 1000 + " {} }", "Expression nesting too deep (limit 256)"),
        ("if x {\n" * 100_000 + "}" * 100_000, "Block nesting too deep (limit 128)"),
        ("x := " + "func() { return " * 1000 + "1" + "}" * 1000, "Block nesting too deep (limit 128)"),
    ],
)
def test_deep_nesting_is_a_syntax_error(src, message):
    limit = sys.getrecursionlimit()
    with pytest.raises(RuffSyntaxError) as info:
        parse(src)
    assert info.value.message == message
    assert sys.getrecursionlimit() == limit


def test_nesting_just_under_the_limits_parses():
    level = "a |> b ?? c || d && e == f < g + h * -("
    parse("x := " + level * 120 + "1" + ")" * 120)
    parse("if x {\n" * 120 + "}" * 120)


def test_long_flat_constructs_do_not_recurse():
    parse("x := " + " + ".join(["1"] * 50_000))
    parse("if a { }" + " else if b { }" * 20_000)
    parse("x := [" + ", ".join(["[1]"] * 50_000) + "]")


def test_nested_one_line_match_cases_count_as_blocks():
    src = "match x { case 1: " * 10_000 + "f()" + " }" * 10_000
    with pytest.raises(RuffSyntaxError) as info:
        parse(src)
    assert info.value.message == "Block nesting too deep (limit 128)"
