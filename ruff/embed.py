"""Ruff embedded in Python: run Ruff source, call its functions, get Python values back.

    >>> import ruff
    >>> program = ruff.run('func add(a, b) { return a + b }\\nlimit := 10\\nprint("loaded")')
    loaded
    >>> program.call("add", 2, 3)
    5
    >>> program.get("limit")
    10

`ruff.run(source)` / `ruff.run_file(path)` compile a program and run its top-level code, as `ruff run`
does (same executor, the native tier included unless `jit=False`), and return a `ruff.Program`.
`Program.call(name_or_function, *args)` calls a Ruff function (or builtin) with Python arguments and
returns its result as a Python value; `Program.get(name)` reads a global.

Values: int, float, str, bool and None are the same in both languages (a Ruff int is 64-bit: a larger
Python int is a ValueError). A Ruff array comes back as a new list and a dict as a new dict, converted all
the way down; Python lists, tuples and dicts with str keys go in the same way. Structs, enum values
(`Ok(1)`, `Some(x)`), functions and other runtime objects come back as they are (`str()` of them is not
Ruff's display; `ruff.display(v)` is) and can be passed back into `call`.

Errors: everything a Ruff program can do wrong raises `ruff.Error`; `str(e)` is the diagnostic `ruff run`
would print (message, file:line:col, source line, Ruff stack), `e.exit_code` is the code it would exit with
(3 syntax error, 4 runtime error, 5 unreadable file) and, for a runtime error, `e.value` is the thrown Ruff
value converted as above. `exit(code)` in Ruff code raises `ruff.Exit` (a `ruff.Error`) with `e.code`.

Output of `print` goes to sys.stdout, or to `output(text)` when given. A Program is not thread-safe.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Optional

from ruff.exit_codes import EXIT_RUNTIME
from ruff.limits import I64_MAX, I64_MIN
from ruff.runner import RunOptions, UserError, compile_file, make_vm, read_source
from ruff.runtime.report import format_runtime_error
from ruff.runtime.bigstack import run_in_big_stack
from ruff.runtime.dict_keys import key_text, text_key
from ruff.runtime.values import Module, RuffError, display

__all__ = ["Error", "Exit", "Program", "display", "run", "run_file"]


class Error(Exception):
    """A Ruff program failed to compile or raised a runtime error; str() is the full diagnostic."""

    def __init__(self, text: str, exit_code: int, value: Any = None) -> None:
        super().__init__(text)
        self.exit_code = exit_code
        self.value = value


class Exit(Error):
    """The program called `exit(code)`."""

    def __init__(self, code: int) -> None:
        super().__init__(f"the program called exit({code})", code)
        self.code = code


def run(source: str, filename: str = "<string>", *, output: Optional[Callable[[str], Any]] = None,
        jit: bool = True, tier: str = "fast", args: tuple[str, ...] = ()) -> "Program":
    """Compile `source` and run its top-level code; `filename` is what diagnostics call it and where its
    imports are looked up from (the current directory for the default)."""
    if tier not in ("fast", "interp"):
        raise ValueError(f"tier must be 'fast' or 'interp', not {tier!r}")
    try:
        compiled = compile_file(filename, source)
    except UserError as e:
        raise Error(e.text, e.code) from None
    options = RunOptions(jit=jit, tier=tier, script_args=list(args))
    program = Program(source, Module("__main__", filename, source), make_vm(options, output))
    program.module.exports = compiled.exports
    program._run(lambda: program.vm.run_chunk(compiled.chunk, program.module))
    return program


def run_file(path: str | os.PathLike, **options: Any) -> "Program":
    """`run` on the contents of a file (keyword options as for `run`)."""
    path = os.fspath(path)
    try:
        source = read_source(path)
    except UserError as e:
        raise Error(e.text, e.code) from None
    return run(source, path, **options)


class Program:
    """A Ruff program whose top-level code has run: call its functions, read its globals."""

    def __init__(self, source: str, module: Module, vm: Any) -> None:
        self.source = source
        self.module = module
        self.vm = vm

    def get(self, name: str) -> Any:
        """The global `name` as a Python value (KeyError when the program has no such global)."""
        if name not in self.module.globals:
            raise KeyError(name)
        return to_python(self.module.globals[name])

    def __contains__(self, name: object) -> bool:
        return name in self.module.globals

    def call(self, function: Any, *args: Any) -> Any:
        """Call a Ruff function (a global's name, a builtin's name, or a function value) with Python
        arguments; returns the result as a Python value."""
        if isinstance(function, str):
            fn = self.module.globals.get(function, self.vm.builtins.get(function))
            if fn is None:
                raise KeyError(f"no function named {function!r} in this program")
        else:
            fn = function
        ruff_args = [to_ruff(a) for a in args]
        return to_python(self._run(lambda: self.vm.call(fn, ruff_args)))

    def _run(self, body: Callable[[], Any]) -> Any:
        from ruff.runtime.builtins.core import ExitProgram
        from ruff.runtime.values import set_running_runtime

        def on_big_stack() -> Any:
            set_running_runtime(self.vm)  # per thread: a struct's own to_string is called through it
            return body()

        try:
            return run_in_big_stack(on_big_stack)
        except ExitProgram as e:
            raise Exit(e.code) from None
        except RuffError as err:
            del self.vm.frames[:]
            text = format_runtime_error(err, {self.module.filename: self.source})
            raise Error(text, EXIT_RUNTIME, to_python(err.value)) from None


def to_python(v: Any, _seen: Optional[dict] = None) -> Any:
    """A Ruff value as a Python value: arrays and dicts copied all the way down, the rest as is."""
    t = type(v)
    if t is int or t is float or t is str or t is bool or v is None:
        return v
    to_list = getattr(v, "ruff_to_list", None)  # a lazy range() array
    if to_list is not None and t is not list:
        v, t = to_list(), list
    if t is not list and t is not dict:
        return v
    seen = {} if _seen is None else _seen
    if id(v) in seen:
        return seen[id(v)]
    if t is list:
        out_list: list = []
        seen[id(v)] = out_list
        out_list.extend(to_python(x, seen) for x in v)
        return out_list
    out_dict: dict = {}
    seen[id(v)] = out_dict
    out_dict.update((key_text(k), to_python(x, seen)) for k, x in v.items())
    return out_dict


def to_ruff(v: Any) -> Any:
    """A Python value for Ruff code (ValueError / TypeError for what Ruff has no value for)."""
    t = type(v)
    if t is bool or t is float or t is str or v is None:
        return v
    if t is int:
        if not I64_MIN <= v <= I64_MAX:
            raise ValueError(f"{v} does not fit in a Ruff int (64-bit)")
        return v
    if t is list or t is tuple:
        return [to_ruff(x) for x in v]
    if t is dict:
        out = {}
        for k, x in v.items():
            if type(k) is not str:
                raise TypeError(f"Ruff dict keys are strings, not {type(k).__name__} ({k!r})")
            out[text_key(k)] = to_ruff(x)
        return out
    if t.__module__.startswith("ruff."):  # a runtime object handed out earlier (struct, function, ...)
        return v
    raise TypeError(f"cannot pass a Python {t.__name__} to Ruff")
