"""The contenders: how each one runs a program, and whether it is available on this machine."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from bench.catalog import HELLO, Program

REPO_ROOT = Path(__file__).resolve().parent.parent

# suite order = column order in every table
KNOWN = ["ruff-jit", "ruff-nojit", "ruff-interp", "cpython", "pypy", "gcc"]
BASELINE = "cpython"

# The ablation: the JIT with one pass of its pipeline turned off (RUFF_JIT_DISABLE), for `--ablation`.
ABLATED_PASSES = ["inline", "tailrec-to-loop", "unbox-returns", "canonicalize", "cse", "dce"]
ABLATION = [f"ruff-jit-no-{p}" for p in ABLATED_PASSES]

LABELS = {
    "ruff-jit": "Ruff (JIT)",
    "ruff-nojit": "Ruff (--no-jit)",
    "ruff-interp": "Ruff (--tier=interp --no-jit)",
    "cpython": "CPython",
    "pypy": "PyPy",
    "gcc": "C (gcc -O2)",
}

# flags given to `ruff run` before the file, per Ruff contender
RUFF_FLAGS = {
    "ruff-jit": [],
    "ruff-nojit": ["--no-jit"],
    "ruff-interp": ["--tier=interp", "--no-jit"],
}
OPTIONAL = {"ruff-interp", "pypy", *ABLATION}
LABELS.update({f"ruff-jit-no-{p}": f"Ruff (JIT without {p})" for p in ABLATED_PASSES})
RUFF_FLAGS.update({f"ruff-jit-no-{p}": [] for p in ABLATED_PASSES})
RUFF_ENV = {f"ruff-jit-no-{p}": {"RUFF_JIT_DISABLE": p} for p in ABLATED_PASSES}

CC_FLAGS = ["-O2"]
CC_LIBS = ["-lm"]  # after the source file: sqrt in nbody and spectral_norm


@dataclass
class Contender:
    name: str
    kind: str  # which twin it runs: "ruff", "python" or "c"
    argv: list[str] = field(default_factory=list)  # command prefix; the program file is appended
    available: bool = True
    note: str = ""  # why it is unavailable, or other remarks
    version: str = ""
    binaries: dict[str, str] = field(default_factory=dict)  # kind "c": program name -> executable
    compile_errors: dict[str, str] = field(default_factory=dict)  # kind "c": program name -> message
    # also run the programs that list this contender in `too_slow_for` (it was named in --contenders)
    run_slow: bool = False

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)

    @property
    def optional(self) -> bool:
        return self.name in OPTIONAL

    def skips_as_too_slow(self, program: Program) -> bool:
        """The program is too slow for this contender, and it was not asked for by name."""
        return self.name in program.too_slow_for and not self.run_slow

    def runs(self, program: Program) -> bool:
        """Whether this contender runs the program: it has a twin for it (C twins exist for some only)
        and does not skip it as too slow."""
        return program.source(self.kind) is not None and not self.skips_as_too_slow(program)

    def command(self, program: Program) -> Optional[list[str]]:
        """The argv that runs the program, or None (no twin, or the C twin failed to compile)."""
        src = program.source(self.kind)
        if src is None:
            return None
        if self.kind == "c":
            exe = self.binaries.get(program.name)
            return [exe] if exe else None
        return [*self.argv, str(src)]

    def display_command(self) -> str:
        """The command line, with paths inside the repository shown relative to it."""
        argv = [_rel(a) for a in self.argv]
        if self.kind == "c":
            return (f"{' '.join(argv) or 'gcc'} {' '.join(CC_FLAGS)} NAME.c -o NAME "
                    f"{' '.join(CC_LIBS)} && ./NAME")
        return " ".join([*argv, "FILE" + {"ruff": ".ruff", "python": ".py"}[self.kind]])


def _rel(arg: str) -> str:
    try:
        return str(Path(arg).relative_to(REPO_ROOT)) if arg.startswith("/") else arg
    except ValueError:
        return arg


def _run_quiet(argv: list[str], timeout: float = 60.0) -> tuple[int, str, str]:
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except FileNotFoundError as e:
        return 127, "", str(e)
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {timeout:.0f} s"
    except OSError as e:
        return 126, "", str(e)


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def find_ruff(override: Optional[str] = None) -> Optional[str]:
    """The `ruff` executable of this project: --ruff, else .venv/bin/ruff of the repo, else the one
    next to the running interpreter.  Never a `ruff` found on PATH (that may be Astral's linter)."""
    if override:
        return override
    for cand in (REPO_ROOT / ".venv" / "bin" / "ruff", Path(sys.executable).parent / "ruff"):
        if cand.exists():
            return str(cand)
    return None


def byte_compile_ruff(ruff: Optional[str]) -> str:
    """Byte-compile the `ruff` package that this executable runs, with its own Python; "" or why not.

    Where PYTHONDONTWRITEBYTECODE is set (as in this project's environment), stale __pycache__ files are
    never rewritten: every run would compile the modules it imports from source again, and the JIT's
    modules, imported when the first function gets hot, are imported inside the timed region. Cheap when
    nothing changed (compileall skips up-to-date files)."""
    if ruff is None:
        return "no ruff executable"
    try:
        with open(ruff, "rb") as f:
            first = f.readline().decode("utf-8", "replace").strip()
    except OSError as e:
        return str(e)
    python = first[2:].strip() if first.startswith("#!") and "python" in first else None
    if python is None:
        return f"{ruff} is not a Python script"
    rc, out, err = _run_quiet([python, "-c", "import compileall, os, ruff; "
                               "ok = compileall.compile_dir(os.path.dirname(ruff.__file__), quiet=1); "
                               "raise SystemExit(0 if ok else 1)"], timeout=300)
    return "" if rc == 0 else f"compileall failed (exit {rc}): {_last_line(err + out)}"


def probe_ruff(ruff: Optional[str], flags: list[str]) -> tuple[bool, str]:
    """Run hello.ruff with the flags; (works, note)."""
    if ruff is None:
        return False, "no ruff executable (.venv/bin/ruff missing; pass --ruff PATH)"
    rc, out, err = _run_quiet([ruff, "run", *flags, str(HELLO)])
    if rc == 0 and "hello, world" in out:
        return True, ""
    text = err + out
    cmd = " ".join(["ruff run", *flags])
    if rc == 2 or "unrecognized arguments" in text or "invalid choice" in text:
        return False, f"`{cmd}` not supported: {_last_line(text)}"
    return False, f"`{cmd} hello.ruff` failed (exit {rc}): {_last_line(text)}"


def cpython_executable() -> Optional[str]:
    if platform.python_implementation() == "CPython":
        return sys.executable
    return shutil.which("python3")


def python_version(exe: str) -> str:
    rc, out, err = _run_quiet([exe, "-c", "import sys, platform; "
                               "v = getattr(sys, 'pypy_version_info', None); "
                               "print(platform.python_implementation(), platform.python_version(), "
                               "'(PyPy %d.%d.%d)' % tuple(v[:3]) if v else '', sys.executable)"])
    return " ".join(out.split()) if rc == 0 else ""


def tool_version(argv: list[str]) -> str:
    """First line of `tool --version`."""
    rc, out, err = _run_quiet(argv)
    lines = (out or err).strip().splitlines()
    return lines[0].strip() if rc == 0 and lines else ""


def discover(names: list[str], *, ruff: Optional[str] = None, pypy: Optional[str] = None,
             cc: Optional[str] = None, python: Optional[str] = None) -> list[Contender]:
    """Build the named contenders (suite order), probing each; unavailable ones carry a note."""
    out: list[Contender] = []
    ruff_exe = find_ruff(ruff) if any(n.startswith("ruff-") for n in names) else None
    base_ok: Optional[tuple[bool, str]] = None
    for name in [n for n in KNOWN + ABLATION if n in names]:
        if name in RUFF_FLAGS:
            env = [f"{k}={v}" for k, v in RUFF_ENV.get(name, {}).items()]
            c = Contender(name, "ruff", [*(["env", *env] if env else []), ruff_exe or "ruff", "run",
                                         *RUFF_FLAGS[name]])
            if base_ok is None:
                compiled = byte_compile_ruff(ruff_exe)
                if compiled:
                    print(f"  note: could not byte-compile ruff ({compiled}): imports may be slower",
                          file=sys.stderr)
                base_ok = probe_ruff(ruff_exe, [])
            ok, note = base_ok if not RUFF_FLAGS[name] or not base_ok[0] \
                else probe_ruff(ruff_exe, RUFF_FLAGS[name])
            c.available, c.note = ok, note
            c.version = ruff_exe or ""
        elif name == "cpython":
            exe = python or cpython_executable()
            c = Contender(name, "python", [exe or "python3"])
            c.available = exe is not None
            c.note = "" if exe else "no CPython found"
            c.version = python_version(exe) if exe else ""
        elif name == "pypy":
            exe = pypy or shutil.which("pypy3") or shutil.which("pypy")
            c = Contender(name, "python", [exe or "pypy3"])
            c.available = exe is not None
            c.note = "" if exe else "pypy3 not on PATH (Debian/Ubuntu: apt-get install -y pypy3)"
            c.version = python_version(exe) if exe else ""
        elif name == "gcc":
            exe = cc or shutil.which("gcc")
            c = Contender(name, "c", [exe or "gcc"])
            c.available = exe is not None
            c.note = "" if exe else "gcc not on PATH"
            c.version = tool_version([exe, "--version"]) if exe else ""
        else:  # pragma: no cover - names are validated by the CLI
            raise ValueError(name)
        out.append(c)
    return out


def compile_c(contender: Contender, programs: list[Program], build_dir: Path) -> None:
    """Compile the C twins once into build_dir; failures are kept in contender.compile_errors."""
    for prog in programs:
        src = prog.source("c")
        if src is None:
            continue
        exe = build_dir / prog.name
        rc, out, err = _run_quiet([contender.argv[0], *CC_FLAGS, "-o", str(exe), str(src), *CC_LIBS],
                                  120)
        if rc == 0:
            contender.binaries[prog.name] = str(exe)
        else:
            contender.compile_errors[prog.name] = f"gcc failed (exit {rc}): {_last_line(err + out)}"
