"""Date and number formats per language (Django's FORMAT_MODULE_PATH): one way to write a date
and a moment in each language, used by the ``date`` filter and :mod:`civic.core.formats`."""
