"""Instrument quality (reports/quality/)."""
