"""Shared by the builtin tests: a stand-in for the runtime a builtin receives, and call helpers."""

from __future__ import annotations

import random

import pytest

from ruff.runtime.builtins import BUILTINS
from ruff.runtime.values import RuffError


class FakeRT:
    def __init__(self):
        self.out = []
        self.script_args = []
        self.random = random.Random(0)
        self.filename = "test.ruff"

    def write(self, text):
        self.out.append(text)

    def call(self, f, args):
        return f.fn(self, list(args))


def call(name, *args):
    return BUILTINS[name].fn(FakeRT(), list(args))


def raises(name, *args, match=""):
    with pytest.raises(RuffError) as info:
        call(name, *args)
    assert match in info.value.message, info.value.message
    return info.value.message
