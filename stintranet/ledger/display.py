"""How ledger values read on pages: labels for codes, periods in years, names of countries."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..languages import join_words
from . import catalogue as C

CHOICE_FIELDS = {
    'category': C.CATEGORIES,
    'acquisition_route': C.ACQUISITION_ROUTES,
    'notice_method': C.NOTICE_METHODS,
    'medium': C.MEDIA,
    'status': C.STATUSES,
    'special_care_override': C.SPECIAL_CARE_OVERRIDES,
    'minors': C.MINORS,
    'guardian_consent': C.GUARDIAN_CONSENT_METHODS,
}
LIST_FIELDS = {
    'items': None,
    'disposal_methods': C.DISPOSAL_METHODS,
    'security_measures': C.SECURITY_MEASURES,
}


def months(value):
    """12 -> '12 months (1 year)'."""
    if value is None or value == '':
        return ''
    value = int(value)
    text = _('%(n)d months', n=value) if value != 1 else _('1 month')
    if value % 12 == 0:
        years = value // 12
        text += ' (%s)' % (_('%(n)d years', n=years) if years != 1 else _('1 year'))
    return text


def value(name, raw):
    """A stored or snapshot value of field ``name`` as text for people."""
    if name == 'special_care_override' and raw is not None:
        return str(C.label_of(C.SPECIAL_CARE_OVERRIDES, raw))
    if raw is None or raw == '' or raw == []:
        return ''
    if name in CHOICE_FIELDS:
        return str(C.label_of(CHOICE_FIELDS[name], raw))
    if name == 'items':
        codes = raw if isinstance(raw, list) else [c for c in str(raw).split(',') if c]
        return join_words(C.item_label(c) for c in codes)
    if name in LIST_FIELDS:
        codes = raw if isinstance(raw, list) else [c for c in str(raw).split(',') if c]
        return join_words(C.label_of(LIST_FIELDS[name], c) for c in codes)
    if name == 'free_items':
        return join_words(raw) if isinstance(raw, list) else str(raw)
    if name == 'person_band':
        return str(C.label_of(C.BANDS, int(raw)))
    if name == 'person_estimate':
        return '{:,}'.format(int(raw))
    if name in ('use_period_months', 'retention_period_months'):
        return months(raw)
    if name == 'storage_country':
        return C.country_name(raw)
    if isinstance(raw, bool):
        return _('Yes') if raw else _('No')
    return str(raw)


GROUPS = (
    (_l('Overview'), ('department', 'title', 'category', 'responsible', 'status')),
    (_l('Personal data'), ('items', 'free_items', 'special_care', 'special_care_override',
                           'special_care_reason', 'person_band', 'person_estimate')),
    (_l('Purposes and acquisition'), ('purposes', 'acquisition_route', 'acquisition_method',
                                      'notice_method', 'notice_details')),
    (_l('Minors'), ('minors', 'guardian_consent', 'guardian_consent_note')),
    (_l('Storage and access'), ('medium', 'storage_location', 'storage_country',
                                'foreign_note', 'access_persons')),
    (_l('Periods and disposal'), ('use_period_months', 'use_period_note',
                                  'retention_period_months', 'retention_period_note',
                                  'disposal_methods', 'disposal_note')),
    (_l('Security measures'), ('security_measures', 'security_details')),
    (_l('Outsourcing and third parties'), ('outsourced', 'outsourcing_note',
                                           'third_party_provision', 'third_party_note')),
    (_l('Review'), ('last_reviewed_on', 'next_review_due', 'retired_on', 'retired_reason')),
)


def fact_groups(entry):
    """[(group label, [(field name, label, text)])] of an entry (decrypts)."""
    from .models import FIELD_LABELS
    groups = []
    for title, names in GROUPS:
        rows = []
        for name in names:
            if name == 'department':
                text = '%s (%s)' % (entry.department.name, entry.department.code)
            elif name == 'responsible':
                person = entry.responsible if entry.responsible_id else None
                text = '%s <%s>' % (person.name, person.email) if person else ''
            elif name == 'items':
                text = ''
            elif name == 'free_items':
                text = join_words(entry.free_items)
            elif name == 'special_care':
                text = _('Yes') if entry.special_care else _('No')
            elif name in ('retired_on', 'retired_reason') and not entry.is_retired:
                continue
            elif name in ('last_reviewed_on', 'next_review_due', 'retired_on'):
                day = getattr(entry, name)
                text = day.isoformat() if day else ''
            else:
                text = value(name, getattr(entry, name))
            label = _('Special-care-required') if name == 'special_care' else FIELD_LABELS[name]
            rows.append((name, label, text))
        groups.append((title, rows))
    return groups
