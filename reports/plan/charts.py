"""The plan's two charts for the committee, in reports/charts.py's conventions: built from the
plan's result (never from raw rows), every data label through `label`. Their titles are in
the page, above each chart, where they wrap on a phone (a Plotly title does not)."""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from ..charts import _plain, label
from .funding import PlanResult

BAND_COLOURS = ["#b2182b", "#ef8a62", "#67a9cf", "#2166ac"]


def need_chart(result: PlanResult, *, names: dict[str, str], threshold: int) -> dict:
    """People in need by competency, stacked by level band; a band of fewer than `threshold`
    people is left out of its bar (the table beside it says "fewer than k")."""
    codes = sorted({line.competency_code for line in result.lines})
    bars = []
    for band, colour in enumerate(BAND_COLOURS):
        counts = {
            line.competency_code: line.participants
            for line in result.lines
            if line.band == band and not 0 < line.participants < threshold
        }
        bars.append(
            go.Bar(
                name=_("level %(band)s") % {"band": band},
                x=[counts.get(code, 0) for code in codes],
                y=[label(f"{code} {names.get(code, '')}".strip()) for code in codes],
                orientation="h",
                marker_color=colour,
            )
        )
    figure = go.Figure(bars)
    figure.update_layout(
        barmode="stack",
        yaxis={"autorange": "reversed"},
        # Below the bars, as reports/charts.py does: a legend on the right overflows a phone.
        legend={"orientation": "h", "y": -0.15},
        height=max(280, 28 * len(codes) + 140),
    )
    return _plain(figure)


def budget_chart(result: PlanResult) -> dict:
    """Priority covered (%) against money spent, line by line in funding order, with the
    budget marked."""
    total = sum(line.priority for line in result.lines) or 1
    spent, covered = [0.0], [0.0]
    for line in result.lines:
        if line.funded:
            spent.append(spent[-1] + float(line.cost))
            covered.append(covered[-1] + 100 * line.priority / total)
    figure = go.Figure(
        go.Scatter(
            x=spent, y=covered, mode="lines+markers", line_shape="hv", marker_color="#123f6d"
        )
    )
    figure.add_vline(x=float(result.budget), line_dash="dash", line_color="#b2182b")
    figure.update_layout(
        xaxis={"title": {"text": _("MXN")}},
        yaxis={"range": [0, 100], "title": {"text": _("priority covered (%)")}},
        height=320,
    )
    return _plain(figure)
