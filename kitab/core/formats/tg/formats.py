"""Tajik: Django's module is a copy of the Russian one, so long dates ended in the Russian "г." (год); Tajik
abbreviates сол (year) as "с."."""

DATE_FORMAT = "j E Y с."
DATETIME_FORMAT = "j E Y с. G:i"
YEAR_MONTH_FORMAT = "F Y с."
