"""Random builtins: ranges, seeding through rt.random, reference odd contracts."""

import re

from ruff.runtime.builtins import random as ruff_random
from kit import FakeRuntime, call, raises


def test_random_values_in_range():
    rt = FakeRuntime()
    for _ in range(200):
        r = call("random", rt=rt)
        assert type(r) is float and 0.0 <= r < 1.0
        n = call("random_int", -5, 5, rt=rt)
        assert type(n) is int and -5 <= n <= 5
        f = call("random_float", 2, 3, rt=rt)
        assert 2.0 <= f <= 3.0
        assert call("random_choice", ["apple", "banana"], rt=rt) in ("apple", "banana")
    assert call("random_int", 3, 3) == 3
    assert call("random_choice", []) == 0


def test_seed_makes_runs_reproducible():
    a, b = FakeRuntime(seed=1), FakeRuntime(seed=2)
    call("set_random_seed", 12345, rt=a)
    call("random_seed", 12345, rt=b)
    seq_a = [call("random", rt=a), call("random_int", 1, 100, rt=a), call("random_id", 8, rt=a),
             call("uuid_v4", rt=a), call("shuffle", [1, 2, 3, 4], rt=a)]
    seq_b = [call("random", rt=b), call("random_int", 1, 100, rt=b), call("random_id", 8, rt=b),
             call("uuid_v4", rt=b), call("shuffle", [1, 2, 3, 4], rt=b)]
    assert seq_a == seq_b
    assert call("clear_random_seed", rt=a) is None


def test_ids():
    rid = call("random_id", 12)
    assert re.fullmatch(r"[a-z0-9]{12}", rid)
    assert call("random_id", 0) == ""
    u = call("uuid_v4")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u)
    arr = [1, 2, 3]
    assert sorted(call("shuffle", arr)) == [1, 2, 3] and arr == [1, 2, 3]


def test_random_errors():
    raises("random", 1, match="random() expects 0 arguments, got 1")
    raises("random_int", 1, match="random_int() expects 2 arguments, got 1")
    raises("random_int", "a", 2, match="random_int() expects numeric arguments, got string")
    raises("random_int", 5, 1, match="random_int() expects min <= max, got 5 > 1")
    raises("random_float", 1, "x", match="random_float() expects a number, got string")
    raises("random_choice", "abc", match="random_choice() expects an array, got string")
    raises("shuffle", 5, match="shuffle() expects an array, got int")
    raises("random_id", -1, match="random_id length must be >= 0")
    raises("random_id", 1.5, match="random_id() expects an integer length, got float")
    raises("uuid_v4", 1, match="uuid_v4() expects 0 arguments, got 1")
    raises("set_random_seed", "x", match="set_random_seed() expects a numeric seed, got string")
    raises("random_seed", match="expects 1 argument, got 0")
    raises("clear_random_seed", 1, match="clear_random_seed() expects 0 arguments, got 1")


def test_every_random_builtin_is_tested():
    assert set(ruff_random.reg.functions) == {
        "random", "random_int", "random_float", "random_choice", "shuffle", "random_id", "uuid_v4",
        "set_random_seed", "random_seed", "clear_random_seed"}
