"""Persian: Django's module groups no thousands (12345 results); Iranian usage with Western digits is 12,345.
Digits stay Western (0-9) in Persian pages: see docs/translating.md ("Dates and numbers")."""

NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = ","
DECIMAL_SEPARATOR = "."
