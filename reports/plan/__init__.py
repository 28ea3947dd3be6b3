"""The Data Workforce Plan (DESIGN.md "The Data Workforce Plan (exact)"): a catalogue of
offerings, needs from a campaign's scores, the lines that serve them, their cost and the
funding rule, approval that freezes all of it."""
