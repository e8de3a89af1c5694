"""Zip builtins: hostile archives are refused before anything lands outside the output directory, and
an unfinished archive never replaces an existing file."""

from __future__ import annotations

import gc
import os
import zipfile

import pytest

from ruff.runtime.builtins import archive
from kit import call, raises


def _zip(path, entries):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries:
            z.writestr(name, data)
    return str(path)


@pytest.mark.parametrize("name,reason", [
    ("../evil.txt", "parent directory traversal component is not allowed"),
    ("a/../../evil.txt", "parent directory traversal component is not allowed"),
    ("/etc/evil.txt", "absolute path is not allowed"),
    ("C:/evil.txt", "drive-prefixed path is not allowed"),
    ("..\\evil.txt", "parent directory traversal component is not allowed"),
])
def test_unsafe_entry_names_are_refused(tmp_path, name, reason):
    z = _zip(tmp_path / "bad.zip", [("ok.txt", "fine"), (name, "evil")])
    out = tmp_path / "out"
    assert raises("unzip", z, str(out)) == f"Unsafe archive entry '{name}': {reason}"
    assert not (tmp_path / "evil.txt").exists()


def test_symlink_entries_are_refused(tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo("link")
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        z.writestr(info, "/etc/passwd")
    assert raises("unzip", str(path), str(tmp_path / "o")) == \
        "Unsafe archive entry 'link': symbolic links are not allowed"


def test_an_existing_symlink_in_the_output_is_not_followed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").symlink_to(tmp_path / "victim.txt")
    z = _zip(tmp_path / "a.zip", [("a.txt", "x")])
    raises("unzip", z, str(out), match="symbolic link target path")
    assert not (tmp_path / "victim.txt").exists()


def test_size_and_count_limits(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ENTRIES", 3)
    many = _zip(tmp_path / "many.zip", [(f"f{i}", "") for i in range(4)])
    assert raises("unzip", many, str(tmp_path / "o")) == \
        "Archive contains 4 entries which exceeds maximum entry count (3)"
    monkeypatch.setattr(archive, "MAX_ENTRY_BYTES", 10)
    big = _zip(tmp_path / "big.zip", [("big", "x" * 11)])
    raises("unzip", big, str(tmp_path / "o"), match="exceeds maximum per-entry size (11 bytes > 10 bytes)")
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 15)
    total = _zip(tmp_path / "total.zip", [("a", "x" * 8), ("b", "x" * 8)])
    raises("unzip", total, str(tmp_path / "o"), match="exceeds maximum total extraction size (16 bytes > 15 bytes)")


def test_a_corrupt_entry_is_a_ruff_error(tmp_path):
    path = tmp_path / "crc.zip"
    _zip(path, [("a.txt", "hello world")])
    data = bytearray(path.read_bytes())
    i = data.index(b"hello world")
    data[i] ^= 0xFF  # same size, wrong CRC
    path.write_bytes(bytes(data))
    raises("unzip", str(path), str(tmp_path / "o"), match="Failed to extract file 'a.txt'")


def test_directory_entries_are_made_but_not_listed(tmp_path):
    z = _zip(tmp_path / "d.zip", [("dir/", ""), ("dir/x.txt", "x"), ("./y.txt", "y")])
    out = str(tmp_path / "o")
    assert call("unzip", z, out) == [os.path.join(out, "dir/x.txt"), os.path.join(out, "y.txt")]


def test_an_unfinished_archive_never_replaces_the_old_file(tmp_path):
    target = tmp_path / "keep.zip"
    target.write_bytes(b"old archive")
    src = tmp_path / "a.txt"
    src.write_text("a")
    z = call("zip_create", str(target))
    call("zip_add_file", z, str(src))
    assert target.read_bytes() == b"old archive"
    raises("zip_add_file", z, str(tmp_path / "missing"), match="Failed to read source file")
    assert target.read_bytes() == b"old archive"
    assert call("zip_close", z) is True
    assert zipfile.ZipFile(target).namelist() == ["a.txt"]
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "keep.zip"]


def test_a_dropped_archive_is_finished_like_the_references_writer(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("a")
    z = call("zip_create", str(tmp_path / "dropped.zip"))
    call("zip_add_file", z, str(src))
    del z
    gc.collect()
    assert zipfile.ZipFile(tmp_path / "dropped.zip").read("a.txt") == b"a"


def test_zip_create_errors(tmp_path):
    raises("zip_create", str(tmp_path / "no" / "x.zip"), match="Failed to create zip file")
    raises("zip_create", str(tmp_path), match="Is a directory (os error 21)")
    raises("zip_add_dir", "not an archive", "x", match="zip_add_dir requires (ZipArchive, string_path) arguments")
    raises("unzip", "a.zip", match="unzip requires (string_zip_path, string_output_dir) arguments")
