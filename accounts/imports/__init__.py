"""Roster and department imports: reading office files (`reading`), the two imports
(`roster`, `departments`), their background jobs (`jobs`, `tasks`) and HR's pages (`views`)."""
