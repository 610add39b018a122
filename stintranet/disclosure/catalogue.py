"""The vocabularies of Requests for Disclosure: types, states, proxies, documents, refusals.

The codes are stored; the labels are shown. The request types and refusal
reasons are those of the group's privacy policy (APPI arts. 32-35).
"""
from flask_babel import lazy_gettext as _l

# Request types (a request may combine several).
PURPOSE_NOTIFICATION = 'purpose_notification'
DISCLOSURE = 'disclosure'
CORRECTION = 'correction'
SUSPENSION = 'suspension'
THIRD_PARTY_SUSPENSION = 'third_party_suspension'
THIRD_PARTY_RECORDS = 'third_party_records'

TYPES = (
    (PURPOSE_NOTIFICATION, _l('Notification of the purpose of use')),
    (DISCLOSURE, _l('Disclosure')),
    (CORRECTION, _l('Correction, addition or deletion')),
    (SUSPENSION, _l('Suspension of use or erasure')),
    (THIRD_PARTY_SUSPENSION, _l('Suspension of provision to third parties')),
    (THIRD_PARTY_RECORDS, _l('Disclosure of third-party provision records')),
)
TYPE_LABELS = dict(TYPES)

# States.
RECEIVED = 'received'
VERIFYING = 'verifying'
IN_PROGRESS = 'in_progress'
RESPONDED = 'responded'
REFUSED = 'refused'
COMPLETED = 'completed'

STATUSES = (
    (RECEIVED, _l('Received')),
    (VERIFYING, _l('Verifying identity')),
    (IN_PROGRESS, _l('In progress')),
    (RESPONDED, _l('Responded')),
    (REFUSED, _l('Refused')),
    (COMPLETED, _l('Completed')),
)
STATUS_LABELS = dict(STATUSES)

# Who makes the request.
IN_PERSON = 'none'
LEGAL_REPRESENTATIVE = 'legal_representative'
APPOINTED_AGENT = 'appointed_agent'

PROXY_KINDS = (
    (IN_PERSON, _l('The person themself')),
    (LEGAL_REPRESENTATIVE, _l('A legal representative (of a minor or an adult ward)')),
    (APPOINTED_AGENT, _l('A privately appointed agent')),
)
PROXY_LABELS = dict(PROXY_KINDS)

# Kinds of submitted documents.
APPLICATION_FORM = 'application_form'
IDENTITY_DOCUMENT = 'identity_document'
RELATIONSHIP_DOCUMENT = 'relationship_document'
REPRESENTATIVE_ID = 'representative_id'
POWER_OF_ATTORNEY = 'power_of_attorney'
SEAL_CERTIFICATE = 'seal_certificate'
REPRESENTATIVE_CONSENT = 'representative_consent'
OTHER_DOCUMENT = 'other'

DOCUMENT_KINDS = (
    (APPLICATION_FORM, _l('Application form')),
    (IDENTITY_DOCUMENT, _l("Requester's identity document")),
    (RELATIONSHIP_DOCUMENT, _l('Family register or health insurance card')),
    (REPRESENTATIVE_ID, _l("Legal representative's own identity document")),
    (POWER_OF_ATTORNEY, _l('Power of attorney')),
    (SEAL_CERTIFICATE, _l('Seal registration certificate')),
    (REPRESENTATIVE_CONSENT, _l("Legal representative's consent form (for a minor)")),
    (OTHER_DOCUMENT, _l('Other correspondence')),
)
DOCUMENT_LABELS = dict(DOCUMENT_KINDS)

# Identity documents accepted.
ID_DOCUMENT_TYPES = (
    ('drivers_licence', _l("Driver's licence")),
    ('passport', _l('Passport')),
    ('student_id', _l('Student ID card with photograph')),
    ('health_insurance', _l('Health insurance card (insured-person numbers masked)')),
    ('other', _l('Other official document with photograph')),
)
ID_DOCUMENT_LABELS = dict(ID_DOCUMENT_TYPES)

# How the requester asked to be answered, and how the answer went out.
ELECTRONIC = 'electronic'
PAPER = 'paper'
UNSPECIFIED = 'unspecified'

RESPONSE_METHODS = (
    (ELECTRONIC, _l('Electronic record')),
    (PAPER, _l('Paper document')),
)
RESPONSE_METHOD_LABELS = dict(RESPONSE_METHODS)

REQUESTED_METHODS = (
    (UNSPECIFIED, _l('Not specified')),
    (ELECTRONIC, _l('Electronic record')),
    (PAPER, _l('Paper document')),
)
REQUESTED_METHOD_LABELS = dict(REQUESTED_METHODS)

# Decisions and the five reasons for refusal in the policy.
ACCEPTED = 'accepted'
REFUSAL = 'refused'

REFUSAL_REASONS = (
    ('identity_not_confirmed', _l('The identity of the requester could not be confirmed')),
    ('proxy_not_confirmed', _l("The proxy's authority could not be confirmed")),
    ('application_mistake', _l('There is a mistake in the application documents')),
    ('not_retained', _l('The information requested is not retained personal data')),
    ('other_legal', _l('Other cases stipulated by law')),
)
REFUSAL_LABELS = dict(REFUSAL_REASONS)

# The letters to the requester by decision: their title in a file name
# (DR-00012_回答書_2026-12-03.pdf) and in the list of copies kept.
LETTER_LABELS = {ACCEPTED: _l('Response letter'), REFUSAL: _l('Refusal notice')}

# The language of the letters to the requester, as recorded on the request: Japanese
# unless the requester wrote in English. Each is named in itself, as a language menu does.
JAPANESE = 'ja'
LANGUAGES = ((JAPANESE, '日本語'), ('en', 'English'))
LANGUAGE_LABELS = dict(LANGUAGES)

# The identity fields that destruction redacts, as the intake form names them.
IDENTITY_LABELS = {
    'requester_name': _l("Requester's name"),
    'requester_address': _l("Requester's address"),
    'requester_phone': _l("Requester's telephone"),
    'requester_email': _l("Requester's e-mail"),
    'proxy_name': _l("Proxy's name"),
    'proxy_relationship': _l("Proxy's relationship to the requester"),
}

# What destruction puts in place of the requester's and proxy's identity.
REDACTED = '[destroyed]'

# The timeline's steps.
EVENT_LABELS = {
    'create': _l('Recorded'),
    'edit': _l('Details corrected'),
    'upload': _l('Document added'),
    'start_verification': _l('Identity check started'),
    'confirm_identity': _l('Identity confirmed'),
    'accept': _l('Accepted'),
    'refuse': _l('Refused'),
    'respond': _l('Response sent'),
    'complete': _l('Completed'),
    'destroy': _l('Documents destroyed, identity redacted'),
}
