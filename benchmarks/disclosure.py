"""What the disclosure audit costs on a release-like table, at 40, 400 and 4,000 departments.

    .venv/bin/python benchmarks/disclosure.py [DEPARTMENTS ...]

The table: a random tree (each department under a random earlier one, at most 6 levels deep
like a city's), 6 job roles, 3 releases, direct members per (department, role)
drawn so that most role cells are small, a few new members per later release. Shown, as a
release would show them before any complementary suppression: every department subtree in
every release, and every department x role cell of 5 or more (k = 5); hidden: the other cells.
The audit is pure Python and needs no database. It prints one line per size: classes after
merging, echelon rank, the largest component, branches searched, findings, seconds.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reports.disclosure import Group, audit, members, subtrees  # noqa: E402

K = 5
ROLES = ["R1", "R2", "R3", "R4", "R5", "R6"]
RELEASES = [1, 2, 3]
SIZES = [40, 400, 4000]
DEPTH = 6  # a city's tree: the mayor's office down to five levels of units


def table(departments: int, seed: int = 9):
    rng = random.Random(seed)
    codes = [f"D{i:04d}" for i in range(departments)]
    tree, depth = {codes[0]: None}, {codes[0]: 0}
    for code in codes[1:]:
        parent = rng.choice(list(tree))
        while depth[parent] >= DEPTH - 1:
            parent = tree[parent]
        tree[code], depth[code] = parent, depth[parent] + 1
    cells = {}
    for code in codes:
        for role in ROLES:
            base = rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 14])
            cells[(code, role, 1)] = base
            cells[(code, role, 2)] = rng.choice([0, 0, 0, 1, 2])
            cells[(code, role, 3)] = rng.choice([0, 0, 0, 0, 1])
    subtree = subtrees(tree=tree)
    shown, hidden = [], []
    for code in codes:
        for release in RELEASES:
            shown.append(Group(code, None, release))
            for role in ROLES:
                group = Group(code, role, release)
                atoms = members(group=group, subtree=subtree, roles=ROLES, releases=RELEASES)
                count = sum(cells[a] for a in atoms)
                (shown if count >= K else hidden).append(group)
    return tree, cells, shown, hidden


def main(sizes: list[int]) -> None:
    print(f"k={K}, {len(ROLES)} roles, {len(RELEASES)} releases")
    for size in sizes:
        tree, cells, shown, hidden = table(size)
        started = time.perf_counter()
        result = audit(tree=tree, roles=ROLES, cells=cells, shown=shown, hidden=hidden, k=K)
        seconds = time.perf_counter() - started
        print(
            f"{size:>5} departments: {len(shown):>6} shown, {len(hidden):>6} hidden groups; "
            f"{result.classes} classes, rank {result.rank}, largest component "
            f"{result.largest_component}, {result.branches} branches; "
            f"{len(result.small_groups)} small groups, {len(result.determined)} determined; "
            f"{seconds:.2f} s"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or SIZES)
