"""Decimal commas and French dates in French; English conventions (day first) in English."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

TEMPLATE = Template(
    '{{ x|floatformat:1 }}|{{ y }}|{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|'
    '{{ t|date:"SHORT_DATETIME_FORMAT" }}|{{ t|date:"DATETIME_FORMAT" }}|{{ d }}'
)
CONTEXT = {
    "x": 12.34,
    "y": 0.5,
    "d": datetime.date(2025, 3, 4),
    "t": datetime.datetime(2025, 3, 4, 14, 30, tzinfo=datetime.UTC),
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "12,3|0,5|4 mars 2025|04/03/2025|04/03/2025 15:30|4 mars 2025 15:30|4 mars 2025",
        ),
        (
            "en",
            "12.3|0.5|4 March 2025|04/03/2025|04/03/2025 15:30|4 March 2025, 15:30|4 March 2025",
        ),
    ],
)
def test_numbers_and_dates_follow_the_language(language, expected):
    with translation.override(language), timezone.override("Europe/Paris"):
        assert TEMPLATE.render(Context(CONTEXT)) == expected
