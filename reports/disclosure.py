"""The independent audit of what a reader can derive (DESIGN.md "Privacy: who may see a figure").

It shares no code with `reports.suppression`, the rule it checks, and takes plain data, so that
it can audit any table: department subtrees, department x role cells, a competency's cells
with their own `n`, a subset count such as `n_required`; the caller passes each family's
groups with the true counts of its own atoms.

The unknowns ("atoms") are the direct members of each department, by job role and by the
release in which they first count. `cells` lists every atom that can hold somebody, with its
true count (0 included); an atom it leaves out is known to be empty, as a department x role
with nobody invited is to a reader who sees every group's invited count. A `Group` is a
department subtree, one role or all, and a release: the figures of release j count the atoms of
releases <= j. A reader who sees the shown groups' counts can compute the count of every vector
in the row space of their indicator vectors over the atoms, and nothing else by linear algebra.
So:

- A **small group** is a set of atoms whose indicator lies in that row space and whose true
  count is between 1 and k - 1: a group of fewer than k people whose figures (counts, sums,
  level distributions) the reader can compute.
- A **determined hidden group** is a hidden group whose indicator lies in the row space.

What `audit` decides, exactly (integers and `Fraction`s, never floats):
1. Atoms that no shown group separates merge into one column (a "class"); classes no shown
   group touches are dropped, since every vector of the row space is 0 there.
2. The shown rows are brought to reduced row echelon form. Every vector of the row space is
   fixed by its values on the pivot columns, so a 0/1 vector of the row space is
   `sum(rows i with lambda_i = 1)` for some 0/1 choice of lambda whose sum is 0 or 1 on every
   non-pivot column.
3. Rows that share no non-zero column are independent ("components"). Any 0/1 vector of the
   row space splits into 0/1 vectors of the row space, one per component, and counts are never
   negative; so a small group exists iff one exists inside one component, and every
   inclusion-minimal one lies inside one component.
4. In each component a depth-first search over the 0/1 choices of lambda prunes a branch as
   soon as a non-pivot column can no longer end in {0, 1}, as soon as the classes it must
   include hold k or more people, or as soon as it can no longer hold anyone. From each
   start it stops at the first small group, then shrinks it: while a non-zero 0/1 vector of
   the row space lies strictly inside it, one of the two parts still holds somebody and is
   kept. So each component that holds a small group reports inclusion-minimal small groups
   (at most FINDINGS_PER_COMPONENT), each with the combination of shown groups that gives it;
   once the suppression hides more, the next audit finds the next ones. `ok` is true iff
   there is no small group at all and no determined hidden group, and that verdict is exact.

Limits, said plainly:
- The search is exponential in the worst case. It counts the branches it visits over the
  whole audit and raises `AuditTooLarge` past `budget` rather than answer wrongly; the caller
  must treat that as a failed audit (hide more, or split the release), never as a pass.
  Finding a leak is fast (benchmarks/disclosure.py: 4,000 departments, 6 roles, 3 releases
  in seconds); proving a table safe is the costly case, and grows with the classes of nobody
  (atoms listed with count 0) inside one component: there it may refuse.
- It reasons with linear algebra only. A reader who also uses that counts are never negative
  learns that every atom of a derivable set of count 0 is empty; `audit` does not add that
  knowledge back (it would widen the row space by dropping those atoms), so a table whose only
  leak goes through a derived empty set is not reported.
"""

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

Atom = tuple[str, str, int]
Number = int | Fraction
Combination = tuple[tuple[Fraction, "Group"], ...]

DEFAULT_BUDGET = 1_000_000
# Past this many decisions in one search the recursion would near Python's limit: refuse.
MAX_DEPTH = 800
# Small groups reported from one component (each from its own start): enough for a caller
# that hides one figure per finding to finish in few rounds, bounded so a report stays short.
FINDINGS_PER_COMPONENT = 64


@dataclass(frozen=True)
class Group:
    """A department's subtree, one role (None: all roles), as of a release."""

    department: str
    role: str | None = None
    release: int = 0

    def key(self) -> tuple[str, str, int]:
        return (self.department, self.role or "", self.release)


@dataclass(frozen=True)
class SmallGroup:
    """Atoms the reader can isolate: `combination` of the shown groups gives their indicator."""

    atoms: frozenset[Atom]
    count: int
    combination: Combination


@dataclass(frozen=True)
class DeterminedGroup:
    """A hidden group that `combination` of the shown groups gives exactly."""

    group: Group
    count: int
    combination: Combination


@dataclass(frozen=True)
class AuditResult:
    small_groups: tuple[SmallGroup, ...]
    determined: tuple[DeterminedGroup, ...]
    classes: int
    rank: int
    largest_component: int
    branches: int

    @property
    def ok(self) -> bool:
        return not self.small_groups and not self.determined


class AuditTooLarge(Exception):
    """The search needed more branches than its budget: the table was not proved safe."""


def subtrees(*, tree: dict[str, str | None]) -> dict[str, frozenset[str]]:
    """Each department's code -> the codes of its subtree, itself included."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for department, parent in tree.items():
        children[parent].append(department)
    result: dict[str, frozenset[str]] = {}

    def walk(department: str) -> frozenset[str]:
        # Iterative would be needed only past Python's recursion limit; trees are shallow.
        below = frozenset({department}).union(*(walk(child) for child in children[department]))
        result[department] = below
        return below

    for root in children[None]:
        walk(root)
    return result


def members(
    *, group: Group, subtree: dict[str, frozenset[str]], roles: list[str], releases: list[int]
) -> list[Atom]:
    """The atoms a group counts."""
    return [
        (department, role, release)
        for department in subtree[group.department]
        for role in (roles if group.role is None else [group.role])
        for release in releases
        if release <= group.release
    ]


def audit(
    *,
    tree: dict[str, str | None],
    roles: list[str],
    cells: dict[Atom, int],
    shown: list[Group],
    hidden: list[Group],
    k: int,
    budget: int = DEFAULT_BUDGET,
    safe: set | None = None,
) -> AuditResult:
    """Every group of 1 to k - 1 people, and every hidden group, that the shown groups
    determine (module docstring: what is decided, exactly, and the limits).

    `safe`, when given, remembers the components proven to hold no small group, by their
    exact content (every row over its classes' atoms and counts), and is not searched again:
    a caller that audits, hides one figure and audits again re-searches only what changed."""
    subtree = subtrees(tree=tree)
    releases = sorted({atom[2] for atom in cells} | {g.release for g in [*shown, *hidden]})
    shown = list(dict.fromkeys(shown))

    signatures: dict[Atom, list[int]] = defaultdict(list)
    for index, group in enumerate(shown):
        for atom in members(group=group, subtree=subtree, roles=roles, releases=releases):
            if atom in cells:
                signatures[atom].append(index)
    by_signature: dict[tuple[int, ...], list[Atom]] = defaultdict(list)
    for atom, signature in signatures.items():
        by_signature[tuple(signature)].append(atom)
    class_atoms = list(by_signature.values())
    class_of = {atom: index for index, atoms in enumerate(class_atoms) for atom in atoms}
    class_count = [sum(cells.get(atom, 0) for atom in atoms) for atoms in class_atoms]

    rows: list[dict[int, Number]] = [{} for _ in shown]
    for index, signature in enumerate(by_signature):
        for row in signature:
            rows[row][index] = 1
    echelon = Echelon()
    for index in sorted(range(len(shown)), key=lambda i: len(rows[i])):
        echelon.add(rows[index], {index: 1})

    def combination(weights: dict[int, Number]) -> Combination:
        return tuple(
            (Fraction(weight), shown[index])
            for index, weight in sorted(weights.items(), key=lambda item: shown[item[0]].key())
        )

    search = Search(echelon=echelon, class_count=class_count, k=k, budget=budget)
    if safe is not None:
        search.remember(
            safe, names=[(frozenset(a), c) for a, c in zip(class_atoms, class_count, strict=True)]
        )
    small = []
    for chosen in search.small_sets():
        vector: dict[int, Number] = defaultdict(int)
        weights: dict[int, Number] = defaultdict(int)
        for pivot in chosen:
            for column, value in echelon.rows[pivot].items():
                vector[column] += value
            for index, value in echelon.combos[pivot].items():
                weights[index] += value
        atoms = frozenset(a for column, v in vector.items() if v for a in class_atoms[column])
        count = sum(class_count[column] for column, v in vector.items() if v)
        small.append(SmallGroup(atoms, count, combination({i: w for i, w in weights.items() if w})))

    determined = []
    for group in dict.fromkeys(hidden):
        everyone = members(group=group, subtree=subtree, roles=roles, releases=releases)
        atoms = [atom for atom in everyone if atom in cells]
        columns = {class_of.get(atom) for atom in atoms}
        whole = bool(atoms) and all(
            column is not None and set(class_atoms[column]) <= set(atoms) for column in columns
        )
        weights = echelon.express(dict.fromkeys(columns, 1)) if whole else None
        if weights is not None:
            count = sum(cells.get(atom, 0) for atom in atoms)
            determined.append(DeterminedGroup(group, count, combination(weights)))

    return AuditResult(
        small_groups=tuple(sorted(small, key=lambda s: (s.count, sorted(s.atoms)))),
        determined=tuple(determined),
        classes=len(class_atoms),
        rank=len(echelon.rows),
        largest_component=search.largest_component,
        branches=search.branches,
    )


class Echelon:
    """The reduced row echelon form of the rows added so far, kept sparse, each row with the
    combination of original rows that gives it (so every finding can be replayed)."""

    def __init__(self):
        self.rows: dict[int, dict[int, Number]] = {}  # pivot column -> row
        self.combos: dict[int, dict[int, Number]] = {}
        self.holders: dict[int, set[int]] = defaultdict(set)  # non-pivot column -> pivots

    def reduce(self, row: dict[int, Number], combo: dict[int, Number]) -> None:
        # An echelon row holds no other pivot column, so one pass over the pivots is enough.
        for pivot in [column for column in row if column in self.rows]:
            factor = row.get(pivot, 0)
            if factor:
                subtract(row, self.rows[pivot], factor)
                subtract(combo, self.combos[pivot], factor)

    def add(self, row: dict[int, Number], combo: dict[int, Number]) -> None:
        row, combo = dict(row), dict(combo)
        self.reduce(row, combo)
        if not row:
            return
        # The column fewest echelon rows hold keeps the back-substitution (and fill-in) small.
        pivot = min(row, key=lambda column: (len(self.holders.get(column, ())), column))
        scale = row[pivot]
        if scale == -1:
            row = {c: -v for c, v in row.items()}
            combo = {c: -v for c, v in combo.items()}
        elif scale != 1:
            row = {c: Fraction(v) / scale for c, v in row.items()}
            combo = {c: Fraction(v) / scale for c, v in combo.items()}
        for other in list(self.holders.pop(pivot, ())):
            target = self.rows[other]
            factor = target[pivot]
            before = set(target)
            subtract(target, row, factor)
            subtract(self.combos[other], combo, factor)
            for column in before - set(target):
                self.holders[column].discard(other)
            for column in set(target) - before:
                self.holders[column].add(other)
        self.rows[pivot], self.combos[pivot] = row, combo
        for column in row:
            if column != pivot:
                self.holders[column].add(pivot)

    def express(self, vector: dict[int, Number]) -> dict[int, Number] | None:
        """The combination of original rows that gives `vector`, or None if none does."""
        row, combo = dict(vector), {}
        self.reduce(row, combo)
        if row:
            return None
        return {index: -value for index, value in combo.items() if value}


def subtract(target: dict[int, Number], source: dict[int, Number], factor: Number) -> None:
    for column, value in source.items():
        result = target.get(column, 0) - factor * value
        if result:
            target[column] = result
        else:
            target.pop(column, None)


class Search:
    """The 0/1 vectors of the row space with 1 to k - 1 people, component by component."""

    def __init__(self, *, echelon: Echelon, class_count: list[int], k: int, budget: int):
        self.echelon, self.count, self.k, self.budget = echelon, class_count, k, budget
        self.branches = 0
        self.largest_component = 0
        self.safe: set | None = None
        self.names: list = []

    def remember(self, safe: set, *, names: list) -> None:
        self.safe, self.names = safe, names

    def content(self, component: list[int]) -> frozenset:
        """A component as its rows over named classes: equal contents, equal answers."""
        rows = self.echelon.rows
        return frozenset(
            frozenset((self.names[column], value) for column, value in rows[pivot].items())
            for pivot in component
        )

    def components(self) -> list[list[int]]:
        parent = {pivot: pivot for pivot in self.echelon.rows}

        def find(pivot: int) -> int:
            while parent[pivot] != pivot:
                parent[pivot] = parent[parent[pivot]]
                pivot = parent[pivot]
            return pivot

        for holders in self.echelon.holders.values():
            first, *rest = list(holders) or [None]
            for other in rest:
                parent[find(other)] = find(first)
        groups: dict[int, list[int]] = defaultdict(list)
        for pivot in self.echelon.rows:
            groups[find(pivot)].append(pivot)
        return sorted(groups.values(), key=min)

    def small_sets(self) -> list[list[int]]:
        """Inclusion-minimal small groups, at least one from each component that holds any."""
        found = []
        for component in self.components():
            self.largest_component = max(self.largest_component, len(component))
            content = self.content(component) if self.safe is not None else None
            if content is not None and (self.k, content) in self.safe:
                continue
            seen: set[frozenset[int]] = set()
            for chosen in self.solutions(component, cap=self.below_k, low=1, high=self.k - 1):
                minimal = self.shrink(chosen)
                if frozenset(minimal) not in seen:
                    seen.add(frozenset(minimal))
                    found.append(minimal)
                if len(seen) >= FINDINGS_PER_COMPONENT:
                    break
            if not seen and content is not None:
                self.safe.add((self.k, content))
        return found

    def below_k(self, column: int) -> int:
        return 1 if self.count[column] < self.k else 0

    def support(self, chosen: list[int]) -> set[int]:
        vector: dict[int, Number] = defaultdict(int)
        for pivot in chosen:
            for column, value in self.echelon.rows[pivot].items():
                vector[column] += value
        return {column for column, value in vector.items() if value}

    def shrink(self, chosen: list[int]) -> list[int]:
        """A 0/1 vector of the row space inside a small group splits it in two 0/1 vectors,
        one of which still holds somebody: keep that one until no such split is left."""
        while True:
            inside = self.support(chosen)
            part = self.solve(chosen, cap=inside.__contains__, low=0, high=None, skip=set(chosen))
            if part is None:
                return chosen
            rest = [pivot for pivot in chosen if pivot not in part]
            people = sum(self.count[c] for c in self.support(part))
            chosen = part if people else rest

    def solve(self, pivots, *, cap, low: int, high: int | None, skip=None) -> list[int] | None:
        """The first non-zero 0/1 choice of `pivots` (every other pivot at 0) whose vector is
        0 or 1 on every column, at most `cap(column)`, with `low` to `high` people; None if
        there is none. `skip` is one choice not to return."""
        return next(self.solutions(pivots, cap=cap, low=low, high=high, skip=skip), None)

    def solutions(self, pivots, *, cap, low: int, high: int | None, skip=None):
        """The choices `solve` describes, at most one from each start.

        An inclusion-minimal solution's pivots are connected through shared columns (two
        unconnected parts would each be a solution), so the search grows a connected set
        from each start in turn, deciding first the pivots of a column that is not yet 0 or
        1; a start already searched is left out of every later one."""
        free = [p for p in pivots if cap(p) and (high is None or self.count[p] <= high)]
        growth = Growth(self, free, cap=cap)
        for start in connected_order(free, self.echelon.rows):
            depth = len(growth.trail)
            growth.decide(start, 1)
            if growth.search(low=low, high=high, skip=skip):
                yield list(growth.chosen)
            while len(growth.trail) > depth:
                growth.undo()
            growth.decide(start, 0)  # for good: every choice holding it was searched


class Growth:
    """The state of one search: pivots chosen (1), left out (0) or undecided, and for every
    column its value so far and how far the undecided pivots can still move it."""

    def __init__(self, search: Search, free: list[int], *, cap):
        self.owner, self.count = search, search.count
        rows = search.echelon.rows
        self.columns: dict[int, dict[int, Number]] = defaultdict(dict)
        for pivot in free:
            for column, value in rows[pivot].items():
                if column != pivot:
                    self.columns[column][pivot] = value
        self.entries = {p: [(c, v) for c, v in rows[p].items() if c != p] for p in free}
        self.limit = {column: cap(column) for column in self.columns}
        self.total: dict[int, Number] = dict.fromkeys(self.columns, 0)
        self.up = {c: sum(v for v in h.values() if v > 0) for c, h in self.columns.items()}
        self.down = {c: sum(v for v in h.values() if v < 0) for c, h in self.columns.items()}
        self.state: dict[int, int] = {}
        self.chosen: dict[int, None] = {}
        self.trail: list[int] = []
        self.unsettled: set[int] = set()  # columns whose value is not yet 0 or 1
        self.dead = 0  # columns that can no longer end at 0 or 1
        self.people = 0  # in the vector if every undecided pivot stayed at 0

    def broken(self, column: int) -> bool:
        total, limit = self.total[column], self.limit[column]
        return total + self.up[column] < 0 or total + self.down[column] > limit

    def move(self, pivot: int, value: int, sign: int) -> None:
        for column, entry in self.entries[pivot]:
            before_dead, before_total = self.broken(column), self.total[column]
            if entry > 0:
                self.up[column] -= sign * entry
            else:
                self.down[column] -= sign * entry
            self.total[column] += sign * value * entry
            total = self.total[column]
            self.dead += self.broken(column) - before_dead
            self.people += self.count[column] * ((total == 1) - (before_total == 1))
            if total in (0, 1) and total <= self.limit[column]:
                self.unsettled.discard(column)
            else:
                self.unsettled.add(column)
        self.people += sign * value * self.count[pivot]

    def decide(self, pivot: int, value: int) -> None:
        self.state[pivot] = value
        if value:
            self.chosen[pivot] = None
        self.trail.append(pivot)
        self.move(pivot, value, 1)

    def undo(self) -> None:
        pivot = self.trail.pop()
        value = self.state.pop(pivot)
        self.chosen.pop(pivot, None)
        self.move(pivot, value, -1)

    def sure(self) -> int:
        """People in every completion: the chosen pivots, and the columns no completion can
        bring back to 0."""
        chosen = sum(self.count[p] for p in self.chosen)
        touched = {c for p in self.chosen for c, _ in self.entries[p]}
        return chosen + sum(self.count[c] for c in touched if self.total[c] + self.down[c] > 0)

    def next_pivot(self) -> int | None:
        if self.unsettled:
            # Fail first: the column with the fewest ways left to settle it.
            open_holders = [
                [p for p in self.columns[column] if p not in self.state]
                for column in sorted(self.unsettled)
            ]
            return min(open_holders, key=len)[0] if min(map(len, open_holders)) else None
        for pivot in self.chosen:
            for column, _ in self.entries[pivot]:
                for other in self.columns[column]:
                    if other not in self.state:
                        return other
        return None

    def search(self, *, low: int, high: int | None, skip, depth: int = 0) -> bool:
        self.owner.branches += 1
        if self.owner.branches > self.owner.budget or depth > MAX_DEPTH:
            raise AuditTooLarge(f"more than {self.owner.budget} branches or {MAX_DEPTH} levels")
        if self.dead or (high is not None and self.sure() > high):
            return False
        settled = not self.unsettled and set(self.chosen) != skip
        if settled and low <= self.people and (high is None or self.people <= high):
            return True
        pivot = self.next_pivot()
        if pivot is None:
            return False
        for value in (1, 0):
            self.decide(pivot, value)
            if self.search(low=low, high=high, skip=skip, depth=depth + 1):
                return True
            self.undo()
        return False


def connected_order(pivots: list[int], rows: dict[int, dict[int, Number]]) -> list[int]:
    """The pivots in breadth-first order over shared columns, so that each column is settled
    soon after its first pivot is decided and a dead branch is cut early."""
    by_column: dict[int, list[int]] = defaultdict(list)
    for pivot in pivots:
        for column in rows[pivot]:
            by_column[column].append(pivot)
    seen: dict[int, None] = {}
    for start in pivots:
        if start in seen:
            continue
        queue = [start]
        seen[start] = None
        for pivot in queue:
            for column in rows[pivot]:
                for other in by_column[column]:
                    if other not in seen:
                        seen[other] = None
                        queue.append(other)
    return list(seen)
