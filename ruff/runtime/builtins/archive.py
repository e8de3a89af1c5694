"""Zip archives: zip_create, zip_add_file, zip_add_dir, zip_close, unzip (Python's zipfile).

As in the reference: entries are deflated; zip_add_file stores a file under its base name and
zip_add_dir stores a directory's contents (sorted, sub-directories as `name/` entries) relative to it;
unzip returns the paths of the files it wrote (output directory joined with each entry's name) and
refuses unsafe archives before writing outside the output directory: absolute or `..` entry names,
symbolic links, more than 1024 entries, an entry over 16 MiB or more than 64 MiB in all.

Differences kept small and on the safe side: the archive is written to a temporary file beside its
path and takes that path on zip_close (or when the archive value is dropped, as the reference's
writer finishes itself then), so an unfinished archive never replaces an existing file; adding a second
entry of the same name is an error instead of a duplicate entry.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from ruff.runtime.values import OPAQUE_DISPLAY, RuffError
from ruff.runtime.builtins._util import Registry, rust_error_text

reg = Registry()

MAX_ENTRIES = 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 16 * 1024 * 1024
_UNIX_FILE_TYPE_MASK = 0o170000
_UNIX_SYMLINK = 0o120000
_UNIX_SYSTEM = 3  # ZipInfo.create_system of an archive made on Unix


class ZipArchive:
    """An archive being written (zip_create's result). `writer` is None once it is closed."""

    __slots__ = ("path", "tmp", "writer", "names", "_finalizer", "__weakref__")
    ruff_type_name = "ziparchive"

    def __init__(self, path: str, tmp: str, writer: Any) -> None:
        import weakref

        self.path = path
        self.tmp: Optional[str] = tmp
        self.writer: Any = writer
        self.names: set[str] = set()
        # Dropped unclosed: finish it, as the reference's ZipWriter does when it is dropped.
        self._finalizer = weakref.finalize(self, _finish, writer, tmp, path)

    def ruff_display(self) -> str:
        return OPAQUE_DISPLAY

    def ruff_debug(self) -> str:
        return f"ZipArchive(path={self.path})"

    def close(self) -> None:
        self.writer = None
        self._finalizer.detach()


def _finish(writer: Any, tmp: str, path: str) -> None:
    try:
        writer.close()
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _open_writer(name: str, args: list) -> ZipArchive:
    if len(args) != 2 or type(args[0]) is not ZipArchive or type(args[1]) is not str:
        raise RuffError(f"{name} requires (ZipArchive, string_path) arguments")
    archive = args[0]
    if archive.writer is None:
        raise RuffError("Zip archive has been closed")
    return archive


def _write_entry(archive: ZipArchive, entry: str, data: bytes, what: str) -> None:
    import zipfile

    if entry in archive.names:
        raise RuffError(f"{what} '{entry}': invalid Zip archive: Duplicate filename: {entry}")
    info = zipfile.ZipInfo(entry, date_time=_now())
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o100644 << 16
    info.create_system = _UNIX_SYSTEM
    archive.writer.writestr(info, data)
    archive.names.add(entry)


def _now() -> tuple:
    import time

    t = time.localtime()
    return (max(t.tm_year, 1980), t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


@reg("zip_create")
def zip_create(rt: Any, args: list) -> ZipArchive:
    """zip_create(path) -> an archive to add files to; it lands at `path` on zip_close."""
    if len(args) != 1 or type(args[0]) is not str:
        raise RuffError("zip_create requires a string path argument")
    import tempfile
    import zipfile

    path = args[0]
    target = os.path.realpath(path)
    if os.path.isdir(target):
        raise RuffError(f"Failed to create zip file '{path}': Is a directory (os error 21)")
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.",
                                   suffix=".tmp")
    except OSError as e:
        raise RuffError(f"Failed to create zip file '{path}': {rust_error_text(e)}") from None
    os.close(fd)
    os.chmod(tmp, 0o644)
    writer = zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED)
    return ZipArchive(target, tmp, writer)


@reg("zip_add_file")
def zip_add_file(rt: Any, args: list) -> bool:
    """zip_add_file(archive, path) -> true; the entry is the file's base name."""
    archive = _open_writer("zip_add_file", args)
    source = args[1]
    try:
        with open(source, "rb") as f:
            data = f.read()
    except OSError as e:
        raise RuffError(f"Failed to read source file '{source}': {rust_error_text(e)}") from None
    entry = os.path.basename(source.rstrip("/")) or source
    _write_entry(archive, entry, data, "Failed to start zip entry")
    return True


@reg("zip_add_dir")
def zip_add_dir(rt: Any, args: list) -> bool:
    """zip_add_dir(archive, dir) -> true; everything under dir, named relative to it."""
    archive = _open_writer("zip_add_dir", args)
    _add_tree(archive, args[1], "")
    return True


def _add_tree(archive: ZipArchive, directory: str, prefix: str) -> None:
    import zipfile

    try:
        names = sorted(os.listdir(directory))
    except OSError as e:
        raise RuffError(f"Failed to read directory: {rust_error_text(e)}") from None
    for name in names:
        full = os.path.join(directory, name)
        entry = f"{prefix}/{name}" if prefix else name
        if os.path.isdir(full):
            dir_entry = entry + "/"
            if dir_entry in archive.names:
                raise RuffError(f"Failed to add directory '{entry}': invalid Zip archive: Duplicate filename: "
                                f"{dir_entry}")
            info = zipfile.ZipInfo(dir_entry, date_time=_now())
            info.external_attr = (0o40755 << 16) | 0x10
            info.create_system = _UNIX_SYSTEM
            archive.writer.writestr(info, b"")
            archive.names.add(dir_entry)
            _add_tree(archive, full, entry)
        else:
            try:
                with open(full, "rb") as f:
                    data = f.read()
            except OSError as e:
                raise RuffError(f"Failed to read '{full}': {rust_error_text(e)}") from None
            _write_entry(archive, entry, data, "Failed to start file")


@reg("zip_close")
def zip_close(rt: Any, args: list) -> bool:
    """zip_close(archive) -> true once the archive is complete at its path."""
    if len(args) != 1 or type(args[0]) is not ZipArchive:
        raise RuffError("zip_close requires a ZipArchive argument")
    archive = args[0]
    if archive.writer is None:
        raise RuffError("Zip archive has already been closed")
    writer, tmp = archive.writer, archive.tmp
    archive.close()
    try:
        writer.close()
        os.replace(tmp, archive.path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise RuffError(f"Failed to finalize zip archive: {rust_error_text(e)}") from None
    return True


# ----------------------------------------------------------------------------- extraction


def _unsafe(entry: str, reason: str) -> RuffError:
    return RuffError(f"Unsafe archive entry '{entry}': {reason}")


def safe_relative_path(entry: str) -> str:
    """The entry name as a relative path inside the output directory, or the reference's refusal."""
    if not entry:
        raise RuffError("Unsafe archive entry: empty path is not allowed")
    if "\0" in entry:
        raise _unsafe(entry, "null byte is not allowed")
    normalized = entry.replace("\\", "/")
    if normalized.startswith("/"):
        raise _unsafe(entry, "absolute path is not allowed")
    parts = []
    for part in normalized.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            raise _unsafe(entry, "parent directory traversal component is not allowed")
        if len(part) >= 2 and part[1] == ":" and part[0].isascii() and part[0].isalpha():
            raise _unsafe(entry, "drive-prefixed path is not allowed")
        parts.append(part)
    if not parts:
        raise _unsafe(entry, "empty normalized path is not allowed")
    return "/".join(parts)


def _within(path: str, root: str, entry: str) -> None:
    real = os.path.realpath(path)
    if real != root and not real.startswith(root.rstrip("/") + "/"):
        raise _unsafe(entry, "extraction path escapes output directory")


@reg("unzip")
def unzip(rt: Any, args: list) -> list:
    """unzip(zip_path, output_dir) -> the paths of the extracted files."""
    if len(args) != 2 or type(args[0]) is not str or type(args[1]) is not str:
        raise RuffError("unzip requires (string_zip_path, string_output_dir) arguments")
    import zipfile

    zip_path, out_dir = args
    try:
        f = open(zip_path, "rb")
    except OSError as e:
        raise RuffError(f"Failed to open file '{zip_path}': {rust_error_text(e)}") from None
    with f:
        try:
            archive = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise RuffError(f"Failed to open zip archive '{zip_path}': invalid Zip archive: "
                            "Could not find central directory end") from None
        with archive:
            return _extract(archive, out_dir)


def _extract(archive: Any, out_dir: str) -> list:
    import zipfile

    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise RuffError(f"Archive contains {len(infos)} entries which exceeds maximum entry count ({MAX_ENTRIES})")
    try:
        os.makedirs(out_dir, exist_ok=True)
        root = os.path.realpath(out_dir)
    except OSError as e:
        raise RuffError(f"Failed to create output directory '{out_dir}': {rust_error_text(e)}") from None
    extracted: list[str] = []
    total = 0
    for info in infos:
        entry = info.filename
        if info.create_system == _UNIX_SYSTEM and (info.external_attr >> 16) & _UNIX_FILE_TYPE_MASK == _UNIX_SYMLINK:
            raise _unsafe(entry, "symbolic links are not allowed")
        relative = safe_relative_path(entry)
        if info.file_size > MAX_ENTRY_BYTES:
            raise RuffError(f"Archive entry '{entry}' exceeds maximum per-entry size "
                            f"({info.file_size} bytes > {MAX_ENTRY_BYTES} bytes)")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise RuffError(f"Archive extraction exceeds maximum total extraction size "
                            f"({total} bytes > {MAX_TOTAL_BYTES} bytes)")
        out_path = os.path.join(out_dir, relative)
        if os.path.islink(out_path):
            raise _unsafe(entry, f"symbolic link target path '{out_path}' is not allowed")
        if info.is_dir():
            try:
                os.makedirs(out_path, exist_ok=True)
            except OSError as e:
                raise RuffError(f"Failed to create directory '{out_path}': {rust_error_text(e)}") from None
            _within(out_path, root, entry)
            continue
        parent = os.path.dirname(out_path)
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as e:
            raise RuffError(f"Failed to create parent directory for '{out_path}': {rust_error_text(e)}") from None
        _within(parent, root, entry)
        try:
            # Read at most one byte past the declared size: a lying header cannot make it write more.
            with archive.open(info) as src:
                data = src.read(MAX_ENTRY_BYTES + 1)
            if len(data) > MAX_ENTRY_BYTES:
                raise RuffError(f"Archive entry '{entry}' exceeds maximum per-entry size "
                                f"({len(data)} bytes > {MAX_ENTRY_BYTES} bytes)")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as e:
            raise RuffError(f"Failed to extract file '{entry}': {e}") from None
        try:
            with open(out_path, "wb") as out:
                out.write(data)
        except OSError as e:
            raise RuffError(f"Failed to create output file '{out_path}': {rust_error_text(e)}") from None
        _within(out_path, root, entry)
        extracted.append(out_path)
    return extracted
