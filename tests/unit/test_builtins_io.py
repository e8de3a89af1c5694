"""File and path builtins: Ruff errors (never Python tracebacks), overwrite contract, Rust path rules."""

import os

import pytest

from ruff.runtime.builtins import io
from kit import call, raises


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_write_read_append():
    assert call("write_file", "a.txt", "héllo\nworld\n") is True
    assert call("read_file", "a.txt") == "héllo\nworld\n"
    assert call("read_file_sync", "a.txt") == "héllo\nworld\n"
    assert call("append_file", "a.txt", "more") is True
    assert call("read_lines", "a.txt") == ["héllo", "world", "more"]
    assert call("append_file", "new.txt", "x") is True and call("read_file", "new.txt") == "x"
    assert call("file_size", "new.txt") == 1
    assert call("file_exists", "a.txt") is True and call("file_exists", "zz.txt") is False


def test_write_file_refuses_to_overwrite_unless_asked():
    call("write_file", "a.txt", "1")
    msg = raises("write_file", "a.txt", "2")
    assert msg == "write_file(): cannot write 'a.txt': file already exists (pass overwrite=true to replace it)"
    assert call("write_file", "a.txt", "2", True) is True
    assert call("read_file", "a.txt") == "2"
    assert call("write_file_sync", "a.txt", "3", {"overwrite": True}) is True
    assert call("read_file", "a.txt") == "3"
    raises("write_file", "a.txt", "4", "yes", match="write_file() expects an optional overwrite flag")
    raises("write_file", "b.txt", 5, match="write_file() expects string content, got int")
    raises("write_file", "b.txt", match="write_file() expects 2 or 3 arguments, got 1")
    raises("write_file", "missing_dir/x.txt", "x", match="write_file(): cannot write 'missing_dir/x.txt'")


def test_missing_files_are_ruff_errors():
    assert raises("read_file", "x.txt") == "read_file(): cannot read 'x.txt': No such file or directory"
    raises("read_file_lossy", "x.txt", match="read_file_lossy(): cannot read 'x.txt'")
    raises("read_lines", "x.txt", match="read_lines(): cannot read 'x.txt'")
    raises("file_size", "x.txt", match="file_size(): cannot get the size of 'x.txt'")
    raises("delete_file", "x.txt", match="delete_file(): cannot delete 'x.txt'")
    raises("rename_file", "x.txt", "y.txt", match="rename_file(): cannot rename 'x.txt' to 'y.txt'")
    raises("copy_file", "x.txt", "y.txt", match="copy_file(): cannot copy 'x.txt' to 'y.txt'")
    raises("list_dir", "nodir", match="list_dir(): cannot list directory 'nodir'")
    raises("read_file", 5, match="read_file() expects a string path, got int")
    raises("read_file", match="read_file() expects 1 argument, got 0")
    raises("append_file", "a", 1, match="append_file() expects string content, got int")
    raises("file_exists", 1, match="file_exists() expects a string path")
    os.mkdir("d")
    raises("read_file", "d", match="read_file(): cannot read 'd': Is a directory")


def test_invalid_utf8_and_lossy(in_tmp):
    (in_tmp / "bin.dat").write_bytes(b"ok\xff")
    raises("read_file", "bin.dat", match="stream did not contain valid UTF-8")
    assert call("read_file_lossy", "bin.dat") == "ok\ufffd"


def test_directories_and_files():
    assert call("create_dir", "a/b/c") is True
    assert call("create_dir", "a/b/c") is True
    assert call("path_is_dir", "a/b") is True and call("path_is_file", "a/b") is False
    call("write_file", "a/f2.txt", "x")
    call("write_file", "a/f1.txt", "y")
    assert call("list_dir", "a") == ["b", "f1.txt", "f2.txt"]
    assert call("copy_file", "a/f1.txt", "a/f3.txt") is True and call("read_file", "a/f3.txt") == "y"
    assert call("rename_file", "a/f3.txt", "a/f4.txt") is True and call("file_exists", "a/f3.txt") is False
    assert call("delete_file", "a/f4.txt") is True
    assert raises("delete_file", "a/b") == "delete_file(): cannot delete 'a/b': path is a directory"
    raises("create_dir", "a/f1.txt/x", match="create_dir(): cannot create directory")
    raises("copy_file", "a/b", "z", match="copy_file(): cannot copy 'a/b' to 'z'")


def test_os_functions(in_tmp):
    assert call("os_getcwd") == os.getcwd() == call("cwd")
    call("create_dir", "sub")
    assert call("os_chdir", "sub") is True and os.getcwd().endswith("sub")
    call("os_chdir", str(in_tmp))
    assert call("os_rmdir", "sub") is True and call("path_exists", "sub") is False
    raises("os_chdir", "nope", match="os_chdir(): cannot change directory to 'nope'")
    raises("os_rmdir", "nope", match="os_rmdir(): cannot remove directory 'nope'")
    raises("os_getcwd", 1, match="os_getcwd() expects 0 arguments, got 1")


@pytest.mark.parametrize("path,parent,name,ext", [
    ("/home/user/documents/file.txt", "/home/user/documents", "file.txt", "txt"),
    ("src/interpreter.rs", "src", "interpreter.rs", "rs"),
    ("/home/user/documents", "/home/user", "documents", ""),
    ("/home/user/documents/", "/home/user", "documents", ""),
    ("example.ruff", "", "example.ruff", "ruff"),
    ("archive.tar.gz", "", "archive.tar.gz", "gz"),
    (".bashrc", "", ".bashrc", ""),
    ("file.", "", "file.", ""),
    ("/", "/", "", ""),
    ("", "/", "", ""),
    ("a/..", "a", "", ""),
    ("./a/b", "./a", "b", ""),
])
def test_rust_path_rules(path, parent, name, ext):
    assert call("dirname", path) == parent
    assert call("basename", path) == name
    assert call("path_extension", path) == ext


def test_join_path():
    assert call("join_path", "/home", "user", "documents", "file.txt") == "/home/user/documents/file.txt"
    assert call("path_join", "src", "interpreter.rs") == "src/interpreter.rs"
    assert call("path_join", "a") == "a"
    assert call("path_join", "") == ""
    assert call("join_path", "a", "/abs") == "/abs"
    raises("join_path", match="join_path() expects at least 1 argument, got 0")
    raises("path_join", "a", 1, match="join_path() expects string arguments (argument 2), got int")


def test_path_queries(in_tmp):
    call("write_file", "f.txt", "x")
    assert call("path_exists", "f.txt") is True
    assert call("path_absolute", "f.txt") == os.path.realpath(in_tmp / "f.txt")
    raises("path_absolute", "nope", match="path_absolute(): cannot get absolute path for 'nope'")
    assert call("path_is_file", "f.txt") is True and call("path_is_dir", "") is False
    os.symlink("f.txt", "link")
    assert call("path_is_symlink", "link") is True and call("path_is_symlink", "f.txt") is False
    raises("path_is_symlink", "nope", match="path_is_symlink(): cannot inspect 'nope'")
    for name in ("dirname", "basename", "path_extension", "path_exists", "path_is_dir", "path_is_file"):
        raises(name, 1, match=f"{name}() expects a string path, got int")
        raises(name, match=f"{name}() expects 1 argument, got 0")


def test_every_io_builtin_is_tested():
    assert set(io.reg.functions) == {
        "read_file", "read_file_sync", "read_file_lossy", "read_lines", "write_file", "write_file_sync",
        "append_file", "file_exists", "list_dir", "create_dir", "file_size", "delete_file",
        "rename_file", "copy_file", "join_path", "path_join", "dirname", "basename", "path_extension",
        "path_exists", "path_absolute", "path_is_dir", "path_is_file", "path_is_symlink", "os_getcwd",
        "cwd", "os_chdir", "os_rmdir"}
