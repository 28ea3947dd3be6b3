"""The formulas of DESIGN.md "Instrument quality (exact)", on plain arrays.

No database here: `snapshots.py` reads the answers and hands over matrices (respondents x
items), so each formula can be checked against a hand computation. Sample variances (n - 1)
throughout, as the design says; a figure that is undefined (fewer than two items, no variance)
is None, never 0 or NaN, so that a file shows it empty.
"""

from __future__ import annotations

import numpy as np

# Flag codes, as items.csv writes them (`;`-separated).
TOO_HARD = "too_hard"  # p < 0.20
TOO_EASY = "too_easy"  # p > 0.90
LOW_DISCRIMINATION = "low_discrimination"  # below 0.20
CHECK_KEY = "check_key"  # negative discrimination
RARE_OPTION = "rare_option"  # an option chosen by fewer than 5 %

HARD_BELOW, EASY_ABOVE = 0.20, 0.90
DISCRIMINATION_FLOOR = 0.20
RARE_SHARE = 0.05
RELIABILITY_FLOOR = 0.70  # the floor for group reporting


def cronbach_alpha(matrix: np.ndarray) -> float | None:
    """alpha = m / (m - 1) * (1 - sum of item variances / variance of the sums), over the rows
    given (complete cases: the caller drops anyone with an unanswered item). KR-20 is the same
    formula on 0/1 items. None where m < 2, fewer than two rows, or the sums do not vary."""
    rows, items = matrix.shape if matrix.ndim == 2 else (0, 0)
    if items < 2 or rows < 2:
        return None
    total_variance = float(np.var(matrix.sum(axis=1), ddof=1))
    if total_variance == 0:
        return None
    item_variances = float(np.var(matrix, axis=0, ddof=1).sum())
    return items / (items - 1) * (1 - item_variances / total_variance)


def pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    """The Pearson correlation; None where either side has no variance (or under 2 values).
    Rounded to 12 places, so that a correlation of exactly 0 that floating point gives as
    -1e-17 is not read as negative (and flagged "check the key")."""
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    return round(float(np.corrcoef(x, y)[0, 1]), 12) + 0.0


def discrimination(scores: np.ndarray, answered: np.ndarray, item: int) -> float | None:
    """Item `item` against the rest score, over the respondents who answered it.

    `scores` is respondents x knowledge items, 1 correct / 0 otherwise (an unanswered item
    scores 0); `answered` says which cells were answered. The rest score is the number of the
    *other* items answered correctly."""
    who = answered[:, item]
    own = scores[who, item]
    rest = scores[who].sum(axis=1) - own
    return pearson(own, rest)


def item_flags(
    *, difficulty: float | None, discrimination: float | None, shares: list[float]
) -> list[str]:
    """The flag codes of one knowledge question, in a fixed order."""
    flags = []
    if difficulty is not None and difficulty < HARD_BELOW:
        flags.append(TOO_HARD)
    if difficulty is not None and difficulty > EASY_ABOVE:
        flags.append(TOO_EASY)
    if discrimination is not None and discrimination < DISCRIMINATION_FLOOR:
        flags.append(LOW_DISCRIMINATION)
    if discrimination is not None and discrimination < 0:
        flags.append(CHECK_KEY)
    if any(share < RARE_SHARE for share in shares):
        flags.append(RARE_OPTION)
    return flags


def fitted_line(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None
) -> tuple[float, float] | None:
    """Least-squares (slope, intercept) of y on x, each point counted `weights` times (cells
    of several people); None where x does not vary."""
    if len(x) < 2 or np.ptp(x) == 0:
        return None
    w = np.ones(len(x)) if weights is None else weights
    mean_x, mean_y = np.average(x, weights=w), np.average(y, weights=w)
    slope = np.sum(w * (x - mean_x) * (y - mean_y)) / np.sum(w * (x - mean_x) ** 2)
    return float(slope), float(mean_y - slope * mean_x)
