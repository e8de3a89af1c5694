"""The benchmark programs: names, descriptions, expected result lines, which twins exist."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

PROGRAMS_DIR = Path(__file__).resolve().parent / "programs"
HELLO = PROGRAMS_DIR / "hello.ruff"

# file suffix of each kind of twin
SUFFIX = {"ruff": ".ruff", "python": ".py", "c": ".c"}


@dataclass(frozen=True)
class Program:
    name: str
    description: str
    expected: str  # the exact `result:` line every contender must print
    has_c: bool = False

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
    Program("string_processing", "20,000 rounds of split/upper/replace/join on a record",
            "result: 1857780 ALPHA-B3TA-GAMMA-D3LTA-3PSILON-Z3TA-3TA-TH3TA-19999"),
]

BY_NAME = {p.name: p for p in PROGRAMS}

# `--quick`: a CI smoke subset (short, and touching loops, calls, strings and closures)
QUICK = ["fib_iterative", "sum_loop", "string_concat", "closures"]


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
