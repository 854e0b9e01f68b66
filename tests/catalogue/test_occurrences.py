"""The next dates of an offer, from its schedules, in Danish local time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.catalogue.occurrences import Occurrence, _rule_starts, next_occurrences
from app.models import Schedule

CPH = ZoneInfo("Europe/Copenhagen")


def at(day: str, clock: str = "12:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=CPH)


def schedule(**fields: object) -> Schedule:
    fields.setdefault("opens_at", "10:00")
    fields.setdefault("closes_at", "12:00")
    return Schedule(id="s", offer_id="o", **fields)


def starts(occurrences: list[Occurrence]) -> list[str]:
    return [o.start.strftime("%Y-%m-%d %H:%M") for o in occurrences]


def test_weekly_on_two_days() -> None:
    # Monday 23 November 2026, noon.
    got = next_occurrences([schedule(freq="WEEKLY", byday="TU,TH")], now=at("2026-11-23"), limit=4)
    assert starts(got) == [
        "2026-11-24 10:00",
        "2026-11-26 10:00",
        "2026-12-01 10:00",
        "2026-12-03 10:00",
    ]
    assert got[0].end == at("2026-11-24", "12:00")
    assert all(o.start.tzinfo == CPH for o in got)


def test_every_other_week_counts_from_dtstart() -> None:
    rule = schedule(freq="WEEKLY", byday="TH", interval=2, dtstart=date(2026, 11, 5))
    got = next_occurrences([rule], now=at("2026-11-23"), limit=3)
    # 5 Nov, 19 Nov, 3 Dec, 17 Dec …: 26 Nov is an off week.
    assert starts(got) == ["2026-12-03 10:00", "2026-12-17 10:00", "2026-12-31 10:00"]


def test_second_thursday_of_the_month() -> None:
    got = next_occurrences([schedule(freq="MONTHLY", byday="2TH")], now=at("2026-11-23"), limit=3)
    assert starts(got) == ["2026-12-10 10:00", "2027-01-14 10:00", "2027-02-11 10:00"]


def test_last_friday_of_the_month() -> None:
    got = next_occurrences([schedule(freq="MONTHLY", byday="-1FR")], now=at("2026-11-23"), limit=2)
    assert starts(got) == ["2026-11-27 10:00", "2026-12-25 10:00"]


def test_a_dated_event_once_and_then_never() -> None:
    day = date(2026, 12, 12)
    party = schedule(dtstart=day, valid_from=day, valid_to=day, opens_at="17:00", closes_at="22:00")
    assert starts(next_occurrences([party], now=at("2026-11-23"), limit=5)) == ["2026-12-12 17:00"]
    # Still shown while it goes on, gone once it is over.
    assert next_occurrences([party], now=at("2026-12-12", "21:00"), limit=5)
    assert next_occurrences([party], now=at("2026-12-12", "22:30"), limit=5) == []


def test_valid_to_in_the_past_gives_none() -> None:
    old = schedule(freq="WEEKLY", byday="TU", valid_to=date(2026, 6, 30))
    assert next_occurrences([old], now=at("2026-11-23"), limit=5) == []


def test_valid_from_in_the_future_starts_then() -> None:
    later = schedule(freq="WEEKLY", byday="TU", valid_from=date(2027, 1, 1))
    assert starts(next_occurrences([later], now=at("2026-11-23"), limit=1)) == ["2027-01-05 10:00"]


def test_local_time_stays_the_same_across_the_change_to_summer_time() -> None:
    # Summer time starts Sunday 28 March 2027: the clock time stays, the UTC offset moves.
    got = next_occurrences([schedule(freq="WEEKLY", byday="SA")], now=at("2027-03-15"), limit=3)
    assert starts(got) == ["2027-03-20 10:00", "2027-03-27 10:00", "2027-04-03 10:00"]
    offsets = [o.start.utcoffset() for o in got]
    assert offsets == [timedelta(hours=1), timedelta(hours=1), timedelta(hours=2)]


def test_now_in_utc_is_read_as_danish_time() -> None:
    # 23:30 UTC on Monday is already Tuesday 00:30 in Copenhagen.
    now = datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("UTC"))
    got = next_occurrences(
        [schedule(freq="WEEKLY", byday="TU", opens_at="00:15", closes_at="01:00")],
        now=now,
        limit=1,
    )
    assert got[0].start == at("2026-11-24", "00:15")


def test_several_schedules_are_merged_in_order_and_limited() -> None:
    rules = [
        schedule(freq="WEEKLY", byday="FR", opens_at="08:00", closes_at="13:00"),
        schedule(freq="WEEKLY", byday="MO,TU,WE,TH", opens_at="08:00", closes_at="15:30"),
    ]
    got = next_occurrences(rules, now=at("2026-11-23", "16:00"), limit=4)
    assert starts(got) == [
        "2026-11-24 08:00",
        "2026-11-25 08:00",
        "2026-11-26 08:00",
        "2026-11-27 08:00",
    ]
    assert got[-1].end == at("2026-11-27", "13:00")


def test_a_session_going_on_now_is_included() -> None:
    got = next_occurrences(
        [schedule(freq="WEEKLY", byday="MO")], now=at("2026-11-23", "11:00"), limit=1
    )
    assert starts(got) == ["2026-11-23 10:00"]


def test_nonsense_schedules_give_nothing_instead_of_failing() -> None:
    rules = [
        schedule(freq="WEEKLY", byday="XX"),
        schedule(freq="SOMETIMES", byday="TU"),
        schedule(freq="MONTHLY", byday="TU", bymonthday="first"),
        schedule(),  # neither a rule nor a date
        schedule(freq="MONTHLY", byday="5FR", bymonthday="30,31", opens_at="nonsense"),
    ]
    assert isinstance(next_occurrences(rules, now=at("2026-11-23"), limit=3), list)
    assert next_occurrences(rules[:4], now=at("2026-11-23"), limit=3) == []
    assert next_occurrences([schedule(freq="WEEKLY")], now=at("2026-11-23"), limit=0) == []


def test_rules_that_can_never_match_give_nothing() -> None:
    rules = [
        schedule(freq="DAILY", bymonthday="32"),  # no month has a 32nd
        schedule(freq="MONTHLY", bymonthday="99"),
        schedule(freq="MONTHLY", bymonthday="0"),
        schedule(freq="MONTHLY", byday="0FR"),
        schedule(freq="MONTHLY", byday="6FR"),  # no month has six Fridays
        schedule(freq="YEARLY", byday="54MO"),
        # Valid, but the first Monday of a year is never its 30th or 31st.
        schedule(freq="YEARLY", bymonthday="30,31", byday="1MO"),
    ]
    for rule in rules:
        assert next_occurrences([rule], now=at("2026-11-23"), limit=3) == []


def test_a_rule_that_never_matches_is_searched_once_a_day() -> None:
    impossible = schedule(freq="YEARLY", bymonthday="30,31", byday="1MO", opens_at="09:13")
    assert next_occurrences([impossible], now=at("2026-11-23", "09:00"), limit=3) == []
    hits = _rule_starts.cache_info().hits
    # Later the same day, the search is not done again.
    assert next_occurrences([impossible], now=at("2026-11-23", "15:00"), limit=3) == []
    assert _rule_starts.cache_info().hits == hits + 1


def test_ordinals_within_the_year_work_for_yearly_rules() -> None:
    got = next_occurrences([schedule(freq="YEARLY", byday="20MO")], now=at("2026-11-23"), limit=1)
    assert starts(got) == ["2027-05-17 10:00"]


def test_many_starts_before_valid_from_are_skipped_to_the_right_ones() -> None:
    # Hundreds of daily starts fall before valid_from; the caller still gets the first ones after.
    later = schedule(freq="DAILY", valid_from=date(2028, 1, 1))
    got = next_occurrences([later], now=at("2026-11-23"), limit=2)
    assert starts(got) == ["2028-01-01 10:00", "2028-01-02 10:00"]


def test_more_dates_than_a_first_batch_are_all_given() -> None:
    got = next_occurrences([schedule(freq="DAILY")], now=at("2026-11-23", "13:00"), limit=20)
    assert len(got) == 20
    assert starts(got)[0] == "2026-11-24 10:00" and starts(got)[-1] == "2026-12-13 10:00"
