"""The identity-verification checklist: what each case needs, what is still missing.

Pure functions of the request's proxy case, its ticked items and the kinds of
documents on file, so the rules can be tested without a database.
"""
from collections import namedtuple

from flask_babel import lazy_gettext as _l
from . import catalogue as C

Item = namedtuple('Item', 'key label done')

# The documents every case needs, in the order the checklist shows them.
REQUIRED_DOCUMENTS = {
    C.IN_PERSON: (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT),
    C.LEGAL_REPRESENTATIVE: (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT,
                             C.RELATIONSHIP_DOCUMENT, C.REPRESENTATIVE_ID),
    C.APPOINTED_AGENT: (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT,
                        C.POWER_OF_ATTORNEY, C.SEAL_CERTIFICATE),
}

# The documents that only a proxy sends: at least one must come with the request.
PROXY_DOCUMENTS = {
    C.IN_PERSON: (),
    C.LEGAL_REPRESENTATIVE: (C.RELATIONSHIP_DOCUMENT, C.REPRESENTATIVE_ID),
    C.APPOINTED_AGENT: (C.POWER_OF_ATTORNEY, C.SEAL_CERTIFICATE),
}

# Ticked checks (boolean columns of the request) and the cases they apply to.
CHECKS = (
    ('form_complete', _l('The application form is complete and correct'), None),
    ('address_matches', _l('The address on the identity document matches the registered '
                           'address'), None),
    ('relationship_document_checked', _l('The family register or health insurance card '
                                         'shows the legal representation'),
     C.LEGAL_REPRESENTATIVE),
    ('representative_id_checked', _l("The legal representative's own identity document "
                                     "was checked"), C.LEGAL_REPRESENTATIVE),
    ('power_of_attorney_checked', _l('The power of attorney bears the seal shown on the '
                                     'seal registration certificate'), C.APPOINTED_AGENT),
    ('seal_certificate_checked', _l('The seal registration certificate was issued within '
                                    'the last three months'), C.APPOINTED_AGENT),
)
CHECK_FIELDS = tuple(name for name, _label, _case in CHECKS)


MISSING_APPLICATION_FORM = _l('Attach the scanned application form.')


def proxy_documents_message(proxy_kind):
    """Why a request by proxy cannot be recorded without its proxy documents."""
    return _l('A request by proxy must come with the proxy documents (%(docs)s). Attach them, '
              'or record the request as made by the person themself.',
              docs=', '.join(str(C.DOCUMENT_LABELS[k]) for k in proxy_documents(proxy_kind)))


def required_documents(proxy_kind):
    """The document kinds this proxy case needs."""
    return REQUIRED_DOCUMENTS.get(proxy_kind, REQUIRED_DOCUMENTS[C.IN_PERSON])


def proxy_documents(proxy_kind):
    return PROXY_DOCUMENTS.get(proxy_kind, ())


def missing_documents(proxy_kind, kinds_on_file):
    """The required document kinds of which no file is on record, in checklist order."""
    present = set(kinds_on_file)
    return [kind for kind in required_documents(proxy_kind) if kind not in present]


def applicable_checks(proxy_kind):
    """[(field name, label)] of the ticked checks for this case."""
    return [(name, label) for name, label, case in CHECKS if case in (None, proxy_kind)]


def items(proxy_kind, ticked, id_document_type, kinds_on_file):
    """Every checklist line for the case, in order, with whether it is done.

    ``ticked`` maps check field names to booleans.
    """
    lines = [Item('document:' + kind, C.DOCUMENT_LABELS[kind], kind in set(kinds_on_file))
             for kind in required_documents(proxy_kind)]
    lines.append(Item('id_document_type', _l('Identity document type recorded'),
                      id_document_type in C.ID_DOCUMENT_LABELS))
    lines.extend(Item(name, label, bool(ticked.get(name)))
                 for name, label in applicable_checks(proxy_kind))
    return lines


def open_items(proxy_kind, ticked, id_document_type, kinds_on_file):
    """The lines not yet done; identity is verified when this is empty."""
    return [item for item in items(proxy_kind, ticked, id_document_type, kinds_on_file)
            if not item.done]
