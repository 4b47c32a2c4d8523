"""Spreadsheet cells from user text: a value starting with = + - @ (or a tab/CR before one) would be a formula
in Excel/WPS ("=cmd|' /C calc'!A0", DDE, HYPERLINK exfiltration). Such text is exported with a leading
apostrophe (OWASP CSV/formula injection advice), so it is shown as text and never evaluated."""

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def safe_row(values):
    return [safe(v) for v in values]
