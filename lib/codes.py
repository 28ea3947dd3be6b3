"""Short random codes that people type from paper: no look-alikes (no 0/O, 1/I/L)."""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def random_code(length: int) -> str:
    """`length` characters from ALPHABET, from the system's secure random source."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
