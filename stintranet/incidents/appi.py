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

unless the data was protected by advanced encryption or an equivalent measure and
the means of decrypting it (the key or password) is safe: when it may also have
leaked, or nobody knows yet, there is no exemption and the case is judged on the
four grounds as if the data were unencrypted (Enforcement Rules Art. 7(i), the
words excluding data under advanced encryption; PPC General Rules Guidelines
(通則編) 3-5-3-1 on what that measure needs).

The report clocks are counted in ``stintranet.legaldates`` (the day of awareness
is day 1; a PPC deadline on a closed day moves to the next open day); this module
turns those days into the end of the day in the office's time zone (Asia/Tokyo).
Nothing here reads the clock, the configuration or the database.
"""
import datetime
from collections import namedtuple
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext

from .. import legaldates

PERSONS_THRESHOLD = 1000

SPECIAL_CARE = 'special_care'
PROPERTY_DAMAGE = 'property_damage'
WRONGFUL_PURPOSE = 'wrongful_purpose'
MANY_PERSONS = 'many_persons'

CRITERIA = (SPECIAL_CARE, PROPERTY_DAMAGE, WRONGFUL_PURPOSE, MANY_PERSONS)

# Whether the key or password may also have leaked (asked when the data was encrypted).
KEY_LEAKED = 'yes'
KEY_SAFE = 'no'
KEY_UNKNOWN = 'unknown'
KEY_STATES = (KEY_SAFE, KEY_LEAKED, KEY_UNKNOWN)

Facts = namedtuple('Facts', 'special_care property_damage_risk wrongful_purpose '
                            'data_being_acquired persons advanced_encryption key_leaked')
Facts.__new__.__defaults__ = (False, False, False, False, None, False, KEY_UNKNOWN)

Assessment = namedtuple('Assessment', 'reportable criteria exempt_by_encryption '
                                      'explanation open_questions')


def _persons_text(persons):
    return '{:,}'.format(persons)


def criterion_text(code, facts):
    if code == SPECIAL_CARE:
        return _('special-care-required personal information is involved')
    if code == PROPERTY_DAMAGE:
        return _('misuse of the data may cause property damage')
    if code == WRONGFUL_PURPOSE:
        if facts.data_being_acquired:
            return _('a wrongful purpose is suspected, including personal information '
                     'the company was about to acquire')
        return _('a wrongful purpose is suspected')
    if code == MANY_PERSONS:
        return _('more than %(threshold)s persons are affected (%(persons)s)',
                 threshold=_persons_text(PERSONS_THRESHOLD),
                 persons=_persons_text(facts.persons))
    raise ValueError(code)


def encryption_exempts(facts):
    """True when advanced encryption exempts the case: only while the key is known safe."""
    return bool(facts.advanced_encryption) and facts.key_leaked == KEY_SAFE


def assess(facts):
    """Decide whether the case is reportable to the PPC and say why, in words.

    Advanced encryption exempts a case only while the means of decryption is safe: a
    key or password that may also have leaked, or that nobody knows about yet, leaves
    no exemption, and the case is judged on the four grounds as if unencrypted.
    """
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
    texts = '; '.join(text for _code, text in criteria)
    open_questions = []
    if facts.persons is None:
        open_questions.append(_('the number of persons affected is not known yet'))
    exempting = encryption_exempts(facts)
    if facts.advanced_encryption and facts.key_leaked == KEY_UNKNOWN:
        open_questions.append(_('whether the key or password may also have leaked is not '
                                'known yet; until it is known to be safe, the encryption '
                                'does not exempt the case'))
    exempt = bool(exempting and met)
    if exempt:
        explanation = _('Not reportable to the PPC: the data was protected by advanced '
                        'encryption or an equivalent measure and the key or password has not '
                        'leaked, although %(criteria)s.', criteria=texts)
    elif exempting:
        explanation = _('Not reportable to the PPC: none of the criteria applies, and the '
                        'data was protected by advanced encryption or an equivalent measure.')
    elif met:
        explanation = _('Reportable to the PPC: %(criteria)s.', criteria=texts)
    else:
        explanation = _('Not reportable to the PPC on the facts recorded: none of the '
                        'criteria applies.')
    if facts.advanced_encryption and not exempting:
        if facts.key_leaked == KEY_LEAKED:
            why = _('The data was encrypted, but the key or password may also have leaked: '
                    'the encryption does not exempt the case, which is judged as if the data '
                    'were unencrypted.')
        else:
            why = _('The data was encrypted, but whether the key or password may also have '
                    'leaked is not known yet: the encryption does not exempt the case, which '
                    'is judged as if the data were unencrypted.')
        explanation = '%s %s' % (explanation, why)
    return Assessment(reportable=bool(met) and not exempting,
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


Deadline = namedtuple('Deadline', 'key label due_on due_at count')
Deadline.__doc__ = """One report clock: ``due_on`` is the last day (``count.deadline``), ``due_at``
its end in the office's zone as naive UTC, ``count`` the ``legaldates.Count`` that
explains it."""


def deadline(count, zone, key='', label=''):
    """A report clock from a ``legaldates.Count``: its last day and that day's end as UTC."""
    return Deadline(key, label, count.deadline, end_of_day_utc(count.deadline, zone), count)


def counts(aware_on, wrongful_purpose, periods=DEFAULT_PERIODS):
    """{key: legaldates.Count} of the four clocks, from the local day of awareness."""
    return {
        'preliminary_target': legaldates.ppc_preliminary_report(aware_on,
                                                                periods.preliminary_target),
        'preliminary_max': legaldates.ppc_preliminary_report(aware_on, periods.preliminary_max),
        'final': legaldates.ppc_final_report(aware_on, wrongful_purpose, periods.final,
                                             periods.final_wrongful),
        'notice': legaldates.notice_target(aware_on, periods.notice),
    }


LABELS = {
    'preliminary_target': 'Preliminary report (target)',
    'preliminary_max': 'Preliminary report (latest)',
    'final': 'Final report',
    'notice': 'Notice to the individuals (promptly; internal target)',
}


def deadlines(aware_at, wrongful_purpose, periods=DEFAULT_PERIODS, zone='Asia/Tokyo'):
    """The report clocks of a reportable case, from the time of awareness (naive UTC)."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    found = counts(local_date(aware_at, zone), wrongful_purpose, periods)
    return {key: deadline(count, zone, key, LABELS[key]) for key, count in found.items()}


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
    """'2 days 4 hours left', 'OVERDUE by 1 day 3 hours'; in Japanese 'あと2日4時間',
    '1日3時間超過' (the catalogue joins the parts)."""
    overdue = remaining <= datetime.timedelta(0)
    seconds = abs(int(remaining.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days and (hours or not overdue):
        text = _('%(days)s %(hours)s', days=ngettext('%(num)d day', '%(num)d days', days),
                 hours=ngettext('%(num)d hour', '%(num)d hours', hours))
    elif days:
        text = ngettext('%(num)d day', '%(num)d days', days)
    elif hours:
        text = ngettext('%(num)d hour', '%(num)d hours', hours)
    else:
        text = ngettext('%(num)d minute', '%(num)d minutes', minutes)
    return _('OVERDUE by %(time)s', time=text) if overdue else _('%(time)s left', time=text)


def overdue_cutoff(today, count_for, zone):
    """Aware before this naive-UTC instant means the clock ``count_for`` ran out before ``today``.

    ``count_for(aware_on)`` gives the clock's ``legaldates.Count``; the cut-off is the start
    (in ``zone``) of the earliest day of awareness whose deadline is ``today`` or later
    (``legaldates.earliest_anchor_in_time``), so a list filter compares ``aware_at`` with
    one instant and agrees with ``clock()``.
    """
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    first = legaldates.earliest_anchor_in_time(today, count_for)
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=zone)
    return start.astimezone(datetime.timezone.utc).replace(tzinfo=None)
