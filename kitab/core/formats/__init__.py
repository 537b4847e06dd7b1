"""Date and number formats where Django's own (django/conf/locale/<lang>/formats.py) are missing or wrong for our
readers. settings.FORMAT_MODULE_PATH puts these modules first; a setting a module here does not define falls back
to Django's module for the language, then to the global settings. See docs/translating.md ("Dates and numbers").
"""
