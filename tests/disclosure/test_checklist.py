"""The identity checklist for each proxy case, without a database."""
import pytest

from stintranet.disclosure import catalogue as C
from stintranet.disclosure import checklist

NONE_TICKED = {name: False for name in checklist.CHECK_FIELDS}
ALL_TICKED = {name: True for name in checklist.CHECK_FIELDS}


@pytest.mark.parametrize('case, documents', [
    (C.IN_PERSON, [C.APPLICATION_FORM, C.IDENTITY_DOCUMENT]),
    (C.LEGAL_REPRESENTATIVE, [C.APPLICATION_FORM, C.IDENTITY_DOCUMENT,
                              C.RELATIONSHIP_DOCUMENT, C.REPRESENTATIVE_ID]),
    (C.APPOINTED_AGENT, [C.APPLICATION_FORM, C.IDENTITY_DOCUMENT, C.POWER_OF_ATTORNEY,
                         C.SEAL_CERTIFICATE]),
])
def test_required_documents_per_case(app, case, documents):
    """Does each proxy case ask for exactly the documents the policy lists?"""
    assert list(checklist.required_documents(case)) == documents
    assert checklist.missing_documents(case, []) == documents
    assert checklist.missing_documents(case, documents) == []


@pytest.mark.parametrize('case, checks', [
    (C.IN_PERSON, ['form_complete', 'address_matches']),
    (C.LEGAL_REPRESENTATIVE, ['form_complete', 'address_matches',
                              'relationship_document_checked', 'representative_id_checked']),
    (C.APPOINTED_AGENT, ['form_complete', 'address_matches', 'power_of_attorney_checked',
                         'seal_certificate_checked']),
])
def test_applicable_checks_per_case(app, case, checks):
    """Does each case show only its own ticks (no power of attorney for a parent)?"""
    assert [name for name, _label in checklist.applicable_checks(case)] == checks


def test_legal_representative_missing_representative_id(app):
    """Is a legal representative's own ID reported missing when only the family register came?"""
    on_file = [C.APPLICATION_FORM, C.IDENTITY_DOCUMENT, C.RELATIONSHIP_DOCUMENT]
    assert checklist.missing_documents(C.LEGAL_REPRESENTATIVE, on_file) == [C.REPRESENTATIVE_ID]
    open_keys = [item.key for item in checklist.open_items(
        C.LEGAL_REPRESENTATIVE, ALL_TICKED, 'passport', on_file)]
    assert open_keys == ['document:' + C.REPRESENTATIVE_ID]


def test_agent_needs_seal_certificate_and_its_check(app):
    """Does an agent's request stay open until the seal certificate is on file and checked?"""
    on_file = [C.APPLICATION_FORM, C.IDENTITY_DOCUMENT, C.POWER_OF_ATTORNEY]
    ticked = dict(ALL_TICKED, seal_certificate_checked=False)
    open_keys = [item.key for item in checklist.open_items(
        C.APPOINTED_AGENT, ticked, 'drivers_licence', on_file)]
    assert open_keys == ['document:' + C.SEAL_CERTIFICATE, 'seal_certificate_checked']


def test_in_person_ignores_proxy_documents_and_ticks(app):
    """Do proxy ticks and documents not count for (or against) a request made in person?"""
    on_file = [C.APPLICATION_FORM, C.IDENTITY_DOCUMENT]
    ticked = dict(NONE_TICKED, form_complete=True, address_matches=True)
    assert checklist.open_items(C.IN_PERSON, ticked, 'passport', on_file) == []


def test_identity_document_type_must_be_recorded(app):
    """Is the identity check open while the ID document type is not recorded, or unknown?"""
    on_file = [C.APPLICATION_FORM, C.IDENTITY_DOCUMENT]
    for value in ('', 'my_number_card'):
        keys = [i.key for i in checklist.open_items(C.IN_PERSON, ALL_TICKED, value, on_file)]
        assert keys == ['id_document_type']


def test_nothing_done_lists_every_line_in_order(app):
    """Does an empty legal-representative request list documents first, then the ticks?"""
    keys = [i.key for i in checklist.items(C.LEGAL_REPRESENTATIVE, NONE_TICKED, '', [])]
    assert keys == ['document:application_form', 'document:identity_document',
                    'document:relationship_document', 'document:representative_id',
                    'id_document_type', 'form_complete', 'address_matches',
                    'relationship_document_checked', 'representative_id_checked']


@pytest.mark.parametrize('case, proxy_docs', [
    (C.IN_PERSON, ()),
    (C.LEGAL_REPRESENTATIVE, (C.RELATIONSHIP_DOCUMENT, C.REPRESENTATIVE_ID)),
    (C.APPOINTED_AGENT, (C.POWER_OF_ATTORNEY, C.SEAL_CERTIFICATE)),
])
def test_proxy_documents(app, case, proxy_docs):
    """Which documents prove a proxy's authority in each case?"""
    assert tuple(checklist.proxy_documents(case)) == proxy_docs
