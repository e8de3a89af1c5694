"""AST of Ruff source: plain dataclasses, every node carrying the span it came from.

The parser builds these; the compiler walks them. Expressions and statements are separate
class families so that the compiler's dispatch stays obvious.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Span:
    line: int  # 1-based
    col: int  # 1-based, in characters
    end_line: int = 0
    end_col: int = 0


NO_SPAN = Span(0, 0)


@dataclass
class Node:
    span: Span = field(default=NO_SPAN, kw_only=True, repr=False, compare=False)


# ----------------------------------------------------------------------------- expressions


class Expr(Node):
    pass


@dataclass
class IntLit(Expr):
    value: int


@dataclass
class FloatLit(Expr):
    value: float


@dataclass
class StrLit(Expr):
    value: str


@dataclass
class InterpString(Expr):
    """"a ${x} b": literal pieces and expressions, in order."""

    parts: list[Union[str, Expr]]


@dataclass
class BoolLit(Expr):
    value: bool


@dataclass
class NullLit(Expr):
    pass


@dataclass
class Name(Expr):
    name: str


@dataclass
class Spread(Expr):
    """`...expr` inside an array literal, dict literal or call argument list."""

    value: Expr


@dataclass
class ArrayLit(Expr):
    elements: list[Expr]  # may contain Spread


@dataclass
class DictEntry(Node):
    key: Expr  # identifier keys arrive as StrLit
    value: Expr


@dataclass
class DictLit(Expr):
    entries: list[Union[DictEntry, Spread]]


@dataclass
class Param(Node):
    name: str
    type_ann: Optional[str] = None
    default: Optional[Expr] = None


@dataclass
class FuncExpr(Expr):
    """Anonymous function; also the body of a FuncDecl and of struct methods."""

    params: list[Param]
    body: "Block"
    name: str = "<anonymous>"
    is_async: bool = False
    is_generator: bool = False
    return_type: Optional[str] = None


@dataclass
class Unary(Expr):
    op: str  # "-" or "!"
    operand: Expr


@dataclass
class Binary(Expr):
    op: str  # + - * / % == != < <= > >=
    left: Expr
    right: Expr
    # Where the operation itself is written (the operator, the `[`, the name after `.`): its runtime
    # errors point there rather than at the start of the expression.
    op_span: Span = field(default=NO_SPAN, kw_only=True, repr=False, compare=False)


@dataclass
class Logical(Expr):
    op: str  # "&&", "||", "??"
    left: Expr
    right: Expr


@dataclass
class Pipe(Expr):
    """`left |> right`: right is a call (left becomes its first argument) or a callee."""

    left: Expr
    right: Expr


@dataclass
class Call(Expr):
    callee: Expr
    args: list[Expr]  # may contain Spread


@dataclass
class MethodCall(Expr):
    obj: Expr
    method: str
    args: list[Expr]
    optional: bool = False  # obj?.method(...)
    op_span: Span = field(default=NO_SPAN, kw_only=True, repr=False, compare=False)  # see Binary


@dataclass
class Index(Expr):
    obj: Expr
    index: Expr
    op_span: Span = field(default=NO_SPAN, kw_only=True, repr=False, compare=False)  # see Binary


@dataclass
class Field(Expr):
    obj: Expr
    name: str
    optional: bool = False  # obj?.name
    op_span: Span = field(default=NO_SPAN, kw_only=True, repr=False, compare=False)  # see Binary


@dataclass
class StructLit(Expr):
    """`P { x: 1, y: 2 }` — name is the struct's (possibly dotted module) name."""

    name: str
    fields: list[tuple[str, Expr]]


@dataclass
class EnumPath(Expr):
    """`Shape::Circle` — called like a function when the variant carries values."""

    enum: str
    variant: str


@dataclass
class Await(Expr):
    value: Expr


@dataclass
class Yield(Expr):
    value: Optional[Expr]


@dataclass
class Spawn(Expr):
    body: "Block"


@dataclass
class TryUnwrap(Expr):
    """postfix `expr?`: unwrap Ok/Some, or return the Err/None from the enclosing function."""

    value: Expr


@dataclass
class Throw(Expr):
    value: Expr


# ----------------------------------------------------------------------------- patterns


class Pattern(Node):
    pass


@dataclass
class PatWildcard(Pattern):
    pass


@dataclass
class PatLiteral(Pattern):
    value: Expr  # IntLit, FloatLit, StrLit, BoolLit, NullLit, or Unary("-", number)


@dataclass
class PatBind(Pattern):
    name: str


@dataclass
class PatVariant(Pattern):
    """`Ok(x)`, `None`, `Shape::Circle(r)`; enum is None for the bare form."""

    enum: Optional[str]
    variant: str
    args: list[Pattern]
    has_parens: bool = False


@dataclass
class PatArray(Pattern):
    elements: list[Pattern]
    rest: Optional[str] = None  # `...rest`; "" for a bare `...`


@dataclass
class PatDict(Pattern):
    keys: list[str]
    rest: Optional[str] = None


# ----------------------------------------------------------------------------- statements


class Stmt(Node):
    pass


@dataclass
class Block(Node):
    stmts: list[Stmt]


@dataclass
class ExprStmt(Stmt):
    expr: Expr


@dataclass
class Let(Stmt):
    """`let/mut/const target [: type] := value`."""

    kind: str  # "let", "mut", "const"
    target: Pattern  # PatBind, PatArray or PatDict
    value: Expr
    type_ann: Optional[str] = None


@dataclass
class Assign(Stmt):
    """`target op value` where op is := = += -= *= /= %=.

    target is Name, Index or Field, or a PatArray/PatDict for destructuring with `:=`.
    `x: int := 5` arrives here with type_ann set.
    """

    target: Union[Expr, Pattern]
    op: str
    value: Expr
    type_ann: Optional[str] = None
    op_span: Span = field(default=NO_SPAN, kw_only=True, repr=False, compare=False)  # the `:=`, `+=`, …; see Binary


@dataclass
class If(Stmt):
    cond: Expr
    then: Block
    orelse: Optional[Union[Block, "If"]] = None


@dataclass
class While(Stmt):
    cond: Expr
    body: Block


@dataclass
class Loop(Stmt):
    body: Block


@dataclass
class For(Stmt):
    target: Pattern  # PatBind, or PatArray/PatDict for `for [k, v] in ...`
    iterable: Expr
    body: Block


@dataclass
class Break(Stmt):
    pass


@dataclass
class Continue(Stmt):
    pass


@dataclass
class Return(Stmt):
    value: Optional[Expr] = None


@dataclass
class FuncDecl(Stmt):
    name: str
    func: FuncExpr
    exported: bool = False


@dataclass
class StructField(Node):
    name: str
    type_ann: Optional[str] = None
    default: Optional[Expr] = None


@dataclass
class StructDecl(Stmt):
    name: str
    fields: list[StructField]
    methods: list[FuncDecl]
    exported: bool = False


@dataclass
class EnumVariantDecl(Node):
    name: str
    fields: list[str]  # names or types of the carried values; empty for a unit variant
    has_parens: bool = False


@dataclass
class EnumDecl(Stmt):
    name: str
    variants: list[EnumVariantDecl]
    exported: bool = False


@dataclass
class MatchCase(Node):
    pattern: Pattern
    guard: Optional[Expr]
    body: Block


@dataclass
class Match(Stmt):
    subject: Expr
    cases: list[MatchCase]


@dataclass
class Try(Stmt):
    body: Block
    err_name: Optional[str]
    handler: Block


@dataclass
class Import(Stmt):
    module: str  # dotted
    alias: Optional[str] = None


@dataclass
class FromImport(Stmt):
    module: str
    names: list[str]


@dataclass
class Export(Stmt):
    """`export name` / `export let x := …` when not folded into a declaration's flag."""

    stmt: Stmt


@dataclass
class TestDecl(Stmt):
    name: str
    body: Block


@dataclass
class TestGroup(Stmt):
    name: str
    body: Block


@dataclass
class TestSetup(Stmt):
    body: Block


@dataclass
class TestTeardown(Stmt):
    body: Block


@dataclass
class Program(Node):
    stmts: list[Stmt]
    filename: str = "<input>"
