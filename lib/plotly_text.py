"""Text from data, made safe for Plotly.

Plotly draws a subset of HTML in chart text (`<a href>`, `<b>`, `<br>`), so a department or
competency named `<a href=...>` would otherwise be a live link inside the chart. Escaped, the
name is drawn as typed: Plotly turns the entities back into the characters they stand for.
"""

import html


def label(text) -> str:
    """`text` from data, as plain text for Plotly: no tag of it reaches Plotly's markup."""
    return html.escape(str(text), quote=False)
