"""The small-group rules on their own: primary, complementary and remainder."""

from itertools import permutations

from reports.suppression import Cell, remainder_allows, suppress_series


def test_a_cell_of_four_people_is_hidden_and_of_five_shown():
    four, five = Cell(50.0, 4), Cell(60.0, 5)
    suppress_series([four, five], None, 5)
    assert four.hidden and not five.hidden


def test_one_hidden_cell_hides_the_next_smallest_so_the_total_cannot_reveal_it():
    small, medium, large = Cell(10, 3), Cell(20, 6), Cell(30, 9)
    total = Cell(60, 18)
    suppress_series([large, small, medium], total, 5)
    assert small.hidden and small.reason == "small"
    assert medium.hidden and medium.reason == "complement"
    assert not large.hidden and not total.hidden


def test_hidden_cells_together_must_reach_the_minimum():
    tiny_a, tiny_b, medium, large = Cell(1, 1), Cell(1, 2), Cell(5, 6), Cell(9, 9)
    total = Cell(16, 18)
    suppress_series([tiny_a, tiny_b, medium, large], total, 5)
    # 1 + 2 people is still below five, so the next smallest joins them.
    assert tiny_a.hidden and tiny_b.hidden and medium.hidden
    assert not large.hidden


def test_among_equal_groups_the_earliest_cell_is_hidden_however_the_cells_were_made():
    # The page and the CSV build the report separately; if ties went by anything but the
    # position in the series, each could hide a different cell, and the two together would
    # reveal the small group.
    for creation_order in permutations(range(4)):
        made = {}
        for index in creation_order:
            made[index] = Cell(10, 6)
        series = [Cell(1, 2), made[0], made[1], made[2], made[3]]
        suppress_series(series, Cell(41, 26), 5)
        assert [cell.hidden for cell in series] == [True, True, False, False, False]


def test_when_nothing_is_left_to_hide_the_total_is_hidden():
    small, other = Cell(1, 2), Cell(2, 2)
    total = Cell(3, 6)
    suppress_series([small, other], total, 5)
    assert total.hidden


def test_a_selection_needs_both_itself_and_the_rest_to_reach_the_minimum():
    assert remainder_allows(10, 10, 5)  # the whole organisation
    assert remainder_allows(6, 12, 5)
    assert not remainder_allows(4, 12, 5)  # the selection is too small
    assert not remainder_allows(9, 12, 5)  # the rest (3 people) would be isolated


def test_a_small_total_is_hidden_even_when_the_series_is_empty():
    total = Cell(3, 2)
    suppress_series([], total, 5)
    assert total.hidden and total.reason == "small"


def test_a_total_the_remainder_rule_forbids_is_hidden_and_cells_still_checked():
    small, large = Cell(1, 2), Cell(9, 9)
    total = Cell(10, 11)
    suppress_series([small, large], total, 5, total_allowed=False)
    assert total.hidden and total.reason == "remainder"
    assert small.hidden and not large.hidden
