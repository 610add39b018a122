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
    # Advanced encryption exempts only while the key or password is known to be safe.
    (Facts(special_care=True, advanced_encryption=True, key_leaked='no'), False,
     [appi.SPECIAL_CARE], True),
    (Facts(property_damage_risk=True, advanced_encryption=True, key_leaked='no'), False,
     [appi.PROPERTY_DAMAGE], True),
    (Facts(wrongful_purpose=True, advanced_encryption=True, key_leaked='no'), False,
     [appi.WRONGFUL_PURPOSE], True),
    (Facts(persons=1001, advanced_encryption=True, key_leaked='no'), False,
     [appi.MANY_PERSONS], True),
    (Facts(persons=1000, advanced_encryption=True, key_leaked='no'), False, [], False),
    # A key that may have leaked, or that nobody knows about yet: judged as unencrypted.
    (Facts(special_care=True, advanced_encryption=True, key_leaked='yes'), True,
     [appi.SPECIAL_CARE], False),
    (Facts(special_care=True, advanced_encryption=True, key_leaked='unknown'), True,
     [appi.SPECIAL_CARE], False),
    (Facts(special_care=True, advanced_encryption=True), True, [appi.SPECIAL_CARE], False),
    (Facts(persons=1001, wrongful_purpose=True, advanced_encryption=True, key_leaked='yes'),
     True, [appi.WRONGFUL_PURPOSE, appi.MANY_PERSONS], False),
    (Facts(persons=1000, advanced_encryption=True, key_leaked='yes'), False, [], False),
    (Facts(persons=1000, advanced_encryption=True, key_leaked='unknown'), False, [], False),
    # Not encrypted: the key question does not matter.
    (Facts(special_care=True, key_leaked='no'), True, [appi.SPECIAL_CARE], False),
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
    text = appi.assess(Facts(special_care=True, advanced_encryption=True,
                             key_leaked='no')).explanation
    assert text.startswith('Not reportable')
    assert 'advanced encryption' in text and 'special-care' in text
    assert 'has not leaked' in text


@pytest.mark.parametrize('key_leaked, words', [
    ('yes', 'the key or password may also have leaked: the encryption does not exempt'),
    ('unknown', 'whether the key or password may also have leaked is not known yet: the '
                'encryption does not exempt'),
])
def test_explanation_when_the_key_may_have_leaked(key_leaked, words):
    """Does an encrypted case whose key may have leaked (or nobody knows) say why it is
    reportable anyway, as if unencrypted?"""
    result = appi.assess(Facts(special_care=True, advanced_encryption=True,
                               key_leaked=key_leaked))
    assert result.explanation.startswith('Reportable to the PPC: special-care')
    assert words in result.explanation
    assert 'judged as if the data were unencrypted' in result.explanation
    assert bool([q for q in result.open_questions if 'key or password' in q]) is \
        (key_leaked == 'unknown')


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
    # Day 1 is the day of awareness (Wed 1 April 2026).
    ((2026, 4, 1, 10, 0), False, 'preliminary_target', datetime.date(2026, 4, 3)),
    # Day 5 is Sunday 5 April: the next open day.
    ((2026, 4, 1, 10, 0), False, 'preliminary_max', datetime.date(2026, 4, 6)),
    ((2026, 4, 1, 10, 0), False, 'final', datetime.date(2026, 4, 30)),
    # Day 60 is Saturday 30 May: Monday 1 June.
    ((2026, 4, 1, 10, 0), True, 'final', datetime.date(2026, 6, 1)),
    ((2026, 4, 1, 10, 0), True, 'preliminary_target', datetime.date(2026, 4, 3)),
    # The notice is an internal target: Sunday 5 April stays.
    ((2026, 4, 1, 10, 0), False, 'notice', datetime.date(2026, 4, 5)),
    # Just after midnight in Tokyo is still the previous day in UTC: the Tokyo day counts.
    ((2026, 4, 1, 0, 30), False, 'final', datetime.date(2026, 4, 30)),
    # Day 30 is Showa Day (29 April).
    ((2026, 3, 31, 23, 59), False, 'final', datetime.date(2026, 4, 30)),
    # The examples.
    ((2026, 6, 1, 9, 0), False, 'final', datetime.date(2026, 6, 30)),
    ((2026, 10, 5, 9, 0), True, 'final', datetime.date(2026, 12, 3)),
    ((2026, 4, 7, 9, 0), False, 'final', datetime.date(2026, 5, 7)),
    ((2026, 11, 30, 9, 0), False, 'final', datetime.date(2027, 1, 4)),
    # Across a year end and a leap day.
    ((2027, 12, 20, 9, 0), True, 'final', datetime.date(2028, 2, 17)),
    ((2028, 2, 1, 9, 0), False, 'final', datetime.date(2028, 3, 1)),
]


@pytest.mark.parametrize('aware, wrongful, key, due_on', DEADLINES)
def test_deadline_arithmetic(aware, wrongful, key, due_on):
    """Is each clock day N counting the day of awareness as day 1, 60 days for a wrongful
    purpose, moved to the next open day for the PPC?"""
    found = appi.deadlines(utc(*aware), wrongful)
    assert found[key].due_on == due_on == found[key].count.deadline
    # The period ends at midnight Japan time after the last day.
    assert found[key].due_at == utc(due_on.year, due_on.month, due_on.day) + datetime.timedelta(days=1)


def test_lengths_are_configuration():
    """Do other configured lengths move the deadlines?"""
    periods = appi.Periods(preliminary_target=1, preliminary_max=2, final=10,
                           final_wrongful=20, notice=3)
    found = appi.deadlines(utc(2026, 4, 1, 10), True, periods)
    assert found['preliminary_target'].due_on == datetime.date(2026, 4, 1)
    assert found['final'].due_on == datetime.date(2026, 4, 20)
    assert appi.deadlines(utc(2026, 4, 1, 10), False, periods)['final'].due_on == \
        datetime.date(2026, 4, 10)


CLOCKS = [
    # now (Japan time), done on, state
    ((2026, 4, 2, 9, 0), None, appi.RUNNING),
    ((2026, 4, 3, 8, 0), None, appi.DUE_SOON),
    ((2026, 4, 3, 23, 59), None, appi.DUE_SOON),
    ((2026, 4, 4, 0, 0), None, appi.OVERDUE),
    ((2026, 4, 9, 0, 0), None, appi.OVERDUE),
    ((2026, 4, 9, 0, 0), datetime.date(2026, 4, 3), appi.DONE),
    ((2026, 4, 9, 0, 0), datetime.date(2026, 4, 4), appi.DONE_LATE),
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


@pytest.mark.parametrize('today', [datetime.date(2026, 5, 7), datetime.date(2026, 5, 8),
                                   datetime.date(2027, 1, 4), datetime.date(2026, 6, 1)])
@pytest.mark.parametrize('key, wrongful', [('preliminary_max', False), ('final', False),
                                           ('final', True), ('notice', False)])
def test_overdue_cutoff_matches_the_clock(today, key, wrongful):
    """Does the SQL cut-off agree with the clock on which cases are overdue at the start of a
    day, Golden Week and the year-end closure included?"""
    start = utc(today.year, today.month, today.day)
    cutoff = appi.overdue_cutoff(
        today, lambda aware_on: appi.counts(aware_on, wrongful)[key], TOKYO)
    for back in range(1, 75):
        day = today - datetime.timedelta(days=back)
        for hour in (0, 9, 23):
            aware = utc(day.year, day.month, day.day, hour)
            late = appi.clock(appi.deadlines(aware, wrongful)[key], None, start).state \
                == appi.OVERDUE
            assert (aware < cutoff) is late, (aware, key)
