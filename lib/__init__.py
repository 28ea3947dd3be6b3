"""Helpers that know no domain and import no app of this project (as healthchecks' `hc/lib`)."""
