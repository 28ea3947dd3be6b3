"""Plotly figures of a report, built from the aggregation's result (never from raw rows).

Each function returns the figure as plain JSON-ready data for `json_script`; the page's
static script draws it with Plotly.newPlot. Suppressed cells are drawn as such ("<k"),
never as zero.

Every label and hover text that comes from data (department, competency and level names,
codes) goes through `label` (lib.plotly_text), so no name is drawn as Plotly markup.
"""

import json

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from lib.plotly_text import label

from .aggregation import CampaignReport, GroupFigures

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}
LEVEL_COLOURS = ["#b2182b", "#ef8a62", "#fddbc7", "#67a9cf", "#2166ac"]


def _plain(figure: go.Figure) -> dict:
    figure.update_layout(
        font=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    data = json.loads(figure.to_json())
    title = data["layout"].pop("title", None) or {}
    if title.get("text"):
        data["title"] = title["text"]
    return data


def small_label(threshold: int) -> str:
    return f"<{threshold}"


def shorten(text, limit: int) -> str:
    """`text` cut to `limit` characters, "…" included, when longer."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrapped(text, *, width: int, lines: int = 2) -> str:
    """`text` from data as plain text in at most `lines` lines of about `width` characters,
    joined by Plotly's `<br>` (the only markup in the result); the last line shortened."""
    rows: list[str] = []
    for word in str(text).split():
        if rows and len(rows) < lines and len(rows[-1]) + 1 + len(word) <= width:
            rows[-1] = f"{rows[-1]} {word}"
        elif len(rows) < lines:
            rows.append(word)
        else:
            rows[-1] = f"{rows[-1]} {word}"
    return "<br>".join(label(shorten(row, width)) for row in rows)


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


HEATMAP_NAME_CHARS = 32  # a competency's name in a row label, "…" past it
HEATMAP_COLUMN_CHARS = 16  # a line of a sub-department's name, three lines at most
HIDDEN_GREY = "#d4d4d4"  # not a colour of either scale: a hidden cell never reads as a value
LEVEL_SCALE = "Blues"
# White at 0 (at or above the target) to the red of the level colours. DESIGN's gap is
# max(0, target - level), never negative: a scale diverging at 0 would spend its blue half
# on values that cannot occur, so the gap gets the red half of that diverging scale.
GAP_SCALE = [[0, "#ffffff"], [0.5, "#ef8a62"], [1, "#b2182b"]]


def fitted_range(values: list[float], *, gap: bool) -> tuple[float, float]:
    """The colour range of the values shown: from the lowest (0 for gaps: white means no gap)
    to the highest, at least half a level wide so that equal values do not look extreme."""
    if not values:
        return 0.0, 4.0
    low, high = (0.0 if gap else min(values)), max(values)
    if high - low < 0.5:
        middle = (high + low) / 2
        low, high = (0.0, 0.5) if gap else (max(0.0, middle - 0.25), max(0.0, middle - 0.25) + 0.5)
    return low, high


def heatmap_chart(
    *, report: CampaignReport, columns: list[tuple[str, GroupFigures]], measure: str
) -> dict | None:
    """Competencies x groups (the department, then its sub-departments), mean level or mean
    gap, coloured on a scale fitted to the values shown. Hidden cells are a grey layer with
    "<k" under the values, never a colour of the scale. None for a leaf department (only its
    own column): a one-column map says nothing its table does not."""
    if len(columns) < 2:
        return None
    gap = measure == "gap"
    small = small_label(report.threshold)
    fewer = _("fewer than %(k)s responses") % {"k": report.threshold}
    z, text, grey, grey_text, hover = [], [], [], [], []
    for competency in report.competencies:
        name = label(f"{competency.code} {competency.name}")
        rows = ([], [], [], [], [])
        for column, group in columns:
            figures = group.competency(competency.code)
            hidden = (
                group.suppressed
                or figures is None
                or figures.suppressed
                or (gap and figures.required_suppressed)
            )
            value = None if hidden else (figures.mean_gap if gap else figures.mean_level)
            rows[0].append(value)
            rows[1].append("" if value is None else f"{value:.1f}")
            rows[2].append(None if value is not None else 0)
            rows[3].append(small if hidden else ("–" if value is None else ""))
            shown = fewer if hidden else ("–" if value is None else f"{value:.2f}")
            rows[4].append(f"{name}<br>{label(column)}: {shown}")
        for table, row in zip((z, text, grey, grey_text, hover), rows, strict=True):
            table.append(row)
    low, high = fitted_range([v for row in z for v in row if v is not None], gap=gap)
    positions = {"x": list(range(len(columns))), "y": list(range(len(report.competencies)))}
    figure = go.Figure(
        [
            go.Heatmap(
                **positions,
                z=z,
                text=text,
                texttemplate="%{text}",
                hovertext=hover,
                hoverinfo="text",
                zmin=low,
                zmax=high,
                colorscale=GAP_SCALE if gap else LEVEL_SCALE,
                hoverongaps=False,
                xgap=1,
                ygap=1,
                colorbar={
                    "title": {"text": _("Gap") if gap else _("Level")},
                    "thickness": 12,
                },
            ),
            go.Heatmap(
                **positions,
                z=grey,
                text=grey_text,
                texttemplate="%{text}",
                textfont={"color": "#222"},
                hovertext=hover,
                hoverinfo="text",
                zmin=0,
                zmax=1,
                colorscale=[[0, HIDDEN_GREY], [1, HIDDEN_GREY]],
                showscale=False,
                hoverongaps=False,
                xgap=1,
                ygap=1,
            ),
        ]
    )
    figure.update_layout(
        title=_("Mean gap by sub-department") if gap else _("Mean level by sub-department"),
        # Positions, named by ticktext: two long names shortened alike stay two columns.
        yaxis={
            "autorange": "reversed",
            "tickvals": positions["y"],
            "ticktext": [
                label(f"{c.code} {shorten(c.name, HEATMAP_NAME_CHARS)}")
                for c in report.competencies
            ],
            "showgrid": False,
            "zeroline": False,
        },
        # Sub-department names on top, where the reader starts, not 25 rows down.
        xaxis={
            "side": "top",
            "tickangle": 0,
            "tickvals": positions["x"],
            "ticktext": [
                wrapped(name, width=HEATMAP_COLUMN_CHARS, lines=3) for name, _g in columns
            ],
            "showgrid": False,
            "zeroline": False,
        },
        height=max(300, 28 * len(report.competencies) + 120),
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
