"""Files and paths: read_file, write_file, append_file, file_exists, read_lines, list_dir, create_dir,
file_size, delete_file, rename_file, copy_file, join_path/path_join, dirname, basename,
path_exists, path_absolute, path_is_dir, path_is_file, path_is_symlink, path_extension,
os_getcwd, os_chdir, os_rmdir.

Failures are Ruff errors naming the function and the path, e.g.
"read_file(): cannot read 'x.txt': No such file or directory".
Whole-file writes are atomic (`atomic_write`: a temporary file in the same directory, then os.replace), so
a write that fails leaves the old file whole.
Kept from the reference: `write_file(path, text)` refuses to replace an existing file unless a third
argument asks for it (`true` or `{"overwrite": true}`); path helpers follow Rust's Path rules
(`dirname("a/b/")` is "a", `basename("a/b/")` is "b", `path_extension("a.tar.gz")` is "gz").
"""

from __future__ import annotations

import os
from typing import Any

from ruff.runtime.values import RuffError
from ruff.runtime.builtins._util import (
    Registry, check_arity, check_arity_range, check_min_arity, python_error_text, type_error,
)

reg = Registry()

MAX_FILE_BYTES = 64 * 1024 * 1024


def atomic_write(path: str, data: bytes) -> None:
    """Replace the file at `path` (following a symlink to the file it names) with `data`, or leave it as
    it was: the bytes go to a temporary file beside it, which takes the old file's permissions (a new
    file gets the umask's) and is renamed over it only once it is completely on disk. (Only where the
    directory refuses new entries but the file is writable is it rewritten in place.)"""
    import stat
    import tempfile

    target = os.path.realpath(path)
    if os.path.isfile(target) and not os.access(target, os.W_OK):
        raise PermissionError(13, "Permission denied")  # a rename would get round the file's own mode
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.",
                                   suffix=".tmp")
    except PermissionError:
        if not os.path.isfile(target):
            raise
        with open(target, "wb") as f:  # a writable file in a directory we may not add to: in place
            f.write(data)
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    # Read without os.umask(), which would briefly change it for every thread of the process.
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _path(name: str, args: list, i: int = 0) -> str:
    p = args[i]
    if type(p) is not str:
        raise type_error(name, "a string path", p)
    return p


def _fail(name: str, action: str, path: str, e: BaseException) -> RuffError:
    return RuffError(f"{name}(): cannot {action} '{path}': {python_error_text(e)}")


def _read_text(name: str, path: str, lossy: bool = False) -> str:
    try:
        if os.path.isdir(path):
            raise IsADirectoryError(21, "Is a directory")
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise RuffError(f"{name}(): cannot read '{path}': file exceeds {MAX_FILE_BYTES} bytes")
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise _fail(name, "read", path, e) from None
    try:
        return data.decode("utf-8", "replace" if lossy else "strict")
    except UnicodeDecodeError:
        raise RuffError(f"{name}(): cannot read '{path}': stream did not contain valid UTF-8") from None


@reg("read_file", "read_file_sync")
def read_file(rt: Any, args: list) -> str:
    check_arity("read_file", args, 1)
    return _read_text("read_file", _path("read_file", args))


@reg("read_file_lossy")
def read_file_lossy(rt: Any, args: list) -> str:
    check_arity("read_file_lossy", args, 1)
    return _read_text("read_file_lossy", _path("read_file_lossy", args), lossy=True)


@reg("read_lines")
def read_lines(rt: Any, args: list) -> list:
    check_arity("read_lines", args, 1)
    text = _read_text("read_lines", _path("read_lines", args))
    if not text:
        return []
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


def _overwrite_flag(name: str, args: list) -> bool:
    if len(args) < 3:
        return False
    flag = args[2]
    if type(flag) is bool:
        return flag
    if type(flag) is dict:
        v = flag.get("overwrite", False)
        if type(v) is not bool:
            raise type_error(name, "a bool for the \"overwrite\" option", v)
        return v
    raise type_error(name, "an optional overwrite flag (bool or {\"overwrite\": bool})", flag)


@reg("write_file", "write_file_sync")
def write_file(rt: Any, args: list) -> bool:
    check_arity_range("write_file", args, 2, 3)
    path = _path("write_file", args)
    content = args[1]
    if type(content) is not str:
        raise type_error("write_file", "string content", content)
    if not _overwrite_flag("write_file", args) and os.path.exists(path):
        raise RuffError(f"write_file(): cannot write '{path}': file already exists "
                        "(pass overwrite=true to replace it)")
    try:
        atomic_write(path, content.encode("utf-8"))
    except OSError as e:
        raise _fail("write_file", "write", path, e) from None
    return True


@reg("append_file")
def append_file(rt: Any, args: list) -> bool:
    check_arity("append_file", args, 2)
    path = _path("append_file", args)
    content = args[1]
    if type(content) is not str:
        raise type_error("append_file", "string content", content)
    try:
        with open(path, "a", encoding="utf-8", newline="") as f:
            f.write(content)
    except OSError as e:
        raise _fail("append_file", "append to", path, e) from None
    return True


@reg("file_exists")
def file_exists(rt: Any, args: list) -> bool:
    check_arity("file_exists", args, 1)
    return os.path.exists(_path("file_exists", args))


@reg("list_dir")
def list_dir(rt: Any, args: list) -> list:
    """Entry names of a directory, sorted (the reference's order is whatever the OS returns)."""
    check_arity("list_dir", args, 1)
    path = _path("list_dir", args)
    try:
        return sorted(os.listdir(path))
    except OSError as e:
        raise _fail("list_dir", "list directory", path, e) from None


@reg("create_dir")
def create_dir(rt: Any, args: list) -> bool:
    check_arity("create_dir", args, 1)
    path = _path("create_dir", args)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise _fail("create_dir", "create directory", path, e) from None
    return True


@reg("file_size")
def file_size(rt: Any, args: list) -> int:
    check_arity("file_size", args, 1)
    path = _path("file_size", args)
    try:
        return os.path.getsize(path)
    except OSError as e:
        raise _fail("file_size", "get the size of", path, e) from None


@reg("delete_file")
def delete_file(rt: Any, args: list) -> bool:
    check_arity("delete_file", args, 1)
    path = _path("delete_file", args)
    if os.path.isdir(path):
        raise RuffError(f"delete_file(): cannot delete '{path}': path is a directory")
    try:
        os.remove(path)
    except OSError as e:
        raise _fail("delete_file", "delete", path, e) from None
    return True


@reg("rename_file")
def rename_file(rt: Any, args: list) -> bool:
    check_arity("rename_file", args, 2)
    old, new = _path("rename_file", args, 0), _path("rename_file", args, 1)
    try:
        os.replace(old, new)
    except OSError as e:
        raise RuffError(f"rename_file(): cannot rename '{old}' to '{new}': {python_error_text(e)}") from None
    return True


@reg("copy_file")
def copy_file(rt: Any, args: list) -> bool:
    check_arity("copy_file", args, 2)
    src, dst = _path("copy_file", args, 0), _path("copy_file", args, 1)
    import shutil

    try:
        if os.path.isdir(src):
            raise IsADirectoryError(21, "Is a directory")
        shutil.copyfile(src, dst)
    except (OSError, shutil.Error) as e:
        raise RuffError(f"copy_file(): cannot copy '{src}' to '{dst}': {python_error_text(e)}") from None
    return True


# ----------------------------------------------------------------------------- paths


@reg("join_path", "path_join")
def join_path(rt: Any, args: list) -> str:
    check_min_arity("join_path", args, 1)
    parts = []
    for i, p in enumerate(args):
        if type(p) is not str:
            raise type_error("join_path", f"string arguments (argument {i + 1})", p)
        parts.append(p)
    return os.path.join(*parts)


def _components(path: str) -> tuple[str, list[str]]:
    """Rust Path components: (root "/" or "", parts) with empty and inner "." parts dropped."""
    root = "/" if path.startswith("/") else ""
    raw = path.split("/")
    parts = []
    for i, c in enumerate(raw):
        if c == "" or (c == "." and (i > 0 or root)):
            continue
        parts.append(c)
    return root, parts


def rust_parent(path: str) -> str:
    """Path::parent, with the reference's "/" when there is none (for "/" and "")."""
    root, parts = _components(path)
    if not parts:
        return "/"
    rest = parts[:-1]
    if root:
        return "/" + "/".join(rest)
    return "/".join(rest)


def rust_file_name(path: str) -> str:
    """Path::file_name, "" when there is none (root, "..", ".")."""
    _, parts = _components(path)
    if not parts or parts[-1] in (".", ".."):
        return ""
    return parts[-1]


@reg("dirname")
def dirname(rt: Any, args: list) -> str:
    check_arity("dirname", args, 1)
    return rust_parent(_path("dirname", args))


@reg("basename")
def basename(rt: Any, args: list) -> str:
    check_arity("basename", args, 1)
    return rust_file_name(_path("basename", args))


@reg("path_extension")
def path_extension(rt: Any, args: list) -> str:
    check_arity("path_extension", args, 1)
    name = rust_file_name(_path("path_extension", args))
    if not name or name.startswith(".") and name.count(".") == 1:
        return ""
    i = name.rfind(".")
    return name[i + 1:] if i > 0 else ""


@reg("path_exists")
def path_exists(rt: Any, args: list) -> bool:
    check_arity("path_exists", args, 1)
    return os.path.exists(_path("path_exists", args))


@reg("path_absolute")
def path_absolute(rt: Any, args: list) -> str:
    check_arity("path_absolute", args, 1)
    path = _path("path_absolute", args)
    if not os.path.exists(path):
        raise RuffError(f"path_absolute(): cannot get absolute path for '{path}': No such file or directory")
    return os.path.realpath(path)


@reg("path_is_dir")
def path_is_dir(rt: Any, args: list) -> bool:
    check_arity("path_is_dir", args, 1)
    return os.path.isdir(_path("path_is_dir", args))


@reg("path_is_file")
def path_is_file(rt: Any, args: list) -> bool:
    check_arity("path_is_file", args, 1)
    return os.path.isfile(_path("path_is_file", args))


@reg("path_is_symlink")
def path_is_symlink(rt: Any, args: list) -> bool:
    check_arity("path_is_symlink", args, 1)
    path = _path("path_is_symlink", args)
    try:
        os.lstat(path)
    except OSError as e:
        raise _fail("path_is_symlink", "inspect", path, e) from None
    return os.path.islink(path)


@reg("os_getcwd", "cwd")
def os_getcwd(rt: Any, args: list) -> str:
    check_arity("os_getcwd", args, 0)
    return os.getcwd()


@reg("os_chdir")
def os_chdir(rt: Any, args: list) -> bool:
    check_arity("os_chdir", args, 1)
    path = _path("os_chdir", args)
    try:
        os.chdir(path)
    except OSError as e:
        raise _fail("os_chdir", "change directory to", path, e) from None
    return True


@reg("os_rmdir")
def os_rmdir(rt: Any, args: list) -> bool:
    check_arity("os_rmdir", args, 1)
    path = _path("os_rmdir", args)
    try:
        os.rmdir(path)
    except OSError as e:
        raise _fail("os_rmdir", "remove directory", path, e) from None
    return True

