"""The management review's fixed lists: its states and its input areas (JIS Q 15001 9.3)."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

DRAFT = 'draft'
HELD = 'held'
CLOSED = 'closed'
STATUSES = ((DRAFT, _l('In preparation')), (HELD, _l('Held')),
            (CLOSED, lazy_pgettext('finished', 'Closed')))
STATUS_LABELS = dict(STATUSES)
OPEN_STATUSES = (DRAFT, HELD)

# The inputs of the review, each with the top management's decision on it, in the order
# of the meeting. 'law' is typed by the committee, the others gathered from the app.
AREAS = (
    ('audits', _l('Audit results and open findings')),
    ('incidents', _l('Incidents and their reportability')),
    ('training', _l('Training and confidentiality pledges')),
    ('ledger', _l('Ledger health and risk assessment')),
    ('requests', _l('Requests for Disclosure handled and their timeliness')),
    ('inquiries', _l('Inquiries and complaints')),
    ('law', _l('Changes in laws, guidelines and the environment')),
    ('previous', _l("The previous review's actions and their status")),
    ('overall', _l('The management system as a whole: changes needed and resources')),
)
AREA_LABELS = dict(AREAS)
AREA_CODES = tuple(code for code, _label in AREAS)

# What the status filter of the list offers.
STATUS_FILTERS = (('', _l('All')),) + STATUSES
