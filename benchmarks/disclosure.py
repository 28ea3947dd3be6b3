"""What the disclosure audit costs on a release-like table, at 40, 400 and 4,000 departments.

    .venv/bin/python benchmarks/disclosure.py [DEPARTMENTS ...] [--until-it-passes]

The table: a random tree (each department under a random earlier one, at most 6 levels deep
like a city's), 6 job roles, 3 releases, direct members per (department, role) for 2 to 4 of
the roles in each department (nobody is invited in the others, so the reader knows those atoms
are empty), drawn so that most role cells are small, a few new members per later release.
Shown, as a release would show them before any complementary suppression: every department
subtree in every release, and every department x role cell of 5 or more (k = 5); hidden: the
other cells.
The audit is pure Python and needs no database. It prints one line per size: classes after
merging, echelon rank, the largest component, branches searched, findings, seconds.
With --until-it-passes it then hides more (a crude stand-in for the secondary suppression,
`hide_more`) and audits again until the table passes or the audit refuses.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reports.disclosure import AuditTooLarge, Group, audit, members, subtrees  # noqa: E402

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
        # A department employs a few of the roles; the others have nobody invited there.
        for role in rng.sample(ROLES, rng.randint(2, 4)):
            cells[(code, role, 1)] = rng.choice([0, 1, 2, 3, 4, 6, 9, 14])
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
                count = sum(cells.get(a, 0) for a in atoms)
                (shown if count >= K else hidden).append(group)
    return tree, cells, shown, hidden


def timed_audit(tree, cells, shown, hidden):
    started = time.perf_counter()
    result = audit(tree=tree, roles=ROLES, cells=cells, shown=shown, hidden=hidden, k=K)
    return result, time.perf_counter() - started


def report(label: str, shown, hidden, result, seconds: float) -> None:
    print(
        f"{label}: {len(shown):>6} shown, {len(hidden):>6} hidden; {result.classes} classes, "
        f"rank {result.rank}, largest component {result.largest_component}, "
        f"{result.branches} branches; {len(result.small_groups)} small groups, "
        f"{len(result.determined)} determined; {seconds:.2f} s"
    )


def hide_more(shown, hidden, result, people):
    """A stand-in for the secondary suppression (not the site's): for every finding, hide the
    shown group of its combination with the fewest people, so that the benchmark reaches a
    table that passes and can time the audit a published release costs."""
    chosen = {
        min((g for _, g in finding.combination), key=lambda g: (people[g], g.key()))
        for finding in [*result.small_groups, *result.determined]
    }
    return [g for g in shown if g not in chosen], [*hidden, *sorted(chosen, key=Group.key)]


def main(sizes: list[int], flags: set[str]) -> None:
    print(f"k={K}, {len(ROLES)} roles, {len(RELEASES)} releases")
    for size in sizes:
        tree, cells, shown, hidden = table(size)
        subtree = subtrees(tree=tree)
        people = {
            g: sum(
                cells.get(a, 0)
                for a in members(group=g, subtree=subtree, roles=ROLES, releases=RELEASES)
            )
            for g in shown
        }
        result, seconds = timed_audit(tree, cells, shown, hidden)
        report(f"{size:>5} departments, as drawn", shown, hidden, result, seconds)
        if "--until-it-passes" not in flags:
            continue
        rounds, spent = 1, seconds
        try:
            while not result.ok:
                shown, hidden = hide_more(shown, hidden, result, people)
                result, seconds = timed_audit(tree, cells, shown, hidden)
                rounds, spent = rounds + 1, spent + seconds
        except AuditTooLarge as refused:
            print(f"{size:>5} departments: audit {rounds + 1} refused ({refused}), {spent:.2f} s")
            continue
        report(f"{size:>5} departments, passing", shown, hidden, result, seconds)
        print(f"{size:>5} departments: {rounds} audits until it passed, {spent:.2f} s in all")


if __name__ == "__main__":
    numbers = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
    main(numbers or SIZES, {arg for arg in sys.argv[1:] if not arg.isdigit()})
