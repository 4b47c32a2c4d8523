# Overrides of Django's zh_Hans formats (the rest comes from Django). Templates name these formats
# ("MONTH_DAY_FORMAT", "SHORT_DATETIME_FORMAT" …) instead of spelling "n月j日", so English pages show English dates.
MONTH_DAY_FORMAT = "n月j日"  # 2月7日 (Django's "m月j日" pads the month: 02月7日)
SHORT_DATETIME_FORMAT = "n月j日 H:i"  # 2月7日 09:30 — lists and timelines, where the year is obvious
