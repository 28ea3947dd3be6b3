"""`python -m benchmarks NAME` runs one benchmark; with no name, lists them.

One line per benchmark: the module name under benchmarks/ (each has a main()).
"""

import importlib
import sys

BENCHMARKS = [
    "answer_save",
    "report_answers_export",
]

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in BENCHMARKS:
        print("python -m benchmarks NAME, where NAME is one of:")
        print("\n".join(f"  {name}" for name in BENCHMARKS))
        sys.exit(0 if len(sys.argv) < 2 else 2)
    name = sys.argv.pop(1)  # the benchmark's own options follow
    importlib.import_module(f"benchmarks.{name}").main()
