"""Kyrgyz: Django's module has a decimal point; Kyrgyzstan (like Russia and Kazakhstan) writes a decimal comma."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
