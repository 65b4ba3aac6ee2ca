"""Chinese formats as ParkOS users read them: ISO dates, local time to the minute, thousands grouped by 3.

(Django's zh_Hans leaves numbers ungrouped and writes dates as 2016年9月5日; the operator's tables and
documents write 2026-12-06 16:30 and 1,234,567.80.)
"""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DECIMAL_SEPARATOR = "."
