"""The controlled vocabularies of the registers, with the rules that hang on them.

Retention of third-party provision records (APPI Art. 29(2); Enforcement Rules
Art. 21, Art. 14 before the 2022 renumbering): one year from the last provision
when the record is the contract or other document made with the person in
connection with delivering goods or services to them (Rules Art. 19(3)); three
years from the last provision when continuing or repeated provision is recorded
in bulk (Art. 19(2) proviso); otherwise three years (from when the record is made).
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext


def label_of(choices, value):
    return dict(choices).get(value, value or '')


CHECK_METHODS = (
    ('on_site', _l('On-site inspection')),
    ('questionnaire', _l('Self-assessment questionnaire')),
    ('documents', _l('Review of reports and certificates (ISMS, Privacy Mark, SOC 2)')),
    ('interview', _l('Interview with the contractor')),
)

CHECK_RESULTS = (
    ('satisfactory', _l('Satisfactory')),
    ('improvements', _l('Improvements requested')),
    ('deficient', _l('Serious deficiencies: action required')),
)

# Days before expiry from which an agreement is flagged.
EXPIRY_WARNING_DAYS = 30

CONTRACTOR_FLAGS = (
    ('expiring', _l('Agreement expiring within 30 days')),
    ('expired', _l('Agreement expired')),
    ('no_agreement', _l('No agreement recorded')),
    ('overdue', _l('Supervision check overdue')),
)

BASES = (
    ('consent', _l('Consent of the persons (APPI Art. 27(1))')),
    ('law', _l('Required or permitted by law (APPI Art. 27(1) items)')),
    ('outsourcing', _l('Outsourcing (APPI Art. 27(5)(i))')),
    ('succession', _l('Business succession (APPI Art. 27(5)(ii))')),
    ('joint_use', _l('Joint use (APPI Art. 27(5)(iii))')),
)
BASIS_SHORT = {
    'consent': _l('Consent'), 'law': _l('Law'), 'outsourcing': _l('Outsourcing'),
    'succession': _l('Business succession'), 'joint_use': _l('Joint use'),
}
# APPI Art. 29(1) proviso: no provision record is required for these bases.
RECORD_EXEMPT_BASES = frozenset(('law', 'outsourcing', 'succession', 'joint_use'))

RECORD_CASES = (
    ('each', _l('Recorded at each provision (kept 3 years)')),
    ('bulk', _l('Continuing or repeated provision, recorded in bulk (kept 3 years from the '
                'last provision)')),
    ('contract', _l('Provided with the delivery of goods or services to the person; the '
                    'contract is the record (kept 1 year from the last provision)')),
)
CASE_SHORT = {'each': _l('Each provision'), 'bulk': _l('Continuing, in bulk'),
              'contract': _l('With goods or services')}
RETENTION_YEARS = {'each': 3, 'bulk': 3, 'contract': 1}

# Days before the keep-until date from which a record is flagged.
KEEP_WARNING_DAYS = 30

ASSET_KINDS = (
    ('server', _l('Server')),
    ('pc', _l('PC')),
    ('usb', _l('USB memory')),
    ('external_disk', _l('External disk')),
    ('backup_tape', _l('Backup tape')),
    ('paper', _l('Paper archive')),
    ('other', _l('Other')),
)
# Media that are portable by nature; a PC or "other" is portable when the form says so.
PORTABLE_KINDS = frozenset(('usb', 'external_disk', 'backup_tape'))
UNENCRYPTABLE_KINDS = frozenset(('paper',))

ASSET_STATES = (
    ('in_service', _l('In service')),
    ('out', _l('Carried out')),
    ('disposed', _l('Disposed of')),
)

ASSET_FLAGS = (
    ('unencrypted', _l('Unencrypted portable media')),
    ('out', _l('Carried out')),
    ('overdue_return', _l('Return overdue')),
    ('pending', _l('Carry-out awaiting approval')),
    ('unlocked', _l('Not in locked storage')),
)

# requested -> approved (to go out on a later day) -> out -> returned; or rejected, or
# cancelled before it goes out. An approval for today or an earlier day is "out" at once;
# the daily job moves an approved carry-out out on its day.
CARRY_OUT_STATUSES = (
    ('requested', _l('Awaiting approval')),
    ('approved', _l('Approved, not out yet')),
    ('out', lazy_pgettext('carry-out status', 'Out')),
    ('rejected', _l('Rejected')),
    ('cancelled', _l('Cancelled')),
    ('returned', _l('Returned')),
)
OPEN_CARRY_OUT = ('requested', 'approved', 'out')
# Before the asset leaves, the requester or a manager of its department may cancel.
CANCELLABLE_CARRY_OUT = ('requested', 'approved')

# Who decides on a request: another manager of the asset's department, or the committee
# (when the requester is the department's only manager, when no other manager is active,
# and always for unencrypted portable media, which need the committee's exception).
APPROVERS = (
    ('manager', _l('A manager of the department')),
    ('committee', _l('The Protection Committee')),
)

DISPOSAL_METHODS = (
    ('deletion_software', _l('Deletion software (overwriting)')),
    ('physical_destruction', _l('Physical destruction')),
    ('disposal_contractor', _l('Disposal contractor')),
)

CHANNELS = (
    ('email', _l('E-mail to the persons')),
    ('post', _l('Letter by post')),
    ('website', _l('Published on the website')),
    ('in_app', _l('Notice in the app or member pages')),
    ('in_person', _l('In person or at the counter')),
    ('notice_board', _l('Internal notice board (employees)')),
    ('other', _l('Other')),
)

# A notice of a change of purpose: waiting for its effective date, in effect (the ledger
# entry carries the new purposes), or withdrawn before it took effect.
NOTICE_STATUSES = (
    ('scheduled', _l('Takes effect on its date')),
    ('applied', _l('In effect')),
    ('withdrawn', _l('Withdrawn')),
)
