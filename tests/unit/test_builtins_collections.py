"""Set/Queue/Stack helpers, following the reference's test_collections golden output."""

from ruff.runtime.builtins import RuffQueue, RuffSet, RuffStack, collections
from ruff.runtime.values import display
from kit import call, raises


def test_set_operations():
    s = call("Set", [1, 2, 3, 2, 1, 4, 3])
    assert call("set_to_array", s) == [1, 2, 3, 4]
    s2 = call("set_add", call("set_add", call("Set", [1, 2, 3]), 4), 2)
    assert call("set_to_array", s2) == [1, 2, 3, 4]
    assert call("set_has", call("Set", [10, 20]), 20) is True
    assert call("set_has", call("Set", [10, 20]), 40) is False
    assert call("set_has", call("Set", [1]), 1.0) is True
    s4 = call("set_remove", call("set_remove", call("Set", [1, 2, 3, 4, 5]), 3), 99)
    assert call("set_to_array", s4) == [1, 2, 4, 5]
    a, b = call("Set", [1, 2, 3]), call("Set", [3, 4, 5])
    assert call("set_to_array", call("set_union", a, b)) == [1, 2, 3, 4, 5]
    assert call("set_to_array", call("set_intersect", call("Set", [1, 2, 3, 4]), call("Set", [3, 4, 5, 6]))) == [3, 4]
    assert call("set_to_array", call("set_intersection", a, b)) == [3]
    assert call("set_to_array", call("set_difference", call("Set", [1, 2, 3, 4]), b)) == [1, 2]
    assert call("len", call("Set", [])) == 0 and call("len", call("Set")) == 0
    assert call("set_size", a) == 3
    assert call("set_to_array", call("Set", ["apple", "banana", "apple"])) == ["apple", "banana"]
    assert call("set_to_array", a) == [1, 2, 3]  # helpers never mutate their argument
    assert display(a) == "Set{1, 2, 3}" and call("type", a) == "set"
    assert call("set_to_array", call("Set", [[1], [1], {"a": 1}, {"a": 1}])) == [[1], {"a": 1}]


def test_set_errors():
    raises("Set", 5, match="Set() expects an array, got int")
    raises("Set", [1], [2], match="Set() expects 0 or 1 arguments, got 2")
    raises("set_add", [1], 1, match="set_add() expects a Set, got array")
    raises("set_has", call("Set"), match="set_has() expects 2 arguments, got 1")
    raises("set_remove", 1, 1, match="set_remove() expects a Set")
    raises("set_union", call("Set"), 1, match="set_union() expects a Set, got int")
    raises("set_intersect", 1, call("Set"), match="set_intersect() expects a Set")
    raises("set_intersection", 1, call("Set"), match="expects a Set")
    raises("set_difference", call("Set"), match="set_difference() expects 2 arguments, got 1")
    raises("set_to_array", "x", match="set_to_array() expects a Set, got string")
    raises("set_size", match="set_size() expects 1 argument, got 0")


def test_queue_operations():
    q = call("Queue", [])
    assert call("queue_is_empty", q) is True
    q2 = call("queue_enqueue", call("queue_push", q, "first"), "second")
    assert call("queue_to_array", q2) == ["first", "second"]
    assert call("queue_to_array", q) == []
    q3 = call("Queue", ["a", "b", "c"])
    rest, item = call("queue_dequeue", q3)
    assert item == "a" and call("queue_to_array", rest) == ["b", "c"]
    assert call("queue_to_array", q3) == ["a", "b", "c"]
    assert call("queue_peek", call("Queue", [10, 20])) == 10
    assert call("queue_peek", call("Queue")) is None
    empty, nothing = call("queue_pop", call("Queue", []))
    assert nothing is None and call("queue_size", empty) == 0
    assert call("queue_size", q3) == 3 and call("len", q3) == 3
    assert display(q3) == "Queue[a, b, c]" and call("type", q3) == "queue"


def test_queue_errors():
    raises("Queue", "x", match="Queue() expects an array, got string")
    raises("queue_enqueue", [1], 1, match="queue_enqueue() expects a Queue, got array")
    raises("queue_push", call("Queue"), match="queue_enqueue() expects 2 arguments, got 1")
    raises("queue_dequeue", 1, match="queue_dequeue() expects a Queue")
    raises("queue_pop", match="expects 1 argument, got 0")
    raises("queue_peek", call("Stack"), match="queue_peek() expects a Queue, got stack")
    raises("queue_size", 1, 2, match="queue_size() expects 1 argument, got 2")
    raises("queue_is_empty", [], match="queue_is_empty() expects a Queue")
    raises("queue_to_array", None, match="queue_to_array() expects a Queue, got null")


def test_stack_operations():
    st = call("Stack", [])
    assert call("stack_is_empty", st) is True
    st2 = call("stack_push", call("stack_push", st, "bottom"), "top")
    assert call("stack_to_array", st2) == ["bottom", "top"]
    rest, popped = call("stack_pop", call("Stack", ["a", "b", "c"]))
    assert popped == "c" and call("stack_to_array", rest) == ["a", "b"]
    assert call("stack_peek", call("Stack", [10, 20, 30])) == 30
    assert call("stack_peek", call("Stack")) is None
    assert call("stack_pop", call("Stack"))[1] is None
    assert call("stack_size", st2) == 2 and call("len", st2) == 2
    assert display(st2) == "Stack[bottom, top]" and call("type", st2) == "stack"


def test_stack_errors():
    raises("Stack", 1, match="Stack() expects an array, got int")
    raises("stack_push", [], 1, match="stack_push() expects a Stack, got array")
    raises("stack_pop", 1, match="stack_pop() expects a Stack")
    raises("stack_peek", match="stack_peek() expects 1 argument, got 0")
    raises("stack_size", call("Queue"), match="stack_size() expects a Stack, got queue")
    raises("stack_is_empty", 1, match="stack_is_empty() expects a Stack")
    raises("stack_to_array", 1, match="stack_to_array() expects a Stack")


def test_collections_iterate_and_contain():
    assert list(RuffSet([1, 2])) == [1, 2]
    assert list(RuffQueue([1, 2])) == [1, 2]
    assert list(RuffStack([1, 2])) == [1, 2]
    assert RuffQueue([1]).ruff_contains(1.0) and not RuffStack([1]).ruff_contains(2)
    assert call("to_json", RuffSet([1, "a"])) == '[1,"a"]'


def test_every_collection_builtin_is_tested():
    assert set(collections.reg.functions) == {
        "Set", "set_add", "set_has", "set_remove", "set_union", "set_intersect", "set_intersection",
        "set_difference", "set_to_array", "set_size", "Queue", "queue_enqueue", "queue_push",
        "queue_dequeue", "queue_pop", "queue_peek", "queue_size", "queue_is_empty", "queue_to_array",
        "Stack", "stack_push", "stack_pop", "stack_peek", "stack_size", "stack_is_empty", "stack_to_array"}
