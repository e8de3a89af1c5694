"""AST → Ruff bytecode.

Name resolution is static, as in clox:
- a name declared in the current function (any enclosing block) is a local slot;
- a name declared in an enclosing function is an upvalue (the enclosing local becomes a cell);
- anything else is a global of the module, looked up by name at run time (then the builtins).

`x := v` updates the nearest visible binding — local, upvalue, or a top-level name of the module —
and otherwise declares a new mutable local in the current block (a global at the top level).
Which locals must be cells is decided up front by a scan of the names nested functions mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ruff.frontend import ast
from ruff.frontend.bytecode import Chunk, EnumInfo, MatchPat, Op, StructInfo, UpvalueRef, pattern_binding_names

IMMUTABLE = ("let", "const")


class CompileError(Exception):
    """A semantic error found before running (duplicate declaration, break outside a loop, ...)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass
class Local:
    name: str
    slot: int
    kind: str  # "let" "mut" "const" "var"
    is_cell: bool


@dataclass
class LoopContext:
    continue_target: int
    break_jumps: list[int] = field(default_factory=list)
    try_depth: int = 0
    pops_on_break: int = 0  # operand-stack items the loop keeps (the for-iterator)


@dataclass
class StructContext:
    fields: frozenset[str]
    self_local: Local


# ----------------------------------------------------------------------------- capture scan


def _walk(node: Any) -> Iterator[Any]:
    """Every AST node below `node` (inclusive), not descending into nested FuncExpr bodies."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, ast.FuncExpr):
            if n is not node:
                continue
        if isinstance(n, list):
            stack.extend(n)
            continue
        if isinstance(n, tuple):
            stack.extend(n)
            continue
        if isinstance(n, ast.Node):
            for v in vars(n).values():
                if isinstance(v, (ast.Node, list, tuple)):
                    stack.append(v)


def names_in(node: Any) -> set[str]:
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (list, tuple)):
            stack.extend(n)
        elif isinstance(n, ast.Node):
            if isinstance(n, ast.Name):
                out.add(n.name)
            elif isinstance(n, ast.PatBind):
                out.add(n.name)
            elif isinstance(n, (ast.PatArray, ast.PatDict)):
                if n.rest:
                    out.add(n.rest)
                if isinstance(n, ast.PatDict):
                    out.update(n.keys)
            elif isinstance(n, ast.FuncDecl):
                out.add(n.name)
            elif isinstance(n, ast.Try) and n.err_name:
                out.add(n.err_name)
            for v in vars(n).values():
                if isinstance(v, (ast.Node, list, tuple)):
                    stack.append(v)
    return out


def captured_names(body: Any) -> set[str]:
    """Names mentioned inside functions nested (at any depth) in `body`: the candidates for cells."""
    out: set[str] = set()
    for n in _walk(body):
        if isinstance(n, ast.FuncExpr) and n is not body:
            out |= names_in(n)
        elif isinstance(n, ast.StructDecl):
            for m in n.methods:
                out |= names_in(m.func)
        elif isinstance(n, (ast.Spawn, ast.TestDecl, ast.TestGroup, ast.TestSetup, ast.TestTeardown)):
            out |= names_in(n.body)
    return out


# ----------------------------------------------------------------------------- compiler


class FunctionCompiler:
    """Compiles one function body (or the script) into `chunk`; a nested function gets its own, whose
    `parent` is this one.

    `stmt_<Node>` / `expr_<Node>` emit each AST node (dispatch by class name); `scopes` are the blocks'
    locals, innermost last; `loops` the enclosing loops (break/continue targets, stack entries to drop);
    names resolve as the module docstring says: local slot, then upvalue (the enclosing local becomes a
    cell, `cells`), then global. `line`/`col` is where the instruction being emitted comes from.
    """

    def __init__(self, chunk: Chunk, parent: Optional["FunctionCompiler"], module: "ModuleInfo", body: Any,
                 struct: Optional[StructContext] = None) -> None:
        self.chunk = chunk
        self.parent = parent
        self.module = module
        self.scopes: list[dict[str, Local]] = [{}]
        self.loops: list[LoopContext] = []
        self.try_depth = 0
        self.captured = captured_names(body)
        self.upvalue_index: dict[str, int] = {}
        self.upvalue_kind: dict[str, str] = {}
        self.cells: set[int] = set()
        self.struct = struct
        self.is_script = parent is None
        self.line = 0
        self.col = 0

    # ------------------------------------------------------------------ emission helpers

    def emit(self, op: Op, arg: Any = None) -> int:
        return self.chunk.emit(op, arg, self.line, self.col)

    def here(self) -> int:
        return len(self.chunk.code)

    def patch_here(self, index: int) -> None:
        self.chunk.patch(index, self.here())

    def const(self, value: Any) -> None:
        self.emit(Op.LoadConst, self.chunk.add_constant(value))

    def error(self, message: str, node: Optional[ast.Node] = None) -> CompileError:
        if node is not None and node.span.line:
            return CompileError(message, node.span.line, node.span.col)
        return CompileError(message, self.line, self.col)

    def at(self, node: ast.Node) -> None:
        if node.span.line:
            self.line, self.col = node.span.line, node.span.col

    def at_op(self, node: ast.Node) -> None:
        """Where the operation of `node` is written (its `+`, `[`, `.name`, `+=`): its runtime errors point there."""
        op_span = node.op_span
        if op_span.line:
            self.line, self.col = op_span.line, op_span.col
        else:
            self.at(node)

    # ------------------------------------------------------------------ scopes and names

    @property
    def at_top_level(self) -> bool:
        return self.is_script and len(self.scopes) == 1

    def new_slot(self, name: str) -> int:
        slot = self.chunk.num_locals
        self.chunk.num_locals += 1
        self.chunk.local_names.append(name)
        return slot

    def declare_local(self, name: str, kind: str, node: Optional[ast.Node] = None, check_dup: bool = True) -> Local:
        scope = self.scopes[-1]
        if check_dup and name in scope and kind != "var":
            raise self.error(f"Duplicate declaration in the same scope: {name}", node)
        is_cell = name in self.captured
        local = Local(name, self.new_slot(name), kind, is_cell)
        if is_cell:
            self.cells.add(local.slot)
        scope[name] = local
        return local

    def hidden_local(self, label: str) -> int:
        return self.new_slot(f"${label}")

    def find_local(self, name: str) -> Optional[Local]:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def resolve_upvalue(self, name: str) -> Optional[int]:
        if name in self.upvalue_index:
            return self.upvalue_index[name]
        if self.parent is None:
            return None
        local = self.parent.find_local(name)
        if local is not None:
            if not local.is_cell:  # the parent's scan missed it: a compiler bug, not a user error
                raise AssertionError(f"captured local {name} is not a cell")
            ref = UpvalueRef(True, local.slot, name)
            kind = local.kind
        else:
            if self.parent.is_script and len(self.parent.scopes) == 1:
                return None
            idx = self.parent.resolve_upvalue(name)
            if idx is None:
                return None
            ref = UpvalueRef(False, idx, name)
            kind = self.parent.upvalue_kind[name]
        self.chunk.upvalues.append(ref)
        self.upvalue_index[name] = len(self.chunk.upvalues) - 1
        self.upvalue_kind[name] = kind
        return self.upvalue_index[name]

    def struct_field(self, name: str) -> bool:
        return self.struct is not None and name in self.struct.fields and self.find_local(name) is None \
            and name not in self.upvalue_index

    def load_name(self, name: str) -> None:
        local = self.find_local(name)
        if local is not None:
            self.emit(Op.LoadDeref if local.is_cell else Op.LoadLocal, local.slot)
            return
        if self.struct_field(name):
            self.load_local(self.struct.self_local)
            self.emit(Op.FieldGet, name)
            return
        idx = self.resolve_upvalue(name)
        if idx is not None:
            self.emit(Op.LoadUpvalue, idx)
            return
        self.emit(Op.LoadGlobal, name)

    def load_local(self, local: Local) -> None:
        self.emit(Op.LoadDeref if local.is_cell else Op.LoadLocal, local.slot)

    def store_local(self, local: Local) -> None:
        self.emit(Op.StoreDeref if local.is_cell else Op.StoreLocal, local.slot)

    def init_local(self, local: Local) -> None:
        """Store the value on the stack into a just-declared local (a fresh cell for captured ones)."""
        if local.is_cell:
            self.emit(Op.MakeCell, local.slot)
        self.store_local(local)

    def binding_kind(self, name: str) -> Optional[str]:
        local = self.find_local(name)
        if local is not None:
            return local.kind
        if name in self.upvalue_index or (self.parent is not None and self._visible_in_parents(name)):
            self.resolve_upvalue(name)
            return self.upvalue_kind.get(name)
        return self.module.kinds.get(name)

    def _visible_in_parents(self, name: str) -> bool:
        p = self.parent
        while p is not None:
            if p.is_script:
                return len(p.scopes) > 1 and p.find_local(name) is not None
            if p.find_local(name) is not None:
                return True
            p = p.parent
        return False

    def check_mutable(self, name: str, node: ast.Node, mutation: bool) -> bool:
        """Emit the runtime error for assigning or mutating a let/const binding; True when it was emitted.

        It is a run-time error, as in the reference: the program runs up to that statement.
        """
        kind = self.binding_kind(name)
        if kind not in IMMUTABLE:
            return False
        if kind == "let":
            word = "mutate immutable let binding" if mutation else "reassign immutable let binding"
        else:
            word = "mutate const binding" if mutation else "reassign const binding"
        self.at(node)
        self.const(f"Cannot {word}: {name}")
        self.emit(Op.Throw)
        return True

    def store_name(self, name: str, node: ast.Node) -> None:
        """Assignment `name := value` / `name = value` with the value on the stack."""
        if self.check_mutable(name, node, mutation=False):
            self.emit(Op.Pop)
            return
        local = self.find_local(name)
        if local is not None:
            self.store_local(local)
            return
        if self.struct_field(name):
            tmp = self.hidden_local("fieldval")
            self.emit(Op.StoreLocal, tmp)
            self.load_local(self.struct.self_local)
            self.emit(Op.LoadLocal, tmp)
            self.emit(Op.FieldSet, name)
            return
        idx = self.resolve_upvalue(name)
        if idx is not None:
            self.emit(Op.StoreUpvalue, idx)
            return
        if self.at_top_level or name in self.module.top_names:
            self.emit(Op.StoreGlobal, name)
            if self.at_top_level:
                self.module.kinds.setdefault(name, "var")
            return
        self.init_local(self.declare_local(name, "var", node))

    def declare_name(self, name: str, kind: str, node: ast.Node) -> None:
        """`let/mut/const name := value` (and func/struct/enum declarations) with the value on the stack."""
        if self.at_top_level:
            if name in self.module.declared:
                raise self.error(f"Duplicate declaration in the same scope: {name}", node)
            if kind != "var":
                self.module.declared.add(name)
            self.module.kinds[name] = kind
            self.emit(Op.DefineGlobal, (name, kind))
            return
        self.init_local(self.declare_local(name, kind, node))

    # ------------------------------------------------------------------ blocks

    def begin_scope(self) -> None:
        self.scopes.append({})

    def end_scope(self) -> None:
        self.scopes.pop()

    def block(self, block: ast.Block, new_scope: bool = True) -> None:
        if new_scope:
            self.begin_scope()
        for stmt in block.stmts:
            self.stmt(stmt)
        if new_scope:
            self.end_scope()

    # ------------------------------------------------------------------ statements

    def stmt(self, s: ast.Stmt) -> None:
        self.at(s)
        method = getattr(self, "stmt_" + type(s).__name__, None)
        if method is None:
            raise self.error(f"Unsupported statement: {type(s).__name__}", s)
        method(s)

    def stmt_ExprStmt(self, s: ast.ExprStmt) -> None:
        self.expr(s.expr)
        self.emit(Op.Pop)

    def stmt_Let(self, s: ast.Let) -> None:
        self.expr(s.value)
        self.at(s)
        self.bind_pattern(s.target, s.kind, s)

    def bind_pattern(self, target: ast.Pattern, kind: str, node: ast.Node) -> None:
        """Bind the value on the stack to a PatBind/PatArray/PatDict target, declaring names."""
        if isinstance(target, ast.PatBind):
            self.declare_name(target.name, kind, node)
            return
        pat = self.match_pat(target)
        self.emit(Op.MatchPattern, self.chunk.add_constant(pat))
        ok = self.emit(Op.JumpIfTrue, None)
        self.const("Destructuring pattern does not match value")
        self.emit(Op.Throw)
        self.patch_here(ok)
        for name in reversed(pattern_binding_names(pat)):
            if kind == "var":
                self.store_name(name, node)
            else:
                self.declare_name(name, kind, node)

    def stmt_Assign(self, s: ast.Assign) -> None:
        target, op = s.target, s.op
        if isinstance(target, (ast.PatArray, ast.PatDict)):
            self.expr(s.value)
            self.at(s)
            self.bind_pattern(target, "var", s)
            return
        if isinstance(target, ast.Name):
            if op in (":=", "=") and self.is_self_push(target.name, s.value):
                # `xs := push(xs, v)`: append in place instead of copying xs (O(1) instead of O(n)); the old
                # array is unreachable through xs afterwards, so only an alias made earlier can tell.
                self.load_name(target.name)
                self.expr(s.value.args[1])
                self.at(s)
                self.emit(Op.ArrayPush)
                self.store_name(target.name, s)
                return
            if op in (":=", "="):
                self.expr(s.value)
            else:
                self.load_name(target.name)
                self.expr(s.value)
                self.at_op(s)
                self.emit(ARITH[op[0]])
            self.at(s)
            self.store_name(target.name, s)
            return
        root = target
        while isinstance(root, (ast.Index, ast.Field)):
            root = root.obj
        if isinstance(root, ast.Name) and self.check_mutable(root.name, s, mutation=True):
            return
        if isinstance(target, ast.Index):
            if op in (":=", "="):
                self.expr(target.obj)
                self.expr(target.index)
                self.expr(s.value)
                self.at_op(target)
                self.emit(Op.IndexSet)
                return
            obj, idx = self.hidden_local("obj"), self.hidden_local("idx")
            self.expr(target.obj)
            self.emit(Op.StoreLocal, obj)
            self.expr(target.index)
            self.emit(Op.StoreLocal, idx)
            for slot in (obj, idx, obj, idx):
                self.emit(Op.LoadLocal, slot)
            self.at_op(target)
            self.emit(Op.IndexGet)
            self.expr(s.value)
            self.at_op(s)
            self.emit(ARITH[op[0]])
            self.at_op(target)
            self.emit(Op.IndexSet)
            return
        if isinstance(target, ast.Field):
            if op in (":=", "="):
                self.expr(target.obj)
                self.expr(s.value)
                self.at_op(target)
                self.emit(Op.FieldSet, target.name)
                return
            obj = self.hidden_local("obj")
            self.expr(target.obj)
            self.emit(Op.StoreLocal, obj)
            self.emit(Op.LoadLocal, obj)
            self.emit(Op.LoadLocal, obj)
            self.at_op(target)
            self.emit(Op.FieldGet, target.name)
            self.expr(s.value)
            self.at_op(s)
            self.emit(ARITH[op[0]])
            self.at_op(target)
            self.emit(Op.FieldSet, target.name)
            return
        raise self.error("Invalid assignment target", s)

    def is_self_push(self, name: str, value: ast.Expr) -> bool:
        if not (isinstance(value, ast.Call) and isinstance(value.callee, ast.Name)
                and value.callee.name in ("push", "append") and len(value.args) == 2):
            return False
        builtin = value.callee.name
        shadowed = self.find_local(builtin) is not None or builtin in self.module.top_names \
            or (self.parent is not None and self._visible_in_parents(builtin))
        first, item = value.args
        return (not shadowed and isinstance(first, ast.Name) and first.name == name
                and not isinstance(item, ast.Spread))

    def stmt_If(self, s: ast.If) -> None:
        # An `else if` chain is compiled link by link in this loop: a long chain is not deep nesting.
        end_jumps = []
        while True:
            self.at(s)
            self.expr(s.cond)
            self.at(s)
            jf = self.emit(Op.JumpIfFalse)
            self.block(s.then)
            if s.orelse is None:
                self.patch_here(jf)
                break
            end_jumps.append(self.emit(Op.Jump))
            self.patch_here(jf)
            if not isinstance(s.orelse, ast.If):
                self.block(s.orelse)
                break
            s = s.orelse
        for j in end_jumps:
            self.patch_here(j)

    def loop_body(self, ctx: LoopContext, body: ast.Block, before: Optional[Any] = None) -> None:
        self.loops.append(ctx)
        self.begin_scope()
        if before is not None:
            before()
        self.block(body, new_scope=False)
        self.end_scope()
        self.loops.pop()

    def stmt_While(self, s: ast.While) -> None:
        top = self.here()
        self.expr(s.cond)
        self.at(s)
        jf = self.emit(Op.JumpIfFalse)
        ctx = LoopContext(top, try_depth=self.try_depth)
        self.loop_body(ctx, s.body)
        self.emit(Op.JumpBack, top)
        self.patch_here(jf)
        for j in ctx.break_jumps:
            self.patch_here(j)

    def stmt_Loop(self, s: ast.Loop) -> None:
        top = self.here()
        ctx = LoopContext(top, try_depth=self.try_depth)
        self.loop_body(ctx, s.body)
        self.emit(Op.JumpBack, top)
        for j in ctx.break_jumps:
            self.patch_here(j)

    def stmt_For(self, s: ast.For) -> None:
        self.expr(s.iterable)
        self.at(s)
        self.emit(Op.MakeIterator)
        top = self.here()
        nxt = self.emit(Op.IteratorNext)
        ctx = LoopContext(top, try_depth=self.try_depth, pops_on_break=1)

        def bind() -> None:
            self.at(s)
            if isinstance(s.target, ast.PatBind):
                self.init_local(self.declare_local(s.target.name, "var", s))
            else:
                pat = self.match_pat(s.target)
                self.emit(Op.MatchPattern, self.chunk.add_constant(pat))
                ok = self.emit(Op.JumpIfTrue)
                self.const("Destructuring pattern does not match value")
                self.emit(Op.Throw)
                self.patch_here(ok)
                for name in reversed(pattern_binding_names(pat)):
                    self.init_local(self.declare_local(name, "var", s))

        self.loop_body(ctx, s.body, bind)
        self.emit(Op.JumpBack, top)
        self.patch_here(nxt)
        for j in ctx.break_jumps:
            self.patch_here(j)

    def stmt_Break(self, s: ast.Break) -> None:
        if not self.loops:
            raise self.error("break can only be used inside a loop", s)
        ctx = self.loops[-1]
        for _ in range(self.try_depth - ctx.try_depth):
            self.emit(Op.EndTry)
        for _ in range(ctx.pops_on_break):
            self.emit(Op.Pop)
        ctx.break_jumps.append(self.emit(Op.Jump))

    def stmt_Continue(self, s: ast.Continue) -> None:
        if not self.loops:
            raise self.error("continue can only be used inside a loop", s)
        ctx = self.loops[-1]
        for _ in range(self.try_depth - ctx.try_depth):
            self.emit(Op.EndTry)
        self.emit(Op.JumpBack, ctx.continue_target)

    def stmt_Return(self, s: ast.Return) -> None:
        # At the top level of a script (or module) `return` ends it, as in the reference's VM; its value is
        # evaluated (and can fail) but not used.
        if s.value is None:
            self.const(None)
        else:
            self.expr(s.value)
        self.at(s)
        self.emit(Op.Return)

    def stmt_FuncDecl(self, s: ast.FuncDecl) -> None:
        if self.at_top_level:
            self.function(s.func, s.name)
            self.at(s)
            self.declare_name(s.name, "var", s)
        else:
            # Declared before its body is compiled, so the function can call itself.
            local = self.declare_local(s.name, "var", s)
            if local.is_cell:
                self.emit(Op.MakeCell, local.slot)
            self.function(s.func, s.name)
            self.store_local(local)
        if s.exported:
            self.module.exports.add(s.name)

    def stmt_StructDecl(self, s: ast.StructDecl) -> None:
        fields = tuple(f.name for f in s.fields)
        for f in s.fields:
            if f.default is not None:
                self.expr(f.default)
        for m in s.methods:
            self.function(m.func, f"{s.name}.{m.name}", struct_fields=frozenset(fields))
        self.at(s)
        info = StructInfo(s.name, fields, tuple(f.default is not None for f in s.fields), tuple(m.name for m in s.methods))
        self.emit(Op.MakeStructDef, self.chunk.add_constant(info))
        self.declare_name(s.name, "var", s)
        if s.exported:
            self.module.exports.add(s.name)

    def stmt_EnumDecl(self, s: ast.EnumDecl) -> None:
        info = EnumInfo(s.name, tuple((v.name, len(v.fields)) for v in s.variants))
        self.emit(Op.MakeEnumDef, self.chunk.add_constant(info))
        self.declare_name(s.name, "var", s)
        if s.exported:
            self.module.exports.add(s.name)

    def stmt_Match(self, s: ast.Match) -> None:
        self.expr(s.subject)
        self.at(s)
        subject = self.hidden_local("match")
        self.emit(Op.StoreLocal, subject)
        end_jumps = []
        for case in s.cases:
            self.at(case)
            self.emit(Op.LoadLocal, subject)
            pat = self.match_pat(case.pattern)
            self.emit(Op.MatchPattern, self.chunk.add_constant(pat))
            nxt = self.emit(Op.JumpIfFalse)
            self.begin_scope()
            for name in reversed(pattern_binding_names(pat)):
                self.init_local(self.declare_local(name, "var", case, check_dup=False))
            guard_jump = None
            if case.guard is not None:
                self.expr(case.guard)
                guard_jump = self.emit(Op.JumpIfFalse)
            self.block(case.body, new_scope=False)
            self.end_scope()
            end_jumps.append(self.emit(Op.Jump))
            self.patch_here(nxt)
            if guard_jump is not None:
                self.patch_here(guard_jump)
        for j in end_jumps:
            self.patch_here(j)

    def match_pat(self, p: ast.Pattern) -> MatchPat:
        if isinstance(p, ast.PatWildcard):
            return MatchPat("wild")
        if isinstance(p, ast.PatBind):
            return MatchPat("bind", p.name)
        if isinstance(p, ast.PatLiteral):
            return MatchPat("lit", literal_value(p.value, self))
        if isinstance(p, ast.PatVariant):
            return MatchPat("variant", (p.enum, p.variant), tuple(self.match_pat(a) for a in p.args))
        if isinstance(p, ast.PatArray):
            return MatchPat("array", None, tuple(self.match_pat(e) for e in p.elements), p.rest)
        if isinstance(p, ast.PatDict):
            return MatchPat("dict", tuple(p.keys), (), p.rest)
        raise self.error(f"Unsupported pattern: {type(p).__name__}", p)

    def stmt_Try(self, s: ast.Try) -> None:
        begin = self.emit(Op.BeginTry)
        self.try_depth += 1
        self.block(s.body)
        self.try_depth -= 1
        self.emit(Op.EndTry)
        jend = self.emit(Op.Jump)
        self.patch_here(begin)
        self.begin_scope()
        if s.err_name:
            self.init_local(self.declare_local(s.err_name, "var", s))
        else:
            self.emit(Op.Pop)
        self.block(s.handler, new_scope=False)
        self.end_scope()
        self.patch_here(jend)

    def stmt_Import(self, s: ast.Import) -> None:
        self.emit(Op.Import, (s.module, s.alias))
        name = s.alias or s.module.split(".")[-1]
        self.declare_name(name, "var", s)

    def stmt_FromImport(self, s: ast.FromImport) -> None:
        self.emit(Op.ImportFrom, (s.module, tuple(s.names)))
        for name in reversed(s.names):
            self.declare_name(name, "var", s)

    def stmt_Export(self, s: ast.Export) -> None:
        self.stmt(s.stmt)
        inner = s.stmt
        if isinstance(inner, ast.Let) and isinstance(inner.target, ast.PatBind):
            self.module.exports.add(inner.target.name)
        elif isinstance(inner, ast.ExprStmt) and isinstance(inner.expr, ast.Name):
            self.module.exports.add(inner.expr.name)

    def _test_like(self, kind: str, name: Optional[str], body: ast.Block, node: ast.Node) -> None:
        self.const(name)
        fn = ast.FuncExpr([], body, name=f"test {name}" if name else kind, span=node.span)
        self.function(fn, fn.name)
        self.at(node)
        self.emit(Op.RegisterTest, kind)

    def stmt_TestDecl(self, s: ast.TestDecl) -> None:
        self._test_like("test", s.name, s.body, s)

    def stmt_TestGroup(self, s: ast.TestGroup) -> None:
        self._test_like("group", s.name, s.body, s)

    def stmt_TestSetup(self, s: ast.TestSetup) -> None:
        self._test_like("setup", None, s.body, s)

    def stmt_TestTeardown(self, s: ast.TestTeardown) -> None:
        self._test_like("teardown", None, s.body, s)

    # ------------------------------------------------------------------ functions

    def function(self, fn: ast.FuncExpr, name: str, struct_fields: Optional[frozenset[str]] = None) -> None:
        """Compile a nested function and emit MakeClosure (its default values pushed first)."""
        params = [p.name for p in fn.params]
        is_method = struct_fields is not None
        if is_method and (not params or params[0] != "self"):
            params = ["self"] + params
        chunk = Chunk(name=name, params=params, filename=self.chunk.filename, line=fn.span.line,
                      is_generator=fn.is_generator, is_async=fn.is_async)
        sub = FunctionCompiler(chunk, self, self.module, fn.body)
        seen: set[str] = set()
        for p in params:
            if p in seen:
                raise self.error(f"Duplicate declaration in the same scope: {p}", fn)
            seen.add(p)
            sub.declare_local(p, "var", fn)
        if is_method:
            sub.struct = StructContext(struct_fields - seen, sub.scopes[0]["self"])
        # Captured parameters arrive as plain values; box them into cells on entry.
        for p in params:
            local = sub.scopes[0][p]
            if local.is_cell:
                sub.emit(Op.LoadLocal, local.slot)
                sub.emit(Op.MakeCell, local.slot)
                sub.emit(Op.StoreDeref, local.slot)
        sub.block(fn.body, new_scope=False)
        sub.line = fn.body.span.end_line or sub.line
        sub.const(None)
        sub.emit(Op.Return)
        chunk.cell_slots = frozenset(sub.cells)
        defaults = [p.default for p in fn.params if p.default is not None]
        chunk.param_defaults = [p.default is not None for p in fn.params]
        if is_method and len(chunk.param_defaults) < len(params):
            chunk.param_defaults = [False] + chunk.param_defaults
        for d in defaults:
            self.expr(d)
        self.at(fn)
        self.emit(Op.MakeClosure, self.chunk.add_constant(chunk))

    # ------------------------------------------------------------------ expressions

    def expr(self, root: ast.Expr) -> None:
        """Compile an expression, leaving its value on the stack.

        An `expr_*` method with sub-expressions is a generator that yields each child where its code
        belongs; this loop compiles the yielded children, so a flat chain of 20,000 terms (`1 + 1 + …`,
        `a.f().f()…`, `x |> f |> f …`) holds 20,000 suspended generators, not 20,000 Python frames.
        """
        pending: list[Iterator[ast.Expr]] = []
        e: Optional[ast.Expr] = root
        while True:
            if e is not None:
                self.at(e)
                method = getattr(self, "expr_" + type(e).__name__, None)
                if method is None:
                    raise self.error(f"Unsupported expression: {type(e).__name__}", e)
                children = method(e)
                if children is not None:
                    pending.append(children)
            if not pending:
                return
            e = next(pending[-1], None)
            if e is None:
                pending.pop()

    def expr_IntLit(self, e: ast.IntLit) -> None:
        self.const(e.value)

    def expr_FloatLit(self, e: ast.FloatLit) -> None:
        self.const(e.value)

    def expr_StrLit(self, e: ast.StrLit) -> None:
        self.const(e.value)

    def expr_BoolLit(self, e: ast.BoolLit) -> None:
        self.const(e.value)

    def expr_NullLit(self, e: ast.NullLit) -> None:
        self.const(None)

    def expr_InterpString(self, e: ast.InterpString) -> Iterator[ast.Expr]:
        for part in e.parts:
            if isinstance(part, str):
                self.const(part)
            else:
                yield part
        self.at(e)
        self.emit(Op.BuildString, len(e.parts))

    def expr_Name(self, e: ast.Name) -> None:
        self.load_name(e.name)

    def expr_ArrayLit(self, e: ast.ArrayLit) -> Iterator[ast.Expr]:
        if not any(isinstance(x, ast.Spread) for x in e.elements):
            for x in e.elements:
                yield x
            self.at(e)
            self.emit(Op.MakeArray, len(e.elements))
            return
        self.emit(Op.MakeArray, 0)
        for x in e.elements:
            if isinstance(x, ast.Spread):
                yield x.value
                self.at(x)
                self.emit(Op.SpreadArray)
            else:
                yield x
                self.emit(Op.ArrayPush)

    def expr_DictLit(self, e: ast.DictLit) -> Iterator[ast.Expr]:
        if not any(isinstance(x, ast.Spread) for x in e.entries):
            for entry in e.entries:
                yield entry.key
                yield entry.value
            self.at(e)
            self.emit(Op.MakeDict, len(e.entries))
            return
        self.emit(Op.MakeDict, 0)
        for entry in e.entries:
            if isinstance(entry, ast.Spread):
                yield entry.value
                self.at(entry)
                self.emit(Op.SpreadDict)
            else:
                yield entry.key
                yield entry.value
                self.emit(Op.DictInsert)

    def expr_FuncExpr(self, e: ast.FuncExpr) -> None:
        self.function(e, e.name)

    def expr_Unary(self, e: ast.Unary) -> Iterator[ast.Expr]:
        if e.op == "-" and isinstance(e.operand, (ast.IntLit, ast.FloatLit)):
            self.const(-e.operand.value)
            return
        yield e.operand
        self.at(e)
        self.emit(Op.Negate if e.op == "-" else Op.Not)

    def expr_Binary(self, e: ast.Binary) -> Iterator[ast.Expr]:
        yield e.left
        yield e.right
        self.at_op(e)
        self.emit(BINARY[e.op])

    def expr_Logical(self, e: ast.Logical) -> Iterator[ast.Expr]:
        yield e.left
        self.at(e)
        if e.op == "??":
            j = self.emit(Op.JumpIfNotNull)
            yield e.right
            self.patch_here(j)
            return
        short = self.emit(Op.JumpIfFalse if e.op == "&&" else Op.JumpIfTrue)
        yield e.right
        self.at(e)
        self.emit(Op.Truthy)
        end = self.emit(Op.Jump)
        self.patch_here(short)
        self.const(e.op == "||")
        self.patch_here(end)

    def expr_Pipe(self, e: ast.Pipe) -> Iterator[ast.Expr]:
        right = e.right
        if isinstance(right, ast.MethodCall):
            call = ast.MethodCall(right.obj, right.method, [e.left] + right.args, right.optional, span=right.span,
                                  op_span=right.op_span)
            if right.optional:  # `x |> o?.m()`: the null check on o decides whether x is used at all
                yield from self.expr_MethodCall(call)
            else:
                yield from self.expr_MethodCall(call, piped=True)
        elif isinstance(right, ast.Call):
            yield from self.expr_Call(ast.Call(right.callee, [e.left] + right.args, span=right.span), piped=True)
        else:
            yield from self.expr_Call(ast.Call(right, [e.left], span=e.span), piped=True)

    def push_args(self, args: list[ast.Expr], piped: bool = False) -> Iterator[ast.Expr]:
        """Push call arguments; with a spread among them, push one array instead and return True.

        piped: the first argument is already on the stack (see `callee_after`).
        """
        if not any(isinstance(a, ast.Spread) for a in args):
            for a in args[piped:]:
                yield a
            return False
        if not piped:
            yield from self.expr_ArrayLit(ast.ArrayLit(args))
            return True
        self.emit(Op.MakeArray, 1)
        for x in args[1:]:
            if isinstance(x, ast.Spread):
                yield x.value
                self.at(x)
                self.emit(Op.SpreadArray)
            else:
                yield x
                self.emit(Op.ArrayPush)
        return True

    def callee_after(self, first_arg: ast.Expr, callee: Iterator[ast.Expr]) -> Iterator[ast.Expr]:
        """Push the callee (compiled by `callee`) below a first argument computed before it.

        `x |> f |> g |> …` computes the piped value first, as the reference does; computing each link's
        callee first instead would leave one callee per link waiting on the stack (20,000 deep for a
        20,000-link chain).
        """
        yield first_arg
        yield from callee
        self.emit(Op.Swap)

    def expr_Call(self, e: ast.Call, piped: bool = False) -> Iterator[ast.Expr]:
        callee = e.callee
        if isinstance(callee, ast.Name) and callee.name == "throw" and self.find_local("throw") is None:
            if len(e.args) != 1:
                raise self.error("throw() expects 1 argument", e)
            yield from self.expr_Throw(ast.Throw(e.args[0], span=e.span))
            return
        push_callee = self.callee(callee)
        if piped:
            yield from self.callee_after(e.args[0], push_callee)
        else:
            yield from push_callee
        spread = yield from self.push_args(e.args, piped)
        self.at(e)
        if spread:
            self.emit(Op.CallSpread)
        else:
            self.emit(Op.Call, len(e.args))

    def callee(self, callee: ast.Expr) -> Iterator[ast.Expr]:
        if isinstance(callee, ast.EnumPath):
            self.expr_EnumPath(callee, called=True)
        else:
            yield callee

    def expr_MethodCall(self, e: ast.MethodCall, piped: bool = False) -> Iterator[ast.Expr]:
        spread = any(isinstance(a, ast.Spread) for a in e.args)
        if piped and not spread:
            yield from self.callee_after(e.args[0], iter((e.obj,)))
            for a in e.args[1:]:
                yield a
            self.at_op(e)
            self.emit(Op.CallMethod, (e.method, len(e.args)))
            return
        if piped:  # a spread needs the bound method below the argument array: keep the receiver first
            yield from self.expr_MethodCall(e)
            return
        yield e.obj
        skip = None
        if e.optional:
            skip = self.emit(Op.JumpIfNotNull)
            self.const(None)
            end = self.emit(Op.Jump)
            self.patch_here(skip)
        if spread:
            self.at_op(e)
            self.emit(Op.FieldGet, e.method)  # a bound method
            yield from self.push_args(e.args)
            self.emit(Op.CallSpread)
        else:
            for a in e.args:
                yield a
            self.at_op(e)
            self.emit(Op.CallMethod, (e.method, len(e.args)))
        if e.optional:
            self.patch_here(end)

    def expr_Index(self, e: ast.Index) -> Iterator[ast.Expr]:
        yield e.obj
        yield e.index
        self.at_op(e)
        self.emit(Op.IndexGet)

    def expr_Field(self, e: ast.Field) -> Iterator[ast.Expr]:
        yield e.obj
        self.at_op(e)
        self.emit(Op.FieldGetOpt if e.optional else Op.FieldGet, e.name)

    def expr_StructLit(self, e: ast.StructLit) -> Iterator[ast.Expr]:
        parts = e.name.split(".")
        self.load_name(parts[0])
        for p in parts[1:]:
            self.emit(Op.FieldGet, p)
        for _, value in e.fields:
            yield value
        self.at(e)
        self.emit(Op.MakeStruct, tuple(name for name, _ in e.fields))

    def expr_EnumPath(self, e: ast.EnumPath, called: bool = False) -> None:
        self.load_name(e.enum)
        self.emit(Op.FieldGet, e.variant)
        if not called:
            self.emit(Op.Call, 0)

    def expr_Await(self, e: ast.Await) -> Iterator[ast.Expr]:
        yield e.value
        self.at(e)
        self.emit(Op.Await)

    def expr_Yield(self, e: ast.Yield) -> Iterator[ast.Expr]:
        if not self.chunk.is_generator:
            self.chunk.is_generator = True
        if e.value is None:
            self.const(None)
        else:
            yield e.value
        self.at(e)
        self.emit(Op.Yield)

    def expr_Spawn(self, e: ast.Spawn) -> None:
        fn = ast.FuncExpr([], e.body, name="spawn", span=e.span)
        self.function(fn, "spawn")
        self.at(e)
        self.emit(Op.Spawn)

    def expr_TryUnwrap(self, e: ast.TryUnwrap) -> Iterator[ast.Expr]:
        yield e.value
        self.at(e)
        self.emit(Op.TryUnwrap)

    def expr_Throw(self, e: ast.Throw) -> Iterator[ast.Expr]:
        yield e.value
        self.at(e)
        self.emit(Op.Throw)
        self.const(None)  # unreachable: keeps `throw(...)` an expression with a value

    def expr_Spread(self, e: ast.Spread) -> None:
        raise self.error("Spread '...' is only allowed in array literals, dict literals and call arguments", e)


ARITH = {"+": Op.Add, "-": Op.Sub, "*": Op.Mul, "/": Op.Div, "%": Op.Mod}
BINARY = {**ARITH, "==": Op.Equal, "!=": Op.NotEqual, "<": Op.LessThan, ">": Op.GreaterThan,
          "<=": Op.LessEqual, ">=": Op.GreaterEqual}


def literal_value(e: ast.Expr, fc: FunctionCompiler) -> Any:
    if isinstance(e, (ast.IntLit, ast.FloatLit, ast.StrLit, ast.BoolLit)):
        return e.value
    if isinstance(e, ast.NullLit):
        return None
    if isinstance(e, ast.Unary) and e.op == "-" and isinstance(e.operand, (ast.IntLit, ast.FloatLit)):
        return -e.operand.value
    raise fc.error("Pattern literal must be a number, string, boolean or null", e)


@dataclass
class ModuleInfo:
    """What the compiler knows about the module as a whole."""

    top_names: set[str]  # every name bound at the top level: functions may update these
    kinds: dict[str, str] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)
    exports: set[str] = field(default_factory=set)


def top_level_names(program: ast.Program) -> set[str]:
    names: set[str] = set()
    for s in program.stmts:
        inner = s.stmt if isinstance(s, ast.Export) else s
        if isinstance(inner, (ast.FuncDecl, ast.StructDecl, ast.EnumDecl)):
            names.add(inner.name)
        elif isinstance(inner, ast.Let):
            names |= names_in(inner.target)
        elif isinstance(inner, ast.Assign) and isinstance(inner.target, (ast.Name, ast.PatArray, ast.PatDict)):
            names |= names_in(inner.target)
        elif isinstance(inner, ast.Import):
            names.add(inner.alias or inner.module.split(".")[-1])
        elif isinstance(inner, ast.FromImport):
            names.update(inner.names)
        elif isinstance(inner, (ast.TestSetup, ast.TestGroup)):
            # Variables a test_setup assigns are shared with the tests, as in the reference.
            names |= top_level_names(ast.Program(inner.body.stmts))
    return names


@dataclass
class CompiledProgram:
    chunk: Chunk
    exports: Optional[set[str]]  # None when the module marks nothing with `export`


def compile_program(program: ast.Program, filename: Optional[str] = None, known_globals: Optional[set[str]] = None,
                    known_kinds: Optional[dict[str, str]] = None) -> CompiledProgram:
    """Compile a module; `known_globals`/`known_kinds`: top-level names bound before (earlier REPL inputs)."""
    filename = filename or program.filename
    module = ModuleInfo(top_level_names(program) | (known_globals or set()))
    module.kinds.update(known_kinds or {})
    chunk = Chunk(name="<script>", params=[], filename=filename, line=1)
    fc = FunctionCompiler(chunk, None, module, program.stmts)
    for s in program.stmts:
        fc.stmt(s)
    fc.const(None)
    fc.emit(Op.Return)
    chunk.cell_slots = frozenset(fc.cells)
    has_export = any(isinstance(s, ast.Export) or getattr(s, "exported", False) for s in program.stmts)
    return CompiledProgram(chunk, module.exports if has_export else None)


def compile_source(source: str, filename: str = "<input>") -> CompiledProgram:
    from ruff.frontend.parser import parse

    return compile_program(parse(source, filename), filename)
