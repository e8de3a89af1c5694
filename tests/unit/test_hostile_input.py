"""Bad input of every kind ends with a clear message and the documented exit code, in bounded time:
no Python traceback, no "internal error", no hang, no memory blow-up.

Exit codes: 0 ok, 2 usage, 3 lex/parse (or, for ruff-opt, any bad input), 4 runtime, 5 I/O, 141 (quietly)
when the reader of a pipe left."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ruff.runner import UserError, compile_file
from kit import run_cli, write_program

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ROOT / "tests" / "programs"
TIME_BOUND = 60  # seconds for any one command; the cases below take well under one


def ruff(*args: str, **kw) -> subprocess.CompletedProcess:
    """The CLI on raw bytes, within the time bound, with no traceback or internal error on stderr."""
    proc = run_cli(*args, text=False, timeout=TIME_BOUND, **kw)
    clean(proc.stderr)
    return proc


HELLO = 'print("hello")\n'


def clean(stderr: bytes | str) -> None:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text and "internal error" not in text, text


# ----------------------------------------------------------------------------- programs


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes_as_a_program(tmp_path: Path, seed: int) -> None:
    data = random.Random(seed).randbytes(2000)
    prog = tmp_path / "noise.ruff"
    prog.write_bytes(data)
    proc = ruff("run", str(prog))
    assert proc.returncode == 5  # random bytes are not UTF-8
    assert proc.stderr == f"error: cannot read '{prog}': not valid UTF-8\n".encode()


TOKENS = ["func", "f", "(", ")", "{", "}", "[", "]", ",", ":=", "=", "+", "-", "*", "/", "%", "1", "2.5", '"s"',
          "if", "else", "while", "for", "in", "return", "x", "y", "match", "case", "_", ":", "struct", "P", ".",
          "try", "except", "e", "throw", "...", "|>", "??", "?", "!", "&&", "||", "==", "<", "test", "import",
          "from", "async", "await", "yield", "func*", "enum", "::", ";", "\n", "/*", "*/", "#", "${", "`", "\\"]


def test_random_token_soup_compiles_or_is_a_clean_error() -> None:
    rng = random.Random(19)
    outcomes: dict[int, int] = {}
    for i in range(400):
        source = " ".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 40)))
        try:
            compile_file(f"soup{i}.ruff", source)
            code = 0
        except UserError as e:
            code = e.code
            assert e.text.startswith("error: ") and f"soup{i}.ruff" in e.text, e.text
        assert code in (0, 3, 4), (source, code)
        outcomes[code] = outcomes.get(code, 0) + 1
    assert outcomes.get(3, 0) > 200  # it really was garbage


def truncations(source: str, cuts: int = 12) -> list[str]:
    """Prefixes of a program: at every line end for short programs, at evenly spaced points as well."""
    points = {i + 1 for i, ch in enumerate(source) if ch == "\n"} if source.count("\n") <= 40 else set()
    points |= {len(source) * k // cuts for k in range(1, cuts)}
    return [source[:p] for p in sorted(points) if 0 < p < len(source)]


def test_every_truncated_golden_program_compiles_or_is_a_clean_error() -> None:
    checked = 0
    for path in sorted(PROGRAMS.glob("*.ruff")):
        for prefix in truncations(path.read_text(encoding="utf-8")):
            try:
                compile_file(path.name, prefix)
            except UserError as e:
                assert e.code in (3, 4), (path.name, len(prefix), e.text)
                assert e.text.startswith("error: "), e.text
            checked += 1
    assert checked > 1000


def test_truncated_programs_run_to_a_clean_end(tmp_path: Path) -> None:
    rng = random.Random(7)
    cases = []
    for path in sorted(PROGRAMS.glob("*.ruff")):
        if (PROGRAMS / (path.stem + ".code")).exists() or "input" in path.stem or "sleep" in path.stem:
            continue
        for prefix in truncations(path.read_text(encoding="utf-8"), cuts=4):
            try:
                compile_file(path.name, prefix)
            except UserError:
                continue
            cases.append((path.name, prefix))
    for name, prefix in rng.sample(cases, min(8, len(cases))):
        prog = tmp_path / name
        prog.write_text(prefix, encoding="utf-8")
        proc = ruff("run", "--no-jit", str(prog), stdin=subprocess.DEVNULL)
        assert proc.returncode in (0, 4), (name, proc.stderr)


def test_a_program_that_never_ends_its_input_is_refused_not_read_forever() -> None:
    start = time.monotonic()
    proc = ruff("run", "/dev/zero")
    assert proc.returncode == 5
    assert proc.stderr == b"error: cannot read '/dev/zero': larger than 64 MiB\n"
    assert time.monotonic() - start < 30


def test_a_directory_as_a_program(tmp_path: Path) -> None:
    proc = ruff("run", str(tmp_path))
    assert proc.returncode == 5 and b"is a directory" in proc.stderr


# ----------------------------------------------------------------------------- modules


def test_importing_a_module_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "latin.ruff").write_bytes(b'export func hi() { return "caf\xe9" }\n')
    main = tmp_path / "main.ruff"
    main.write_text('import latin\nprint("unreached")\n', encoding="utf-8")
    proc = ruff("run", str(main))
    assert proc.returncode == 4
    text = proc.stderr.decode()
    assert text.startswith(f"error: Error in module 'latin' ({tmp_path / 'latin.ruff'}): cannot read it: "
                           "not valid UTF-8\n"), text
    assert "main.ruff:1" in text
    caught = tmp_path / "caught.ruff"
    caught.write_text('try { import latin } except e { print("caught:", e.message) }\n', encoding="utf-8")
    proc = ruff("run", str(caught))
    assert proc.returncode == 0 and b"caught: Error in module 'latin'" in proc.stdout


def test_a_program_at_the_root_imports_its_sibling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A search root of "/" once became "//" and nothing under it counted as inside.
    from ruff.runtime.modules import ModuleLoader
    from ruff.runtime.values import Module

    class FakeVM:
        filename = "/main.ruff"

    module_dir = tmp_path.resolve()
    (module_dir / "sib.ruff").write_text("export func f() { return 1 }\n", encoding="utf-8")
    name = ".".join(module_dir.relative_to("/").parts + ("sib",))
    if any("." in part for part in module_dir.parts):
        pytest.skip("the temporary directory's name has a dot, which a module name cannot spell")
    loader = ModuleLoader(FakeVM())
    assert loader.resolve(name, Module("__main__", "/main.ruff", "")) == str(module_dir / "sib.ruff")
    with pytest.raises(Exception, match="Module not found"):
        loader.resolve("no_such_module_anywhere", Module("__main__", "/main.ruff", ""))


# ----------------------------------------------------------------------------- a broken stdout


MANY_LINES = "for i in range(200000) { print(i) }\n"


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    prog = write_program(tmp_path / "many.ruff", MANY_LINES)
    proc = subprocess.Popen([sys.executable, "-m", "ruff", "run", prog], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline() == b"0\n"
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""


def test_shell_pipeline_into_head(tmp_path: Path) -> None:
    prog = write_program(tmp_path / "many.ruff", MANY_LINES)
    proc = subprocess.run(f"'{sys.executable}' -m ruff run '{prog}' | head -1; echo \"status ${{PIPESTATUS[0]}}\"",
                          shell=True, executable="/bin/bash", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.stdout == "0\nstatus 141\n"
    assert proc.stderr == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("text", [HELLO, MANY_LINES])
def test_full_disk_is_an_io_error(tmp_path: Path, text: str) -> None:
    prog = write_program(tmp_path / "p.ruff", text)
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "ruff", "run", prog], stdout=full, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 5
    assert proc.stderr == "error: cannot write to standard output: No space left on device\n"


def test_closed_stdout_is_an_io_error_only_when_written(tmp_path: Path) -> None:
    loud = write_program(tmp_path / "loud.ruff", HELLO)
    quiet = write_program(tmp_path / "quiet.ruff", "x := 1 + 1\n")
    script = f"'{sys.executable}' -m ruff run '{{}}' >&-; echo \"status $?\""
    proc = subprocess.run(script.format(loud), shell=True, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.stdout == "status 5\n"
    assert proc.stderr == "error: cannot write to standard output: it was closed before the program started\n"
    proc = subprocess.run(script.format(quiet), shell=True, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (proc.stdout, proc.stderr) == ("status 0\n", "")


# ----------------------------------------------------------------------------- a hostile stdin


READER = 'a := input("> ")\nprint("[" + a + "]")\nprint("[" + input() + "]")\n'
TIERS = {"interp": ["--tier", "interp", "--no-jit"], "fast": ["--tier", "fast", "--no-jit"],
         "jit0": ["--tier", "fast", "--jit-threshold", "0"]}


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("stdin, expected", [
    (b"bob  \nsecond\n", "> [bob]\n[second]\n"),
    (b"\xff\xfe\nafter\n", "> []\n[after]\n"),  # not UTF-8: an empty line, as the reference's read_line error
    (b"last line without newline", "> [last line without newline]\n[]\n"),
    (None, "> []\n[]\n"),  # fd 0 closed: the reference's empty line, not a Python AttributeError
])
@pytest.mark.parametrize("decoding", ["strict", "surrogateescape"])  # Python's stdin under a UTF-8 / the C locale
def test_input_from_a_hostile_stdin(tmp_path: Path, tier: str, stdin: bytes | None, expected: str,
                                    decoding: str) -> None:
    prog = write_program(tmp_path / "reader.ruff", READER)
    close_stdin = stdin is None
    proc = run_cli("run", *TIERS[tier], prog, stdin=subprocess.DEVNULL if close_stdin else stdin, text=False,
                   env={"PYTHONIOENCODING": f"utf-8:{decoding}"}, timeout=TIME_BOUND,
                   preexec_fn=(lambda: os.close(0)) if close_stdin else None)
    assert (proc.returncode, proc.stdout.decode(), proc.stderr.decode()) == (0, expected, "")


def test_input_refuses_a_line_too_long_to_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from ruff.runtime.builtins import BUILTINS, core
    from ruff.runtime.values import RuffError

    class NoPromptRT:
        def write(self, text: str) -> None:
            pass

    monkeypatch.setattr(core, "MAX_INPUT_LINE", 10)
    monkeypatch.setattr(sys, "stdin", io.StringIO("0123456789\n" + "x" * 11 + "\nrest"))
    assert BUILTINS["input"].fn(NoPromptRT(), []) == "0123456789"
    with pytest.raises(RuffError, match=r"^input\(\): line exceeds the maximum of 10 characters$"):
        BUILTINS["input"].fn(NoPromptRT(), [])


# ----------------------------------------------------------------------------- text Ruff cannot hold


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes as a name")
@pytest.mark.parametrize("decoding", ["strict", "surrogateescape"])
def test_a_file_name_that_is_not_utf8_prints_as_its_bytes(tmp_path: Path, decoding: str) -> None:
    """Python reads the name with its bad byte as a lone surrogate; printing it wrote an internal error."""
    (tmp_path / "names").mkdir()
    with open(os.path.join(os.fsencode(tmp_path / "names"), b"bad\xffname"), "wb"):
        pass
    prog = write_program(tmp_path / "ls.ruff", f'for f in list_dir("{tmp_path / "names"}") {{ print(f) }}\n')
    proc = ruff("run", prog, env={"PYTHONIOENCODING": f"utf-8:{decoding}"})
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"bad\xffname\n", b"")


def test_builtins_name_a_lone_surrogate_in_ruffs_words() -> None:
    from ruff.runtime.builtins import BUILTINS
    from ruff.runtime.values import RuffError

    for name, args in [("sha256", ["a\ud800"]), ("file_size", ["\ud800"])]:
        with pytest.raises(RuffError) as info:
            BUILTINS[name].fn(None, args)
        assert info.value.message == f"{name}(): text holds a lone surrogate (U+D800), which is not valid UTF-8"
    with pytest.raises(RuffError, match=r"^Base64 decode error: Invalid byte 237, offset 1\.$"):
        BUILTINS["decode_base64"].fn(None, ["a\ud800"])


def test_a_for_loop_array_of_a_huge_float_count_is_refused() -> None:
    from ruff.runtime.builtins import BUILTINS
    from ruff.runtime.values import RuffError

    with pytest.raises(RuffError, match=r"^Range too large to make into an array: 9223372036854775807 elements"):
        BUILTINS["__vm_for_iterable"].fn(None, [1e308])
    assert BUILTINS["__vm_for_iterable"].fn(None, [2.9]) == [0, 1]


# ----------------------------------------------------------------------------- the native-code cache

FIB = "func fib(n) {\n    if n < 2 { return n }\n    return fib(n - 1) + fib(n - 2)\n}\nprint(fib(20))\n"


def _cache_run(tmp: Path, cache: Path) -> subprocess.CompletedProcess:
    prog = tmp / "fib.ruff"
    prog.write_text(FIB, encoding="utf-8")
    return ruff("run", "--jit-threshold", "5", "--jit-log", str(prog), env={"RUFF_CACHE_DIR": str(cache)})


def _spoil(path: Path, how: str) -> None:
    path.unlink()
    if how == "fifo":
        os.mkfifo(path)
    elif how == "zero":
        path.symlink_to("/dev/zero")
    elif how == "dir":
        path.mkdir()
    elif how == "huge":
        with open(path, "wb") as f:
            f.truncate(200 << 20)  # sparse: takes no disk space
    else:
        path.write_text(how, encoding="utf-8")


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding fib's native code (compiled once for all the cases below)."""
    tmp = tmp_path_factory.mktemp("warm")
    first = _cache_run(tmp, tmp / "cache")
    assert first.returncode == 0 and first.stdout == b"6765\n", first.stderr
    assert b"[jit] compiled fib(int)" in first.stderr
    return tmp / "cache"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("suffix, how", [
    (".json", "fifo"), (".o", "fifo"), (".o", "zero"), (".json", "[1, 2]"), (".o", "huge"),
])
def test_hostile_cache_entries_are_recompiled(tmp_path: Path, warm_cache: Path, suffix: str, how: str) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(warm_cache, cache)
    entries = list(cache.glob("*" + suffix))
    assert len(entries) == 1
    _spoil(entries[0], how)
    again = _cache_run(tmp_path, cache)
    assert again.returncode == 0 and again.stdout == b"6765\n", again.stderr
    assert b"[jit] compiled fib(int)" in again.stderr  # the bad entry was dropped and the code rebuilt


def test_cache_reader_bounds(tmp_path: Path) -> None:
    from ruff.jit_cache import read_entry_file

    small = tmp_path / "small"
    small.write_bytes(b"x" * 100)
    assert read_entry_file(str(small), 100) == b"x" * 100
    with pytest.raises(ValueError, match="larger than 99 bytes"):
        read_entry_file(str(small), 99)
    link = tmp_path / "link"
    link.symlink_to(small)
    with pytest.raises(OSError):  # never follows a symlink
        read_entry_file(str(link), 1000)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    start = time.monotonic()
    with pytest.raises(ValueError, match="not a regular file"):
        read_entry_file(str(fifo), 1000)
    assert time.monotonic() - start < 5


def test_cache_load_drops_entries_that_are_not_objects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ruff import jit_cache

    monkeypatch.setenv("RUFF_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("RUFF_JIT_CACHE", raising=False)
    for text in ("[]", "3", "true", '"x"', "{"):
        (tmp_path / "k.json").write_text(text, encoding="utf-8")
        (tmp_path / "k.o").write_bytes(b"obj")
        assert jit_cache.load("k") is None
        assert not (tmp_path / "k.json").exists() and not (tmp_path / "k.o").exists()
    (tmp_path / "k.json").write_bytes(json.dumps({"version": 1}).encode() + b"\xff")
    assert jit_cache.load("k") is None
    for hostile in ("fifo", "zero", "dir", "huge"):
        (tmp_path / "k.json").write_text("{}", encoding="utf-8")
        (tmp_path / "k.o").write_bytes(b"obj")
        _spoil(tmp_path / "k.json", hostile)
        start = time.monotonic()
        assert jit_cache.load("k") is None, hostile
        assert time.monotonic() - start < 5
        if (tmp_path / "k.json").is_dir():
            (tmp_path / "k.json").rmdir()


# ----------------------------------------------------------------------------- ruff-opt


def ruff_opt(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    from ruff.tools.ruff_opt import run

    try:
        code = run(list(argv))
    except SystemExit as e:  # argparse's own usage errors
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    clean(err)
    return code, out, err


FIB_RUFF = "func fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }\nprint(fib(10))\n"


@pytest.fixture
def fib_ruff(tmp_path: Path) -> str:
    path = tmp_path / "fib.ruff"
    path.write_text(FIB_RUFF, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("pipeline, message", [
    (",", "ruff-opt: error: invalid pass pipeline ',' at column 1: Expected pass name here\n"),
    ("inline{", "ruff-opt: error: invalid pass pipeline 'inline{' at column 8: Expected argument name here\n"),
    ("}", "ruff-opt: error: invalid pass pipeline '}' at column 1: Expected pass name here\n"),
    ("a b c", "ruff-opt: error: invalid pass pipeline 'a b c' at column 2: Expected a comma or pass arguments here\n"),
    ("nosuch", "ruff-opt: error: unknown pass 'nosuch' (ruff-opt --help lists them)\n"),
    ("inline{bogus=1}", "ruff-opt: error: invalid pass pipeline 'inline{bogus=1}': Provided arguments [\"bogus\"] "
                        "not found in expected arguments [\"budget\", \"depth\"]\n"),
])
def test_ruff_opt_bad_pipelines_are_usage_errors(capsys: pytest.CaptureFixture, fib_ruff: str, pipeline: str,
                                                 message: str) -> None:
    assert ruff_opt(capsys, fib_ruff, "-p", pipeline) == (2, "", message)


def test_ruff_opt_ruff_syntax_error_is_the_usual_diagnostic(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ruff"
    bad.write_text("func f(a) {\n  return a +\n}\n", encoding="utf-8")
    code, out, err = ruff_opt(capsys, str(bad))
    assert (code, out) == (3, "")
    assert err == f"error: Expected expression, found '}}'\n  --> {bad}:3:1\n   |\n 3 | }}\n   | ^\n"


def test_ruff_opt_names_the_passes_missing_before_lowering(capsys: pytest.CaptureFixture, fib_ruff: str) -> None:
    code, _, err = ruff_opt(capsys, fib_ruff, "-p", "specialize-types,lower-to-llvm")
    assert code == 3
    assert err.startswith("lower-to-llvm: signature type !ruff.value is not native (i64, f64, i1); "
                          "run unbox-returns,extract-native before lower-to-llvm (in @fib)\n")
    code, _, err = ruff_opt(capsys, fib_ruff, "-p", "specialize-types,extract-native,lower-to-llvm")
    assert code == 3 and "; run unbox-returns before lower-to-llvm (in @fib__i)" in err
    code, _, err = ruff_opt(capsys, fib_ruff, "-p", "lower-to-llvm")
    assert code == 3 and "; run specialize-types,unbox-returns,extract-native before lower-to-llvm" in err
    code, out, _ = ruff_opt(capsys, fib_ruff, "-p", "specialize-types,unbox-returns,extract-native,lower-to-llvm")
    assert code == 0 and "llvm.func" in out


@pytest.mark.parametrize("flags", [["-t", "asm"], ["-t", "llvm"], ["--emit", "asm"], ["--emit", "llvm-ir"]])
def test_ruff_opt_native_output_of_a_module_not_in_llvm(capsys: pytest.CaptureFixture, fib_ruff: str,
                                                        flags: list[str]) -> None:
    code, out, err = ruff_opt(capsys, fib_ruff, *flags)
    assert (code, out) == (3, "")
    assert err.startswith(f"ruff-opt: error: {' '.join(flags)} needs a module in the llvm dialect (add lower-to-llvm "
                          "to the pipeline, after specialize-types,unbox-returns,extract-native): ")
    assert err.count("\n") == 1


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_ruff_opt_output_errors(capsys: pytest.CaptureFixture, fib_ruff: str, tmp_path: Path) -> None:
    assert ruff_opt(capsys, fib_ruff, "-o", "/dev/full") == (
        5, "", "ruff-opt: error: cannot write '/dev/full': No space left on device\n")
    missing = tmp_path / "no" / "out.mlir"
    assert ruff_opt(capsys, fib_ruff, "-o", str(missing)) == (
        5, "", f"ruff-opt: error: cannot write '{missing}': No such file or directory\n")


def test_ruff_opt_bad_input_files(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    missing = tmp_path / "missing.mlir"
    assert ruff_opt(capsys, str(missing)) == (5, "", f"ruff-opt: error: cannot read '{missing}': No such file or "
                                                     "directory\n")
    noise = tmp_path / "noise.mlir"
    noise.write_bytes(random.Random(3).randbytes(300))
    assert ruff_opt(capsys, str(noise)) == (5, "", f"ruff-opt: error: cannot read '{noise}': not valid UTF-8\n")
    assert ruff_opt(capsys, "/dev/zero", "-f", "mlir") == (5, "", "ruff-opt: error: cannot read '/dev/zero': larger "
                                                                  "than 64 MiB\n")
    odd = tmp_path / "prog.txt"
    odd.write_text("x", encoding="utf-8")
    assert ruff_opt(capsys, str(odd))[0] == 2


def test_ruff_opt_duplicated_block_label(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    # Used (by a branch) before its first definition, then defined twice: xDSL 0.74 alone fails with KeyError.
    mlir = tmp_path / "dup.mlir"
    mlir.write_text('func.func @f() {\n  "cf.br"() [^bb1] : () -> ()\n^bb1:\n  func.return\n^bb1:\n  func.return\n}\n',
                    encoding="utf-8")
    code, out, err = ruff_opt(capsys, str(mlir))
    assert (code, out) == (3, "")
    assert err.startswith(f"{mlir}:5:1\n^bb1:\n^^^^\nre-declaration of block 'bb1'\noriginally declared here:\n"
                          f"{mlir}:3:1\n")


def test_ruff_opt_truncated_and_scrambled_ir(capsys: pytest.CaptureFixture, fib_ruff: str, tmp_path: Path) -> None:
    code, text, _ = ruff_opt(capsys, fib_ruff)
    assert code == 0
    rng = random.Random(5)
    mlir = tmp_path / "cut.mlir"
    for cut in sorted(rng.sample(range(1, len(text)), 25)):
        mlir.write_text(text[:cut], encoding="utf-8")
        assert ruff_opt(capsys, str(mlir))[0] in (0, 3), cut
    lines = text.splitlines(keepends=True)
    for _ in range(25):
        rng.shuffle(lines)
        mlir.write_text("".join(lines[:rng.randint(1, len(lines))]), encoding="utf-8")
        assert ruff_opt(capsys, str(mlir))[0] in (0, 3)


def test_ruff_opt_help_lists_ruff_passes_first_with_descriptions() -> None:
    from ruff.passes import RUFF_PASSES
    from ruff.tools.ruff_opt import pass_summaries

    summaries = dict(pass_summaries())
    assert list(summaries) == list(RUFF_PASSES)
    assert summaries["extract-native"] == "keep only the functions native code is made of."
    assert all(summaries.values())
    proc = subprocess.run([sys.executable, "-m", "ruff.tools.ruff_opt", "--help"], capture_output=True, text=True,
                          cwd=ROOT, timeout=TIME_BOUND)
    assert proc.returncode == 0
    help_text = proc.stdout
    ours = help_text.index("Ruff's passes:")
    assert ours < help_text.index("xDSL's passes:")
    for name, summary in summaries.items():
        assert f"\n  {name}" in help_text[ours:] and summary in help_text
    assert "convert-\n" not in help_text and "arm-\n" not in help_text  # never wrapped inside a name


def test_ruff_opt_console_script_never_shows_a_traceback(tmp_path: Path) -> None:
    prog = tmp_path / "fib.ruff"
    prog.write_text(FIB_RUFF, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ruff.tools.ruff_opt", str(prog), "-p", ","], capture_output=True,
                          text=True, cwd=ROOT, timeout=TIME_BOUND)
    assert (proc.returncode, proc.stderr) == (2, "ruff-opt: error: invalid pass pipeline ',' at column 1: Expected "
                                                 "pass name here\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_ruff_opt_console_script_with_a_full_stdout(tmp_path: Path) -> None:
    prog = tmp_path / "fib.ruff"
    prog.write_text(FIB_RUFF, encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "ruff.tools.ruff_opt", str(prog)], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=TIME_BOUND)
    assert (proc.returncode, proc.stderr) == (5, "ruff-opt: error: cannot write to standard output: No space left "
                                                 "on device\n")
