"""`make benchmarks NAME=...` reaches every benchmark: each module with a main() is listed."""

import ast
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def registered() -> list[str]:
    tree = ast.parse((BENCHMARKS / "__main__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "BENCHMARKS":
            return [element.value for element in node.value.elts]
    raise AssertionError("benchmarks/__main__.py has no BENCHMARKS list")


def test_every_benchmark_with_a_main_is_registered():
    with_main = sorted(
        path.stem
        for path in BENCHMARKS.glob("*.py")
        if any(
            isinstance(node, ast.FunctionDef) and node.name == "main"
            for node in ast.parse(path.read_text()).body
        )
    )
    assert registered() == with_main
