"""Ruff parser: tokens -> ast.Program, by recursive descent.

Binary operators use precedence climbing, so one level of source nesting costs a handful of
Python frames; explicit counters cap nesting (expressions 256, blocks 128, as the reference
does) and turn runaway input into a RuffSyntaxError instead of a RecursionError.

Statement ends: newlines are not tokens (as in the reference), but a statement must be followed
by `;`, `}`, the end of input or a token on a new line, unless it ended with a `}`. A `(` or `[`
on a new line starts a new statement rather than calling/indexing the previous line's value, so
`[a, b] := pair` can begin a line. `return`/`yield` at the end of a line carry no value.

Struct literals: `Name {` (or `mod.Name {`) on one line begins a struct literal when the brace
is followed by `}` or by `field:`, except in the head of `if`/`while`/`for`/`match` (and case
guards), where the brace opens the body; parentheses lift that restriction.
"""

from __future__ import annotations

import sys
from typing import Callable, Optional

from ruff.diagnostics import RuffSyntaxError, SecondarySpan
from ruff.frontend import ast
from ruff.frontend.lexer import tokenize, tokenize_fragment
from ruff.frontend.tokens import EOF, FLOAT, INT, INTERP, KEYWORDS, NAME, STR, InterpPart, Token
from ruff.limits import I64_MAX

MAX_EXPR_DEPTH = 256
MAX_BLOCK_DEPTH = 128
# Enough Python frames for both nesting limits at once (about 15 frames per expression level).
_RECURSION_LIMIT = 12000

_BINARY_PREC = {
    "|>": 1,
    "??": 2,
    "||": 3,
    "&&": 4,
    "==": 5,
    "!=": 5,
    "<": 6,
    "<=": 6,
    ">": 6,
    ">=": 6,
    "+": 7,
    "-": 7,
    "*": 8,
    "/": 8,
    "%": 8,
}
_ASSIGN_OPS = frozenset({":=", "=", "+=", "-=", "*=", "/=", "%="})
_BIND_OPS = (":=", "=")
_LITERAL_KEYWORDS = frozenset({"true", "false", "null"})
_VARIANT_NAMES = frozenset({"Ok", "Err", "Some", "None"})


def parse(source: str, filename: str = "<input>") -> ast.Program:
    tokens = tokenize(source, filename)
    old_limit = sys.getrecursionlimit()
    if old_limit < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    try:
        return _Parser(tokens, filename).program()
    finally:
        sys.setrecursionlimit(old_limit)


_CLOSER = {"(": ")", "[": "]", "{": "}"}
_OPENER = {v: k for k, v in _CLOSER.items()}


def unclosed_delimiter(tokens: list[Token]) -> Optional[Token]:
    """The innermost `(`, `[` or `{` that no closer matches, or None.

    A closer that does not match the innermost open delimiter closes the nearest one it does match,
    if any (the ones in between stay open); otherwise it is ignored.
    """
    stack: list[Token] = []
    for tok in tokens:
        kind = tok.kind
        if kind in _CLOSER:
            stack.append(tok)
        elif kind in _OPENER:
            opener = _OPENER[kind]
            for i in range(len(stack) - 1, -1, -1):
                if stack[i].kind == opener:
                    del stack[i]
                    break
    return stack[-1] if stack else None


def _span(start: Token, end: Token) -> ast.Span:
    return ast.Span(start.line, start.col, end.end_line, end.end_col)


def _dotted_name(expr: ast.Expr) -> Optional[str]:
    """`a` or `a.b.c` as text, for struct literal and enum names; None for anything else."""
    if isinstance(expr, ast.Name):
        return expr.name
    if isinstance(expr, ast.Field) and not expr.optional:
        base = _dotted_name(expr.obj)
        return None if base is None else f"{base}.{expr.name}"
    return None


def _is_label(tok: Token) -> bool:
    """A dict key / struct field written bare: an identifier, or a keyword such as `from`."""
    return tok.kind == NAME or tok.kind in KEYWORDS and tok.kind not in _LITERAL_KEYWORDS


class _Parser:
    def __init__(self, tokens: list[Token], filename: str):
        self.toks = tokens
        self.main_toks = tokens  # self.toks is a `${…}` fragment's tokens while one is parsed
        self.pos = 0
        self.filename = filename
        self.expr_depth = 0
        self.block_depth = 0
        # True in the head of if/while/for/match, where `Name {` opens the body.
        self.no_struct = False

    # ------------------------------------------------------------------ token helpers

    def peek(self, ahead: int = 0) -> Token:
        # The parser never moves past EOF, so only a lookahead needs clamping.
        if ahead:
            return self.toks[min(self.pos + ahead, len(self.toks) - 1)]
        return self.toks[self.pos]

    def at(self, kind: str) -> bool:
        return self.toks[self.pos].kind == kind

    def advance(self) -> Token:
        tok = self.toks[self.pos]
        if tok.kind != EOF:
            self.pos += 1
        return tok

    def accept(self, kind: str) -> Optional[Token]:
        tok = self.toks[self.pos]
        if tok.kind == kind:
            self.pos += 1
            return tok
        return None

    def expect(self, kind: str, context: str) -> Token:
        tok = self.toks[self.pos]
        if tok.kind != kind:
            raise self.error(f"Expected '{kind}' {context}, found {tok.describe()}", tok)
        self.pos += 1
        return tok

    def expect_name(self, what: str) -> Token:
        tok = self.toks[self.pos]
        if tok.kind != NAME:
            raise self.error(f"Expected {what}, found {tok.describe()}", tok)
        self.pos += 1
        return tok

    def error(self, message: str, tok: Token) -> RuffSyntaxError:
        if tok.kind == EOF and self.toks is self.main_toks:
            opener = unclosed_delimiter(self.toks)
            if opener is not None:
                # Like rustc: the brace left open is what to fix; where the input ran out comes second.
                return RuffSyntaxError("parse", message, self.filename, opener.line, opener.col,
                                       label="unclosed delimiter",
                                       secondary=[SecondarySpan(tok.line, tok.col, "end of input")])
        return RuffSyntaxError("parse", message, self.filename, tok.line, tok.col)

    @property
    def prev(self) -> Token:
        return self.toks[self.pos - 1]

    def span_from(self, start: Token) -> ast.Span:
        return _span(start, self.prev)

    def enter_expr(self, tok: Token) -> None:
        self.expr_depth += 1
        if self.expr_depth > MAX_EXPR_DEPTH:
            raise self.error(f"Expression nesting too deep (limit {MAX_EXPR_DEPTH})", tok)

    def with_struct_literals(self, allowed: bool, parse: Callable[[], object]):
        saved = self.no_struct
        self.no_struct = not allowed
        result = parse()
        self.no_struct = saved
        return result

    def comma_list(self, close: str, item: Callable[[], object], context: str) -> list:
        """Items separated by commas (a trailing one allowed) up to `close`, which is consumed.

        Inside brackets a `Name {` is a struct literal again, even in an if/while head.
        """
        saved = self.no_struct
        self.no_struct = False
        items = []
        while not self.at(close):
            items.append(item())
            if not self.accept(","):
                break
        self.expect(close, context)
        self.no_struct = saved
        return items

    def head_expression(self) -> ast.Expr:
        """The expression before a `{ body }`: struct literals only inside brackets."""
        return self.with_struct_literals(False, self.expression)

    # ------------------------------------------------------------------ program and blocks

    def program(self) -> ast.Program:
        first = self.peek()
        stmts = self.statements()
        if not self.at(EOF):
            raise self.error(f"Expected statement, found {self.peek().describe()}", self.peek())
        end = self.toks[max(self.pos - 1, 0)]
        return ast.Program(stmts, self.filename, span=_span(first, end))

    def statements(self) -> list[ast.Stmt]:
        """Statements up to (not including) a `}` or the end of input."""
        stmts = []
        while True:
            while self.accept(";"):
                pass
            tok = self.peek()
            if tok.kind in ("}", EOF):
                return stmts
            stmts.append(self.statement())
            self.end_statement()

    def end_statement(self) -> None:
        tok = self.peek()
        # A closing brace already ends a statement unambiguously: `if a { } else { } f()`.
        if not (tok.nl_before or tok.kind in (";", "}", EOF) or self.prev.kind == "}"):
            raise self.error(f"Expected newline or ';' after statement, found {tok.describe()}", tok)

    def open_block(self, what: str) -> Token:
        """Consume the `{` of a statement body (a block or a match body) and count its depth."""
        open_tok = self.expect("{", f"to start {what}")
        self.block_depth += 1
        if self.block_depth > MAX_BLOCK_DEPTH:
            raise self.error(f"Block nesting too deep (limit {MAX_BLOCK_DEPTH})", open_tok)
        return open_tok

    def close_block(self, what: str) -> None:
        self.expect("}", f"to close {what}")
        self.block_depth -= 1

    def block(self, what: str) -> ast.Block:
        open_tok = self.open_block(what)
        saved = self.no_struct
        self.no_struct = False
        stmts = self.statements()
        self.close_block(what)
        self.no_struct = saved
        return ast.Block(stmts, span=self.span_from(open_tok))

    # ------------------------------------------------------------------ statements

    def statement(self) -> ast.Stmt:
        tok = self.peek()
        handler = self._STATEMENTS.get(tok.kind)
        if handler is not None:
            return handler(self)
        if tok.kind in ("func", "async") and self.starts_func_decl():
            return self.func_decl()
        if tok.kind in ("[", "{"):
            destructure = self.try_destructuring_assign()
            if destructure is not None:
                return destructure
        if tok.kind == NAME and self.peek(1).kind == ":":
            return self.typed_assign()
        return self.expression_statement()

    def starts_func_decl(self) -> bool:
        """`[async] func [*] name`, as opposed to an anonymous function used as a statement."""
        ahead = 1 if self.at("func") else 2
        if ahead == 2 and self.peek(1).kind != "func":
            return False
        if self.peek(ahead).kind == "*":
            ahead += 1
        return self.peek(ahead).kind == NAME

    def expression_statement(self) -> ast.Stmt:
        start = self.peek()
        expr = self.expression()
        op = self.peek()
        if op.kind not in _ASSIGN_OPS:
            return ast.ExprStmt(expr, span=self.span_from(start))
        if not (isinstance(expr, (ast.Name, ast.Index)) or isinstance(expr, ast.Field) and not expr.optional):
            raise self.error("Invalid assignment target", start)
        self.advance()
        value = self.assigned_value()
        return ast.Assign(expr, op.kind, value, span=self.span_from(start), op_span=_span(op, op))

    def assigned_value(self) -> ast.Expr:
        value = self.expression()
        if self.peek().kind in _ASSIGN_OPS:
            raise self.error("Chained assignment is not supported; split it into separate statements", self.peek())
        return value

    def typed_assign(self) -> ast.Stmt:
        start = self.advance()
        self.advance()  # ':'
        type_ann = self.type_expr()
        op = self.peek()
        if op.kind not in _BIND_OPS:
            raise self.error(f"Expected ':=' after type annotation, found {op.describe()}", op)
        self.advance()
        value = self.assigned_value()
        target = ast.Name(start.value, span=_span(start, start))
        return ast.Assign(target, op.kind, value, type_ann, span=self.span_from(start))

    def try_destructuring_assign(self) -> Optional[ast.Stmt]:
        """`[a, b] := e` / `{a, b} := e`, or None (position restored) if this is an expression."""
        start, saved = self.peek(), (self.pos, self.expr_depth)
        try:
            target = self.pattern(refutable=False)
        except RuffSyntaxError:
            target = None
        op = self.peek()
        if target is None or op.kind not in _BIND_OPS:
            self.pos, self.expr_depth = saved
            return None
        self.advance()
        value = self.assigned_value()
        return ast.Assign(target, op.kind, value, span=self.span_from(start))

    def let_stmt(self) -> ast.Stmt:
        kw = self.advance()
        target = self.binding_target()
        type_ann = self.type_expr() if self.accept(":") else None
        op = self.peek()
        if op.kind not in _BIND_OPS:
            raise self.error(f"Expected ':=' in {kw.kind} declaration, found {op.describe()}", op)
        self.advance()
        value = self.assigned_value()
        return ast.Let(kw.kind, target, value, type_ann, span=self.span_from(kw))

    def if_stmt(self) -> ast.Stmt:
        # `else if` chains are parsed in a loop: a long chain is not deep nesting.
        links = [self.if_link()]
        while self.accept("else"):
            if not self.at("if"):
                links[-1][0].orelse = self.block("else body")
                break
            links.append(self.if_link())
            links[-2][0].orelse = links[-1][0]
        for node, start in links:
            node.span = self.span_from(start)
        return links[0][0]

    def if_link(self) -> tuple[ast.If, Token]:
        start = self.advance()  # 'if'
        cond = self.head_expression()
        return ast.If(cond, self.block("if body")), start

    def while_stmt(self) -> ast.Stmt:
        start = self.advance()
        cond = self.head_expression()
        return ast.While(cond, self.block("while body"), span=self.span_from(start))

    def loop_stmt(self) -> ast.Stmt:
        start = self.advance()
        if self.accept("while"):  # the reference's `loop while cond { }`
            cond = self.head_expression()
            return ast.While(cond, self.block("loop body"), span=self.span_from(start))
        return ast.Loop(self.block("loop body"), span=self.span_from(start))

    def for_stmt(self) -> ast.Stmt:
        start = self.advance()
        target = self.binding_target()
        self.expect("in", "after for-loop variable")
        iterable = self.head_expression()
        return ast.For(target, iterable, self.block("for body"), span=self.span_from(start))

    def break_stmt(self) -> ast.Stmt:
        return ast.Break(span=_span(self.advance(), self.prev))

    def continue_stmt(self) -> ast.Stmt:
        return ast.Continue(span=_span(self.advance(), self.prev))

    def ends_value(self) -> bool:
        """Whether `return`/`yield` stands alone here, i.e. carries no value."""
        tok = self.peek()
        return tok.nl_before or tok.kind in (";", "}", ")", "]", ",", EOF)

    def return_stmt(self) -> ast.Stmt:
        start = self.advance()
        value = None if self.ends_value() else self.expression()
        return ast.Return(value, span=self.span_from(start))

    def func_decl(self) -> ast.FuncDecl:
        start = self.peek()
        func = self.function(named=True)
        return ast.FuncDecl(func.name, func, span=self.span_from(start))

    def function(self, named: bool) -> ast.FuncExpr:
        start = self.peek()
        is_async = self.accept("async") is not None
        self.expect("func", "after 'async'")
        is_generator = self.accept("*") is not None
        name = self.expect_name("function name after 'func'").value if named else "<anonymous>"
        self.expect("(", "to start parameter list" if not named else "after function name")
        params = self.comma_list(")", self.param, "after parameters")
        return_type = self.type_expr() if self.accept("->") else None
        body = self.block("function body")
        return ast.FuncExpr(
            params, body, name, is_async, is_generator, return_type, span=self.span_from(start)
        )

    def param(self) -> ast.Param:
        tok = self.expect_name("parameter name")
        type_ann = self.type_expr() if self.accept(":") else None
        default = self.expression() if self.accept("=") else None
        return ast.Param(tok.value, type_ann, default, span=self.span_from(tok))

    def type_expr(self) -> str:
        """A type annotation as text: `int`, `mod.T`, `int?`, `int[]`, `Result<int, string>`."""
        tok = self.peek()
        if tok.kind != NAME and tok.kind != "null":
            raise self.error(f"Expected type name, found {tok.describe()}", tok)
        self.enter_expr(tok)
        self.advance()
        text = tok.value
        while self.at(".") and self.peek(1).kind == NAME:
            self.advance()
            text += "." + self.advance().value
        while True:
            if self.accept("?"):
                text += "?"
            elif self.at("[") and self.peek(1).kind == "]" and not self.peek().nl_before:
                self.pos += 2
                text += "[]"
            elif self.accept("<"):
                args = [self.type_expr()]
                while self.accept(","):
                    args.append(self.type_expr())
                self.expect(">", "to close type arguments")
                text += "<" + ", ".join(args) + ">"
            else:
                break
        self.expr_depth -= 1
        return text

    def struct_decl(self) -> ast.Stmt:
        start = self.advance()
        name = self.expect_name("struct name after 'struct'").value
        self.expect("{", "to start struct body")
        fields, methods = [], []
        while not self.at("}"):
            tok = self.peek()
            if tok.kind in ("func", "async"):
                methods.append(self.func_decl())
                self.accept(",")  # reference programs put commas after methods too
            elif tok.kind == NAME:
                fields.append(self.struct_field())
                if not self.accept(",") and not (self.peek().nl_before or self.at("}")):
                    raise self.error(
                        f"Expected ',' or newline after struct field, found {self.peek().describe()}", self.peek()
                    )
            else:
                raise self.error(f"Expected field or method in struct body, found {tok.describe()}", tok)
            while self.accept(";"):
                pass
        self.expect("}", "to close struct body")
        return ast.StructDecl(name, fields, methods, span=self.span_from(start))

    def struct_field(self) -> ast.StructField:
        tok = self.advance()
        type_ann = self.type_expr() if self.accept(":") else None
        default = self.expression() if self.accept("=") else None
        return ast.StructField(tok.value, type_ann, default, span=self.span_from(tok))

    def enum_decl(self) -> ast.Stmt:
        start = self.advance()
        name = self.expect_name("enum name after 'enum'").value
        self.expect("{", "to start enum body")
        variants = []
        while not self.at("}"):
            tok = self.expect_name("enum variant name")
            has_parens = self.accept("(") is not None
            fields = self.comma_list(")", self.variant_field, "after variant fields") if has_parens else []
            variants.append(ast.EnumVariantDecl(tok.value, fields, has_parens, span=self.span_from(tok)))
            if not self.accept(",") and not (self.peek().nl_before or self.at("}")):
                raise self.error(f"Expected ',' or '}}' after enum variant, found {self.peek().describe()}", self.peek())
        self.expect("}", "to close enum body")
        return ast.EnumDecl(name, variants, span=self.span_from(start))

    def variant_field(self) -> str:
        # `Circle(r: float)` keeps the name; `Circle(float)` keeps the type.
        name = self.expect_name("variant field name").value
        if self.accept(":"):
            self.type_expr()
        return name

    def match_stmt(self) -> ast.Stmt:
        start = self.advance()
        subject = self.head_expression()
        # One-statement case bodies can nest matches without a block, so the body counts as one.
        self.open_block("match body")
        cases = []
        while not self.at("}"):
            cases.append(self.match_case())
        self.close_block("match body")
        return ast.Match(subject, cases, span=self.span_from(start))

    def match_case(self) -> ast.MatchCase:
        tok = self.peek()
        if tok.kind == "case":
            self.advance()
            pattern = self.pattern(refutable=True)
        elif tok.kind == NAME and tok.value == "default":  # the reference's `default: { }`
            self.advance()
            pattern = ast.PatWildcard(span=_span(tok, tok))
        else:
            raise self.error(f"Expected 'case' or '}}' in match body, found {tok.describe()}", tok)
        guard = self.head_expression() if self.accept("if") else None
        separated = self.accept(":") or self.accept("=>")
        if self.at("{") or not separated:
            body = self.block("case body")
        else:  # `case Ok(x): return x` — one statement as the body
            stmt_start = self.peek()
            stmt = self.statement()
            if not self.at("case"):
                self.end_statement()
            body = ast.Block([stmt], span=self.span_from(stmt_start))
        return ast.MatchCase(pattern, guard, body, span=self.span_from(tok))

    def try_stmt(self) -> ast.Stmt:
        start = self.advance()
        body = self.block("try body")
        self.expect("except", "after try block")
        err_name = self.advance().value if self.at(NAME) else None
        handler = self.block("except body")
        return ast.Try(body, err_name, handler, span=self.span_from(start))

    def module_path(self, after: str) -> str:
        parts = [self.expect_name(f"module name after '{after}'").value]
        while self.accept("."):
            parts.append(self.expect_name("module name after '.'").value)
        return ".".join(parts)

    def import_stmt(self) -> ast.Stmt:
        start = self.advance()
        module = self.module_path("import")
        alias = None
        if self.at(NAME) and self.peek().value == "as" and not self.peek().nl_before:
            self.advance()
            alias = self.expect_name("alias name after 'as'").value
        return ast.Import(module, alias, span=self.span_from(start))

    def from_import_stmt(self) -> ast.Stmt:
        start = self.advance()
        module = self.module_path("from")
        self.expect("import", "after module name")
        names = [self.expect_name("imported name").value]
        while self.accept(","):
            names.append(self.expect_name("imported name").value)
        return ast.FromImport(module, names, span=self.span_from(start))

    def export_stmt(self) -> ast.Stmt:
        start = self.advance()
        tok = self.peek()
        if tok.kind not in ("func", "async", "struct", "enum", "let", "mut", "const", NAME):
            raise self.error(f"Expected declaration after 'export', found {tok.describe()}", tok)
        stmt = self.statement()
        if isinstance(stmt, (ast.FuncDecl, ast.StructDecl, ast.EnumDecl)):
            stmt.exported = True
            stmt.span = self.span_from(start)
            return stmt
        return ast.Export(stmt, span=self.span_from(start))

    def named_block(self, node_type, what: str) -> ast.Stmt:
        start = self.advance()
        tok = self.peek()
        if tok.kind != STR:
            raise self.error(f"Expected {what} name string after '{start.kind}', found {tok.describe()}", tok)
        self.advance()
        return node_type(tok.value, self.block(f"{start.kind} body"), span=self.span_from(start))

    def test_decl(self) -> ast.Stmt:
        return self.named_block(ast.TestDecl, "test")

    def test_group(self) -> ast.Stmt:
        return self.named_block(ast.TestGroup, "group")

    def test_setup(self) -> ast.Stmt:
        start = self.advance()
        return ast.TestSetup(self.block("test_setup body"), span=self.span_from(start))

    def test_teardown(self) -> ast.Stmt:
        start = self.advance()
        return ast.TestTeardown(self.block("test_teardown body"), span=self.span_from(start))

    _STATEMENTS = {
        "let": let_stmt,
        "mut": let_stmt,
        "const": let_stmt,
        "if": if_stmt,
        "while": while_stmt,
        "loop": loop_stmt,
        "for": for_stmt,
        "break": break_stmt,
        "continue": continue_stmt,
        "return": return_stmt,
        "struct": struct_decl,
        "enum": enum_decl,
        "match": match_stmt,
        "try": try_stmt,
        "import": import_stmt,
        "from": from_import_stmt,
        "export": export_stmt,
        "test": test_decl,
        "test_group": test_group,
        "test_setup": test_setup,
        "test_teardown": test_teardown,
    }

    # ------------------------------------------------------------------ patterns

    def pattern(self, refutable: bool) -> ast.Pattern:
        """A match pattern, or (refutable=False) a binding target: name, `_`, `[..]`, `{..}`."""
        tok = self.peek()
        self.enter_expr(tok)
        kind = tok.kind
        if kind == "[":
            pat = self.array_pattern(refutable)
        elif kind == "{":
            pat = self.dict_pattern()
        elif kind == NAME:
            pat = self.name_pattern(refutable)
        elif refutable and kind in (INT, FLOAT, STR, "-", "true", "false", "null"):
            pat = ast.PatLiteral(self.literal_pattern_value(), span=self.span_from(tok))
        else:
            raise self.error(f"Expected pattern, found {tok.describe()}", tok)
        self.expr_depth -= 1
        return pat

    def literal_pattern_value(self) -> ast.Expr:
        tok = self.advance()
        if tok.kind == "-":
            num = self.peek()
            if num.kind not in (INT, FLOAT):
                raise self.error(f"Expected number after '-' in pattern, found {num.describe()}", num)
            self.advance()
            if num.value == I64_MAX + 1:
                return ast.IntLit(-num.value, span=_span(tok, num))
            literal = (ast.IntLit if num.kind == INT else ast.FloatLit)(num.value, span=_span(num, num))
            return ast.Unary("-", literal, span=_span(tok, num))
        return self.literal(tok)

    def name_pattern(self, refutable: bool) -> ast.Pattern:
        tok = self.advance()
        name = tok.value
        if name == "_":
            return ast.PatWildcard(span=_span(tok, tok))
        if not refutable:
            return ast.PatBind(name, span=_span(tok, tok))
        enum = None
        if self.accept("::"):
            enum, name = name, self.expect_name("variant name after '::'").value
        if self.at("(") and not self.peek().nl_before:
            self.advance()
            args = self.comma_list(")", lambda: self.pattern(refutable=True), "after variant pattern arguments")
            return ast.PatVariant(enum, name, args, True, span=self.span_from(tok))
        if enum is not None or name in _VARIANT_NAMES:
            return ast.PatVariant(enum, name, [], False, span=self.span_from(tok))
        return ast.PatBind(name, span=_span(tok, tok))

    def binding_target(self) -> ast.Pattern:
        """What let/for bind: a name (`_` included, as a plain name), `[..]` or `{..}`."""
        pat = self.pattern(refutable=False)
        if isinstance(pat, ast.PatWildcard):
            return ast.PatBind("_", span=pat.span)
        return pat

    def rest_name(self) -> str:
        """After `...`: the rest binding's name, or "" for a bare `...`."""
        return self.advance().value if self.at(NAME) else ""

    def array_pattern(self, refutable: bool) -> ast.Pattern:
        start = self.advance()
        elements, rest = [], None
        while not self.at("]"):
            if self.accept("..."):
                rest = self.rest_name()
                break
            elements.append(self.pattern(refutable))
            if not self.accept(","):
                break
        self.expect("]", "to close array pattern")
        return ast.PatArray(elements, rest, span=self.span_from(start))

    def dict_pattern(self) -> ast.Pattern:
        start = self.advance()
        keys, rest = [], None
        while not self.at("}"):
            if self.accept("..."):
                rest = self.rest_name()
                break
            tok = self.peek()
            if tok.kind == STR or _is_label(tok):
                keys.append(self.advance().value)
            else:
                raise self.error(f"Expected key name in dict pattern, found {tok.describe()}", tok)
            if not self.accept(","):
                break
        self.expect("}", "to close dict pattern")
        return ast.PatDict(keys, rest, span=self.span_from(start))

    # ------------------------------------------------------------------ expressions

    def expression(self) -> ast.Expr:
        self.enter_expr(self.toks[self.pos])
        expr = self.binary(1)
        self.expr_depth -= 1
        return expr

    def binary(self, min_prec: int) -> ast.Expr:
        start = self.toks[self.pos]
        left = self.unary()
        while True:
            op_tok = self.toks[self.pos]
            op = op_tok.kind
            prec = _BINARY_PREC.get(op)
            if prec is None or prec < min_prec:
                return left
            self.pos += 1
            right = self.binary(prec + 1)
            span = self.span_from(start)
            if op == "|>":
                left = ast.Pipe(left, right, span=span)
            elif op in ("??", "||", "&&"):
                left = ast.Logical(op, left, right, span=span)
            else:
                left = ast.Binary(op, left, right, span=span, op_span=_span(op_tok, op_tok))

    def unary(self) -> ast.Expr:
        tok = self.toks[self.pos]
        kind = tok.kind
        if kind == "-" and self.peek(1).kind == INT and self.peek(1).value > I64_MAX:
            # i64 min: the lexer only lets 2**63 through right after a minus.
            num = self.peek(1)
            self.pos += 2
            if self.peek().kind in ("(", "[", ".", "?.", "?", "::"):
                raise RuffSyntaxError("lex", f"Numeric literal overflow: {num.value}", self.filename, num.line, num.col)
            return ast.IntLit(-num.value, span=_span(tok, num))
        if kind in ("-", "!", "await"):
            self.advance()
            self.enter_expr(tok)
            operand = self.unary()
            self.expr_depth -= 1
            if kind == "await":
                return ast.Await(operand, span=self.span_from(tok))
            return ast.Unary(kind, operand, span=self.span_from(tok))
        return self.postfix()

    def postfix(self) -> ast.Expr:
        start = self.toks[self.pos]
        expr = self.primary()
        while True:
            tok = self.toks[self.pos]
            kind = tok.kind
            if kind == "(" and not tok.nl_before:
                args = self.arguments()
                expr = ast.Call(expr, args, span=self.span_from(start))
            elif kind == "[" and not tok.nl_before:
                self.advance()
                index = self.with_struct_literals(True, self.expression)
                self.expect("]", "after index")
                expr = ast.Index(expr, index, span=self.span_from(start), op_span=_span(tok, tok))
            elif kind == "." or kind == "?.":
                self.advance()
                name_tok = self.peek()
                if name_tok.kind != NAME and name_tok.kind not in KEYWORDS:
                    raise self.error(f"Expected field or method name after '{kind}', found {name_tok.describe()}", name_tok)
                self.advance()
                optional = kind == "?."
                name_span = _span(name_tok, name_tok)
                if self.at("(") and not self.peek().nl_before:
                    args = self.arguments()
                    expr = ast.MethodCall(expr, name_tok.value, args, optional, span=self.span_from(start),
                                          op_span=name_span)
                else:
                    expr = ast.Field(expr, name_tok.value, optional, span=self.span_from(start), op_span=name_span)
            elif kind == "?":
                self.advance()
                expr = ast.TryUnwrap(expr, span=self.span_from(start))
            elif kind == "::":
                enum = _dotted_name(expr)
                if enum is None:
                    raise self.error("Expected enum name before '::'", tok)
                self.advance()
                variant = self.expect_name("variant name after '::'").value
                expr = ast.EnumPath(enum, variant, span=self.span_from(start))
            elif kind == "{" and self.starts_struct_literal(expr, tok):
                expr = self.struct_literal(_dotted_name(expr), start)
            else:
                return expr

    def starts_struct_literal(self, expr: ast.Expr, brace: Token) -> bool:
        if self.no_struct or brace.nl_before or _dotted_name(expr) is None:
            return False
        first = self.peek(1)
        return first.kind == "}" or _is_label(first) and self.peek(2).kind == ":"

    def struct_literal(self, name: str, start: Token) -> ast.Expr:
        self.advance()  # '{'
        fields = self.comma_list("}", self.struct_literal_field, "to close struct literal")
        return ast.StructLit(name, fields, span=self.span_from(start))

    def struct_literal_field(self) -> tuple[str, ast.Expr]:
        tok = self.peek()
        if not _is_label(tok):
            raise self.error(f"Expected field name in struct literal, found {tok.describe()}", tok)
        self.advance()
        self.expect(":", "after field name")
        return tok.value, self.expression()

    def arguments(self) -> list[ast.Expr]:
        """`( a, ...b, c )` with the opening parenthesis next."""
        self.advance()
        return self.comma_list(")", self.element, "after arguments")

    def element(self) -> ast.Expr:
        """An expression or a `...spread` (in call arguments and array literals)."""
        tok = self.accept("...")
        if tok is None:
            return self.expression()
        value = self.expression()
        return ast.Spread(value, span=self.span_from(tok))

    def primary(self) -> ast.Expr:
        tok = self.toks[self.pos]
        kind = tok.kind
        if kind == NAME:
            self.advance()
            return ast.Name(tok.value, span=_span(tok, tok))
        if kind in (INT, FLOAT, STR, "true", "false", "null"):
            self.advance()
            return self.literal(tok)
        if kind == INTERP:
            self.advance()
            return self.interpolation(tok)
        if kind == "(":
            self.advance()
            expr = self.with_struct_literals(True, self.expression)
            self.expect(")", "after expression")
            return expr
        if kind == "[":
            return self.array_literal()
        if kind == "{":
            return self.dict_literal()
        if kind == "func" or kind == "async" and self.peek(1).kind == "func":
            return self.function(named=False)
        if kind == "spawn":
            self.advance()
            return ast.Spawn(self.block("spawn body"), span=self.span_from(tok))
        if kind == "yield":
            self.advance()
            value = None if self.ends_value() else self.expression()
            return ast.Yield(value, span=self.span_from(tok))
        if kind == "throw":
            self.advance()
            value = self.expression()
            return ast.Throw(value, span=self.span_from(tok))
        raise self.error(f"Expected expression, found {tok.describe()}", tok)

    def literal(self, tok: Token) -> ast.Expr:
        span = _span(tok, tok)
        kind = tok.kind
        if kind == INT:
            if tok.value > I64_MAX:
                raise RuffSyntaxError("lex", f"Numeric literal overflow: {tok.value}", self.filename, tok.line, tok.col)
            return ast.IntLit(tok.value, span=span)
        if kind == FLOAT:
            return ast.FloatLit(tok.value, span=span)
        if kind == STR:
            return ast.StrLit(tok.value, span=span)
        if kind == "null":
            return ast.NullLit(span=span)
        return ast.BoolLit(kind == "true", span=span)

    def interpolation(self, tok: Token) -> ast.Expr:
        """Parse each `${...}` of an INTERP token in place, sharing this parser's depth limits."""
        parts: list = []
        for part in tok.value:
            if isinstance(part, InterpPart):
                parts.append(self.fragment(part))
            else:
                parts.append(part)
        return ast.InterpString(parts, span=_span(tok, tok))

    def fragment(self, part: InterpPart) -> ast.Expr:
        saved = (self.toks, self.pos, self.no_struct)
        self.toks = tokenize_fragment(part.source, self.filename, part.line, part.col)
        self.pos = 0
        self.no_struct = False
        expr = self.expression()
        if not self.at(EOF):
            raise self.error(f"Expected '}}' to close interpolation, found {self.peek().describe()}", self.peek())
        self.toks, self.pos, self.no_struct = saved
        return expr

    def array_literal(self) -> ast.Expr:
        start = self.advance()
        elements = self.comma_list("]", self.element, "after array elements")
        return ast.ArrayLit(elements, span=self.span_from(start))

    def dict_literal(self) -> ast.Expr:
        start = self.advance()
        entries = self.comma_list("}", self.dict_entry, "after dict entries")
        return ast.DictLit(entries, span=self.span_from(start))

    def dict_entry(self) -> ast.Node:
        tok = self.peek()
        if self.accept("..."):
            value = self.expression()
            return ast.Spread(value, span=self.span_from(tok))
        if _is_label(tok) and self.peek(1).kind == ":":
            self.advance()
            key: ast.Expr = ast.StrLit(tok.value, span=_span(tok, tok))
        else:
            key = self.expression()
        self.expect(":", "after dict key")
        value = self.expression()
        return ast.DictEntry(key, value, span=self.span_from(tok))
