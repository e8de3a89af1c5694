"""What a sweep works with: a program's run, its golden file, the categories, judgements and verdicts."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path


class Category(enum.Enum):
    """Where a program ends up; the order is the summary table's."""

    PASSES = "passes"
    DIFFERS = "output differs"
    FAILS = "fails"
    TIMES_OUT = "times out"
    NETWORK = "needs network or a server outside"
    RNG = "uses the reference's RNG"
    MACHINE = "golden output of the author's machine"
    REJECTED = "the reference itself rejects it"
    BY_DESIGN = "ours by design"

    @property
    def could_be_ours(self) -> bool:
        return self in (Category.DIFFERS, Category.FAILS, Category.TIMES_OUT)


@dataclass
class RunResult:
    """One program's run: exit code (None when it timed out), what it printed, how long it took."""

    exit_code: int | None
    stdout: str
    stderr: str
    seconds: float


def normalize(text: str) -> list[str]:
    """The reference harness's comparison: trailing blanks of each line and final empty lines ignored."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


# A diagnostic that the reference wrote into a golden file: `[RUFVM001] [vm] Runtime Error: MESSAGE`.
_CAPTURED_ERROR = re.compile(r"^\[RUF\w+\] (?:\[\w+\] )?(?:Runtime Error|error): (?P<msg>.*)$")


@dataclass
class Golden:
    """What a `.out` file expects: lines of standard output, then perhaps the error the run ends with."""

    stdout: list[str]
    error: str = ""

    @classmethod
    def read(cls, path: Path) -> Golden:
        lines = normalize(path.read_text(encoding="utf-8", errors="replace"))
        for i, line in enumerate(lines):
            m = _CAPTURED_ERROR.match(line)
            if m:
                return cls(lines[:i], m.group("msg").strip())
        return cls(lines)


def first_difference(want: list[str], got: list[str]) -> str:
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            return f"line {i + 1}: want {w!r}, got {g!r}"
    if len(want) > len(got):
        return f"line {len(got) + 1}: want {want[len(got)]!r}, got end of output"
    return f"line {len(want) + 1}: want end of output, got {got[len(want)]!r}"


def first_error_line(stderr: str) -> str:
    for line in stderr.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def masked(lines: list[str], masks: tuple[str, ...]) -> list[str]:
    out = []
    for line in lines:
        for mask in masks:
            line = re.sub(mask, "<masked>", line)
        out.append(line)
    return out


@dataclass(frozen=True)
class Judgement:
    """Why a program that does not pass is not ours, and what its run must show for that to hold.

    `error`: the run must fail (with exit code `exit`, or any failing code when `exit` is 0) with this text
    on stderr: the point where the reference fails too. `masks`: regular expressions for the parts of lines
    that depend on the machine, the clock or the reference's random-number generator; they are blanked in
    the golden file and in the output, the run must exit 0, and what is left must match. `timeout`: the
    run must time out (a server waiting for clients). Every judgement names one of these.
    """

    category: Category
    reason: str
    error: str = ""
    exit: int = 0
    masks: tuple[str, ...] = ()
    timeout: bool = False

    def holds(self, result: RunResult, golden: Golden | None) -> str:
        """"" when the run bears the judgement out, else what the judgement expected instead."""
        if self.timeout:
            return "" if result.exit_code is None else "the judgement expects a time-out"
        if self.error:
            if result.exit_code in (0, None) or (self.exit and result.exit_code != self.exit):
                return f"the judgement expects exit {self.exit or 'non-zero'} with {self.error!r}"
            if self.error not in result.stderr:
                return f"the judgement expects the error {self.error!r}"
        if self.masks:
            if golden is None:
                return "the judgement masks lines of a golden file that does not exist"
            if result.exit_code != 0:
                return "the judgement expects exit 0"
            want, got = masked(golden.stdout, self.masks), masked(normalize(result.stdout), self.masks)
            if want != got:
                return f"after masking, {first_difference(want, got)}"
        return ""


@dataclass
class Verdict:
    """A program's category and the detail the report shows; `raw` is what the run alone said."""

    program: str
    category: Category
    detail: str
    run: RunResult | None = None
    raw: Category | None = None
    reason: str = ""
    stale_judgement: str = ""
