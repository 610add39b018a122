"""The identity-verification checklist: what each case needs, what is still missing.

Pure functions of the request's proxy case, whether it concerns a minor, its ticked items
and the kinds of documents on file, so the rules can be tested without a database.

A request concerning a minor (under 18; policy §6): made by the legal representative,
the documents show the parent–child relationship or the guardianship and the date of
birth shows that the person is still a minor (a parent's representation ends at 18);
made by the minor themself, the legal representative's consent comes with it.
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

# What a request concerning a minor adds, by who makes it.
MINOR_DOCUMENTS = {
    C.IN_PERSON: (C.REPRESENTATIVE_CONSENT,),
    C.LEGAL_REPRESENTATIVE: (),
    C.APPOINTED_AGENT: (),
}
MINOR = 'minor'

# The documents that only a proxy sends: at least one must come with the request.
PROXY_DOCUMENTS = {
    C.IN_PERSON: (),
    C.LEGAL_REPRESENTATIVE: (C.RELATIONSHIP_DOCUMENT, C.REPRESENTATIVE_ID),
    C.APPOINTED_AGENT: (C.POWER_OF_ATTORNEY, C.SEAL_CERTIFICATE),
}

# Ticked checks (boolean columns of the request) and the cases they apply to: every case
# (None), one proxy case, or a request concerning a minor (MINOR, made by that proxy case
# or by anyone: None).
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
    ('minor_age_checked', _l("The person's date of birth on the documents shows they are "
                             "under 18"), (MINOR, None)),
    ('representative_consent_checked', _l("The consent form names this request and is "
                                          "signed by a parent or guardian (checked against "
                                          "the health insurance card or family register)"),
     (MINOR, C.IN_PERSON)),
)
CHECK_FIELDS = tuple(name for name, _label, _case in CHECKS)


MISSING_APPLICATION_FORM = _l('Attach the scanned application form.')


def proxy_documents_message(proxy_kind):
    """Why a request by proxy cannot be recorded without its proxy documents."""
    return _l('A request by proxy must come with the proxy documents (%(docs)s). Attach them, '
              'or record the request as made by the person themself.',
              docs=', '.join(str(C.DOCUMENT_LABELS[k]) for k in proxy_documents(proxy_kind)))


def required_documents(proxy_kind, minor=False):
    """The document kinds this proxy case needs (``minor``: the request concerns a minor)."""
    documents = REQUIRED_DOCUMENTS.get(proxy_kind, REQUIRED_DOCUMENTS[C.IN_PERSON])
    if minor:
        documents = documents + MINOR_DOCUMENTS.get(proxy_kind, ())
    return documents


def proxy_documents(proxy_kind):
    return PROXY_DOCUMENTS.get(proxy_kind, ())


def missing_documents(proxy_kind, kinds_on_file, minor=False):
    """The required document kinds of which no file is on record, in checklist order."""
    present = set(kinds_on_file)
    return [kind for kind in required_documents(proxy_kind, minor) if kind not in present]


def applies(case, proxy_kind, minor):
    if case is None:
        return True
    if isinstance(case, tuple):
        return minor and case[1] in (None, proxy_kind)
    return case == proxy_kind


def applicable_checks(proxy_kind, minor=False):
    """[(field name, label)] of the ticked checks for this case."""
    return [(name, label) for name, label, case in CHECKS if applies(case, proxy_kind, minor)]


def items(proxy_kind, ticked, id_document_type, kinds_on_file, minor=False):
    """Every checklist line for the case, in order, with whether it is done.

    ``ticked`` maps check field names to booleans.
    """
    lines = [Item('document:' + kind, C.DOCUMENT_LABELS[kind], kind in set(kinds_on_file))
             for kind in required_documents(proxy_kind, minor)]
    lines.append(Item('id_document_type', _l('Identity document type recorded'),
                      id_document_type in C.ID_DOCUMENT_LABELS))
    lines.extend(Item(name, label, bool(ticked.get(name)))
                 for name, label in applicable_checks(proxy_kind, minor))
    return lines


def open_items(proxy_kind, ticked, id_document_type, kinds_on_file, minor=False):
    """The lines not yet done; identity is verified when this is empty."""
    return [item for item in items(proxy_kind, ticked, id_document_type, kinds_on_file, minor)
            if not item.done]


def minor_guidance(proxy_kind):
    """What the Customer Center asks for when a request concerns a minor, by who makes it."""
    if proxy_kind == C.LEGAL_REPRESENTATIVE:
        return _l('The request concerns a minor and is made by their legal representative: '
                  'the family register (issued within the last three months) or the health '
                  'insurance card shows that the requester is the parent or the guardian, '
                  'and the date of birth shows that the person is still under 18 (a '
                  "parent's legal representation ends at 18).")
    if proxy_kind == C.APPOINTED_AGENT:
        return _l('The request concerns a minor and is made by an agent: the power of '
                  'attorney must be signed by the legal representative (a parent or the '
                  'guardian), and the date of birth shows that the person is under 18.')
    return _l('The request concerns a minor who makes it themself. Policy §6 handles a '
              "minor's personal information with the consent of the legal representative: "
              "ask for a parent's or guardian's consent form with the minor's own identity "
              'document (e.g. a student ID with photograph, or a health insurance card with '
              'its numbers masked). If the minor is too young to judge the request (the PPC '
              'regards children of roughly 12 to 15 and under so), ask the legal '
              'representative to make the request instead.')
