"""The figure of a respondent's own results, built in Python and drawn by plotly.js."""

import json

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from lib.plotly_text import label

from .results import PersonalResults

ROW_HEIGHT = 34


def levels_against_targets(*, results: PersonalResults) -> dict:
    """Bars for each competency's level, diamonds for the role's target, on the 0..4 scale.

    Returned as the plain dict of `fig.to_json()`, ready for `json_script`.
    """
    rows = list(reversed(results.competencies))  # plotly draws the first row at the bottom
    names = [label(r.name) for r in rows]  # an editor's name is drawn as typed, never as markup
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[round(r.level, 2) for r in rows],
            y=names,
            orientation="h",
            name=_("Your level"),
            marker_color="#1f5fa0",
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[r.target for r in rows],
            y=names,
            mode="markers",
            name=_("Target for your role"),
            marker={"symbol": "diamond", "size": 12, "color": "#b3261e"},
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        height=120 + ROW_HEIGHT * len(rows),
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
        xaxis={"range": [0, 4.05], "dtick": 1, "title": {"text": _("Level (0 to 4)")}},
        yaxis={"automargin": True},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    return json.loads(fig.to_json())
