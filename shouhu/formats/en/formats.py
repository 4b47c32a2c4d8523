# English counterparts of shouhu/formats/zh_Hans: short dates without the year, 24-hour times.
MONTH_DAY_FORMAT = "M j"  # Feb 7
SHORT_DATETIME_FORMAT = "M j, H:i"  # Feb 7, 09:30
DATETIME_FORMAT = "N j, Y, H:i"  # Feb. 7, 2020, 09:30
