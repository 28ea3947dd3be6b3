"""What auditing a release costs, end to end on plain data: the release rule, complementary
suppression, and the audit with secondary suppression until it passes (reports/secondary.py),
at 40, 400 and 4,000 departments, for three releases in a row (two interim, one closing).

    .venv/bin/python benchmarks/release_audit.py [DEPARTMENTS ...]

The city: a random tree at most 6 levels deep, 6 job roles, each department employing 2 to 4
of them with 0 to 14 people per (department, role) at the first release and a few more at each
later one; k = 5. Live suppression is reports/suppression.py's own. It prints, per release:
groups shown before and after the audit, rounds, audits, what the audit hid, the largest
family it audited (classes), and seconds. No database is touched.
"""

import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

K = 5
ROLES = list(range(1, 7))
SIZES = [40, 400, 4000]
DEPTH = 6


def city(departments: int, seed: int = 9):
    rng = random.Random(seed)
    parents, depth = {1: 0}, {1: 0}
    for d in range(2, departments + 1):
        parent = rng.randint(1, d - 1)
        while depth[parent] >= DEPTH - 1:
            parent = parents[parent]
        parents[d], depth[d] = parent, depth[parent] + 1
    direct = []  # per release: (department, role) -> people who first count then
    employs = {d: rng.sample(ROLES, rng.randint(2, 4)) for d in parents}
    direct.append(
        {(d, r): rng.choice([0, 1, 2, 3, 4, 6, 9, 14]) for d in parents for r in employs[d]}
    )
    for _ in range(2):
        direct.append({(d, r): rng.choice([0, 0, 0, 1, 2]) for d in parents for r in employs[d]})
    return parents, employs, direct


def subtree_counts(parents, cumulative):
    """(department, role or None, None) -> people in the subtree."""
    children = defaultdict(list)
    for d, p in parents.items():
        children[p].append(d)
    counts = {}

    def walk(d):
        own = defaultdict(int)
        for (dep, role), n in cumulative.items():
            if dep == d:
                own[role] += n
        for child in children[d]:
            for role, n in walk(child).items():
                own[role] += n
        for role, n in own.items():
            counts[(d, role, None)] = n
        counts[(d, None, None)] = sum(own.values())
        return own

    for root in children[0]:
        walk(root)
    return counts


def main(sizes):
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from reports.releases import NEW, Layout, audited_release_choices, shown_counts
    from reports.secondary import History
    from reports.suppression import suppressed_cells

    print(f"k={K}, {len(ROLES)} roles, 3 releases")
    for size in sizes:
        parents, employs, direct = city(size)
        layout = Layout(
            parents=parents,
            department_codes={d: f"D{d:04d}" for d in parents},
            role_codes={r: f"R{r}" for r in ROLES},
        )
        cumulative = defaultdict(int)
        earlier, history = [], History(shown=[], origins=[], truth=[])
        for number, new in enumerate(direct, 1):
            for key, n in new.items():
                cumulative[key] += n
            truth = subtree_counts(parents, cumulative)
            hidden = suppressed_cells(
                responded={(d, r): n for (d, r, _), n in truth.items()},
                parents=parents,
                department_codes=layout.department_codes,
                role_codes=layout.role_codes,
                threshold=K,
            )
            live = {key: (None if key[:2] in hidden else n) for key, n in truth.items()}
            started = time.perf_counter()
            choices, summary = audited_release_choices(
                live=live, earlier=earlier, history=history, truth=truth, layout=layout, threshold=K
            )
            seconds = time.perf_counter() - started
            shown = shown_counts(choices=choices, live=live, earlier=earlier)
            origins = {
                key: number
                if choices[key].state == NEW
                else history.origins[choices[key].source - 1][key]
                for key in shown
            }
            before = sum(1 for v in live.values() if v is not None)
            print(
                f"{size:>5} departments, release {number}: {before} groups shown live, "
                f"{len(shown)} in the release; {summary.rounds} rounds, {summary.audits} audits, "
                f"{summary.hidden} hidden by the audit, {summary.fallbacks} fallbacks, "
                f"largest family {summary.largest} classes; {seconds:.2f} s"
            )
            earlier.append(shown)
            history.shown.append(shown)
            history.origins.append(origins)
            history.truth.append(truth)


if __name__ == "__main__":
    numbers = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
    main(numbers or SIZES)
