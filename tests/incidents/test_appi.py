"""The APPI engine: every reportability criterion, the boundaries, the clocks."""
import datetime
from zoneinfo import ZoneInfo

import pytest

from stintranet.incidents import appi
from stintranet.incidents.appi import Facts

TOKYO = ZoneInfo('Asia/Tokyo')

# (facts, reportable, criteria met, exempt by encryption)
CASES = [
    (Facts(), False, [], False),
    (Facts(special_care=True), True, [appi.SPECIAL_CARE], False),
    (Facts(property_damage_risk=True), True, [appi.PROPERTY_DAMAGE], False),
    (Facts(wrongful_purpose=True), True, [appi.WRONGFUL_PURPOSE], False),
    (Facts(wrongful_purpose=True, data_being_acquired=True), True, [appi.WRONGFUL_PURPOSE],
     False),
    (Facts(persons=0), False, [], False),
    (Facts(persons=999), False, [], False),
    (Facts(persons=1000), False, [], False),
    (Facts(persons=1001), True, [appi.MANY_PERSONS], False),
    (Facts(persons=250000), True, [appi.MANY_PERSONS], False),
    (Facts(special_care=True, property_damage_risk=True, wrongful_purpose=True, persons=5000),
     True, [appi.SPECIAL_CARE, appi.PROPERTY_DAMAGE, appi.WRONGFUL_PURPOSE, appi.MANY_PERSONS],
     False),
    (Facts(special_care=True, advanced_encryption=True), False, [appi.SPECIAL_CARE], True),
    (Facts(property_damage_risk=True, advanced_encryption=True), False,
     [appi.PROPERTY_DAMAGE], True),
    (Facts(wrongful_purpose=True, advanced_encryption=True), False, [appi.WRONGFUL_PURPOSE],
     True),
    (Facts(persons=1001, advanced_encryption=True), False, [appi.MANY_PERSONS], True),
    (Facts(persons=1000, advanced_encryption=True), False, [], False),
]


@pytest.mark.parametrize('facts, reportable, criteria, exempt', CASES)
def test_reportability_table(facts, reportable, criteria, exempt):
    """Does each criterion (and the encryption exemption) decide reportability as the law says?"""
    result = appi.assess(facts)
    assert result.reportable is reportable
    assert [code for code, _ in result.criteria] == criteria
    assert result.exempt_by_encryption is exempt


def test_explanation_says_which_criteria_apply_in_words():
    """Does the verdict name the criteria in words, with the number of persons?"""
    text = appi.assess(Facts(special_care=True, persons=1001)).explanation
    assert text.startswith('Reportable to the PPC')
    assert 'special-care-required personal information is involved' in text
    assert 'more than 1,000 persons are affected (1,001)' in text


def test_explanation_of_the_encryption_exemption():
    """Does an exempt case say it is not reportable because of the encryption, and what would have applied?"""
    text = appi.assess(Facts(special_care=True, advanced_encryption=True)).explanation
    assert text.startswith('Not reportable')
    assert 'advanced encryption' in text and 'special-care' in text


def test_acquired_data_is_named_in_the_wrongful_purpose_criterion():
    """Does the 2024 extension (data about to be acquired) show in the words?"""
    result = appi.assess(Facts(wrongful_purpose=True, data_being_acquired=True))
    assert 'about to acquire' in result.criteria[0][1]


def test_unknown_number_of_persons_is_an_open_question():
    """Is an unknown number of persons flagged rather than treated as zero?"""
    assert appi.assess(Facts()).open_questions
    assert not appi.assess(Facts(persons=10)).open_questions


def utc(y, m, d, hh=0, mm=0):
    """A naive UTC datetime from a Japan-time wall clock."""
    local = datetime.datetime(y, m, d, hh, mm, tzinfo=TOKYO)
    return local.astimezone(datetime.timezone.utc).replace(tzinfo=None)


# (aware at, Japan time), wrongful purpose, key, expected last day
DEADLINES = [
    ((2026, 4, 1, 10, 0), False, 'preliminary_target', datetime.date(2026, 4, 4)),
    ((2026, 4, 1, 10, 0), False, 'preliminary_max', datetime.date(2026, 4, 6)),
    ((2026, 4, 1, 10, 0), False, 'final', datetime.date(2026, 5, 1)),
    ((2026, 4, 1, 10, 0), True, 'final', datetime.date(2026, 5, 31)),
    ((2026, 4, 1, 10, 0), True, 'preliminary_target', datetime.date(2026, 4, 4)),
    ((2026, 4, 1, 10, 0), False, 'notice', datetime.date(2026, 4, 6)),
    # Just after midnight in Tokyo is still the previous day in UTC: the Tokyo day counts.
    ((2026, 4, 1, 0, 30), False, 'final', datetime.date(2026, 5, 1)),
    ((2026, 3, 31, 23, 59), False, 'final', datetime.date(2026, 4, 30)),
    # Across a year end and a leap day.
    ((2027, 12, 20, 9, 0), True, 'final', datetime.date(2028, 2, 18)),
    ((2028, 2, 1, 9, 0), False, 'final', datetime.date(2028, 3, 2)),
]


@pytest.mark.parametrize('aware, wrongful, key, due_on', DEADLINES)
def test_deadline_arithmetic(aware, wrongful, key, due_on):
    """Is each clock N days after the (uncounted) day of awareness, 60 days for a wrongful purpose?"""
    found = appi.deadlines(utc(*aware), wrongful)
    assert found[key].due_on == due_on
    # The period ends at midnight Japan time after the last day.
    assert found[key].due_at == utc(due_on.year, due_on.month, due_on.day) + datetime.timedelta(days=1)


def test_lengths_are_configuration():
    """Do other configured lengths move the deadlines?"""
    periods = appi.Periods(preliminary_target=1, preliminary_max=2, final=10,
                           final_wrongful=20, notice=3)
    found = appi.deadlines(utc(2026, 4, 1, 10), True, periods)
    assert found['preliminary_target'].due_on == datetime.date(2026, 4, 2)
    assert found['final'].due_on == datetime.date(2026, 4, 21)
    assert appi.deadlines(utc(2026, 4, 1, 10), False, periods)['final'].due_on == \
        datetime.date(2026, 4, 11)


CLOCKS = [
    # now (Japan time), done on, state
    ((2026, 4, 2, 9, 0), None, appi.RUNNING),
    ((2026, 4, 4, 8, 0), None, appi.DUE_SOON),
    ((2026, 4, 4, 23, 59), None, appi.DUE_SOON),
    ((2026, 4, 5, 0, 0), None, appi.OVERDUE),
    ((2026, 4, 9, 0, 0), None, appi.OVERDUE),
    ((2026, 4, 9, 0, 0), datetime.date(2026, 4, 4), appi.DONE),
    ((2026, 4, 9, 0, 0), datetime.date(2026, 4, 5), appi.DONE_LATE),
]


@pytest.mark.parametrize('now, done_on, state', CLOCKS)
def test_clock_states(now, done_on, state):
    """Is a clock running, due soon, overdue, done or done late at the right moments?"""
    target = appi.deadlines(utc(2026, 4, 1, 10), False)['preliminary_target']
    assert appi.clock(target, done_on, utc(*now)).state == state


@pytest.mark.parametrize('remaining, text', [
    (datetime.timedelta(days=2, hours=4, minutes=5), '2 days 4 hours left'),
    (datetime.timedelta(days=1), '1 day 0 hours left'),
    (datetime.timedelta(hours=3), '3 hours left'),
    (datetime.timedelta(minutes=42), '42 minutes left'),
    (datetime.timedelta(0), 'OVERDUE by 0 minutes'),
    (-datetime.timedelta(days=3, hours=2), 'OVERDUE by 3 days 2 hours'),
    (-datetime.timedelta(days=1), 'OVERDUE by 1 day'),
])
def test_countdown_words(remaining, text):
    """Does the countdown read naturally, and is overdue unmistakable?"""
    assert appi.describe_remaining(remaining) == text


@pytest.mark.parametrize('aware_day', range(1, 11))
@pytest.mark.parametrize('days', [3, 5, 30, 60])
def test_overdue_cutoff_matches_the_clock(aware_day, days):
    """Does the SQL cut-off agree with the clock on which cases are overdue at the start of a day?"""
    today = datetime.date(2026, 4, 12)
    start = utc(2026, 4, 12)
    for hour in (0, 9, 23):
        aware = utc(2026, 4 if days < 30 else 2, aware_day, hour)
        late = appi.clock(appi.deadline(aware, days, TOKYO), None, start).state == appi.OVERDUE
        assert (aware < appi.overdue_cutoff(today, days, TOKYO)) is late
