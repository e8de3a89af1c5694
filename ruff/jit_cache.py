"""On-disk cache of native code, so a second run of a program neither lowers nor imports xDSL.

An entry is keyed by everything the code depends on: the bytecode and constants of the compiled
function and of every global function it calls directly, the argument types, the compiler version and
the host CPU. It holds the object file LLVM produced and a small JSON description (symbols, types,
dependencies). Entries are written to a temporary file and renamed into place, so concurrent runs never
see half an entry; an entry that does not load is deleted and compiled again.

Location: $RUFF_CACHE_DIR, else $XDG_CACHE_HOME/ruff-xdsl, else ~/.cache/ruff-xdsl. RUFF_JIT_CACHE=0
turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass
from typing import Any, Optional

from ruff.frontend.bytecode import Chunk
from ruff.runtime.values import Closure, Module

# 9: dicts keep a number's text as the int (ruff/runtime/dict_keys.py); code made for string keys is stale.
COMPILER_VERSION = "ruff-jit-9"
# The compiler's own source is part of every key: native code made by another version of a pass is never
# loaded (a development checkout changes them without touching COMPILER_VERSION).
_COMPILER_SOURCES = ("dialects", "passes", "backend", "tiering.py", "osr.py", "jit_cache.py",
                     "runtime/native_support.py", "runtime/values.py", "runtime/dict_keys.py", "dialects/ruff")
_fingerprint: Optional[str] = None


def compiler_fingerprint() -> str:
    global _fingerprint
    if _fingerprint is None:
        root = os.path.dirname(os.path.abspath(__file__))
        # The interpreter too: native code reads its objects at its layout (ruff.passes.abi).
        h = hashlib.sha256(f"{COMPILER_VERSION}|{sys.implementation.cache_tag}|{sys.version}".encode())
        for entry in _COMPILER_SOURCES:
            path = os.path.join(root, entry)
            files = [path] if path.endswith(".py") else sorted(
                os.path.join(path, f) for f in os.listdir(path) if f.endswith(".py"))
            for f in files:  # size and modification time: reading every file would cost ~15 ms per run
                st = os.stat(f)
                h.update(f"{os.path.basename(f)}:{st.st_size}:{st.st_mtime_ns}".encode())
        _fingerprint = h.hexdigest()[:16]
    return _fingerprint


def cache_dir() -> Optional[str]:
    if os.environ.get("RUFF_JIT_CACHE", "") == "0":
        return None
    base = os.environ.get("RUFF_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "ruff-xdsl")
    return base


def dependency_chunks(root: Chunk, module: Module) -> list[tuple[str, Chunk]]:
    """The root chunk and the chunks of the module's global functions it (transitively) loads by name, and
    of the struct methods it calls (struct_method)."""
    out: list[tuple[str, Chunk]] = [("", root)]
    seen = {id(root)}
    i = 0
    while i < len(out):
        chunk = out[i][1]
        i += 1
        for name, callee in callees(chunk, module):
            if id(callee.chunk) not in seen:
                seen.add(id(callee.chunk))
                out.append((name, callee.chunk))
    return out


def callees(chunk: Chunk, module: Module) -> list[tuple[str, Closure]]:
    """The functions of `module` that `chunk` calls by name, as native code may call them directly: a
    global holding one of its functions, by the global's name, and the method `obj.m(..)` names, by
    `"<struct type's global>.m"` (struct_method)."""
    out = []
    for ins in chunk.code:
        if ins.op.name == "LoadGlobal":
            value = module.globals.get(ins.arg)
            if type(value) is Closure and value.module is module:
                out.append((ins.arg, value))
        elif ins.op.name == "CallMethod":
            found = struct_method(module, ins.arg[0])
            if found is not None:
                out.append((f"{found[0]}.{ins.arg[0]}", found[1]))
    return out


def struct_method(module: Module, name: str) -> Optional[tuple[str, Closure]]:
    """(global, method) when exactly one global of `module` holds a struct type with a method `name` that is a
    function of the module: what `obj.name(..)` most likely calls. Native code guards that obj is an instance
    of that global's type (read when the call runs) and calls the method directly; rebinding the global
    drops the code."""
    from ruff.runtime.values import StructType

    found = None
    for gname, value in module.globals.items():
        if type(value) is StructType:
            method = value.methods.get(name)
            if type(method) is Closure and method.module is module:
                if found is not None:
                    return None
                found = (gname, method)
    # A method the lifter would refuse leaves the call to the runtime rather than keeping its callers out.
    return found if found is not None and _liftable(found[1].chunk, module) else None


def _liftable(chunk: Chunk, module: Module) -> bool:
    """Nothing in chunk or the global functions it calls keeps them from native code (the methods it calls
    are asked the same when their own calls are looked at)."""
    from ruff.dialects.lift_refusals import REFUSED

    seen, todo = {id(chunk)}, [chunk]
    while todo:
        c = todo.pop()
        if c.is_generator or c.is_async or c.upvalues or c.cell_slots:
            return False
        for ins in c.code:
            if ins.op in REFUSED or ins.op.name == "MakeClosure":
                return False
            if ins.op.name == "LoadGlobal":
                value = module.globals.get(ins.arg)
                if type(value) is Closure and value.module is module and id(value.chunk) not in seen:
                    seen.add(id(value.chunk))
                    todo.append(value.chunk)
    return True


def _chunk_text(chunk: Chunk) -> str:
    consts = [c.name if isinstance(c, Chunk) else f"{type(c).__name__}:{c!r}" for c in chunk.constants]
    code = [(i.op.name, repr(i.arg), i.line) for i in chunk.code]
    return repr((chunk.name, chunk.params, chunk.num_locals, code, consts))


# id(chunk) → (chunk, digest of _chunk_text): a chunk's bytecode never changes, and the JIT asks for the key
# of the same chunks at every attempt (each specialization, each loop, each refusal).
_digests: dict[int, tuple[Chunk, bytes]] = {}


def _chunk_digest(chunk: Chunk) -> bytes:
    hit = _digests.get(id(chunk))
    if hit is not None and hit[0] is chunk:
        return hit[1]
    digest = hashlib.sha256(_chunk_text(chunk).encode()).digest()
    _digests[id(chunk)] = (chunk, digest)
    return digest


def cache_key(root: Chunk, module: Module, types: tuple[str, ...], host: str) -> str:
    h = hashlib.sha256()
    h.update(f"{compiler_fingerprint()}|{host}|{types}".encode())
    for name, chunk in dependency_chunks(root, module):
        h.update(name.encode() + b"\0" + _chunk_digest(chunk))
    return h.hexdigest()


@dataclass
class CachedEntry:
    obj: bytes
    meta: dict[str, Any]
    shared_library: Optional[str] = None  # path of the verified .so, when there is one


def load(key: str) -> Optional[CachedEntry]:
    base = cache_dir()
    if base is None:
        return None
    obj_path, meta_path = os.path.join(base, key + ".o"), os.path.join(base, key + ".json")
    try:
        meta = verified_meta(key, json.loads(read_entry_file(meta_path, MAX_META_BYTES)))
        obj = read_entry_file(obj_path, MAX_CODE_BYTES)
        # LLVM crashes on a damaged object file rather than failing: check it before anyone loads it.
        if meta.get("version") != COMPILER_VERSION or meta.get("sha256") != hashlib.sha256(obj).hexdigest():
            raise ValueError("stale or damaged entry")
        so_path = os.path.join(base, key + ".so")
        shared = None
        if meta.get("so_sha256"):
            if hashlib.sha256(read_entry_file(so_path, MAX_CODE_BYTES)).hexdigest() != meta["so_sha256"]:
                raise ValueError("damaged shared library")
            shared = so_path
        return CachedEntry(obj, meta, shared)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        discard(key)
        return None


def _seal(key: str, meta: dict[str, Any]) -> str:
    return hashlib.sha256((key + "\0" + json.dumps(meta, sort_keys=True)).encode()).hexdigest()


def sealed_meta(key: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The description as written: every byte that decides behaviour (result type, symbols, dependencies)
    sealed with a checksum that also names the entry, so an edited or swapped description is refused."""
    return {"meta": meta, "seal": _seal(key, meta)}


def verified_meta(key: str, data: Any) -> dict[str, Any]:
    """The description of a sealed entry, or ValueError when it is not exactly what store() wrote."""
    if not isinstance(data, dict) or set(data) != {"meta", "seal"} or not isinstance(data["meta"], dict):
        raise ValueError("malformed entry")
    meta = data["meta"]
    if data["seal"] != _seal(key, meta):
        raise ValueError("entry does not match its checksum")
    if not (isinstance(meta.get("root"), str) and isinstance(meta.get("returns"), str)
            and isinstance(meta.get("deps"), list) and isinstance(meta.get("signatures"), list)
            and isinstance(meta.get("objects", []), list)):
        raise ValueError("entry lacks its description")
    return meta


# Bounds on what one entry file may hold: generous for real entries, and a file that claims more is damaged.
MAX_META_BYTES = 1 << 20
MAX_CODE_BYTES = 64 << 20


def read_entry_file(path: str, limit: int) -> bytes:
    """The bytes of a cache file that is a regular file of at most `limit` bytes; OSError / ValueError
    otherwise. Anyone who can write the cache directory can put a FIFO there (a plain open would block
    forever), a symlink to /dev/zero (read until the kernel kills us) or a huge file: the file is opened
    without following a symlink and without blocking, and checked before it is read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValueError(f"{path} is not a regular file")
        if st.st_size > limit:
            raise ValueError(f"{path} is larger than {limit} bytes")
        chunks, size = [], 0
        while True:  # read to the end, in case the file grew after fstat, but never past the bound
            chunk = os.read(fd, min(limit + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ValueError(f"{path} is larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def load_refusal(key: str) -> Optional[str]:
    """Why the compiler refused this code in an earlier run (lifting and specializing it just to refuse it
    again costs as much as a compile), or None."""
    base = cache_dir()
    if base is None:
        return None
    path = os.path.join(base, key + ".refused")
    try:
        data = json.loads(read_entry_file(path, MAX_META_BYTES))
        meta = data["meta"] if isinstance(data, dict) else None
        if not isinstance(meta, dict) or data.get("seal") != _seal(key, meta) \
                or meta.get("version") != COMPILER_VERSION or not isinstance(meta.get("refused"), str):
            raise ValueError("damaged refusal")
        return meta["refused"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, RecursionError):
        try:
            os.unlink(path)
        except OSError:
            pass
        return None


def store_refusal(key: str, reason: str) -> None:
    base = cache_dir()
    if base is None:
        return
    try:
        import tempfile

        os.makedirs(base, exist_ok=True)
        meta = {"refused": reason, "version": COMPILER_VERSION}
        fd, tmp = tempfile.mkstemp(dir=base, prefix=key, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(json.dumps({"meta": meta, "seal": _seal(key, meta)}).encode())
        os.replace(tmp, os.path.join(base, key + ".refused"))
    except OSError:  # a read-only or full cache: refuse again next time
        pass


def store(key: str, obj: bytes, meta: dict[str, Any], ir_text: str = "") -> None:
    """Keep an entry: the object file, a shared library when one can be linked, then the description."""
    base = cache_dir()
    if base is None:
        return
    try:
        os.makedirs(base, exist_ok=True)
        meta = {**meta, "version": COMPILER_VERSION, "sha256": hashlib.sha256(obj).hexdigest()}
        so_tmp = os.path.join(base, f"{key}.{os.getpid()}.so.tmp")
        try:
            from ruff.backend.shared_lib import build_shared_library

            if build_shared_library(ir_text, so_tmp):
                with open(so_tmp, "rb") as f:
                    meta["so_sha256"] = hashlib.sha256(f.read()).hexdigest()
                os.replace(so_tmp, os.path.join(base, key + ".so"))
        except Exception:  # no linker, odd IR: the object file is enough
            meta.pop("so_sha256", None)
        import tempfile

        # Object first, description last: an entry counts only once its .json exists.
        for suffix, data in ((".o", obj), (".json", json.dumps(sealed_meta(key, meta)).encode())):
            fd, tmp = tempfile.mkstemp(dir=base, prefix=key, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, os.path.join(base, key + suffix))
    except OSError:
        pass  # a read-only or full disk only costs the next run a compile


def discard(key: str) -> None:
    base = cache_dir()
    if base is None:
        return
    for suffix in (".json", ".o", ".so"):
        try:
            os.remove(os.path.join(base, key + suffix))
        except OSError:
            pass
