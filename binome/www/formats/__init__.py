"""Local date and number formats (settings.FORMAT_MODULE_PATH). French uses Django's own
(decimal comma, "4 mars 2025", 04/03/2025, 24-hour clock); English follows British
conventions with a 24-hour clock, so that a date reads the same way in both languages."""
