"""File I/O that returns promises, as the reference's async_* builtins (each runs on a task).

    async_read_file(path)                      a promise of the file's text
    async_write_file(path, text)               a promise of true (the file is created or replaced)
    async_read_files(paths [, limit])          a promise of the texts, in order
    async_write_files(paths, texts [, limit])  a promise of [true, ...]

`limit` bounds how many files are open at once (default: get_task_pool_size()). A failure rejects the
promise: "Failed to read file 'a.txt': No such file or directory (os error 2)"; for the batch forms
"Failed to read file 'a.txt' (index 1): ..." naming the first failing index.
"""

from __future__ import annotations

from typing import Any, Callable

from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import Registry, rust_error_text

reg = Registry()

MAX_FILE_THREADS = 64  # more threads than this only add contention, whatever the limit says


def _read(path: str) -> str:
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise OSError("stream did not contain valid UTF-8") from None


def _write(path: str, text: str) -> bool:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return True


def _why(e: BaseException) -> str:
    return rust_error_text(e) if isinstance(e, OSError) and e.errno is not None else str(e)


def _start(rt: Any, body: Callable[[], Any], name: str) -> Any:
    from ruff.runtime import concurrency

    return concurrency.start_task(rt, lambda fork: body(), name=name)


def _limit(name: str, args: list, i: int) -> int:
    if len(args) <= i:
        from ruff.runtime import concurrency

        return concurrency.task_pool_size()
    n = args[i]
    if type(n) is not int:
        raise RuffError(f"{name}() optional concurrency_limit must be an integer")
    if n <= 0:
        raise RuffError(f"{name}() concurrency_limit must be > 0, got {n}")
    return n


def _batch(jobs: list, run: Callable[[Any], Any], limit: int, verb: str, paths: list[str]) -> list:
    """Run `run` over jobs on up to `limit` threads; the first failure by index rejects the batch."""
    from concurrent.futures import ThreadPoolExecutor

    def attempt(job: Any) -> tuple[bool, Any]:
        try:
            return True, run(job)
        except OSError as e:
            return False, e

    with ThreadPoolExecutor(max_workers=max(1, min(limit, len(jobs), MAX_FILE_THREADS))) as pool:
        outcomes = list(pool.map(attempt, jobs))
    for i, (ok, value) in enumerate(outcomes):
        if not ok:
            raise RuffError(f"Failed to {verb} file '{paths[i]}' (index {i}): {_why(value)}")
    return [value for _, value in outcomes]


@reg("async_read_file")
def async_read_file(rt: Any, args: list) -> Any:
    if len(args) != 1:
        raise RuffError(f"async_read_file() expects 1 argument (path), got {len(args)}")
    path = args[0]
    if type(path) is not str:
        raise RuffError("async_read_file() requires a string path argument")

    def body() -> str:
        try:
            return _read(path)
        except OSError as e:
            raise RuffError(f"Failed to read file '{path}': {_why(e)}") from None

    return _start(rt, body, "async_read_file")


@reg("async_write_file")
def async_write_file(rt: Any, args: list) -> Any:
    if len(args) != 2:
        raise RuffError(f"async_write_file() expects 2 arguments (path, content), got {len(args)}")
    path, text = args
    if type(path) is not str:
        raise RuffError("async_write_file() requires a string path argument")
    if type(text) is not str:
        raise RuffError("async_write_file() requires a string content argument")

    def body() -> bool:
        try:
            return _write(path, text)
        except OSError as e:
            raise RuffError(f"Failed to write file '{path}': {_why(e)}") from None

    return _start(rt, body, "async_write_file")


@reg("async_read_files")
def async_read_files(rt: Any, args: list) -> Any:
    if len(args) not in (1, 2):
        raise RuffError(f"async_read_files() expects 1 or 2 arguments (paths, optional concurrency_limit), "
                        f"got {len(args)}")
    paths = args[0]
    if type(paths) is not list:
        raise RuffError("async_read_files() first argument must be an array of string paths")
    limit = _limit("async_read_files", args, 1)
    for i, p in enumerate(paths):
        if type(p) is not str:
            raise RuffError(f"async_read_files() path at index {i} must be a string")
    paths = list(paths)
    return _start(rt, lambda: _batch(paths, _read, limit, "read", paths), "async_read_files")


@reg("async_write_files")
def async_write_files(rt: Any, args: list) -> Any:
    if len(args) not in (2, 3):
        raise RuffError(f"async_write_files() expects 2 or 3 arguments (paths, contents, optional "
                        f"concurrency_limit), got {len(args)}")
    paths, texts = args[0], args[1]
    if type(paths) is not list:
        raise RuffError("async_write_files() first argument must be an array of string paths")
    if type(texts) is not list:
        raise RuffError("async_write_files() second argument must be an array of string contents")
    if len(paths) != len(texts):
        raise RuffError(f"async_write_files() paths and contents arrays must have the same length "
                        f"(paths={len(paths)}, contents={len(texts)})")
    limit = _limit("async_write_files", args, 2)
    for i, (p, t) in enumerate(zip(paths, texts)):
        if type(p) is not str:
            raise RuffError(f"async_write_files() path at index {i} must be a string")
        if type(t) is not str:
            raise RuffError(f"async_write_files() content at index {i} must be a string")
    jobs = list(zip(paths, texts))
    paths = list(paths)
    return _start(rt, lambda: _batch(jobs, lambda job: _write(*job), limit, "write", paths), "async_write_files")
