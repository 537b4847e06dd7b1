"""Turkmen: Django's module is a copy of the Russian one, so long dates ended in the Russian "г." (год); Turkmen
abbreviates ýyl (year) as "ý."."""

DATE_FORMAT = "j F Y ý."
DATETIME_FORMAT = "j F Y ý. G:i"
YEAR_MONTH_FORMAT = "F Y ý."
