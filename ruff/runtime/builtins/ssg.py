"""The reference's static-site-generator benchmark helpers.

A page i with source text S renders as "<html><body><h1>Post i</h1><article>" + S + "</article></body></html>"
and is written to "<output_dir>/post_i.html". A checksum is the total size of the rendered pages in bytes.

    ssg_render_pages(sources)                 {"pages": [html, ...], "checksum": int}
    ssg_build_output_paths(dir, n [, ext])    ["dir/post_0.html", ...] (ext defaults to ".html")
    ssg_render_and_write_pages(sources, dir [, limit])
                                              a promise of {"checksum": int, "files": int}
    ssg_read_render_and_write_pages(paths, dir [, limit])
                                              reads each source file (as bytes), renders and writes it; a
                                              promise of {"checksum", "files", "read_ms", "render_write_ms"}
                                              (the stage times are summed per file and only measured when
                                              RUFF_BENCH_SSG_PROFILE_ASYNC is set, else 0)
"""

from __future__ import annotations

import os
import time
from typing import Any, Callable

from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import Registry, rust_error_text

reg = Registry()

PREFIX_START = "<html><body><h1>Post "
PREFIX_END = "</h1><article>"
SUFFIX = "</article></body></html>"
PROFILE_ENV = "RUFF_BENCH_SSG_PROFILE_ASYNC"
MAX_SSG_THREADS = 16
MAX_PATHS = 10_000_000


def render(index: int, source: str) -> str:
    return f"{PREFIX_START}{index}{PREFIX_END}{source}{SUFFIX}"


def _env_flag(name: str) -> bool:
    v = os.environ.get(name)
    return v is not None and v.strip().lower() not in ("0", "false", "off", "no")


def _strings(name: str, items: Any, what: str) -> list[str]:
    for i, v in enumerate(items):
        if type(v) is not str:
            raise RuffError(f"{name}() {what} at index {i} must be a string")
    return list(items)


@reg("ssg_render_pages")
def ssg_render_pages(rt: Any, args: list) -> dict:
    if len(args) != 1:
        raise RuffError(f"ssg_render_pages() expects 1 argument (array of source pages), got {len(args)}")
    if type(args[0]) is not list:
        raise RuffError("ssg_render_pages() requires an array of source page strings")
    sources = _strings("ssg_render_pages", args[0], "source page")
    pages = [render(i, s) for i, s in enumerate(sources)]
    return {"pages": pages, "checksum": sum(len(p.encode("utf-8")) for p in pages)}


@reg("ssg_build_output_paths")
def ssg_build_output_paths(rt: Any, args: list) -> list:
    if len(args) not in (2, 3):
        raise RuffError(f"ssg_build_output_paths() expects 2 or 3 arguments (output_dir, file_count, optional "
                        f"extension), got {len(args)}")
    out_dir, count = args[0], args[1]
    if type(out_dir) is not str:
        raise RuffError("ssg_build_output_paths() output_dir must be a string")
    if type(count) is not int:
        raise RuffError("ssg_build_output_paths() file_count must be an integer")
    if count < 0:
        raise RuffError(f"ssg_build_output_paths() file_count must be >= 0, got {count}")
    if count > MAX_PATHS:  # the reference would abort allocating them; this says why instead
        raise RuffError(f"ssg_build_output_paths() file_count {count} exceeds the maximum of {MAX_PATHS}")
    ext = ".html"
    if len(args) == 3:
        if type(args[2]) is not str:
            raise RuffError("ssg_build_output_paths() optional extension must be a string")
        ext = args[2]
    return [f"{out_dir}/post_{i}{ext}" for i in range(count)]


def _batch_args(name: str, args: list, first: str) -> tuple[list, str, int]:
    if len(args) not in (2, 3):
        kind = "source_pages" if first == "source page" else "source_paths"
        raise RuffError(f"{name}() expects 2 or 3 arguments ({kind}, output_dir, optional concurrency_limit), "
                        f"got {len(args)}")
    if type(args[0]) is not list:
        what = "string source pages" if first == "source page" else "string source paths"
        raise RuffError(f"{name}() first argument must be an array of {what}")
    if type(args[1]) is not str:
        raise RuffError(f"{name}() second argument must be a string output_dir")
    if len(args) == 3:
        limit = args[2]
        if type(limit) is not int:
            raise RuffError(f"{name}() optional concurrency_limit must be an integer")
        if limit <= 0:
            raise RuffError(f"{name}() concurrency_limit must be > 0, got {limit}")
    else:
        from ruff.runtime import concurrency

        limit = concurrency.task_pool_size()
    return _strings(name, args[0], first), args[1], limit


def _write_page(path: str, index: int, body: bytes) -> int:
    data = f"{PREFIX_START}{index}{PREFIX_END}".encode("utf-8") + body + SUFFIX.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def _run_pages(count: int, work: Callable[[int], tuple[int, int, int]], limit: int) -> tuple[int, int, int]:
    """Run work(i) for every page on up to `limit` threads; sums (bytes, read_ns, write_ns)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, min(limit, count, MAX_SSG_THREADS))) as pool:
        results = list(pool.map(work, range(count)))
    return tuple(sum(r[k] for r in results) for k in range(3))  # type: ignore[return-value]


def _start(rt: Any, body: Callable[[], Any], name: str) -> Any:
    from ruff.runtime import concurrency

    return concurrency.start_task(rt, lambda fork: body(), name=name)


@reg("ssg_render_and_write_pages")
def ssg_render_and_write_pages(rt: Any, args: list) -> Any:
    name = "ssg_render_and_write_pages"
    sources, out_dir, limit = _batch_args(name, args, "source page")

    def work(i: int) -> tuple[int, int, int]:
        path = f"{out_dir}/post_{i}.html"
        try:
            return _write_page(path, i, sources[i].encode("utf-8")), 0, 0
        except OSError as e:
            raise RuffError(f"Failed to write file '{path}' (index {i}): {rust_error_text(e)}") from None

    def body() -> dict:
        total = _run_pages(len(sources), work, limit)[0] if sources else 0
        return {"checksum": total, "files": len(sources)}

    return _start(rt, body, name)


@reg("ssg_read_render_and_write_pages")
def ssg_read_render_and_write_pages(rt: Any, args: list) -> Any:
    name = "ssg_read_render_and_write_pages"
    paths, out_dir, limit = _batch_args(name, args, "source path")
    profile = _env_flag(PROFILE_ENV)

    def work(i: int) -> tuple[int, int, int]:
        t0 = time.perf_counter_ns() if profile else 0
        try:
            with open(paths[i], "rb") as f:
                body = f.read()
        except OSError as e:
            raise RuffError(f"Failed to read file '{paths[i]}' (index {i}): {rust_error_text(e)}") from None
        t1 = time.perf_counter_ns() if profile else 0
        out = f"{out_dir}/post_{i}.html"
        try:
            written = _write_page(out, i, body)
        except OSError as e:
            raise RuffError(f"Failed to write file '{out}' (index {i}): {rust_error_text(e)}") from None
        t2 = time.perf_counter_ns() if profile else 0
        return written, t1 - t0, t2 - t1

    def body() -> dict:
        if not paths:
            return {"checksum": 0, "files": 0, "read_ms": 0.0, "render_write_ms": 0.0}
        total, read_ns, write_ns = _run_pages(len(paths), work, limit)
        return {"checksum": total, "files": len(paths), "read_ms": read_ns / 1e6, "render_write_ms": write_ns / 1e6}

    return _start(rt, body, name)
