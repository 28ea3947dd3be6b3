"""Exports of a campaign: small exporter classes that yield rows (headers from DESIGN.md
"Data exchange", never translated), and writers for CSV, XLSX and JSON."""
