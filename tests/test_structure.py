"""The tree shows the architecture (DESIGN.md "Architecture", STYLE.md "The habits"), and these
tests keep it so: a later change that breaks the layout fails here, not in a review.

They read the source as text (with `ast`), so they need no database and import nothing.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "diagnostic", "reports")
# Who may import whom: an app never imports from an app to its left in
# `reports -> diagnostic -> accounts`; lib imports no app at all.
FORBIDDEN = {
    "lib": ("accounts", "diagnostic", "reports", "config"),
    "accounts": ("diagnostic", "reports", "config"),
    "diagnostic": ("reports", "config"),
    "reports": ("config",),
    "diagnostic.framework": ("diagnostic.campaigns", "diagnostic.assessment"),
}
VIEW_LINES = 25


def modules(package: str = "") -> list[Path]:
    roots = [ROOT / package.replace(".", "/")] if package else [ROOT / a for a in (*APPS, "lib")]
    return sorted(
        path
        for root in roots
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    )


def dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved, at any depth of the code."""
    here = dotted(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_dependencies_run_one_way(package):
    wrong = sorted(
        f"{dotted(path)} imports {name}"
        for path in modules(package)
        for name in imported(path)
        for banned in FORBIDDEN[package]
        if within(name, banned)
    )
    assert wrong == []


def test_relative_imports_are_resolved_so_the_rule_sees_them():
    """`from ..models import X` inside diagnostic/assessment/ is an import of diagnostic.models:
    without that, a relative import from the wrong app would slip past the rule above."""
    names = imported(ROOT / "diagnostic" / "assessment" / "questionnaire.py")
    assert "diagnostic.models" in names
    assert "diagnostic.tasks" in names


def test_no_module_carries_its_package_as_a_prefix_or_a_catch_all_name():
    wrong = []
    for path in modules():
        package = path.parent.name
        if path.stem.startswith(package.rstrip("s") + "_") or path.stem.startswith(package + "_"):
            wrong.append(str(path.relative_to(ROOT)))
        if path.stem in {"utils", "helpers", "misc", "common"}:
            wrong.append(str(path.relative_to(ROOT)))
    assert wrong == []


def view_modules() -> list[Path]:
    return [path for path in modules() if path.name == "views.py"]


def test_views_fetch_only_through_queryset_methods_that_know_the_user():
    """`Model.objects.filter(...)` in a view is a fetch that forgot who is asking."""
    wrong = []
    for path in view_modules():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if ".objects.filter(" in line or ".objects.get(" in line or ".objects.all(" in line:
                wrong.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert wrong == []


def test_views_are_short():
    long = []
    for path in view_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                body = node.body[1:] if ast.get_docstring(node) else node.body
                lines = body[-1].end_lineno - body[0].lineno + 1
                if lines > VIEW_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {lines}")
    assert long == []


def test_no_empty_packages():
    empty = [
        str(init.parent.relative_to(ROOT))
        for init in ROOT.glob("*/**/__init__.py")
        if ".venv" not in init.parts
        and "migrations" not in init.parts
        and not any(
            p for p in init.parent.iterdir() if p.name != "__init__.py" and p.name != "__pycache__"
        )
    ]
    assert empty == []
