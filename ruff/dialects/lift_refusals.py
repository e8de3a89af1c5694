"""What the lifter does not lift, and why: kept apart from the lifter, which imports xDSL, so that the JIT can
say "no" from the bytecode alone before anything heavy is imported (ruff.tiering.native_candidate)."""

from __future__ import annotations

from ruff.frontend.bytecode import Op

REFUSED = {
    Op.Yield: "is a generator (yield)",
    Op.BeginTry: "uses try/except",
    Op.EndTry: "uses try/except",
    Op.MakeCell: "has variables captured by a closure (cells)",
    Op.LoadDeref: "has variables captured by a closure (cells)",
    Op.StoreDeref: "has variables captured by a closure (cells)",
    Op.StoreUpvalue: "assigns a captured variable of an enclosing function",
    Op.Await: "uses await",
    Op.Spawn: "uses spawn",
    Op.Import: "imports a module",
    Op.ImportFrom: "imports a module",
    Op.RegisterTest: "declares tests",
    Op.TryUnwrap: "uses the ? operator",
}
