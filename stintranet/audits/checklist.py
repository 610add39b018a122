"""The inspection checklist shipped with the app, and the answers it takes.

Drawn from the group's privacy policy, JIS Q 15001:2017 Annex A and the
Personal Information Protection Commission's Guidelines (General Rules),
section 10 (security control measures). When an inspection starts, the items
are copied into its answers with their wording, so a report printed years
later still shows the questions that were asked even after this file changes;
bump ``VERSION`` when it does.

Answers are kept per scope department: each department keeps its own ledger,
cabinets, training records and contractors, and each finding and corrective
action is owned by one department's manager. An inspection of SALES and HR
therefore answers every item twice.
"""
from collections import namedtuple

from flask_babel import lazy_gettext as _l

VERSION = '2026.1'

Item = namedtuple('Item', 'key clause question guidance')

ITEMS = (
    Item('ledger_complete', 'JIS Q 15001 A.3.3.1',
         'The personal information management ledger lists every business process of '
         'the department that handles personal information, and the entries match what '
         'is actually done.',
         'Walk through two or three processes with the staff and compare with the '
         'ledger entries: items, storage location, persons with access.'),
    Item('ledger_reviewed', 'JIS Q 15001 A.3.3.1',
         'Every ledger entry was reviewed within the last twelve months and the review '
         'was approved.',
         'Check "last review" on each entry and the ledger health view.'),
    Item('purpose_notified', 'JIS Q 15001 A.3.4.2.1, A.3.4.2.4, A.3.4.2.5',
         'Purposes of use are specified, were notified to the persons or published before '
         'acquisition, and the data is used only within them.',
         'Sample application forms, web forms and privacy notices.'),
    Item('special_care', 'JIS Q 15001 A.3.4.2.3',
         'Special-care-required personal information is acquired only with the persons\' '
         'consent and is flagged in the ledger.',
         'Look for health, criminal record, creed or similar items in forms and files.'),
    Item('risk_assessment', 'JIS Q 15001 A.3.3.3',
         'The risks of each process were assessed and the measures decided are in place.',
         'Compare the risk assessment sheet with the measures observed.'),
    Item('training_done', 'JIS Q 15001 A.3.4.5',
         'Every member of the department completed this year\'s personal-information '
         'protection training.',
         'Training compliance view for the department; ask two staff what they learnt.'),
    Item('pledges_signed', 'JIS Q 15001 A.3.4.3.3',
         'Every member of the department, temporary staff included, signed the current '
         'confidentiality pledge.',
         'Pledge compliance view; check new joiners and temporary staff.'),
    Item('access_rights_reviewed', 'PPC Guidelines 10-6; JIS Q 15001 A.3.4.3.2',
         'Access rights to personal data are limited to the persons named in the ledger, '
         'were reviewed within the last six months, and leavers\' accounts were removed.',
         'Compare system access lists with the ledger and the list of leavers.'),
    Item('passwords', 'PPC Guidelines 10-6',
         'Passwords follow the policy: no shared accounts, no passwords written down or '
         'stored in files, screens lock automatically.',
         'Observe workstations; ask how shared mailboxes and systems are accessed.'),
    Item('media_encrypted', 'PPC Guidelines 10-5',
         'Portable devices and media holding personal data are registered and encrypted.',
         'Devices and media register; check a sample of USB drives and laptops.'),
    Item('carry_out_approved', 'PPC Guidelines 10-5',
         'Carrying personal data or media out of the office is approved beforehand and '
         'recorded, and the media came back.',
         'Carry-out approvals in the register against the media present.'),
    Item('disposal_recorded', 'PPC Guidelines 10-5; JIS Q 15001 A.3.4.3.2',
         'Disposal and deletion of personal data, devices and media are recorded with the '
         'method, a witness and the certificate.',
         'Disposal records and certificates; shredding boxes and their collection.'),
    Item('clear_desk', 'PPC Guidelines 10-5',
         'Desks, printers and screens are clear of personal data when unattended.',
         'Walk the office at the end of the day or over lunch.'),
    Item('locked_cabinets', 'PPC Guidelines 10-5',
         'Paper documents with personal data are kept in locked cabinets and the keys are '
         'controlled.',
         'Try the cabinets; ask who holds the keys and where they are kept.'),
    Item('contractors_agreements', 'JIS Q 15001 A.3.4.3.4',
         'Contractors handling personal data were selected against the criteria and have a '
         'current confidentiality agreement.',
         'Contractor register: agreement signed and expiry dates.'),
    Item('contractors_supervised', 'JIS Q 15001 A.3.4.3.4',
         'Contractors\' handling of the data was checked as planned, and any '
         're-entrustment was approved.',
         'Supervision checks and their results in the contractor register.'),
    Item('third_party_records', 'JIS Q 15001 A.3.4.2.8; APPI Art. 29, 30',
         'Personal data provided to third parties has a legal basis, and the records of '
         'provision and receipt are kept for the required period.',
         'Third-party provision register; consent evidence.'),
    Item('external_environment', 'PPC Guidelines 10-7',
         'Where data is stored or processed abroad, the foreign regime is known and the '
         'measures taken are recorded.',
         'Ledger entries with a storage country other than Japan; cloud services used.'),
    Item('incident_procedure', 'JIS Q 15001 A.3.3.7',
         'Staff know how to report a suspected leak at once, and do so.',
         'Ask two staff what they would do if a customer list went to the wrong address.'),
    Item('requests_forwarded', 'JIS Q 15001 A.3.4.4, A.3.6',
         'Requests for disclosure and complaints received by the department are passed to '
         'the Customer Center without delay.',
         'Ask how a letter from a customer asking for their data would be handled.'),
    Item('records_retention', 'JIS Q 15001 A.3.5.3',
         'Records are kept for their retention period and destroyed when it ends.',
         'Compare the oldest records on file with the retention periods in the ledger.'),
    Item('previous_actions', 'JIS Q 15001 A.3.8',
         'Corrective actions from earlier inspections and incidents were completed and '
         'were effective.',
         'Corrective actions of the department and their effectiveness checks.'),
)

BY_KEY = {item.key: item for item in ITEMS}

CONFORM = 'conform'
MINOR = 'minor'
MAJOR = 'major'
OBSERVATION = 'observation'
NOT_APPLICABLE = 'na'

RESULTS = (CONFORM, MINOR, MAJOR, OBSERVATION, NOT_APPLICABLE)
RESULT_LABELS = {
    CONFORM: _l('Conforms'),
    MINOR: _l('Minor nonconformity'),
    MAJOR: _l('Major nonconformity'),
    OBSERVATION: _l('Observation'),
    NOT_APPLICABLE: _l('Not applicable'),
}
# Answers that must be written up as a finding (with a note) before the report.
NEEDS_FINDING = (MINOR, MAJOR, OBSERVATION)


def position_of(key):
    """The item's number on the checklist (1-based), or None."""
    for index, item in enumerate(ITEMS, start=1):
        if item.key == key:
            return index
    return None
