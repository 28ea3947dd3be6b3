"""Plotly figures of a report, built from the aggregation's result (never from raw rows).

Each function returns the figure as plain JSON-ready data for `json_script`; the page's
static script draws it with Plotly.newPlot. Suppressed cells are drawn as such ("<k"),
never as zero.

Every label and hover text that comes from data (department, competency and level names,
codes) goes through `label`: Plotly draws a subset of HTML in text (`<a href>`, `<b>`, `<br>`),
so a department named `<a href=...>` would otherwise be a live link inside the chart. Plotly
turns the entities back into the characters they stand for, so the reader sees the name as
typed, as plain text.
"""

import html
import json

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .aggregation import CampaignReport, GroupFigures

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}
LEVEL_COLOURS = ["#b2182b", "#ef8a62", "#fddbc7", "#67a9cf", "#2166ac"]


def _plain(figure: go.Figure) -> dict:
    figure.update_layout(
        font=FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return json.loads(figure.to_json())


def label(text) -> str:
    """`text` from data, as plain text for Plotly: no tag of it reaches Plotly's markup."""
    return html.escape(str(text), quote=False)


def small_label(threshold: int) -> str:
    return f"<{threshold}"


def participation_chart(rows: list[tuple[str, GroupFigures]], *, threshold: int) -> dict:
    names = [label(name) for name, _group in rows]
    rates = [None if g.response_rate is None else 100 * g.response_rate for _n, g in rows]
    figure = go.Figure(
        go.Bar(
            x=rates,
            y=names,
            orientation="h",
            marker_color="#123f6d",
            text=[small_label(threshold) if r is None else f"{r:.0f}%" for r in rates],
            textposition="auto",
        )
    )
    figure.update_layout(
        title=_("Response rate by department (%)"),
        xaxis={"range": [0, 100]},
        yaxis={"autorange": "reversed"},
        height=max(260, 28 * len(rows) + 80),
    )
    return _plain(figure)


def priority_chart(group: GroupFigures, *, limit: int = 10) -> dict:
    # A priority over too few required people is empty (None): it is not drawn.
    ranked = [c for c in group.ranked if not c.suppressed and c.priority is not None][:limit]
    figure = go.Figure(
        go.Bar(
            x=[c.priority for c in ranked],
            y=[label(f"{c.code} {c.name}") for c in ranked],
            orientation="h",
            marker_color="#b2182b",
        )
    )
    figure.update_layout(
        title=_("Training priority (sum of gap × importance)"),
        yaxis={"autorange": "reversed"},
        height=max(260, 30 * len(ranked) + 80),
    )
    return _plain(figure)


def heatmap_chart(
    *, report: CampaignReport, columns: list[tuple[str, GroupFigures]], measure: str
) -> dict:
    """Competencies x groups, mean level or mean gap; suppressed cells empty and labelled."""
    small = small_label(report.threshold)
    z, text = [], []
    for competency in report.competencies:
        z_row, text_row = [], []
        for _name, group in columns:
            figures = group.competency(competency.code)
            if group.suppressed or figures is None or figures.suppressed:
                z_row.append(None)
                text_row.append(small)
            else:
                value = figures.mean_gap if measure == "gap" else figures.mean_level
                z_row.append(value)
                text_row.append("" if value is None else f"{value:.1f}")
        z.append(z_row)
        text.append(text_row)
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[label(name) for name, _g in columns],
            y=[label(c.code) for c in report.competencies],
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=4,
            colorscale="Reds" if measure == "gap" else "Blues",
            hoverongaps=False,
            colorbar={"title": {"text": _("Gap") if measure == "gap" else _("Level")}},
        )
    )
    figure.update_layout(
        title=_("Mean gap by sub-department")
        if measure == "gap"
        else _("Mean level by sub-department"),
        yaxis={"autorange": "reversed"},
        # Sub-department names on top, where the reader starts, not 25 rows down.
        xaxis={"side": "top"},
        height=max(300, 26 * len(report.competencies) + 120),
    )
    return _plain(figure)


def profile_chart(group: GroupFigures) -> dict:
    shown = [c for c in group.competencies if not c.suppressed and c.n]
    codes = [label(c.code) for c in shown]
    figure = go.Figure(
        [
            go.Bar(
                name=_("Mean level"),
                x=codes,
                y=[c.mean_level for c in shown],
                marker_color="#2166ac",
            ),
            go.Scatter(
                name=_("Mean target"),
                x=codes,
                y=[c.mean_target for c in shown],
                mode="markers",
                marker={
                    "symbol": "line-ew-open",
                    "size": 22,
                    "color": "#b2182b",
                    "line": {"width": 3},
                },
            ),
        ]
    )
    figure.update_layout(
        title=_("Profile against targets"),
        yaxis={"range": [0, 4], "dtick": 1},
        legend={"orientation": "h", "y": -0.2},
        height=380,
    )
    return _plain(figure)


def distribution_chart(group: GroupFigures, level_names: list[str]) -> dict:
    shown = [c for c in group.competencies if not c.suppressed and c.n]
    figure = go.Figure(
        [
            go.Bar(
                name=label(f"{band} {level_names[band]}"),
                y=[label(c.code) for c in shown],
                x=[c.levels[band] for c in shown],
                orientation="h",
                marker_color=LEVEL_COLOURS[band],
            )
            for band in range(5)
        ]
    )
    figure.update_layout(
        title=_("Level distribution (people per level)"),
        barmode="stack",
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.15},
        height=max(300, 26 * len(shown) + 140),
    )
    return _plain(figure)


def change_chart(changes: list[tuple[str, float | None]]) -> dict:
    shown = [(code, delta) for code, delta in changes if delta is not None]
    figure = go.Figure(
        go.Bar(
            x=[label(code) for code, _d in shown],
            y=[delta for _c, delta in shown],
            marker_color=["#2166ac" if d >= 0 else "#b2182b" for _c, d in shown],
        )
    )
    figure.update_layout(title=_("Change in mean level since the previous campaign"), height=340)
    return _plain(figure)


def calibration_chart(calibration: dict) -> dict:
    """Self-rating S against 4K (the knowledge check on the same 0..4 scale): one marker per
    cell of respondents (its size the count; cells under k are not in `cells`), the fitted
    line over everyone, and the line where the two agree. Not a quartile chart: comparing
    quartiles of S with mean K shows regression to the mean whatever people know."""
    cells = calibration["cells"]
    figure = go.Figure(
        go.Scatter(
            x=[c["self"] for c in cells],
            y=[c["knowledge"] for c in cells],
            mode="markers",
            marker={
                "size": [max(8, min(40, c["n"] ** 0.5 * 4)) for c in cells],
                "color": "#123f6d",
                "opacity": 0.7,
            },
            text=[str(c["n"]) for c in cells],
            hovertemplate=_("Self-rating %{x}, knowledge %{y}: %{text} people") + "<extra></extra>",
            name=_("Respondents"),
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[0, 4],
            y=[0, 4],
            mode="lines",
            line={"dash": "dot", "color": "#777"},
            name=_("S = 4K"),
        )
    )
    overall = calibration.get("overall") or {}
    if overall.get("slope") is not None:
        slope, intercept = overall["slope"], overall["intercept"]
        figure.add_trace(
            go.Scatter(
                x=[0, 4],
                y=[intercept, intercept + 4 * slope],
                mode="lines",
                line={"color": "#b2182b"},
                name=_("Fitted line"),
            )
        )
    figure.update_layout(
        title=_("Self-rating against the knowledge check"),
        xaxis={"title": _("Self-rating S (0–4)"), "range": [-0.3, 4.3]},
        yaxis={"title": _("Knowledge 4K (0–4)"), "range": [-0.3, 4.3]},
        height=380,
        legend={"orientation": "h", "y": -0.25},
    )
    return _plain(figure)
