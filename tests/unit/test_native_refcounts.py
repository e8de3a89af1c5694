"""Native code on objects keeps reference counts exact (#15): a native loop over a million elements leaves
every element, the array and the result with the references they had, whether it runs to the end or
deoptimizes at the last element; and running it again and again allocates nothing that stays."""

from __future__ import annotations

import sys
import tracemalloc

import pytest

from ruff.runner import RunOptions, compile_file, make_vm
from ruff.runtime.int_texts import LIMIT
from ruff.runtime.objects import dict_key, index_get, index_set
from ruff.runtime.values import Module

SOURCE = """
func total(xs) {
    mut s := 0.0
    mut i := 0
    while i < len(xs) {
        s = s + xs[i]
        i += 1
    }
    return s
}
func copy_into(xs, ys) {
    mut i := 0
    while i < len(xs) {
        ys[i] = xs[i]
        i += 1
    }
    return len(ys)
}
func reverse(xs) {
    mut i := 0
    mut j := len(xs) - 1
    while i < j {
        t := xs[i]
        xs[i] = xs[j]
        xs[j] = t
        i += 1
        j -= 1
    }
    return len(xs)
}
struct Pair { a, b }
func pairs(x, n) {
    mut i := 0
    mut last := null
    while i < n {
        last = Pair { a: x, b: i }
        i += 1
    }
    return last
}
func tree(depth) {
    if depth > 0 {
        return Pair { a: tree(depth - 1), b: tree(depth - 1) }
    }
    return Pair { a: null, b: depth }
}
"""

N = 1_000_000


def load(tmp_path_factory: pytest.TempPathFactory, name: str, source: str):
    """(vm, module) after running `source` with the JIT compiling at the first call."""
    path = tmp_path_factory.mktemp("refs") / name
    path.write_text(source)
    vm = make_vm(RunOptions(jit=True, jit_threshold=1), write=lambda text: None)
    module = Module("__main__", str(path), source)
    vm.run_chunk(compile_file(str(path)).chunk, module)
    return vm, module


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory):
    return load(tmp_path_factory, "refs.ruff", SOURCE)


def native(program, name: str, args: list):
    vm, module = program
    fn = module.globals[name]
    from ruff.tiering import kinds_of

    entry = vm.jit.specialize(fn, kinds_of(args))
    assert entry is not None, f"{name} was not compiled"
    return lambda *a: entry.pyfunc(None, 1, *a)


def test_a_native_loop_over_a_million_floats_keeps_every_refcount(program) -> None:
    xs = [float(k) + 0.5 for k in range(N)]  # a million distinct float objects
    before = [sys.getrefcount(x) for x in xs[::997]]
    list_before = sys.getrefcount(xs)
    call = native(program, "total", [xs])
    assert call(xs) == sum(xs)
    assert [sys.getrefcount(x) for x in xs[::997]] == before
    assert sys.getrefcount(xs) == list_before


def test_a_deoptimization_at_the_last_element_keeps_every_refcount(program) -> None:
    xs = [float(k) for k in range(N)]
    call = native(program, "total", [xs])
    xs[-1] = 7  # an int where native code speculates floats: it hands over to the interpreter there
    before = [sys.getrefcount(x) for x in xs[::997]]
    assert call(xs) == sum(xs)
    assert [sys.getrefcount(x) for x in xs[::997]] == before


def test_stores_release_the_old_elements_and_own_the_new(program) -> None:
    xs = [float(k) for k in range(N)]
    ys = [float(-k) for k in range(N)]
    olds = ys[::997]
    old_counts = [sys.getrefcount(y) for y in olds]
    before = [sys.getrefcount(x) for x in xs[::997]]
    call = native(program, "copy_into", [xs, ys])
    assert call(xs, ys) == N
    assert ys == xs
    # The old elements lost the array's reference; the new ones are the very objects read from xs (native
    # code stores the element it unboxed, not an equal one boxed again), each one reference more.
    assert [sys.getrefcount(y) for y in olds] == [n - 1 for n in old_counts]
    assert all(y is x for y, x in zip(ys[::997], xs[::997]))
    assert [sys.getrefcount(x) for x in xs[::997]] == [n + 1 for n in before]


def test_a_swap_of_int_elements_moves_the_objects_it_read(program) -> None:
    xs = [10**12 + k for k in range(N)]  # distinct ints (none from the small-int cache)
    originals = xs[::997]
    before = [sys.getrefcount(x) for x in originals]
    call = native(program, "reverse", [xs])
    assert call(xs) == N
    assert xs == [10**12 + k for k in reversed(range(N))]
    assert all(any(x is o for o in originals) for x in xs[-1::-997])
    assert [sys.getrefcount(x) for x in originals] == before


def test_repeated_native_calls_leave_no_memory_behind(program) -> None:
    xs = [float(k) for k in range(10_000)]
    call = native(program, "total", [xs])
    call(xs)
    tracemalloc.start()
    first, _ = tracemalloc.get_traced_memory()
    for _ in range(300):
        call(xs)
    last, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert last - first < 64 * 1024, f"{last - first} bytes left behind by 300 native calls"


STRDICT_SOURCE = """
func tally(seq, d) {
    mut i := 0
    while i < len(seq) {
        k := substring(seq, i, i + 1)
        d[k] = get_default(d, k, 0.5) + 1.0
        i += 1
    }
    return len(d)
}
func gather(seq, d, out) {
    mut i := 0
    while i < len(seq) {
        out = push(out, get_default(d, substring(seq, i - 1, i + 1), d))
        i += 1
    }
    return len(out)
}
func fill_ints(d, lo, hi) {
    mut i := lo
    while i < hi {
        d[i] = i * 2
        i += 1
    }
    return len(d)
}
func sum_ints(d, lo, hi) {
    mut total := 0
    mut i := lo
    while i < hi {
        total += d[i]
        i += 1
    }
    return total
}
func texts(xs) {
    mut out := []
    mut i := 0
    while i < len(xs) {
        out = push(out, to_string(xs[i]))
        i += 1
    }
    return out
}
func shout(parts, n) {
    mut i := 0
    mut out := []
    while i < n {
        out = push(out, replace(upper(parts[i % len(parts)]), "A", "4") + "-" + to_string(i))
        i += 1
    }
    return join(split(join(out, ","), ","), ";")
}
"""


@pytest.fixture(scope="module")
def strdict_program(tmp_path_factory: pytest.TempPathFactory):
    return load(tmp_path_factory, "strdict.ruff", STRDICT_SOURCE)


def test_dict_updates_by_substring_keys_keep_every_refcount(strdict_program) -> None:
    seq = "ACGT" * 50_000
    d = {"A": 1000.5, "C": 2000.5}
    old_a, old_c = d["A"], d["C"]
    counts = [sys.getrefcount(x) for x in (seq, d, old_a, old_c)]
    call = native(strdict_program, "tally", [seq, d])
    assert call(seq, d) == 4
    assert d == {"A": 51000.5, "C": 52000.5, "G": 50000.5, "T": 50000.5}
    # The dict let go of the values it held (and nothing else did anything to seq or d).
    assert [sys.getrefcount(x) for x in (seq, d, old_a, old_c)] == [*counts[:2], counts[2] - 1, counts[3] - 1]
    assert all(sys.getrefcount(v) == 3 for v in d.values())  # d, the loop variable, getrefcount


def test_values_read_from_a_dict_own_a_reference_each(strdict_program) -> None:
    seq = "abcab" * 1000
    d = {"ab": 10**12, "ca": 10**13}
    before = [sys.getrefcount(v) for v in d.values()]
    d_before = sys.getrefcount(d)
    out: list = []
    call = native(strdict_program, "gather", [seq, d, out])
    assert call(seq, d, out) == len(seq)
    assert out[:6] == [d, 10**12, d, 10**13, 10**12, d]
    assert [sys.getrefcount(v) for v in d.values()] == [before[0] + 2000, before[1] + 1000]
    assert sys.getrefcount(d) == d_before + out.count(d)
    out.clear()
    assert [sys.getrefcount(v) for v in d.values()] == before and sys.getrefcount(d) == d_before


def test_repeated_string_and_dict_calls_leave_no_memory_behind(strdict_program) -> None:
    seq = "GATTACA" * 100
    d: dict = {}
    call = native(strdict_program, "tally", [seq, d])
    call(seq, d)
    tracemalloc.start()
    first, _ = tracemalloc.get_traced_memory()
    for _ in range(300):
        call(seq, d)
    last, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert last - first < 64 * 1024, f"{last - first} bytes left behind by 300 native calls"


def test_string_builtins_keep_every_refcount_and_leave_nothing_behind(strdict_program) -> None:
    parts = ["alpha" * k for k in range(1, 6)]
    before = [sys.getrefcount(p) for p in parts]
    call = native(strdict_program, "shout", [parts, 3])
    expected = ";".join(f"{parts[i % 5].upper().replace('A', '4')}-{i}" for i in range(1000))
    assert call(parts, 1000) == expected
    assert [sys.getrefcount(p) for p in parts] == before
    tracemalloc.start()
    first, _ = tracemalloc.get_traced_memory()
    for _ in range(100):
        call(parts, 100)
    last, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert last - first < 64 * 1024, f"{last - first} bytes left behind by 100 native calls"


def test_native_struct_literals_own_their_fields_and_their_class(program) -> None:
    import gc

    vm, module = program
    cls = module.globals["Pair"].cls
    x = [10**12]  # one object every instance holds
    x_before, cls_before = sys.getrefcount(x), sys.getrefcount(cls)
    call = native(program, "pairs", [x, 1])
    p = call(x, 100_000)
    # 100 000 instances made, 99 999 freed: only the last holds x (and its class) still
    assert type(p) is cls and p.field_items() == [("a", x), ("b", 99_999)] and gc.is_tracked(p)
    assert sys.getrefcount(x) == x_before + 1 and sys.getrefcount(cls) == cls_before + 1
    del p
    assert sys.getrefcount(x) == x_before and sys.getrefcount(cls) == cls_before


def test_native_trees_of_structs_leave_no_memory_behind(program) -> None:
    vm, module = program
    cls = module.globals["Pair"].cls
    call = native(program, "tree", [3])
    t = call(3)
    leftmost, rightmost = t, t
    for _ in range(3):
        leftmost, rightmost = leftmost.get_field("a"), rightmost.get_field("b")
    assert type(leftmost) is cls and leftmost.field_items() == [("a", None), ("b", 0)]
    assert rightmost.field_items() == [("a", None), ("b", 0)]
    del t
    cls_before = sys.getrefcount(cls)
    tracemalloc.start()
    first, _ = tracemalloc.get_traced_memory()
    for _ in range(100):
        call(10)
    last, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert last - first < 64 * 1024, f"{last - first} bytes left behind by 100 native trees"
    assert sys.getrefcount(cls) == cls_before


def cached(k: int) -> int:
    """References the int-text cache holds to the text of k: one for a k it has a slot for (ints in
    [0, LIMIT), whose text a test made once), none for the others."""
    return 1 if 0 <= k < LIMIT else 0


def test_int_keys_written_natively_are_stored_as_the_ints(strdict_program) -> None:
    d: dict = {}
    call = native(strdict_program, "fill_ints", [d, 0, 1])
    assert call(d, -50_000, 50_000) == 100_000
    assert d == {i: 2 * i for i in range(-50_000, 50_000)} and all(type(k) is int for k in d)
    # each key and value beyond CPython's small ints: d, the loop variable, getrefcount's argument
    assert {sys.getrefcount(k) for k in d if not -5 <= k <= 256} == {3}
    assert {sys.getrefcount(v) for v in d.values() if v > 1000} == {3}
    # The same keys again: the dict keeps its first key objects and lets go of the new ones and old values.
    keys_before = list(d)
    assert call(d, -50_000, 50_000) == 100_000
    assert all(a is b for a, b in zip(keys_before, d))
    del keys_before
    assert {sys.getrefcount(k) for k in d if not -5 <= k <= 256} == {3}
    assert {sys.getrefcount(v) for v in d.values() if v > 1000} == {3}


def test_int_keys_of_nineteen_digits(strdict_program) -> None:
    d: dict = {}
    call = native(strdict_program, "fill_ints", [d, 0, 1])
    top, bottom = 2**62 - 1, -(2**62)  # (fill_ints stores 2 * key)
    assert call(d, top - 3, top) == 3 and call(d, bottom, bottom + 3) == 6
    assert list(d) == [top - 3, top - 2, top - 1, bottom, bottom + 1, bottom + 2]
    assert index_get(d, str(top - 1)) == d[top - 1] and index_get(d, str(bottom)) == d[bottom]
    assert [sys.getrefcount(k) for k in d] == [3] * 6


def test_the_runtime_and_native_code_store_one_key_per_int(strdict_program) -> None:
    d: dict = {}
    index_set(d, "70000", 1)  # the runtime's path: the text of an int is stored as the int
    index_set(d, "070000", 2)  # not a number's canonical text: its own key
    assert list(d) == [70000, "070000"] and dict_key("70000") == 70000
    call = native(strdict_program, "fill_ints", [d, 0, 1])
    assert call(d, 70000, 70001) == 2 and d == {70000: 140000, "070000": 2}
    tally = native(strdict_program, "tally", ["GATTACA", {}])
    counts: dict = {7: 0.5, "GA": 0.5}
    seq = "0123456789GA" * 2 + "7"
    assert tally(seq, counts) == 13
    # one-character substrings: a digit is a number's text and lands on its int key (7 was there already);
    # "G" and "A" stay strings
    expected: dict = {7: 0.5, "GA": 0.5}
    for ch in seq:
        key = int(ch) if ch.isdigit() else ch
        expected[key] = expected.get(key, 0.5) + 1.0
    assert counts == expected and counts[7] == 3.5 and "7" not in counts


def test_int_keys_read_natively_own_their_values_and_leave_nothing_behind(strdict_program) -> None:
    d = {i: 10**12 + i for i in range(-50_000, 50_000)}
    before = [sys.getrefcount(v) for v in d.values()]
    d_before = sys.getrefcount(d)
    call = native(strdict_program, "sum_ints", [d, 0, 1])
    assert call(d, -50_000, 50_000) == sum(d.values())
    assert [sys.getrefcount(v) for v in d.values()] == before and sys.getrefcount(d) == d_before
    fill = native(strdict_program, "fill_ints", [{}, 0, 1])
    call(d, -50_000, 50_000)
    fill({}, 0, 100_000)
    tracemalloc.start()
    first, _ = tracemalloc.get_traced_memory()
    for _ in range(5):
        call(d, -50_000, 50_000)
        fill({}, 0, 100_000)
    last, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert last - first < 64 * 1024, f"{last - first} bytes left behind by 1,000,000 native int keys"


def test_to_string_of_an_int_at_every_digit_count_and_sign(strdict_program) -> None:
    edges = [0, -1, 1, 9, -9, 2**63 - 1, -(2**63), -(2**63) + 1]
    for k in range(1, 19):
        edges += [10**k - 1, 10**k, 10**k + 1, -(10**k) + 1, -(10**k), -(10**k) - 1]
    call = native(strdict_program, "texts", [edges])
    out = call(edges)
    assert out == [str(x) for x in edges]
    assert [sys.getsizeof(t) for t in out] == [sys.getsizeof(str(x)) for x in edges]  # compact ASCII each
    counts = [sys.getrefcount(t) for t in out]
    # the list, t, getrefcount's argument; a small x's text is the cache's, in the list as often as x is in
    # edges, while every other text is made anew
    assert counts == [(edges.count(x) if cached(x) else 1) + 2 + cached(x) for x in edges]


APPEND_SOURCE = """
func build(start, parts, n) {
    mut s := start
    mut i := 0
    while i < n {
        s = s + parts[i % len(parts)]
        i += 1
    }
    return s
}
func snapshots(parts, n, every) {
    mut s := ""
    mut kept := []
    mut i := 0
    while i < n {
        s = s + parts[i % len(parts)]
        if i % every == 0 { kept = push(kept, s) }
        i += 1
    }
    return kept
}
"""


@pytest.fixture(scope="module")
def append_program(tmp_path_factory: pytest.TempPathFactory):
    return load(tmp_path_factory, "append.ruff", APPEND_SOURCE)


def test_a_million_native_appends_keep_every_refcount_and_the_callers_string(append_program) -> None:
    start = "".join(["start", ":"])  # a string of its own (not interned), held here
    parts = ["".join(["ab", str(k)]) for k in range(3)] + ["é", "€", "😀", "x"]
    start_before, parts_before = sys.getrefcount(start), [sys.getrefcount(p) for p in parts]
    call = native(append_program, "build", [start, parts, 3])
    out = call(start, parts, N)
    assert out == start + "".join(parts[i % len(parts)] for i in range(N))
    assert start == "start:" and sys.getrefcount(start) == start_before
    assert [sys.getrefcount(p) for p in parts] == parts_before
    assert sys.getrefcount(out) == 2  # out, getrefcount's argument
    del out
    call(start, parts, 1000)
    tracemalloc.start()
    first, _ = tracemalloc.get_traced_memory()
    for _ in range(100):
        call(start, parts, 10_000)
    last, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert last - first < 64 * 1024, f"{last - first} bytes left behind by 1,000,000 native appends"


def test_strings_kept_along_the_way_are_never_extended(append_program) -> None:
    parts = ["a", "bc", "d"]
    call = native(append_program, "snapshots", [parts, 3, 1])
    kept = call(parts, 100_000, 7)
    whole = "".join(parts[i % 3] for i in range(100_000))
    lengths = [sum(len(parts[j % 3]) for j in range(i + 1)) for i in range(0, 35, 7)]
    assert kept[:5] == [whole[:n] for n in lengths]
    assert len(kept) == len(range(0, 100_000, 7)) and kept[-1] == whole[:len(kept[-1])]
    # The list, getrefcount's argument (the first, "a", is CPython's own one-character string).
    assert {sys.getrefcount(kept[j]) for j in range(1, len(kept))} == {2}
