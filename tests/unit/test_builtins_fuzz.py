"""Property test: whatever Ruff values a builtin gets, only RuffError may escape (never a Python error)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruff.limits import I64_MAX, I64_MIN
from ruff.runtime.builtins import BUILTINS, RuffQueue, RuffRange, RuffSet, RuffStack, lookup_method
from ruff.runtime.values import Builtin, EnumValue, RuffError
from kit import FakeRuntime, UNSAFE


SAFE_NAMES = sorted(n for n in BUILTINS if n not in UNSAFE)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=I64_MIN, max_value=I64_MAX),
    st.sampled_from([0, 1, -1, 2, 3, 64, 100]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.sampled_from(["", "a,b", "%s %d", "{}", "(", "\\d+", "1", "2.5", "true", "[1]", '{"a":1}']),
)
functions = st.sampled_from([
    Builtin("id", lambda rt, a: a[0] if a else None),
    Builtin("neg", lambda rt, a: -1),
    Builtin("bad", lambda rt, a: "text"),
])
values = st.recursive(
    st.one_of(scalars, functions),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
        st.builds(lambda xs: RuffSet(xs), st.lists(inner, max_size=3)),
        st.builds(lambda xs: RuffQueue(xs), st.lists(inner, max_size=3)),
        st.builds(lambda xs: RuffStack(xs), st.lists(inner, max_size=3)),
        st.builds(lambda n: RuffRange(range(n)), st.integers(-2, 5)),
        st.builds(lambda v: EnumValue("Result", "Ok", (v,)), inner),
    ),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAFE_NAMES), st.lists(values, max_size=3))
def test_builtins_only_raise_ruff_errors(name, args):
    try:
        result = BUILTINS[name].fn(FakeRuntime(script_args=("x",)), list(args))
        if hasattr(result, "__next__"):
            list(result)
    except RuffError:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values, st.sampled_from(["len", "map", "filter", "push", "split", "keys", "get", "add", "pop",
                                "take", "collect", "sort", "join", "to_string", "abs", "unwrap"]),
       st.lists(values, max_size=2))
def test_methods_only_raise_ruff_errors(receiver, name, args):
    b = lookup_method(receiver, name)
    if b is None or b.name in UNSAFE:
        return
    try:
        result = b.fn(FakeRuntime(script_args=("x",)), [receiver, *args])
        if hasattr(result, "__next__"):
            list(result)
    except RuffError:
        pass
