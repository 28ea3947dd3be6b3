# Months in lower case inside dates, as Spanish writes them (see config/formats/__init__.py).
from django.conf.locale.es_MX.formats import *  # noqa: F403

DATE_FORMAT = r"j \d\e E \d\e Y"
DATETIME_FORMAT = r"j \d\e E \d\e Y \a \l\a\s H:i"
YEAR_MONTH_FORMAT = r"E \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e E"
