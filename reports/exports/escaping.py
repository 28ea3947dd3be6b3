"""Defence against formula injection in spreadsheets.

A text cell that starts with one of these characters may be run as a formula by Excel,
LibreOffice or Google Sheets, so it is prefixed with an apostrophe, which the spreadsheet
shows as text. Full-width forms count too: some spreadsheets fold them to ASCII.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def escape_formula(value: str) -> str:
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
