"""The law's day counts (legaldates.py): every rule, with dates chosen to hit its edges."""
import datetime

import pytest

from stintranet import legaldates as L

D = datetime.date

# (day, the reasons it is closed; () when it is open)
CLOSED_DAYS = [
    (D(2026, 6, 30), ()),                                           # a Tuesday
    (D(2026, 6, 27), (L.SATURDAY,)),
    (D(2026, 6, 28), (L.SUNDAY,)),
    (D(2026, 7, 20), (L.NATIONAL_HOLIDAY,)),                        # Marine Day, a Monday
    (D(2026, 5, 3), (L.NATIONAL_HOLIDAY, L.SUNDAY)),                # Constitution Day
    (D(2026, 5, 6), (L.SUBSTITUTE_HOLIDAY,)),                       # for 3 May, a Sunday
    (D(2027, 3, 22), (L.SUBSTITUTE_HOLIDAY,)),                      # for 21 March, a Sunday
    (D(2026, 9, 22), (L.CITIZENS_HOLIDAY,)),                        # between 21 and 23 Sept.
    (D(2026, 9, 21), (L.NATIONAL_HOLIDAY,)),
    (D(2026, 9, 23), (L.NATIONAL_HOLIDAY,)),
    (D(2026, 12, 28), ()),                                          # the last open day
    (D(2026, 12, 29), (L.YEAR_END,)),
    (D(2026, 12, 31), (L.YEAR_END,)),
    (D(2027, 1, 1), (L.NATIONAL_HOLIDAY, L.YEAR_END)),
    (D(2027, 1, 2), (L.YEAR_END, L.SATURDAY)),
    (D(2027, 1, 3), (L.YEAR_END, L.SUNDAY)),
    (D(2027, 1, 4), ()),
    (D(2027, 4, 30), ()),                                           # inside Golden Week 2027
    (D(2028, 2, 29), ()),                                           # a leap day, a Tuesday
]


@pytest.mark.parametrize('day, kinds', CLOSED_DAYS)
def test_closed_days(day, kinds):
    """Is each kind of closed day of the administrative organs known, and an open day open?"""
    found = L.closed_day(day)
    assert (found.kinds if found else ()) == kinds
    assert L.is_open_day(day) is (not kinds)


@pytest.mark.parametrize('day, expected, passed', [
    (D(2026, 6, 30), D(2026, 6, 30), 0),
    (D(2026, 6, 27), D(2026, 6, 29), 2),                            # a weekend
    (D(2026, 5, 2), D(2026, 5, 7), 5),                              # Golden Week 2026
    (D(2027, 5, 1), D(2027, 5, 6), 5),                              # Golden Week 2027
    (D(2026, 9, 19), D(2026, 9, 24), 5),                            # the silver week 2026
    (D(2026, 12, 29), D(2027, 1, 4), 6),                            # the year-end closure
    (D(2025, 12, 27), D(2026, 1, 5), 9),  # the closure, weekends both sides
])
def test_next_open_day_passes_runs_of_closed_days(day, expected, passed):
    """Does a closed day give the first open day after the whole run of closed days?"""
    found, closed = L.next_open_day(day)
    assert found == expected and len(closed) == passed
    assert [c.day for c in closed] == [day + n * L.DAY for n in range(passed)]


# (day of awareness, wrongful purpose, day 30 or 60, the deadline, the closed day it moved from)
FINAL_REPORTS = [
    # The examples.
    (D(2026, 6, 1), False, D(2026, 6, 30), D(2026, 6, 30), None),
    (D(2026, 10, 5), True, D(2026, 12, 3), D(2026, 12, 3), None),
    (D(2026, 4, 7), False, D(2026, 5, 6), D(2026, 5, 7), L.SUBSTITUTE_HOLIDAY),
    (D(2026, 11, 30), False, D(2026, 12, 29), D(2027, 1, 4), L.YEAR_END),
    # Each kind of closed day on day 30.
    (D(2026, 5, 29), False, D(2026, 6, 27), D(2026, 6, 29), L.SATURDAY),
    (D(2026, 5, 30), False, D(2026, 6, 28), D(2026, 6, 29), L.SUNDAY),
    (D(2026, 6, 21), False, D(2026, 7, 20), D(2026, 7, 21), L.NATIONAL_HOLIDAY),
    (D(2027, 2, 21), False, D(2027, 3, 22), D(2027, 3, 23), L.SUBSTITUTE_HOLIDAY),
    (D(2026, 8, 24), False, D(2026, 9, 22), D(2026, 9, 24), L.CITIZENS_HOLIDAY),
    # Golden Week 2026 (3 May is a Sunday and a holiday) and 2027.
    (D(2026, 4, 4), False, D(2026, 5, 3), D(2026, 5, 7), L.NATIONAL_HOLIDAY),
    (D(2027, 4, 3), False, D(2027, 5, 2), D(2027, 5, 6), L.SUNDAY),
    (D(2027, 3, 31), False, D(2027, 4, 29), D(2027, 4, 30), L.NATIONAL_HOLIDAY),
    (D(2027, 3, 31), True, D(2027, 5, 29), D(2027, 5, 31), L.SATURDAY),
    # The year-end closure joined to weekends; day 60 in the closure.
    (D(2025, 11, 28), False, D(2025, 12, 27), D(2026, 1, 5), L.SATURDAY),
    (D(2026, 10, 31), True, D(2026, 12, 29), D(2027, 1, 4), L.YEAR_END),
    (D(2027, 12, 1), False, D(2027, 12, 30), D(2028, 1, 4), L.YEAR_END),
    # Month ends and the leap day: weekends and holidays inside the period count.
    (D(2026, 1, 31), False, D(2026, 3, 1), D(2026, 3, 2), L.SUNDAY),
    (D(2028, 1, 31), False, D(2028, 2, 29), D(2028, 2, 29), None),
    (D(2028, 2, 1), False, D(2028, 3, 1), D(2028, 3, 1), None),
    (D(2027, 12, 31), True, D(2028, 2, 28), D(2028, 2, 28), None),
    (D(2026, 7, 31), False, D(2026, 8, 29), D(2026, 8, 31), L.SATURDAY),
]


@pytest.mark.parametrize('aware_on, wrongful, nominal, deadline, moved_from', FINAL_REPORTS)
def test_final_report(aware_on, wrongful, nominal, deadline, moved_from):
    """Is the final report due on day 30 (60 for a wrongful purpose), the day of awareness
    being day 1, and on the next open day when that day is closed?"""
    count = L.ppc_final_report(aware_on, wrongful)
    assert count.day_one == aware_on
    assert count.length == (60 if wrongful else 30)
    assert count.rule == (L.PPC_FINAL_WRONGFUL if wrongful else L.PPC_FINAL)
    assert count.nominal_last_day == nominal
    assert count.deadline == deadline
    assert (count.moved_from.kind if count.moved_from else None) == moved_from
    assert count.moved is (moved_from is not None)
    if count.moved:
        assert count.moved_from.day == nominal
        assert all(not L.is_open_day(c.day) for c in count.closed_days)
        assert count.closed_days[-1].day + L.DAY == deadline
    assert L.is_open_day(count.deadline)


def test_final_report_lengths_are_settings():
    """Do other configured lengths change the day count but not the rule?"""
    count = L.ppc_final_report(D(2026, 4, 20), False, days=10, wrongful_days=20)
    assert (count.nominal_last_day, count.deadline) == (D(2026, 4, 29), D(2026, 4, 30))
    assert L.ppc_final_report(D(2026, 4, 20), True, days=10, wrongful_days=20).deadline == \
        D(2026, 5, 11)
    with pytest.raises(ValueError):
        L.ppc_final_report(D(2026, 4, 20), False, days=0)


# (day of awareness, days, nominal last day, deadline)
PRELIMINARY = [
    (D(2026, 6, 1), 3, D(2026, 6, 3), D(2026, 6, 3)),
    (D(2026, 6, 1), 5, D(2026, 6, 5), D(2026, 6, 5)),
    (D(2026, 6, 4), 3, D(2026, 6, 6), D(2026, 6, 8)),               # Saturday
    (D(2026, 4, 30), 3, D(2026, 5, 2), D(2026, 5, 7)),              # Golden Week 2026
    (D(2026, 4, 30), 5, D(2026, 5, 4), D(2026, 5, 7)),
    (D(2027, 4, 28), 3, D(2027, 4, 30), D(2027, 4, 30)),            # open between holidays
    (D(2027, 4, 28), 5, D(2027, 5, 2), D(2027, 5, 6)),
    (D(2026, 12, 26), 3, D(2026, 12, 28), D(2026, 12, 28)),         # the last day before
    (D(2026, 12, 26), 5, D(2026, 12, 30), D(2027, 1, 4)),           # the closure
    (D(2026, 9, 20), 3, D(2026, 9, 22), D(2026, 9, 24)),            # citizens' holiday
    (D(2028, 2, 27), 3, D(2028, 2, 29), D(2028, 2, 29)),            # leap day
]


@pytest.mark.parametrize('aware_on, days, nominal, deadline', PRELIMINARY)
def test_preliminary_report_guides(aware_on, days, nominal, deadline):
    """Are the preliminary report's guide dates counted as the final report's are?"""
    count = L.ppc_preliminary_report(aware_on, days)
    assert (count.day_one, count.nominal_last_day, count.deadline) == (aware_on, nominal,
                                                                       deadline)
    assert count.rule == L.PPC_PRELIMINARY


@pytest.mark.parametrize('aware_on, days, expected', [
    (D(2026, 6, 1), 5, D(2026, 6, 5)),
    (D(2026, 4, 29), 5, D(2026, 5, 3)),                             # not moved: a Sunday
    (D(2026, 12, 27), 5, D(2026, 12, 31)),                          # not moved: the closure
])
def test_notice_target_is_not_moved(aware_on, days, expected):
    """Is the notice to the individuals counted from day 1 and never moved by a closed day?"""
    count = L.notice_target(aware_on, days)
    assert count.deadline == count.nominal_last_day == expected and not count.moved


# (completed on, months, day 1, kept until, destroyed from, month's last day by Art. 143(2))
DOCUMENTS = [
    # The examples.
    (D(2026, 6, 30), 6, D(2026, 7, 1), D(2026, 12, 31), D(2027, 1, 1), False),
    (D(2026, 5, 17), 6, D(2026, 5, 18), D(2026, 11, 17), D(2026, 11, 18), False),
    # Month ends.
    (D(2026, 8, 31), 6, D(2026, 9, 1), D(2027, 2, 28), D(2027, 3, 1), False),
    (D(2026, 8, 30), 6, D(2026, 8, 31), D(2027, 2, 28), D(2027, 3, 1), True),
    (D(2026, 8, 28), 6, D(2026, 8, 29), D(2027, 2, 28), D(2027, 3, 1), True),
    (D(2026, 8, 27), 6, D(2026, 8, 28), D(2027, 2, 27), D(2027, 2, 28), False),
    (D(2027, 2, 28), 6, D(2027, 3, 1), D(2027, 8, 31), D(2027, 9, 1), False),
    (D(2026, 12, 31), 6, D(2027, 1, 1), D(2027, 6, 30), D(2027, 7, 1), False),
    (D(2026, 4, 30), 6, D(2026, 5, 1), D(2026, 10, 31), D(2026, 11, 1), False),
    # Leap years.
    (D(2027, 8, 28), 6, D(2027, 8, 29), D(2028, 2, 28), D(2028, 2, 29), False),
    (D(2027, 8, 29), 6, D(2027, 8, 30), D(2028, 2, 29), D(2028, 3, 1), True),
    (D(2027, 8, 31), 6, D(2027, 9, 1), D(2028, 2, 29), D(2028, 3, 1), False),
    (D(2028, 2, 28), 6, D(2028, 2, 29), D(2028, 8, 28), D(2028, 8, 29), False),
    (D(2028, 2, 29), 6, D(2028, 3, 1), D(2028, 8, 31), D(2028, 9, 1), False),
    # Other lengths (DISCLOSURE_RETENTION_MONTHS) and the year end.
    (D(2026, 11, 30), 3, D(2026, 12, 1), D(2027, 2, 28), D(2027, 3, 1), False),
    (D(2026, 11, 29), 3, D(2026, 11, 30), D(2027, 2, 28), D(2027, 3, 1), True),
    (D(2026, 7, 15), 12, D(2026, 7, 16), D(2027, 7, 15), D(2027, 7, 16), False),
]


@pytest.mark.parametrize('completed_on, months, day_one, kept_until, destroyed_from, month_end',
                         DOCUMENTS)
def test_disclosure_documents_keeping_period(completed_on, months, day_one, kept_until,
                                             destroyed_from, month_end):
    """Are the documents kept through the Civil Code's last day and destroyed the day after?"""
    count = L.disclosure_documents_kept_until(completed_on, months)
    assert count.anchor == completed_on and count.day_one == day_one
    assert count.nominal_last_day == count.deadline == kept_until
    assert count.day_after == destroyed_from
    assert count.month_end is month_end and not count.moved
    assert (count.length, count.unit) == (months, L.MONTHS)


# (case, provided on, provided until, recorded on, day 1, kept through)
PROVISION_RECORDS = [
    # One year, the day of the last provision being day 1 (the example first).
    ('contract', D(2026, 7, 15), None, D(2026, 7, 15), D(2026, 7, 15), D(2027, 7, 14)),
    ('contract', D(2024, 4, 1), None, D(2024, 4, 1), D(2024, 4, 1), D(2025, 3, 31)),
    ('contract', D(2024, 4, 1), D(2024, 9, 30), D(2024, 4, 1), D(2024, 9, 30), D(2025, 9, 29)),
    ('contract', D(2024, 2, 29), None, D(2024, 2, 29), D(2024, 2, 29), D(2025, 2, 28)),
    ('contract', D(2027, 3, 1), None, D(2027, 3, 1), D(2027, 3, 1), D(2028, 2, 29)),
    ('contract', D(2026, 1, 1), None, D(2026, 1, 1), D(2026, 1, 1), D(2026, 12, 31)),
    # Three years in bulk, the day of the last provision being day 1 (Art. 21(1)(ii)).
    ('bulk', D(2023, 1, 10), D(2024, 6, 30), D(2023, 1, 10), D(2024, 6, 30), D(2027, 6, 29)),
    ('bulk', D(2026, 7, 15), None, D(2026, 7, 15), D(2026, 7, 15), D(2029, 7, 14)),
    ('bulk', D(2025, 3, 1), None, D(2025, 3, 1), D(2025, 3, 1), D(2028, 2, 29)),
    # Otherwise three years from the record, that day not counted (Art. 21(1)(iii)).
    ('each', D(2024, 5, 1), None, D(2024, 5, 1), D(2024, 5, 2), D(2027, 5, 1)),
    ('each', D(2024, 5, 1), None, D(2024, 6, 15), D(2024, 6, 16), D(2027, 6, 15)),
    ('each', D(2024, 2, 29), None, D(2024, 2, 29), D(2024, 3, 1), D(2027, 2, 28)),
    ('each', D(2025, 2, 28), None, D(2025, 2, 28), D(2025, 3, 1), D(2028, 2, 29)),
]


@pytest.mark.parametrize('case, provided_on, until, recorded_on, day_one, kept_until',
                         PROVISION_RECORDS)
def test_provision_record_keeping_period(case, provided_on, until, recorded_on, day_one,
                                         kept_until):
    """Is a provision record required for 1 year (day 1 = the last provision) or 3 years?"""
    count = L.provision_record_kept_until(case, provided_on, until, recorded_on)
    assert count.day_one == day_one
    assert count.deadline == count.nominal_last_day == kept_until
    assert (count.length, count.unit) == ((1 if case == 'contract' else 3), L.YEARS)
    with pytest.raises(ValueError):
        L.provision_record_kept_until('unknown', provided_on)


@pytest.mark.parametrize('today', [D(2026, 5, 7), D(2026, 5, 8), D(2027, 1, 4), D(2027, 1, 5),
                                   D(2026, 9, 24), D(2028, 3, 1), D(2026, 6, 29)])
@pytest.mark.parametrize('count_for', [
    lambda day: L.ppc_final_report(day, False),
    lambda day: L.ppc_final_report(day, True),
    lambda day: L.ppc_preliminary_report(day, 3),
    lambda day: L.ppc_preliminary_report(day, 5),
    lambda day: L.notice_target(day, 5),
    lambda day: L.disclosure_documents_kept_until(day, 6),
])
def test_earliest_anchor_in_time_splits_late_from_in_time(today, count_for):
    """Is every anchor before the returned day late at the start of ``today``, and none after?"""
    found = L.earliest_anchor_in_time(today, count_for)
    for offset in range(-200, 5):
        anchor = found + offset * L.DAY
        assert (count_for(anchor).deadline < today) is (anchor < found), anchor


def test_every_source_is_cited():
    """Does each count carry the source of its rule?"""
    counts = [L.ppc_final_report(D(2026, 6, 1), False), L.ppc_final_report(D(2026, 6, 1), True),
              L.ppc_preliminary_report(D(2026, 6, 1), 3), L.notice_target(D(2026, 6, 1), 5),
              L.disclosure_documents_kept_until(D(2026, 6, 1)),
              L.provision_record_kept_until('contract', D(2026, 6, 1)),
              L.provision_record_kept_until('bulk', D(2026, 6, 1)),
              L.provision_record_kept_until('each', D(2026, 6, 1))]
    assert [c.source for c in counts] == [L.SOURCES[c.rule] for c in counts]
    assert 'Art. 8(2)' in counts[0].source and '3-5-3-4' in counts[0].source
    assert 'Art. 140' in counts[4].source and 'Art. 143' in counts[4].source
    assert 'Art. 21(1)(i)' in counts[5].source and 'Art. 25' in counts[5].source
