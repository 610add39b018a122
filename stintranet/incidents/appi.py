"""The APPI breach rules as pure functions: reportability and the report clocks.

Act on the Protection of Personal Information, Article 26, and the PPC's
Enforcement Rules, Articles 7 and 8: a leak, loss or damage (or the risk of
one) must be reported to the Personal Information Protection Commission when

1. special-care-required personal information is involved;
2. misuse may cause property damage (e.g. credit-card or bank details);
3. a wrongful purpose is suspected (unauthorised access, theft by an insider),
   which since 1 April 2024 includes personal information the company was
   about to acquire (e.g. a skimmed web form);
4. more than 1,000 persons are affected (1,000 is not reportable, 1,001 is);

unless the data was protected by advanced encryption or an equivalent measure.

Periods run from the day the company became aware. Following Article 140 of
the Civil Code the day of awareness is not counted, so an N-day period ends at
the end of the N-th following day in the office's time zone (Asia/Tokyo):
aware at 10:00 on 1 April, a 30-day final report is due by the end of 1 May.
Nothing here reads the clock, the configuration or the database.
"""
import datetime
from collections import namedtuple
from zoneinfo import ZoneInfo

PERSONS_THRESHOLD = 1000

SPECIAL_CARE = 'special_care'
PROPERTY_DAMAGE = 'property_damage'
WRONGFUL_PURPOSE = 'wrongful_purpose'
MANY_PERSONS = 'many_persons'

CRITERIA = (SPECIAL_CARE, PROPERTY_DAMAGE, WRONGFUL_PURPOSE, MANY_PERSONS)

Facts = namedtuple('Facts', 'special_care property_damage_risk wrongful_purpose '
                            'data_being_acquired persons advanced_encryption')
Facts.__new__.__defaults__ = (False, False, False, False, None, False)

Assessment = namedtuple('Assessment', 'reportable criteria exempt_by_encryption '
                                      'explanation open_questions')


def _persons_text(persons):
    return '{:,}'.format(persons)


def criterion_text(code, facts):
    if code == SPECIAL_CARE:
        return 'special-care-required personal information is involved'
    if code == PROPERTY_DAMAGE:
        return 'misuse of the data may cause property damage'
    if code == WRONGFUL_PURPOSE:
        if facts.data_being_acquired:
            return ('a wrongful purpose is suspected, including personal information '
                    'the company was about to acquire')
        return 'a wrongful purpose is suspected'
    if code == MANY_PERSONS:
        return 'more than %s persons are affected (%s)' % (
            _persons_text(PERSONS_THRESHOLD), _persons_text(facts.persons))
    raise ValueError(code)


def assess(facts):
    """Decide whether the case is reportable to the PPC and say why, in words."""
    met = []
    if facts.special_care:
        met.append(SPECIAL_CARE)
    if facts.property_damage_risk:
        met.append(PROPERTY_DAMAGE)
    if facts.wrongful_purpose:
        met.append(WRONGFUL_PURPOSE)
    if facts.persons is not None and facts.persons > PERSONS_THRESHOLD:
        met.append(MANY_PERSONS)
    criteria = [(code, criterion_text(code, facts)) for code in met]
    texts = [text for _, text in criteria]
    open_questions = []
    if facts.persons is None:
        open_questions.append('the number of persons affected is not known yet')
    exempt = bool(facts.advanced_encryption and met)
    if exempt:
        explanation = ('Not reportable to the PPC: the data was protected by advanced '
                       'encryption or an equivalent measure, although %s.'
                       % '; '.join(texts))
    elif facts.advanced_encryption:
        explanation = ('Not reportable to the PPC: none of the criteria applies, and the '
                       'data was protected by advanced encryption or an equivalent measure.')
    elif met:
        explanation = 'Reportable to the PPC: %s.' % '; '.join(texts)
    else:
        explanation = 'Not reportable to the PPC on the facts recorded: none of the criteria applies.'
    return Assessment(reportable=bool(met) and not facts.advanced_encryption,
                      criteria=criteria, exempt_by_encryption=exempt,
                      explanation=explanation, open_questions=open_questions)


Periods = namedtuple('Periods', 'preliminary_target preliminary_max final final_wrongful notice')

DEFAULT_PERIODS = Periods(3, 5, 30, 60, 5)


def periods_from_config(config):
    """The configured lengths in days (PPC_* settings)."""
    return Periods(
        preliminary_target=int(config['PPC_PRELIMINARY_TARGET_DAYS']),
        preliminary_max=int(config['PPC_PRELIMINARY_MAX_DAYS']),
        final=int(config['PPC_FINAL_DAYS']),
        final_wrongful=int(config['PPC_FINAL_WRONGFUL_DAYS']),
        notice=int(config['PPC_NOTICE_TARGET_DAYS']),
    )


def local_date(moment_utc, zone):
    """The office-zone calendar date of a naive UTC datetime."""
    return moment_utc.replace(tzinfo=datetime.timezone.utc).astimezone(zone).date()


def end_of_day_utc(day, zone):
    """The end of ``day`` in ``zone`` (the next midnight), as naive UTC."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(),
                                         tzinfo=zone)
    return midnight.astimezone(datetime.timezone.utc).replace(tzinfo=None)


Deadline = namedtuple('Deadline', 'key label due_on due_at')


def deadline(aware_at, days, zone, key='', label=''):
    """``days`` after the day of awareness: the last day, and its end as naive UTC."""
    due_on = local_date(aware_at, zone) + datetime.timedelta(days=days)
    return Deadline(key, label, due_on, end_of_day_utc(due_on, zone))


def deadlines(aware_at, wrongful_purpose, periods=DEFAULT_PERIODS, zone='Asia/Tokyo'):
    """The report clocks of a reportable case, from the time of awareness."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    final_days = periods.final_wrongful if wrongful_purpose else periods.final
    return {
        'preliminary_target': deadline(aware_at, periods.preliminary_target, zone,
                                       'preliminary_target', 'Preliminary report (target)'),
        'preliminary_max': deadline(aware_at, periods.preliminary_max, zone,
                                    'preliminary_max', 'Preliminary report (latest)'),
        'final': deadline(aware_at, final_days, zone, 'final', 'Final report'),
        'notice': deadline(aware_at, periods.notice, zone, 'notice',
                           'Notice to the individuals (promptly; internal target)'),
    }


Clock = namedtuple('Clock', 'deadline done_on state remaining')

DONE = 'done'
DONE_LATE = 'done_late'
RUNNING = 'running'
DUE_SOON = 'due_soon'
OVERDUE = 'overdue'


def clock(deadline_, done_on, now, soon=datetime.timedelta(hours=24)):
    """Where one deadline stands at ``now`` (naive UTC); ``remaining`` may be negative."""
    if done_on is not None:
        state = DONE if done_on <= deadline_.due_on else DONE_LATE
        return Clock(deadline_, done_on, state, None)
    remaining = deadline_.due_at - now
    if remaining <= datetime.timedelta(0):
        state = OVERDUE
    elif remaining <= soon:
        state = DUE_SOON
    else:
        state = RUNNING
    return Clock(deadline_, None, state, remaining)


def describe_remaining(remaining):
    """'2 days 4 hours left', 'OVERDUE by 1 day 3 hours' (English; views translate)."""
    overdue = remaining <= datetime.timedelta(0)
    seconds = abs(int(remaining.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append('%d day%s' % (days, '' if days == 1 else 's'))
    if hours or (days and not overdue):
        parts.append('%d hour%s' % (hours, '' if hours == 1 else 's'))
    if not days and not hours:
        parts.append('%d minute%s' % (minutes, '' if minutes == 1 else 's'))
    text = ' '.join(parts)
    return 'OVERDUE by %s' % text if overdue else '%s left' % text


def overdue_cutoff(today, days, zone):
    """Aware before this naive-UTC instant means an N-day period ended before ``today``.

    A period of ``days`` from local date D is over once today >= D + days + 1,
    that is when D < today - days: awareness before the start of that day.
    """
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    start = datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time(),
                                      tzinfo=zone)
    return start.astimezone(datetime.timezone.utc).replace(tzinfo=None)
