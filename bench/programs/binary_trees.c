/* binary_trees: the Benchmarks Game binary-trees with max depth 14 (trees built bottom-up with
   malloc, walked, freed). Twin of binary_trees.ruff. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include "bench_time.h"

static volatile int64_t bench_max_depth = 14;

struct node {
    struct node *left;
    struct node *right;
};

static struct node *new_node(struct node *left, struct node *right) {
    struct node *n = malloc(sizeof(struct node));
    if (n == NULL) {
        perror("malloc");
        exit(1);
    }
    n->left = left;
    n->right = right;
    return n;
}

static struct node *bottom_up_tree(int64_t depth) {
    if (depth > 0) {
        struct node *left = bottom_up_tree(depth - 1);
        return new_node(left, bottom_up_tree(depth - 1));
    }
    return new_node(NULL, NULL);
}

static int64_t item_check(const struct node *node) {
    if (node->left == NULL) {
        return 1;
    }
    return 1 + item_check(node->left) + item_check(node->right);
}

static void free_tree(struct node *node) {
    if (node->left != NULL) {
        free_tree(node->left);
        free_tree(node->right);
    }
    free(node);
}

int main(void) {
    int64_t max_depth = bench_max_depth;
    int64_t min_depth = 4;
    double t0 = bench_now_ms();
    struct node *stretch_tree = bottom_up_tree(max_depth + 1);
    int64_t stretch = item_check(stretch_tree);
    free_tree(stretch_tree);
    struct node *long_lived = bottom_up_tree(max_depth);
    int64_t total = 0;
    for (int64_t depth = min_depth; depth <= max_depth; depth += 2) {
        int64_t iterations = (int64_t)1 << (max_depth - depth + min_depth);
        int64_t check = 0;
        for (int64_t i = 0; i < iterations; i++) {
            struct node *tree = bottom_up_tree(depth);
            check = check + item_check(tree);
            free_tree(tree);
        }
        total = total + check;
    }
    int64_t long_check = item_check(long_lived);
    free_tree(long_lived);
    double t1 = bench_now_ms();
    printf("result: %lld %lld %lld\n", (long long)stretch, (long long)total, (long long)long_check);
    printf("work_ms: %.6f\n", t1 - t0);
    return 0;
}
