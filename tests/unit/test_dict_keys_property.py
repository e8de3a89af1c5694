"""Property test: how a dict stores its keys is invisible (ruff.runtime.dict_keys).

Each example is a random sequence of dict operations whose keys are ints, numbers' texts and other strings
("1", "01", "-0", 12, "a", keys cut from a string, `to_string` of an int), replayed three times by a loop in
a function (so the native tier compiles it). The program runs under the interpreter, the fast tier and the
JIT, and every output must equal a model in which a dict's keys are plain strings and an int key is its
decimal text: the semantics Ruff documents (d[5] is d["5"]).
"""

from __future__ import annotations

from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit import run_source
from ruff.runner import RunOptions, make_vm
from ruff.runtime.values import RuffError

# (Ruff expression, the key text it stands for)
KEYS = [("0", "0"), ("1", "1"), ("-1", "-1"), ("12", "12"), ('"0"', "0"), ('"1"', "1"), ('"-1"', "-1"),
        ('"01"', "01"), ('"-0"', "-0"), ('"12"', "12"), ('"a"', "a"), ('""', ""), ('"1 "', "1 "),
        ("to_string(r + 11)", None), ('substring("x012-1", 1, 3)', "01"), ('substring("x012-1", 2, 4)', "12"),
        ('substring("x012-1", 4, 6)', "-1"), ("9223372036854775807", "9223372036854775807"),
        ('"9223372036854775808"', "9223372036854775808")]

OPS = st.one_of(
    st.tuples(st.just("set"), st.integers(0, len(KEYS) - 1), st.integers(-5, 50)),
    st.tuples(st.just("get"), st.integers(0, len(KEYS) - 1), st.just(0)),
    st.tuples(st.just("has"), st.integers(0, len(KEYS) - 1), st.just(0)),
    st.tuples(st.just("read"), st.integers(0, len(KEYS) - 1), st.just(0)),
    st.tuples(st.just("spread"), st.integers(0, len(KEYS) - 1), st.integers(-5, 50)),
    st.tuples(st.just("show"), st.just(0), st.just(0)),
)


def program(ops: list) -> str:
    lines = []
    for op, k, v in ops:
        key = KEYS[k][0]
        if op == "set":
            lines.append(f"d[{key}] := {v} + r")
        elif op == "get":
            lines.append(f"print(get_default(d, {key}, -1))")
        elif op == "has":
            lines.append(f"print(has_key(d, {key}))")
        elif op == "read":
            lines.append(f"if has_key(d, {key}) {{ print(d[{key}]) }} else {{ print(\"absent\") }}")
        elif op == "spread":
            lines.append(f"d := {{...d, {key}: {v}}}")
        else:
            lines.append('s := ""\n        for k in d { s := s + k + "," }\n        print(s, keys(d), len(d), d)')
    body = "\n        ".join(lines)
    return f"""
func work(rounds) {{
    r := 0
    while r < rounds {{
        d := {{"z": 0}}
        {body}
        print(d)
        r := r + 1
    }}
    return 0
}}
work(3)
"""


def model(ops: list) -> str:
    out = []
    for r in range(3):
        d = {"z": 0}
        for op, k, v in ops:
            text = KEYS[k][1] if KEYS[k][1] is not None else str(r + 11)
            if op == "set":
                d[text] = v + r
            elif op == "get":
                out.append(str(d.get(text, -1)))
            elif op == "has":
                out.append("1" if text in d else "0")
            elif op == "read":
                out.append(str(d[text]) if text in d else "absent")
            elif op == "spread":
                d = {**d, text: v}
            else:
                shown = "{" + ", ".join(f'"{t}": {x}' for t, x in sorted(d.items())) + "}"
                out.append(f"{''.join(t + ',' for t in d)} [{', '.join(sorted(d))}] {len(d)} {shown}")
        out.append("{" + ", ".join(f'"{t}": {x}' for t, x in sorted(d.items())) + "}")
    return "\n".join(out) + "\n"


def outputs(src: str, options: RunOptions) -> str:
    out: list[str] = []
    vm = make_vm(options, write=out.append)
    # `work` runs most of its operations through the runtime, which the JIT's profitability rule would
    # leave to the baseline: compiled anyway, its native dict operations are what this test checks.
    # (RUFF_JIT_CACHE=0: a refusal another run kept in the disk cache would stand.)
    with mock.patch("ruff.tiering.runtime_bound", return_value=None), \
            mock.patch.dict("os.environ", {"RUFF_JIT_CACHE": "0"}):
        try:
            run_source(src, vm, filename="p.ruff", dedent=False)
        except RuffError as e:
            out.append(f"error: {e.message}")
    if options.jit:
        assert vm.jit.entries or vm.jit.loops, "work did not run natively"
    return "".join(out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, min_size=1, max_size=10))
def test_every_tier_shows_the_keys_the_model_does(ops: list) -> None:
    src = program(ops)
    expected = model(ops)
    assert outputs(src, RunOptions(jit=False, tier="interp")) == expected
    assert outputs(src, RunOptions(jit=False, tier="fast")) == expected
    assert outputs(src, RunOptions(jit=True, jit_threshold=1, tier="fast")) == expected
