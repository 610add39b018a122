"""The fixed lists of inquiries and complaints."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

INQUIRY = 'inquiry'
COMPLAINT = 'complaint'
KINDS = ((INQUIRY, _l('Inquiry')), (COMPLAINT, _l('Complaint')))
KIND_LABELS = dict(KINDS)

CHANNELS = (
    ('phone', lazy_pgettext('channel', 'Telephone')),
    ('mail', _l('Mail')),
    ('email', lazy_pgettext('channel', 'E-mail')),
    ('web', _l('Web form')),
    ('counter', _l('At the counter')),
)
CHANNEL_LABELS = dict(CHANNELS)

CATEGORIES = (
    ('policy', _l('About the privacy policy')),
    ('purpose', _l('About the purpose of use')),
    ('handling', _l('Complaint about the handling of personal information')),
    ('request', _l('About a request (disclosure, correction, suspension…)')),
    ('other', _l('Other')),
)
CATEGORY_LABELS = dict(CATEGORIES)

OPEN = 'open'
ANSWERED = 'answered'
CLOSED = 'closed'
STATUSES = ((OPEN, _l('Awaiting an answer')), (ANSWERED, _l('Answered')),
            (CLOSED, lazy_pgettext('finished', 'Closed')))
STATUS_LABELS = dict(STATUSES)

# What the list narrows to; "overdue" is open past its due date.
STATUS_FILTERS = (('open', _l('Awaiting an answer')), ('overdue', _l('Overdue')),
                  (ANSWERED, _l('Answered, not closed')),
                  (CLOSED, lazy_pgettext('finished', 'Closed')), ('all', _l('All')))

DISCLOSURE = 'disclosure'
INCIDENT = 'incident'
LINK_KINDS = ((DISCLOSURE, _l('Request for Disclosure')), (INCIDENT, _l('Incident')))
