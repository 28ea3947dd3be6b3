"""`python -m benchmarks NAME` runs one benchmark; with no name, lists them.

One line per benchmark: the module name under benchmarks/ (each has a main()).
"""

import importlib
import sys
from pathlib import Path

# The report benchmarks import their shared set-up as `report_setup`, as when run as files.
sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHMARKS = [
    "answer_save",
    "data_package_peer",
    "disclosure",
    "hr_workspace",
    "invitations",
    "launch",
    "plan",
    "quality",
    "release",
    "release_audit",
    "report_aggregation",
    "report_answers_export",
    "roster_import",
]

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in BENCHMARKS:
        print("python -m benchmarks NAME, where NAME is one of:")
        print("\n".join(f"  {name}" for name in BENCHMARKS))
        sys.exit(0 if len(sys.argv) < 2 else 2)
    name = sys.argv.pop(1)  # the benchmark's own options follow
    importlib.import_module(f"benchmarks.{name}").main()
