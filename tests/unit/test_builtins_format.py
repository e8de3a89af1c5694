"""format(): %s %d %f %% (the reference's range_format_test), precision/width, and {} placeholders."""

import pytest

from ruff.runtime.builtins import BUILTINS, lookup_method
from ruff.runtime.values import RuffError
from kit import FakeRuntime


def fmt(*args):
    return BUILTINS["format"].fn(FakeRuntime(), list(args))


@pytest.mark.parametrize("args,expected", [
    (["Hello %s!", "Alice"], "Hello Alice!"),
    (["Welcome %s and %s", "Bob", "Charlie"], "Welcome Bob and Charlie"),
    (["Count: %d", 42], "Count: 42"),
    (["We have %d apples and %d oranges", 5, 3], "We have 5 apples and 3 oranges"),
    (["Pi is approximately %f", 3.14159], "Pi is approximately 3.14159"),
    (["Coordinates: (%f, %f)", 1.5, 2.7], "Coordinates: (1.5, 2.7)"),
    (["%s is %d years old and %f feet tall", "John", 25, 5.8], "John is 25 years old and 5.8 feet tall"),
    (["100%% complete"], "100% complete"),
    (["Success rate: %d%%", 95], "Success rate: 95%"),
    (["%d", 3.9], "3"),
    (["%d", True], "1"),
    (["%f", 5], "5"),
    (["%s", [1, "a"]], "[1, a]"),
    (["%s", None], "null"),
    (["%.2f", 3.14159], "3.14"),
    (["%.1f%%", 87.456], "87.5%"),
    (["%5d|%-5d|%05d", 42, 42, 42], "   42|42   |00042"),
    (["%+d %+d", 5, -5], "+5 -5"),
    (["%-6s|%6s", "ab", "cd"], "ab    |    cd"),
    (["%08.3f", -3.14159], "-003.142"),
    (["%x %o %e", 1], "%x %o %e"),
    (["5%off, 50% more", 1], "5%off, 50% more"),
    (["%.3s", "abcdef"], "abc"),
    (["50% off"], "50% off"),
    (["{}-{}", ["a", 1]], "a-1"),
    (["{} and {}", "x", 2.5], "x and 2.5"),
    (["items: {}", [1, 2]], "items: [1, 2]"),
    (["{\"k\": %d}", 1], "{\"k\": 1}"),
    (["no placeholders", 1, 2], "no placeholders"),
])
def test_format(args, expected):
    assert fmt(*args) == expected


@pytest.mark.parametrize("args,message", [
    ([], "format() expects at least 1 argument, got 0"),
    ([5], "format() expects a string template, got int"),
    (["%s and %s", "a"], "format() missing argument for placeholder %s"),
    (["{}"], "format() missing argument for placeholder {}"),
    (["%d", "x"], "format() %d requires numeric argument, got string"),
    (["%f", None], "format() %f requires numeric argument, got null"),
])
def test_format_errors(args, message):
    with pytest.raises(RuffError) as info:
        fmt(*args)
    assert info.value.message == message


def test_format_as_string_method():
    b = lookup_method("%s=%d", "format")
    assert b.fn(FakeRuntime(), ["%s=%d", "x", 1]) == "x=1"
