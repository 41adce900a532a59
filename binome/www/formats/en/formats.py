"""English: British conventions (day before month) with a 24-hour clock."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # 4 March 2025
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 4 March 2025, 14:30
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 04/03/2025 14:30
