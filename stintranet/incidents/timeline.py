"""The sentences of an incident's timeline, written in the reader's language.

Each entry keeps what it changed as data (``IncidentEvent.details``: field names and
their new values as codes, numbers and dates); ``describe`` turns that into words when
the page is shown, so a Japanese reader sees 影響を受けた本人の数を1,200に変更 and an
English one "Number of persons affected changed to 1,200", never ``persons_affected``.
Entries made before the details were kept show their stored English summary.
"""
import datetime
import json

from flask_babel import format_decimal, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..languages import date_text, datetime_text

FIELD_LABELS = {
    'handler': _l('Handler'),
    'kind': _l('Kind'),
    'severity': _l('Severity'),
    'summary': _l('Short title'),
    'data_items': _l('Items of personal data'),
    'persons_affected': _l('Number of persons affected'),
    'special_care': _l('Special-care-required personal information'),
    'property_damage_risk': _l('Risk of property damage'),
    'wrongful_purpose': _l('Wrongful purpose suspected'),
    'data_being_acquired': _l('Information the company was about to acquire'),
    'advanced_encryption': _l('Advanced encryption or an equivalent measure'),
    'encryption_note': _l('How the data was protected'),
    'key_leaked': _l('May the key or password have leaked too?'),
    'preliminary_sent_on': _l('Preliminary report'),
    'final_sent_on': _l('Final report'),
    'notice_sent_on': _l('Notice to the individuals'),
    'notice_count': _l('Number of individuals notified'),
    'notice_method': _l('How they were notified'),
    'announcement_on': _l('Public announcement'),
    'announcement_note': _l('Where it was announced'),
    'report_cause': _l('Cause'),
    'report_secondary_damage': _l('Secondary damage or its risk'),
    'report_recurrence': _l('Measures against recurrence'),
    'report_other': _l('Other matters for reference'),
}
# Fields whose new value the sentence repeats (short codes, numbers, flags).
VALUE_SHOWN = ('kind', 'severity', 'summary', 'persons_affected', 'special_care',
               'property_damage_risk', 'wrongful_purpose', 'data_being_acquired',
               'advanced_encryption', 'key_leaked', 'notice_count')

ACTION_TEXTS = {
    'create': lambda title: _('Corrective action “%(title)s” added', title=title),
    'update': lambda title: _('Corrective action “%(title)s” re-planned', title=title),
    'start': lambda title: _('Corrective action “%(title)s” started', title=title),
    'complete': lambda title: _('Corrective action “%(title)s” done', title=title),
    'verify': lambda title: _('Corrective action “%(title)s” verified effective', title=title),
    'reject': lambda title: _('Corrective action “%(title)s” found not effective',
                              title=title),
}


def dumps(details):
    """The JSON stored in ``IncidentEvent.details`` (dates as ISO strings)."""
    def default(value):
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        return str(value)
    return json.dumps(details, ensure_ascii=False, sort_keys=True, default=default)


def _join(parts):
    return pgettext('list separator', ', ').join(str(p) for p in parts)


def _label(name):
    return str(FIELD_LABELS.get(name, name))


def _value(name, value):
    """A stored value as the reader reads it: labels for codes, grouped numbers."""
    from .models import KEY_LEAKED_LABELS, SEVERITY_LABELS, SHORT_KIND_LABELS
    if isinstance(value, bool):
        return _('Yes') if value else _('No')
    if name == 'kind':
        return SHORT_KIND_LABELS.get(value, value)
    if name == 'severity':
        return SEVERITY_LABELS.get(value, value)
    if name == 'key_leaked':
        return KEY_LEAKED_LABELS.get(value, value)
    if isinstance(value, int):
        return format_decimal(value)
    return value


def _change(name, value):
    """One change as words: "Severity changed to “High”", "重大度を「高」に変更"."""
    if value is None or value == '':
        return _('%(field)s cleared', field=_label(name))
    if name == 'persons_affected' or name == 'notice_count':
        return _('%(field)s changed to %(value)s', field=_label(name),
                 value=_value(name, value))
    if name == 'handler':
        return _('%(field)s changed to %(value)s', field=_label(name), value=value)
    if name in VALUE_SHOWN:
        return _('%(field)s changed to “%(value)s”', field=_label(name),
                 value=_value(name, value))
    return _('%(field)s changed', field=_label(name))


def _day(value):
    return date_text(datetime.date.fromisoformat(value))


def _moment(value):
    return datetime_text(datetime.datetime.fromisoformat(value))


def describe(event):
    """The words of a timeline entry (not the report, transitions, comments or files,
    which the template writes itself)."""
    if not event.details:
        return event.summary
    details = json.loads(event.details)
    kind = event.kind
    if kind == 'triage':
        parts = [_change(name, value) for name, value in sorted(details['changed'].items())]
        if details.get('reportable') is True:
            parts.append(_('now reportable to the PPC'))
        elif details.get('reportable') is False:
            parts.append(_('no longer reportable to the PPC'))
        return _('Triage: %(changes)s', changes=_join(parts))
    if kind == 'awareness':
        return _('Time of awareness set to %(new)s (was %(old)s)',
                 new=_moment(details['aware_at']), old=_moment(details['was']))
    if kind == 'reports':
        parts = []
        for name, value in sorted(details['changed'].items()):
            if name.endswith('_on'):
                parts.append(_('%(what)s on %(day)s', what=_label(name), day=_day(value))
                             if value else _('%(field)s cleared', field=_label(name)))
            else:
                parts.append(_change(name, value))
        return _('Recorded: %(changes)s', changes=_join(parts))
    if kind == 'pack':
        return _('PPC report texts updated: %(fields)s',
                 fields=_join(_label(name) for name in details['changed']))
    if kind == 'ledger':
        words = {'entry': details['entry'], 'title': details['title']}
        if details.get('unlinked'):
            return _('Unlinked ledger entry %(entry)s “%(title)s”', **words)
        parts = [_('Linked ledger entry %(entry)s “%(title)s”', **words)]
        if details.get('prefilled'):
            parts.append(_('filled in: %(fields)s',
                           fields=_join(_label(name) for name in details['prefilled'])))
        if details.get('persons') == 'reporter':
            parts.append(_("number of persons: the reporter's count"))
        elif details.get('persons') == 'data_set':
            parts.append(_('number of persons: the whole data set of the entry'))
        return pgettext('clause separator', '; ').join(str(p) for p in parts)
    if kind == 'action':
        text = ACTION_TEXTS.get(details['what'])
        return text(details['title']) if text else event.summary
    return event.summary
