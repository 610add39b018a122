"""The law's own day counts, as pure functions: one place for every legal date.

- the PPC final report (確報) and preliminary report (速報) of a reportable leak, and
  the internal target for the notice to the individuals (``ppc_final_report``,
  ``ppc_preliminary_report``, ``notice_target``);
- the closed days of the administrative organs, which move a filing deadline
  (``closed_day``, ``next_open_day``);
- the keeping period of a Request for Disclosure's documents, six months after
  completion under the Civil Code (``disclosure_documents_kept_until``);
- the keeping period of a third-party provision record, 1 or 3 years
  (``provision_record_kept_until``).

Each count returns a ``Count``: the date and what a page needs to explain it (day 1,
the nominal last day, the deadline and, when closed days moved it, which ones and
why). Nothing here reads the clock, the configuration or the database. Japan's
national holidays come from the ``holidays`` package (its JP calendar); the
year-end closure is not a national holiday and is added here.
"""
import calendar
import datetime
import threading
from dataclasses import dataclass

import holidays

DAY = datetime.timedelta(days=1)

# Why a day is closed (the first reason that applies, in this order, names it).
NATIONAL_HOLIDAY = 'national_holiday'
SUBSTITUTE_HOLIDAY = 'substitute_holiday'
CITIZENS_HOLIDAY = 'citizens_holiday'
YEAR_END = 'year_end'
SATURDAY = 'saturday'
SUNDAY = 'sunday'

# Units of a count.
DAYS = 'days'
MONTHS = 'months'
YEARS = 'years'

# The rules, as ``Count.rule``.
PPC_FINAL = 'ppc_final'
PPC_FINAL_WRONGFUL = 'ppc_final_wrongful'
PPC_PRELIMINARY = 'ppc_preliminary'
NOTICE = 'notice'
DISCLOSURE_DOCUMENTS = 'disclosure_documents'
PROVISION_CONTRACT = 'provision_contract'
PROVISION_BULK = 'provision_bulk'
PROVISION_EACH = 'provision_each'

CLOSED_DAYS_SOURCE = ('PPC General Rules Guidelines (通則編) 3-5-3-4, note 2; Act on Holidays '
                      'of Administrative Organs (行政機関の休日に関する法律) Art. 1(1) and Art. 2')

SOURCES = {
    PPC_FINAL: 'Enforcement Rules Art. 8(2); PPC General Rules Guidelines (通則編) 3-5-3-4: '
               'the day of awareness is day 1; 30 days. Closed days: ' + CLOSED_DAYS_SOURCE,
    PPC_FINAL_WRONGFUL: 'Enforcement Rules Art. 8(2); PPC General Rules Guidelines (通則編) '
                        '3-5-3-4: the day of awareness is day 1; 60 days when a wrongful '
                        'purpose is involved. Closed days: ' + CLOSED_DAYS_SOURCE,
    PPC_PRELIMINARY: 'Enforcement Rules Art. 8(1) ("promptly"); PPC General Rules Guidelines '
                     '(通則編) 3-5-3-3: about 3 to 5 days, a guide; counted as the final '
                     'report is (3-5-3-4), closed days included',
    NOTICE: 'APPI Art. 26(2) ("promptly"); an internal target counted from the day of '
            'awareness as day 1, not moved for closed days',
    DISCLOSURE_DOCUMENTS: 'Group policy: documents kept six months after completion; Civil '
                          'Code Art. 140 (the day of completion is not counted) and Art. 143 '
                          '(the period ends the day before the corresponding day, or on the '
                          'last day of the month that has none)',
    PROVISION_CONTRACT: 'Enforcement Rules Art. 21(1)(i), Art. 25 for the recipient: one year '
                        'counting from the day of the last provision as day 1',
    PROVISION_BULK: 'Enforcement Rules Art. 21(1)(ii), Art. 25 for the recipient: three years '
                    'counting from the day of the last provision as day 1',
    PROVISION_EACH: 'Enforcement Rules Art. 21(1)(iii), Art. 25 for the recipient: three '
                    'years from the day the record was made (Civil Code Art. 140: that day is '
                    'not counted)',
}


@dataclass(frozen=True)
class ClosedDay:
    """A day the administrative organs are closed, and every reason it is."""
    day: datetime.date
    kinds: tuple

    @property
    def kind(self):
        """The reason to name: a holiday first, then the year-end closure, then the weekend."""
        return self.kinds[0]


@dataclass(frozen=True)
class Count:
    """A period as the law counts it, with what a page needs to explain it.

    ``anchor`` is the event the period runs from (the day of awareness, of completion,
    of the last provision or of the record); ``day_one`` the first day counted (the
    anchor itself, or the day after it where the Civil Code does not count it);
    ``nominal_last_day`` the last day of ``length`` ``unit``; ``deadline`` that day or,
    where closed days move it, the next open day; ``closed_days`` the closed days it
    moved over, the nominal last day first; ``month_end`` whether the period ended on
    a month's last day because that month has no corresponding day (Civil Code
    Art. 143(2), proviso).
    """
    rule: str
    source: str
    anchor: datetime.date
    day_one: datetime.date
    length: int
    unit: str
    nominal_last_day: datetime.date
    deadline: datetime.date
    closed_days: tuple = ()
    month_end: bool = False

    @property
    def moved(self):
        return bool(self.closed_days)

    @property
    def moved_from(self):
        """The closed nominal last day (a ``ClosedDay``), or None."""
        return self.closed_days[0] if self.closed_days else None

    @property
    def day_after(self):
        """The first day past the period (the day documents and records may go)."""
        return self.deadline + DAY


_years = {}
_years_lock = threading.Lock()


def _holidays_of(year):
    """(named, every) national holidays of ``year``, as frozensets of dates.

    ``named`` are the holidays the Act on National Holidays names (Art. 2); ``every``
    adds the substitute holidays (Art. 3(2)) and the citizens' holiday (Art. 3(3)),
    which the library adds as its "observed" days. Each year is built once, on first
    use, and never changes after: the calendar changes only
    with the library's version, that is with a restart. The lock keeps a thread from
    reading a year that another one is still building.
    """
    found = _years.get(year)
    if found is None:
        with _years_lock:
            found = _years.get(year)
            if found is None:
                named = frozenset(holidays.country_holidays('JP', years=year, observed=False))
                every = frozenset(holidays.country_holidays('JP', years=year))
                found = _years[year] = (named, every)
    return found


def _is_named_holiday(day):
    return day in _holidays_of(day.year)[0]


def closed_day(day):
    """Why ``day`` is a closed day of the administrative organs, or None when it is open.

    Act on Holidays of Administrative Organs (行政機関の休日に関する法律) Art. 1(1):
    Sundays and Saturdays; the holidays of the Act on National Holidays, that is the
    national holidays, the substitute holiday after one that falls on a Sunday and the
    citizens' holiday between two national holidays; and 29 December to 3 January
    (the year-end closure, which is not a national holiday).
    """
    named, every = _holidays_of(day.year)
    kinds = []
    if day in named:
        kinds.append(NATIONAL_HOLIDAY)
    elif day in every:
        between = _is_named_holiday(day - DAY) and _is_named_holiday(day + DAY)
        kinds.append(CITIZENS_HOLIDAY if between else SUBSTITUTE_HOLIDAY)
    if (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3):
        kinds.append(YEAR_END)
    if day.weekday() == 5:
        kinds.append(SATURDAY)
    elif day.weekday() == 6:
        kinds.append(SUNDAY)
    return ClosedDay(day, tuple(kinds)) if kinds else None


def is_open_day(day):
    return closed_day(day) is None


def next_open_day(day):
    """(``day`` or the first open day after it, the closed days passed over).

    Act on Holidays of Administrative Organs Art. 2: a deadline for a filing with an
    administrative organ that falls on a closed day is the day after the closed days.
    """
    passed = []
    while True:
        found = closed_day(day)
        if found is None:
            return day, tuple(passed)
        passed.append(found)
        day += DAY


def _day_count(rule, day_one, length, moves):
    """``length`` days with ``day_one`` as day 1; moved to the next open day if ``moves``."""
    if length < 1:
        raise ValueError('a period of at least one day is needed, not %r' % length)
    nominal = day_one + (length - 1) * DAY
    deadline, closed = next_open_day(nominal) if moves else (nominal, ())
    return Count(rule, SOURCES[rule], day_one, day_one, length, DAYS, nominal, deadline, closed)


def civil_code_months(day_one, months):
    """(last day, month_end) of a period of ``months`` months whose first day is ``day_one``.

    Civil Code Art. 143: a period of months is counted by the calendar. One that starts
    on the first of a month ends on the last day of its last month (143(1)); any other
    ends on the day before the day of the last month that corresponds to ``day_one``
    (143(2)), or on that month's last day when the month has no such day (143(2),
    proviso: ``month_end`` is then True). Both come to: the day before the corresponding
    day, or the last day of a month too short to have it.
    """
    if months < 1:
        raise ValueError('a period of at least one month is needed, not %r' % months)
    index = day_one.month - 1 + months
    year, month = day_one.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if day_one.day > last:
        return datetime.date(year, month, last), True
    return datetime.date(year, month, day_one.day) - DAY, False


def ppc_final_report(aware_on, wrongful_purpose, days=30, wrongful_days=60):
    """The last day for the final report (確報) to the PPC.

    Enforcement Rules Art. 8(2): within 30 days of becoming aware, 60 when a wrongful
    purpose is involved (Art. 7(iii)), also when it comes with another ground. PPC General
    Rules Guidelines (通則編) 3-5-3-4: the day of awareness is day 1, weekends and holidays
    inside the period count. 3-5-3-4, note 2, with the Act on Holidays of Administrative
    Organs Art. 2: when day 30 (or 60) is a closed day (``closed_day``), the deadline is
    the next open day. Aware on 2026-06-01: day 30 is 2026-06-30. Aware on 2026-04-07: day
    30 is 2026-05-06, a substitute holiday, so 2026-05-07.

    ``days`` and ``wrongful_days`` are the lengths (settings PPC_FINAL_DAYS and
    PPC_FINAL_WRONGFUL_DAYS); the counting is the law's.
    """
    if wrongful_purpose:
        return _day_count(PPC_FINAL_WRONGFUL, aware_on, wrongful_days, moves=True)
    return _day_count(PPC_FINAL, aware_on, days, moves=True)


def ppc_preliminary_report(aware_on, days):
    """A guide date for the preliminary report (速報) to the PPC: ``days`` days.

    Enforcement Rules Art. 8(1) says "promptly" (速やかに); the PPC General Rules
    Guidelines (通則編) 3-5-3-3 give about 3 to 5 days from awareness as a guide (the
    target and the latest date, settings PPC_PRELIMINARY_TARGET_DAYS and
    PPC_PRELIMINARY_MAX_DAYS). Counted as the final report is (3-5-3-4): the day of
    awareness is day 1, and a closed last day moves to the next open day. The guideline
    states the closed-day rule for the final report only; it is applied here too, and
    the incident page says so.
    """
    return _day_count(PPC_PRELIMINARY, aware_on, days, moves=True)


def notice_target(aware_on, days):
    """The internal target for notifying the individuals: ``days`` days.

    APPI Art. 26(2) and Enforcement Rules Art. 10 say "promptly" (速やかに) and set no
    number of days; the target (setting PPC_NOTICE_TARGET_DAYS) is counted like the PPC
    reports, the day of awareness as day 1. A notice goes to people, not to an
    administrative organ, so a closed day does not move it.
    """
    return _day_count(NOTICE, aware_on, days, moves=False)


def disclosure_documents_kept_until(completed_on, months=6):
    """How long a Request for Disclosure's submitted documents are kept.

    The group's policy: six months after completion (setting DISCLOSURE_RETENTION_MONTHS).
    Civil Code Art. 140: the day of completion is not counted, so day 1 is the next day;
    Art. 143: the period ends on the day before the day with the same number six months
    later, or on the last day of that month when it has no such day (``civil_code_months``).
    The documents are kept through ``deadline`` (the period's last day) and destroyed from
    ``day_after``, never earlier. Completed 2026-06-30: kept through 2026-12-31. Completed
    2026-05-17: through 2026-11-17. Completed 2026-08-31: through 2027-02-28.
    """
    day_one = completed_on + DAY
    last, month_end = civil_code_months(day_one, months)
    return Count(DISCLOSURE_DOCUMENTS, SOURCES[DISCLOSURE_DOCUMENTS], completed_on, day_one,
                 months, MONTHS, last, last, (), month_end)


def provision_record_kept_until(case, provided_on, provided_until=None, recorded_on=None):
    """How long a third-party provision record must be kept, by how it was made.

    Enforcement Rules Art. 21 (the provider; Art. 25 gives the recipient the same periods):

    - ``contract`` (the record is the contract for goods or services to the person,
      Art. 19(3)): "until one year has passed counting from the day of the last
      provision" (Art. 21(1)(i)), so the day of the last provision is day 1: provided
      on 2026-07-15, kept through 2027-07-14;
    - ``bulk`` (continuing provision recorded in bulk, Art. 19(2) proviso): "until three
      years have passed counting from the day of the last provision" (Art. 21(1)(ii),
      worded as (i) is), so the day of the last provision is day 1: provided until
      2024-06-30, kept through 2027-06-29;
    - ``each`` (any other record): three years (Art. 21(1)(iii)) from the day the record
      was made, or the provision if later; Civil Code Art. 140: that day is not counted,
      so recorded on 2024-05-01, kept through 2027-05-01.

    The year counts follow Civil Code Art. 143 (``civil_code_months``). A record is not a
    filing: closed days do not move these dates.
    """
    last_provision = provided_until or provided_on
    if case == 'contract':
        rule, anchor, day_one, years = PROVISION_CONTRACT, last_provision, last_provision, 1
    elif case == 'bulk':
        rule, anchor, day_one, years = PROVISION_BULK, last_provision, last_provision, 3
    elif case == 'each':
        anchor = max(last_provision, recorded_on) if recorded_on else last_provision
        rule, day_one, years = PROVISION_EACH, anchor + DAY, 3
    else:
        raise ValueError('unknown record case %r' % (case,))
    last, month_end = civil_code_months(day_one, 12 * years)
    return Count(rule, SOURCES[rule], anchor, day_one, years, YEARS, last, last, (), month_end)


def earliest_anchor_in_time(today, count_for):
    """The earliest anchor day whose period has not run out at the start of ``today``.

    ``count_for(anchor)`` returns the ``Count`` from that anchor. Every count here has a
    deadline that never goes back as its anchor moves later (a later day 1 gives a later
    nominal day, and moving to the next open day keeps their order), so the anchors whose
    deadline is before ``today`` are exactly those before the day returned: a list filter
    can compare a stored date with it. Found by halving over the ten years before today.
    """
    late, in_time = today - 3660 * DAY, today
    while count_for(late).deadline >= today:
        late -= 3660 * DAY
    while (in_time - late).days > 1:
        middle = late + (in_time - late).days // 2 * DAY
        if count_for(middle).deadline < today:
            late = middle
        else:
            in_time = middle
    return in_time
