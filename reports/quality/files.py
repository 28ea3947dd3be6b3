"""reliability.csv and items.csv (DESIGN.md "Instrument quality (exact)"), from a snapshot:
the same rows for the management command and for the page's downloads."""

from collections.abc import Iterator
from pathlib import Path

from ..exports.campaign import Exporter
from ..exports.writers import write_csv
from ..models import QualitySnapshot


class SnapshotExporter(Exporter):
    def __init__(self, *, snapshot: QualitySnapshot, **kwargs):
        super().__init__(campaign=snapshot.campaign, **kwargs)
        self.snapshot = snapshot


class ReliabilityExporter(SnapshotExporter):
    name = "reliability"
    headers = ["scope", "n", "items", "alpha"]

    def rows(self) -> Iterator[list]:
        for row in self.snapshot.data.get("reliability", []):
            yield [row["scope"], row["n"], row["items"], row["alpha"]]


class ItemsExporter(SnapshotExporter):
    name = "items"
    headers = ["question_code", "kind", "n", "difficulty", "discrimination", "flags"]

    def rows(self) -> Iterator[list]:
        for item in self.snapshot.data.get("items", []):
            yield [
                item["question_code"],
                item["kind"],
                item["n"],
                item["difficulty"],
                item["discrimination"],
                ";".join(item["flags"]),
            ]


EXPORTERS = {"reliability": ReliabilityExporter, "items": ItemsExporter}


def write_quality_files(*, snapshot: QualitySnapshot, directory: Path) -> list[Path]:
    """Write reliability.csv and items.csv into `directory` (made if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in EXPORTERS.values():
        exporter = kind(snapshot=snapshot)
        path = directory / f"{exporter.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            write_csv(exporter.headers, exporter.rows(), stream)
        written.append(path)
    return written
