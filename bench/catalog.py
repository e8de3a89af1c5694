"""The benchmark programs: names, descriptions, expected result lines, which twins exist, and the
group each belongs to (the micro-benchmarks, or the Benchmarks-Game set)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

PROGRAMS_DIR = Path(__file__).resolve().parent / "programs"
HELLO = PROGRAMS_DIR / "hello.ruff"

# file suffix of each kind of twin
SUFFIX = {"ruff": ".ruff", "python": ".py", "c": ".c"}

# The groups, in report order: one-feature micro-benchmarks, and programs in the style of the Computer
# Language Benchmarks Game (whole small algorithms; the report gives this set its own geometric means).
MICRO = "micro"
BENCHMARKS_GAME = "benchmarks-game"
GROUP_LABELS = {MICRO: "Micro-benchmarks", BENCHMARKS_GAME: "Benchmarks-Game set"}

# The opcode-at-a-time interpreter takes minutes per run on the Benchmarks-Game programs (sized for
# CPython to take 0.3-1.5 s), so it runs them only when named in --contenders.
INTERP_TOO_SLOW = frozenset({"ruff-interp"})


@dataclass(frozen=True)
class Program:
    name: str
    description: str
    expected: str  # the exact `result:` line every contender must print
    has_c: bool = False
    group: str = MICRO
    # contenders that run this program only when asked for by name (`--contenders`): too slow for it
    too_slow_for: frozenset[str] = frozenset()

    def source(self, kind: str) -> Optional[Path]:
        """Path of the twin of this kind ("ruff", "python", "c"), or None when it has none."""
        if kind == "c" and not self.has_c:
            return None
        path = PROGRAMS_DIR / (self.name + SUFFIX[kind])
        return path


PROGRAMS: list[Program] = [
    Program("fib_recursive", "naive recursive fib(30): call overhead",
            "result: 832040", has_c=True),
    Program("fib_iterative", "iterative fib(90), repeated 100,000 times: tight integer loop + a call",
            "result: 2880067194370816120", has_c=True),
    Program("sum_loop", "sum of 0..999,999 in a while loop",
            "result: 499999500000", has_c=True),
    Program("nested_loops", "1000 x 1000 nested while loops accumulating i * j",
            "result: 249500250000", has_c=True),
    Program("dict_fill_read", "fill a dict with 100,000 int keys, then read them all back",
            "result: 9999900000"),
    Program("string_concat", "build a 10,000-char string one char at a time",
            "result: 10000 abcdefghij"),
    Program("array_build", "push 100,000 elements onto an array, then index-sum them",
            "result: 100000 14999850000"),
    Program("small_dicts", "create 100,000 three-key dicts in a loop",
            "result: 10000200000"),
    Program("struct_methods", "1,000 Vec2/Particle structs x 200 steps of method calls",
            "result: 2014752"),
    Program("closures", "100,000 rounds of adder/compose/counter closures",
            "result: 10005150001"),
    Program("native_calls", "1,000,000 calls of a native two-int function from baseline code: the cost of "
            "entering native code", "result: 499999500000"),
    Program("string_processing", "20,000 rounds of split/upper/replace/join on a record",
            "result: 1857780 ALPHA-B3TA-GAMMA-D3LTA-3PSILON-Z3TA-3TA-TH3TA-19999"),
]


def _game(name: str, description: str, expected: str, has_c: bool = True) -> Program:
    return Program(name, description, expected, has_c=has_c, group=BENCHMARKS_GAME,
                   too_slow_for=INTERP_TOO_SLOW)


PROGRAMS += [
    _game("nbody", "n-body: Sun and 4 planets as an array of float-field structs, 200,000 steps",
          "result: -0.169075164 -0.169083713"),
    _game("spectral_norm", "spectral norm of a 400 x 400 matrix, 10 power iterations; "
          "eval_a(i, j) called 6.4 million times",
          "result: 1.274224081"),
    _game("fannkuch_redux", "fannkuch-redux n = 9: pancake flips of all 362,880 int-array "
          "permutations", "result: 8629 30"),
    _game("binary_trees", "binary-trees max depth 14: 3.2 million small structs allocated "
          "bottom-up and walked recursively", "result: 65535 3123888 32767"),
    _game("mandelbrot", "mandelbrot 360 x 360 bitmap, 50 iterations: float pixel loop",
          "result: 51457 713592261"),
    _game("fasta_knucleotide", "fasta (LCG, 200,000 bases built in 60-char lines) + k-nucleotide "
          "dict counting for k = 1, 2, 3, 4, 6, 12, 18",
          "result: 4 16 64 256 4096 138127 139882 | A:60481 C:39637 G:39731 T:60151 | GGT:2368 "
          "GGTA:731 GGTATT:76 GGTATTTTAATT:2 GGTATTTTAATTTATAGT:2", has_c=False),
    _game("sieve", "sieve of Eratosthenes below 2,000,000 in an int array",
          "result: 148933 142913828922"),
    _game("quicksort", "recursive in-place quicksort of 200,000 LCG ints",
          "result: 282188651 0 999995"),
]

BY_NAME = {p.name: p for p in PROGRAMS}

# `--quick`: a CI smoke subset (short, and touching loops, calls, strings and closures)
QUICK = ["fib_iterative", "sum_loop", "string_concat", "closures"]

# `--ablation`: the numeric micro-benchmarks, whose work the JIT compiles
ABLATION_SET = ["fib_recursive", "fib_iterative", "sum_loop", "nested_loops"]


def groups(programs: list[Program]) -> list[str]:
    """The groups the programs belong to, in report order."""
    present = {p.group for p in programs}
    return [g for g in GROUP_LABELS if g in present]


def select(names: Optional[list[str]]) -> list[Program]:
    """The programs named (in suite order), or all; unknown names raise ValueError."""
    if not names:
        return list(PROGRAMS)
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise ValueError(f"unknown program(s): {', '.join(unknown)} "
                         f"(known: {', '.join(BY_NAME)})")
    wanted = set(names)
    return [p for p in PROGRAMS if p.name in wanted]
