"""pysource.fold_temp_copies: a temp assigned and then only copied into a local is assigned to the local."""

from __future__ import annotations

from ruff.runtime.fast.pysource import fold_temp_copies


def lines(*texts: str, level: int = 2) -> list:
    return [(level, t, k) for k, t in enumerate(texts)]


def texts(out: list) -> list[str]:
    return [t for _, t, _ in out]


def test_assignment_then_copy_becomes_one_assignment() -> None:
    out = fold_temp_copies(lines("t3 = (l1 + l2)", "l4 = t3", "l5 = l4"))
    assert texts(out) == ["l4 = (l1 + l2)", "l5 = l4"]
    assert [ins for _, _, ins in out] == [0, 2]  # the remaining lines keep their instruction


def test_one_line_try_assigns_the_local_in_every_clause() -> None:
    out = fold_temp_copies(lines("try: t8 = l3[l11]", "except _h_LookupError: t8 = _h_iget(l3, l11)", "l13 = t8"))
    assert texts(out) == ["try: l13 = l3[l11]", "except _h_LookupError: l13 = _h_iget(l3, l11)"]


def test_the_same_temp_in_two_versions_of_a_loop_folds_in_both() -> None:
    out = fold_temp_copies(lines("t5 = l0[l6]", "l7 = t5", "t5 = l0[l2]", "l8 = t5"))
    assert texts(out) == ["l7 = l0[l6]", "l8 = l0[l2]"]


def test_a_temp_read_anywhere_else_stays() -> None:
    src = lines("t3 = (l1 + l2)", "l4 = t3", "l5 = t3 * 2")
    assert fold_temp_copies(src) == src
    src = lines("t3 = (l1 + l2)", "l9 = 1", "l4 = t3")  # the copy does not follow the assignment
    assert fold_temp_copies(src) == src


def test_a_copy_in_another_block_stays() -> None:
    src = [(2, "t3 = l1", 0), (1, "else:", None), (2, "l4 = t3", 1)]
    assert fold_temp_copies(src) == src
    # the last clause of a try whose body takes several lines
    src = [(2, "try:", None), (3, "t3 = l1[0]", 0), (2, "except _h_LookupError: t3 = l2", 1), (2, "l4 = t3", 2)]
    assert fold_temp_copies(src) == src


def test_other_assignments_are_left_alone() -> None:
    src = lines("t3 = l4 = l1", "l5 = t3")  # a chained assignment
    assert fold_temp_copies(src) == src
    src = lines("t3 = t3 + 1", "l5 = t3")  # the temp read on its own line
    assert fold_temp_copies(src) == src


def test_other_temps_read_on_the_line_stay_as_they_are() -> None:
    # fasta's k-mer loop: `t7 = l0[l4:t6]` then `l5 = t7` (t31 is another temp, not t3 twice)
    assert fold_temp_copies(lines("t7 = l0[l4:t6]", "l5 = t7")) == lines("l5 = l0[l4:t6]")
    assert fold_temp_copies(lines("t3 = t31 + 1", "l5 = t3")) == lines("l5 = t31 + 1")
