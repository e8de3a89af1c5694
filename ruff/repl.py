"""`ruff repl`: the interactive session.

- Every complete input is compiled as a small program that shares one Module (its globals) and one VM
  with the earlier inputs, so definitions persist. Names defined by earlier inputs count as top-level
  names when compiling a new one, so `count := count + 1` inside a function defined later updates the
  global, exactly as in a file.
- Input is complete when it parses. While the parser only complains about the end of the input (an open
  brace, bracket or parenthesis, a trailing operator, an unterminated block comment) the REPL keeps
  reading with the continuation prompt; a line ending in `\\` continues too. Two blank lines in a row
  run the input anyway (and show the error); Ctrl-C discards it.
- Top-level expression statements echo their value as the reference REPL does: `=> 3`, `=> "text"`,
  `=> [1, "a"]`; a null result (e.g. from `print`) echoes nothing.
- Errors (syntax or runtime) print their diagnostic on stderr and the session goes on.
- Commands (at the start of an input): :help/:h, :quit/:q/:exit, :vars/:v, :reset/:r, :clear/:c.
- EOF (Ctrl-D) and :quit end the session with status 0; `exit(n)` ends it with n.

With a terminal on stdin, lines are read through readline (history in ~/.ruff_history, or
$RUFF_HISTORY). Otherwise (a pipe, as in the tests) lines come from stdin and the banner, prompts and
goodbye go to stderr, so stdout carries only what the Ruff code prints and the echoed values.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Optional, TextIO

from ruff.diagnostics import RuffSyntaxError, format_diagnostic
from ruff.frontend import ast
from ruff.frontend.compiler import CompileError, CompiledProgram, compile_program
from ruff.frontend.parser import parse
from ruff.exit_codes import EXIT_OK
from ruff.runner import RunOptions, make_vm
from ruff.runtime.report import format_runtime_error
from ruff.runtime.values import Builtin, Module, RuffError, display_literal

PROMPT = "ruff> "
CONTINUE = "....> "
ECHO = "__repl_echo"

BANNER = "Ruff REPL - interactive shell. Type :help for commands, :quit or Ctrl-D to exit."

HELP = """\
REPL commands:
  :help, :h      show this help
  :quit, :q      leave the REPL (Ctrl-D works too)
  :vars, :v      list the variables defined in this session
  :reset, :r     forget every definition and start over
  :clear, :c     clear the screen

Multi-line input: leave a brace, bracket or parenthesis open, end a line with an
operator or a backslash, and keep typing; the input runs once it is complete.
Ctrl-C discards the current input. Expressions print their value after "=> ".

Example:
  ruff> func greet(name) {
  ....>     print("Hello, " + name)
  ....> }
  ruff> greet("World")
  Hello, World
"""


# ----------------------------------------------------------------------------- value display


repl_repr = display_literal  # how the REPL echoes a value: strings quoted (also inside collections)


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ----------------------------------------------------------------------------- compiling one input


def _echo_statements(program: ast.Program) -> None:
    """Wrap each top-level expression statement so its value is echoed."""
    for i, s in enumerate(program.stmts):
        if type(s) is ast.ExprStmt:
            e = s.expr
            call = ast.Call(ast.Name(ECHO, span=e.span), [e], span=e.span)
            program.stmts[i] = ast.ExprStmt(call, span=s.span)


def compile_input(program: ast.Program, filename: str, known: set[str], kinds: dict[str, str]) -> CompiledProgram:
    """Compile one input, with the names the session already defined treated as top-level names."""
    return compile_program(program, filename, known_globals=known, known_kinds=kinds)


def needs_more(text: str) -> bool:
    """True while `text` is a prefix of a complete input (the parser only objects to its end)."""
    if not text.strip():
        return False
    try:
        parse(text, "<repl>")
    except RuffSyntaxError as e:
        return "end of input" in e.message or e.message.startswith("Unterminated block comment")
    return False


# ----------------------------------------------------------------------------- the session


class Session:
    """The state of a REPL: one VM, one module; `run_input` evaluates one complete input."""

    def __init__(self, options: RunOptions, write: Optional[Callable[[str], Any]] = None,
                 errors: Optional[TextIO] = None) -> None:
        self.options = options
        self._write = write
        self.errors = errors
        self.vm: Any = None
        self.reset()

    def err(self, text: str) -> None:
        stream = self.errors or sys.stderr
        try:
            sys.stdout.flush()
        except Exception:
            pass
        print(text, file=stream, flush=True)

    def out(self, text: str) -> None:
        self.vm.write(text)

    def reset(self) -> None:
        self.vm = make_vm(self.options, self._write)
        self.module = Module("__main__", "<repl>", "")
        self.vm.builtins[ECHO] = Builtin(ECHO, self._echo)
        self.count = 0
        self.sources: dict[str, str] = {}

    def _echo(self, rt: Any, args: list) -> None:
        if args and args[0] is not None:
            rt.write("=> " + repl_repr(args[0]) + "\n")
        return None

    def variables(self) -> list[tuple[str, Any]]:
        return sorted((k, v) for k, v in self.module.globals.items() if not k.startswith("__"))

    def show_vars(self) -> None:
        items = self.variables()
        if not items:
            self.out("No variables defined.\n")
            return
        lines = ["Defined variables:"]
        for name, value in items:
            lines.append(f"  {name} = {_short(repl_repr(value))}")
        self.out("\n".join(lines) + "\n")

    def run_input(self, text: str) -> None:
        """Compile and run one input; errors are reported, never raised (except exit())."""
        if not text.strip():
            return
        self.count += 1
        filename = f"<repl#{self.count}>"
        self.sources[filename] = text
        try:
            program = parse(text, filename)
            _echo_statements(program)
            compiled = compile_input(program, filename, set(self.module.globals), dict(self.module.kinds))
        except RuffSyntaxError as e:
            self.err(e.format(text, filename))
            return
        except CompileError as e:
            self.err(format_diagnostic(e.message, filename, text, e.line, e.col))
            return
        vm = self.vm
        try:
            vm.run_chunk(compiled.chunk, self.module)
        except RuffError as err:
            del vm.frames[:]
            self.err(format_runtime_error(err, self.sources, self.module.globals))
        except KeyboardInterrupt:
            del vm.frames[:]
            self.err("Interrupted")
        except RecursionError:
            del vm.frames[:]
            self.err("error: maximum recursion depth exceeded")
        finally:
            try:
                sys.stdout.flush()
            except Exception:
                pass

    def command(self, line: str) -> bool:
        """Run a `:command`; False when the session should end."""
        cmd = line.strip().split()[0]
        if cmd in (":quit", ":q", ":exit"):
            return False
        if cmd in (":help", ":h"):
            self.out(HELP)
        elif cmd in (":vars", ":v"):
            self.show_vars()
        elif cmd in (":reset", ":r"):
            self.reset()
            self.out("Environment reset\n")
        elif cmd in (":clear", ":c"):
            self.out("\x1b[2J\x1b[1;1H")
        else:
            self.err(f"Error: Unknown command: {cmd}. Type :help for available commands.")
        return True


# ----------------------------------------------------------------------------- reading lines


class _LineReader:
    """Lines from a terminal (readline, prompts on stdout) or from a pipe (prompts on stderr)."""

    def __init__(self, stdin: TextIO) -> None:
        self.stdin = stdin
        self.tty = stdin.isatty() and sys.stdout.isatty()
        self.readline: Any = None
        self.history: Optional[str] = None
        if self.tty and stdin is sys.stdin:
            try:
                import readline
            except ImportError:
                readline = None  # type: ignore[assignment]
            if readline is not None:
                self.readline = readline
                self.history = os.environ.get("RUFF_HISTORY") or os.path.join(os.path.expanduser("~"), ".ruff_history")
                try:
                    readline.read_history_file(self.history)
                except OSError:
                    pass
                readline.set_history_length(1000)
        self.chatter = sys.stdout if self.tty else sys.stderr

    def say(self, text: str) -> None:
        self.chatter.write(text + "\n")
        self.chatter.flush()

    def read(self, prompt: str) -> Optional[str]:
        """One line without its newline; None at end of input. May raise KeyboardInterrupt."""
        if self.tty and self.stdin is sys.stdin:
            try:
                return input(prompt)
            except EOFError:
                return None
        self.chatter.write(prompt)
        self.chatter.flush()
        line = self.stdin.readline()
        if not line:
            return None
        return line[:-1] if line.endswith("\n") else line

    def close(self) -> None:
        if self.readline is not None and self.history:
            try:
                self.readline.write_history_file(self.history)
            except OSError:
                pass


def run_repl(options: RunOptions, stdin: Optional[TextIO] = None) -> int:
    from ruff.runtime.builtins.core import ExitProgram

    reader = _LineReader(stdin or sys.stdin)
    session = Session(options)
    reader.say(BANNER)
    buffer: list[str] = []
    blanks = 0
    try:
        while True:
            try:
                line = reader.read(CONTINUE if buffer else PROMPT)
            except KeyboardInterrupt:
                reader.say("^C (input discarded; :quit or Ctrl-D to exit)")
                buffer, blanks = [], 0
                continue
            if line is None:
                if buffer:
                    session.run_input("\n".join(buffer) + "\n")
                reader.say("\nGoodbye!" if reader.tty else "Goodbye!")
                return EXIT_OK
            if not buffer and line.strip().startswith(":"):
                if not session.command(line):
                    reader.say("Goodbye!")
                    return EXIT_OK
                continue
            if line.rstrip().endswith("\\"):
                buffer.append(line.rstrip()[:-1])
                continue
            if not buffer and not line.strip():
                continue
            buffer.append(line)
            blanks = blanks + 1 if not line.strip() else 0
            text = "\n".join(buffer) + "\n"
            if blanks < 2 and needs_more(text):
                continue
            buffer, blanks = [], 0
            try:
                session.run_input(text)
            except ExitProgram as e:
                return e.code
    finally:
        reader.close()
        try:
            sys.stdout.flush()
        except Exception:
            pass
