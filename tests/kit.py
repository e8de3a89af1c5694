"""The test kit: what tests need to call builtins and to run programs, in one place.

- `FakeRuntime`, `call`, `raises`, `as_builtin`: a builtin called directly, with a stand-in for the runtime.
- `run_source`, `run_file`: a program run in this process, on the reference interpreter unless another
  executor is given.
- `run_cli`, `write_program`: `python -m ruff ...` in a subprocess, as a user runs it.
- `local_http_server`: a Python HTTP server on 127.0.0.1 for the HTTP client builtins to talk to.

tests/ is on sys.path for every test (tests/conftest.py lives here), so any test does `from kit import …`.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from ruff.frontend.compiler import compile_source
from ruff.runtime.builtins import BUILTINS
from ruff.runtime.values import Builtin, Module, RuffError

ROOT = Path(__file__).resolve().parent.parent  # the repository


# ----------------------------------------------------------------------------- builtins, called directly


class FakeRuntime:
    """What a builtin receives as `rt`, without an executor: output collected in `out`, the script's
    arguments, a seeded random generator, lines that `input()` reads, and `call` for callbacks, which runs
    builtins (a Ruff closure needs a real executor: use run_source). `calls` counts the callbacks."""

    def __init__(self, script_args: tuple = (), seed: int = 0, stdin_lines: tuple = ()) -> None:
        self.out: list[str] = []
        self.script_args = list(script_args)
        self.random = random.Random(seed)
        self.filename = "test.ruff"
        self.lines = list(stdin_lines)
        self.calls = 0

    def write(self, text: str) -> None:
        self.out.append(text)

    def read_line(self) -> str:
        return self.lines.pop(0) if self.lines else ""

    def call(self, f: Any, args: list) -> Any:
        self.calls += 1
        fn = getattr(f, "fn", None)
        if fn is None:
            raise TypeError("FakeRuntime calls builtins only (a Ruff closure needs an executor: run_source)")
        return fn(self, list(args))

    @property
    def output(self) -> str:
        return "".join(self.out)


def call(name: str, *args: Any, rt: Optional[FakeRuntime] = None) -> Any:
    """The builtin `name` applied to `args` (a fresh FakeRuntime unless `rt` is given)."""
    return BUILTINS[name].fn(rt or FakeRuntime(), list(args))


def raises(name: str, *args: Any, match: str = "") -> str:
    """The builtin raises a Ruff error whose message contains `match`; the message."""
    with pytest.raises(RuffError) as info:
        call(name, *args)
    assert match in info.value.message, info.value.message
    return info.value.message


def as_builtin(f: Any) -> Builtin:
    """A Python function as a Ruff callback (what `map`, `filter`, `sort`… receive)."""
    return Builtin("f", lambda rt, a: f(*a))


# Builtins with effects outside the call: files, env, processes, the network, sleeping, exiting, settings.
UNSAFE = {"input", "exit", "sleep", "execute", "execute_status", "spawn_process", "os_chdir", "os_rmdir",
          "create_dir", "write_file", "write_file_sync", "append_file", "delete_file", "rename_file",
          "copy_file", "env_set", "eprint", "pipe_commands", "kv_set", "async_write_file", "async_write_files",
          "ssg_render_and_write_pages", "ssg_read_render_and_write_pages", "gif_to_webp", "set_task_pool_size",
          "http_get", "http_post", "http_put", "http_delete", "http_request", "http_get_binary", "http_get_stream",
          "parallel_http", "async_http_get", "async_http_post", "oauth2_get_token", "tcp_listen", "tcp_connect",
          "udp_bind"}


# ----------------------------------------------------------------------------- programs, in this process


def run_source(src: str, vm: Any = None, filename: str = "t.ruff", dedent: bool = True) -> str:
    """Compile and run `src` (dedented: tests write programs as indented triple-quoted strings) in this
    process; what it printed. `vm`: the executor (default: a fresh reference interpreter, which prints into
    the returned text; another executor prints where it was told to). A runtime error propagates as
    RuffError."""
    from ruff.runtime.vm import VM

    if dedent:
        src = textwrap.dedent(src)
    out: list[str] = []
    if vm is None:
        vm = VM(write=out.append)
    program = compile_source(src, filename)
    vm.run_chunk(program.chunk, Module("__main__", filename, src))
    return "".join(out)


def run_file(path: Path, vm: Any = None) -> str:
    """Run the program in file `path` in this process (its imports resolve next to it); what it printed."""
    path = Path(path)
    return run_source(path.read_text(encoding="utf-8"), vm, filename=str(path), dedent=False)


# ----------------------------------------------------------------------------- programs, through the CLI


def run_cli(*args: Any, stdin: Any = None, cwd: Path = ROOT, env: Optional[dict] = None,
            timeout: float = 60, text: bool = True, **kw: Any) -> subprocess.CompletedProcess:
    """`python -m ruff ARGS` in a subprocess (this Python, the environment plus `env`). `stdin`: the text
    (or bytes) to feed it, or a file / subprocess.DEVNULL to connect."""
    feed = {"input": stdin} if isinstance(stdin, (str, bytes)) else {"stdin": stdin} if stdin is not None else {}
    return subprocess.run([sys.executable, "-m", "ruff", *args], capture_output=True, text=text, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=timeout, **feed, **kw)


def sigint_default() -> None:
    """preexec_fn for a child that a test sends Ctrl-C: a test run started in the background by a
    non-interactive shell ignores SIGINT, and a child would inherit that (Python then installs no
    handler and the signal does nothing)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def write_program(path: Path, text: str) -> Path:
    """Write `text` to `path` (UTF-8, making its directory); the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- a local HTTP server


@contextmanager
def local_http_server(handler: Any) -> Iterator[str]:
    """A ThreadingHTTPServer on 127.0.0.1 (a free port) answering with `handler`, served from a daemon
    thread while the block runs; yields its base URL."""
    from http.server import ThreadingHTTPServer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
