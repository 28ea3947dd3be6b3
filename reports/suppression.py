"""Which groups of a report may show figures (DESIGN.md "Privacy: who may see a figure").

A cell is (department id, job role id or None); department 0 is the whole organisation.

1. A cell with fewer than k respondents is hidden.
2. Complementary suppression, over the department tree and over the job-role breakdown: for
   every shown cell, R = its respondents minus those of its shown parts. While 0 < R < k the
   shown part with the fewest respondents (ties: the lower code) is hidden too.
3. Repeat over the whole report until nothing changes.
4. The same rules hold for every count a figure is computed over (`counted_cells_hidden`):
   per competency with its `n`, and for the figures over a subset of the respondents of a
   competency (`n_required` for `mean_gap`, `pct_meeting` and `priority`; those who answered a
   frequency question for `mean_usage`) with that subset's count. Each runs over the cells that
   show the level above (a shown group for `n`, a shown competency cell for a subset), so a
   subset figure is checked whatever the size of its group.

Two points go beyond the letter of DESIGN.md, because without them a figure about fewer than
k people could still be derived by subtraction:
- The parts of a department in the tree are its *maximal shown descendants*, not only its
  direct children: when a child is hidden but a grandchild is shown, the grandchild is
  subtracted too (otherwise hiding a child would not protect anything whenever its own
  children are shown and it has no direct members).
- The tree rule holds within each job role as well (department x role cells form the same
  tree), and a hidden department hides its whole role breakdown (otherwise the hidden
  department would be the sum of its shown role cells).
"""

from collections import defaultdict

ORGANISATION = 0

Cell = tuple[int, int | None]


def hide_for_remainder(
    *, whole, parts: list, counts: dict, code, threshold: int, hidden: set
) -> bool:
    """One step of complementary suppression: when 0 < counts[whole] - sum(counts[parts]) < k,
    hide the part with the fewest (ties: the lower `code(part)`) and say so. The live report
    and the releases (reports/releases.py) both take this step, on their own keys."""
    remainder = counts[whole] - sum(counts[p] for p in parts)
    if parts and 0 < remainder < threshold:
        hidden.add(min(parts, key=lambda p: (counts[p], code(p))))
        return True
    return False


def suppressed_cells(
    *,
    responded: dict[Cell, int],
    parents: dict[int, int],
    department_codes: dict[int, str],
    role_codes: dict[int, str],
    threshold: int,
) -> set[Cell]:
    """The cells that show nothing but their invited count."""
    children: dict[int, list[int]] = defaultdict(list)
    for department, parent in parents.items():
        children[parent].append(department)
    roles: list[int | None] = [None, *sorted(role_codes, key=role_codes.__getitem__)]

    def code(cell: Cell) -> tuple[str, str]:
        department, role = cell
        return (department_codes.get(department, ""), role_codes.get(role, "") if role else "")

    hidden = {cell for cell, count in responded.items() if count < threshold}

    def shown_parts(department: int, role: int | None) -> list[Cell]:
        parts, stack = [], list(children[department])
        while stack:
            child = stack.pop()
            if (child, role) in responded and (child, role) not in hidden:
                parts.append((child, role))
            else:
                stack.extend(children[child])
        return parts

    def fix(whole: Cell, parts: list[Cell]) -> bool:
        return hide_for_remainder(
            whole=whole,
            parts=parts,
            counts=responded,
            code=code,
            threshold=threshold,
            hidden=hidden,
        )

    changed = True
    while changed:
        changed = False
        for whole in sorted(responded, key=code):
            if whole in hidden:
                continue
            department, role = whole
            changed |= fix(whole, shown_parts(department, role))
            if role is None and whole not in hidden:
                role_parts = [
                    (department, r)
                    for r in roles[1:]
                    if (department, r) in responded and (department, r) not in hidden
                ]
                changed |= fix(whole, role_parts)
        for department, role in list(hidden):
            if role is None:
                for r in roles[1:]:
                    cell = (department, r)
                    if cell in responded and cell not in hidden:
                        hidden.add(cell)
                        changed = True
    return hidden


def counted_cells_hidden(
    *,
    counts: dict[Cell, int],
    shown: set[Cell],
    parents: dict[int, int],
    department_codes: dict[int, str],
    role_codes: dict[int, str],
    threshold: int,
) -> set[Cell]:
    """The cells of `shown` whose figure over `counts` (a competency's `n`, or a subset's
    count) is hidden by the rules above, with that count in place of `responded`.

    Cells outside `shown` show no such figure: they are no shown part, so the tree search
    looks past them to their highest shown descendants, as it does past hidden groups. A count
    of zero is left out too: a figure over nobody is empty anyway, it subtracts nothing from
    a remainder, and choosing it as "the part with the fewest" would hide it and protect no
    one. Its descendants and role cells count zero as well, so leaving it out changes no
    remainder."""
    return suppressed_cells(
        responded={cell: n for cell, n in counts.items() if cell in shown and n > 0},
        parents=parents,
        department_codes=department_codes,
        role_codes=role_codes,
        threshold=threshold,
    )
