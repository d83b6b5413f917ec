"""Small-group protection for report figures.

A figure (cell) rests on a number of people. The rules, applied to a series of cells that add
up to a shown total (teams of a unit, months of a period):

1. Primary: a cell resting on fewer people than the organisation's minimum group size is
   hidden.
2. Complementary: when a series has hidden cells, more cells are hidden, smallest group first,
   until at least two are hidden and the hidden groups together reach the minimum size; so
   the total minus the shown cells never reveals one small group. If the series runs out of
   cells, the total is hidden too.
3. Remainder: a total for a selection of teams is shown only when both the selection and the
   rest of the organisation reach the minimum size (or the selection is the whole
   organisation), so comparing it with the organisation's total cannot isolate a group.
"""

from dataclasses import dataclass


@dataclass
class Cell:
    value: float | int | None
    people: int
    hidden: bool = False
    reason: str = ""

    @property
    def shown(self) -> bool:
        return not self.hidden and self.value is not None


PRIMARY = "small"
COMPLEMENTARY = "complement"
REMAINDER = "remainder"


def suppress_cells(cells, minimum: int) -> None:
    """Rule 1 alone, for figures that add up to no shown total: a non-zero cell resting on
    fewer people than the minimum is hidden (a zero reveals nothing about anyone)."""
    for cell in cells:
        if cell.value and cell.people < minimum:
            cell.hidden, cell.reason = True, PRIMARY


def suppress_series(
    cells: list[Cell], total: Cell | None, minimum: int, *, total_allowed: bool = True
) -> None:
    """Applies rules 1 and 2 in place; total_allowed=False hides the total by rule 3."""
    if total is not None and not total_allowed:
        total.hidden, total.reason = True, REMAINDER
    for cell in cells:
        if cell.people < minimum:
            cell.hidden, cell.reason = True, PRIMARY
    if total is not None and not total.hidden and total.people < minimum:
        total.hidden, total.reason = True, PRIMARY
    hidden = [c for c in cells if c.hidden]
    if not hidden or total is None or total.hidden:
        return
    # A stable sort: among equal groups the earlier cell goes first, so the page and the CSV,
    # built separately, hide the same cells (together they would otherwise reveal both).
    candidates = sorted((c for c in cells if not c.hidden), key=lambda c: c.people)
    while len(hidden) < 2 or sum(c.people for c in hidden) < minimum:
        if not candidates:
            total.hidden, total.reason = True, COMPLEMENTARY
            return
        cell = candidates.pop(0)
        cell.hidden, cell.reason = True, COMPLEMENTARY
        hidden.append(cell)


def remainder_allows(selection_people: int, organisation_people: int, minimum: int) -> bool:
    """Rule 3: may a total over a selection of teams be shown?"""
    rest = organisation_people - selection_people
    return selection_people >= minimum and (rest == 0 or rest >= minimum)
