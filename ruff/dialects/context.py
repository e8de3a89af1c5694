"""An xDSL Context that knows every dialect the Ruff pipeline uses (loaded lazily), and IR parsing."""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser

from ruff.dialects import get_all_dialects


def make_context(allow_unregistered: bool = False) -> Context:
    """A Context with xDSL's dialects and `ruff` registered (each is imported on first use)."""
    ctx = Context(allow_unregistered=allow_unregistered)
    for name, factory in get_all_dialects().items():
        ctx.register_dialect(name, factory)
    return ctx


def parse_module(text: str, ctx: Context | None = None, name: str = "<string>") -> ModuleOp:
    """Parse (and verify) MLIR text in generic or custom syntax into a ModuleOp."""
    module = Parser(ctx or make_context(), text, name).parse_module()
    module.verify()
    return module
