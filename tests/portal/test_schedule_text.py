"""Schedules in everyday words, in Danish and English."""

import pytest

from app.i18n import UILocale
from app.models import Schedule
from app.portal.schedule_text import describe_schedule


@pytest.mark.parametrize(
    ("fields", "danish", "english"),
    [
        ({"freq": "WEEKLY", "byday": "TU"}, "Hver tirsdag kl. 10:00-11:00",
         "Every Tuesday at 10:00-11:00"),
        ({"freq": "WEEKLY", "byday": "TU,TH"}, "Hver tirsdag og torsdag kl. 10:00-11:00",
         "Every Tuesday and Thursday at 10:00-11:00"),
        ({"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR"}, "Mandag til fredag kl. 10:00-11:00",
         "Monday to Friday at 10:00-11:00"),
        ({"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU"}, "Hver dag kl. 10:00-11:00",
         "Every day at 10:00-11:00"),
        ({"freq": "WEEKLY", "byday": "TH", "interval": 2}, "Hver anden torsdag kl. 10:00-11:00",
         "Every other Thursday at 10:00-11:00"),
        ({"freq": "MONTHLY", "byday": "-1FR"}, "Sidste fredag i måneden kl. 10:00-11:00",
         "Last Friday in the month at 10:00-11:00"),
    ],
)  # fmt: skip
def test_describe_schedule_in_both_languages(
    fields: dict[str, object], danish: str, english: str
) -> None:
    schedule = Schedule(id="s", offer_id="o", opens_at="10:00", closes_at="11:00", **fields)
    for language, expected in (("da", danish), ("en", english)):
        locale = UILocale(language)
        assert describe_schedule(schedule, locale) == expected
