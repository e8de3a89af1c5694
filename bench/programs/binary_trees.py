# binary_trees: the Benchmarks Game binary-trees with max depth 14: a stretch tree of depth 15,
# a long-lived tree of depth 14, and 2^(14 - d + 4) short-lived trees of each depth d = 4, 6, .., 14
# built bottom-up and walked to count their nodes. Twin of binary_trees.ruff.
import time


class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right


def bottom_up_tree(depth):
    if depth > 0:
        return Node(bottom_up_tree(depth - 1), bottom_up_tree(depth - 1))
    return Node(None, None)


def item_check(node):
    if node.left is None:
        return 1
    return 1 + item_check(node.left) + item_check(node.right)


def binary_trees(max_depth):
    min_depth = 4
    stretch = item_check(bottom_up_tree(max_depth + 1))
    long_lived = bottom_up_tree(max_depth)
    total = 0
    depth = min_depth
    while depth <= max_depth:
        iterations = 1 << (max_depth - depth + min_depth)
        check = 0
        i = 0
        while i < iterations:
            check = check + item_check(bottom_up_tree(depth))
            i = i + 1
        total = total + check
        depth = depth + 2
    return "%d %d %d" % (stretch, total, item_check(long_lived))


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = binary_trees(10)
bench_t0 = time.perf_counter()
bench_out = binary_trees(14)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
