"""Requests for Disclosure concerning a minor (policy §6): the legal representative's
documents and the date-of-birth check in the identity-verification checklist, the consent
of the legal representative when the minor asks themself, and what the page says."""
import io

import pytest

from stintranet.disclosure import catalogue as C
from stintranet.disclosure import checklist, services
from stintranet.disclosure.models import DisclosureRequest
from stintranet.disclosure.seed import sample_pdf, sample_png
from stintranet.timezone import today_local
from tests.disclosure.factories import document, make_request, reload

HTMX = {'HX-Request': 'true', 'HX-Target': 'requests-checklist'}


@pytest.mark.parametrize('case,minor,documents', [
    (C.IN_PERSON, False, (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT)),
    (C.IN_PERSON, True, (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT, C.REPRESENTATIVE_CONSENT)),
    (C.LEGAL_REPRESENTATIVE, True, (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT,
                                    C.RELATIONSHIP_DOCUMENT, C.REPRESENTATIVE_ID)),
    (C.APPOINTED_AGENT, True, (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT, C.POWER_OF_ATTORNEY,
                               C.SEAL_CERTIFICATE)),
])
def test_documents_a_minors_case_needs(app, case, minor, documents):
    """Does a minor asking themself need the legal representative's consent form, and the
    legal representative the documents of the representation?"""
    assert checklist.required_documents(case, minor) == documents


@pytest.mark.parametrize('case,minor,checks', [
    (C.IN_PERSON, False, ['form_complete', 'address_matches']),
    (C.IN_PERSON, True, ['form_complete', 'address_matches', 'minor_age_checked',
                         'representative_consent_checked']),
    (C.LEGAL_REPRESENTATIVE, True, ['form_complete', 'address_matches',
                                    'relationship_document_checked',
                                    'representative_id_checked', 'minor_age_checked']),
    (C.LEGAL_REPRESENTATIVE, False, ['form_complete', 'address_matches',
                                     'relationship_document_checked',
                                     'representative_id_checked']),
])
def test_checks_a_minors_case_adds(app, case, minor, checks):
    """Does a request concerning a minor add the date-of-birth check, and the consent check
    when the minor asks themself?"""
    assert [name for name, _label in checklist.applicable_checks(case, minor)] == checks


def test_identity_is_not_verified_without_the_consent_form(app):
    """Does a minor's own request stay open until the consent form is on file and its two
    checks are ticked?"""
    on_file = [C.APPLICATION_FORM, C.IDENTITY_DOCUMENT]
    ticked = {'form_complete': True, 'address_matches': True}
    keys = [i.key for i in checklist.open_items(C.IN_PERSON, ticked, 'student_id', on_file,
                                                minor=True)]
    assert keys == ['document:representative_consent', 'minor_age_checked',
                    'representative_consent_checked']
    ticked.update(minor_age_checked=True, representative_consent_checked=True)
    assert checklist.open_items(C.IN_PERSON, ticked, 'student_id',
                                on_file + [C.REPRESENTATIVE_CONSENT], minor=True) == []


def test_intake_records_that_the_request_concerns_a_minor(client, login_as):
    """Does the intake form ask whether the request concerns a minor and store the answer?"""
    login_as('customer_center', department='CC')
    assert 'The request concerns a minor (under 18)' in client.get('/requests/new').text
    response = client.post('/requests/new', data={
        'received_on': today_local().isoformat(), 'mail_number': '1234-5678-9012',
        'types': ['disclosure'], 'requested_method': 'paper',
        'requester_name': 'Sora Tanaka', 'requester_address': '1-2-3 Minato, Tokyo',
        'proxy_kind': 'none', 'concerns_minor': 'y',
        'doc_application_form': (io.BytesIO(sample_pdf('form')), 'form.pdf'),
        'doc_identity_document': (io.BytesIO(sample_png()), 'student-id.png'),
    }, content_type='multipart/form-data')
    assert response.status_code == 303, response.text
    req = DisclosureRequest.select().order_by(DisclosureRequest.id.desc()).first()
    assert req.concerns_minor is True


def test_the_page_tells_what_to_ask_a_minor_for(client, login_as):
    """Does a minor's own request show the guidance, the consent form as missing and its
    checks, and refuse to confirm the identity until they are done?"""
    req = make_request('verifying', concerns_minor=True)
    login_as('customer_center', department='CC')
    page = client.get('/requests/%d' % req.id).text
    assert 'Concerns a minor' in page
    assert 'guardian' in page and 'consent form with the minor' in page
    assert 'roughly 12 to 15 and under' in page
    assert 'consent form (for a minor)' in page
    assert 'for="check-minor_age_checked"' in page
    assert 'for="check-representative_consent_checked"' in page
    services.update_checklist(req.id, req.created_by, {
        'form_complete': True, 'address_matches': True, 'minor_age_checked': True,
        'representative_consent_checked': True}, 'student_id')
    with pytest.raises(services.RequestError):
        services.confirm_identity(req.id, req.created_by, None, today_local(), today_local())
    services.add_document(req.id, req.created_by, *document(C.REPRESENTATIVE_CONSENT))
    services.confirm_identity(req.id, req.created_by, None, today_local(), today_local())
    assert reload(req).status == C.IN_PROGRESS


def test_a_legal_representative_of_a_minor_checks_the_date_of_birth(client, login_as):
    """Does the checklist of a legal representative's request for a minor take the
    date-of-birth tick (over htmx) and say why?"""
    req = make_request('verifying', proxy_kind=C.LEGAL_REPRESENTATIVE, concerns_minor=True)
    login_as('customer_center', department='CC')
    response = client.post('/requests/%d/checklist' % req.id, data={
        'check-id_document_type': 'health_insurance', 'check-minor_age_checked': 'y',
        'check-representative_consent_checked': 'y'}, headers=HTMX)
    assert response.status_code == 200
    assert 'legal representation ends at 18' in response.text
    after = reload(req)
    assert after.minor_age_checked is True
    assert after.representative_consent_checked is False  # not this case's tick
    assert after.id_document_type == 'health_insurance'


def test_a_request_not_concerning_a_minor_ignores_the_minor_ticks(client, login_as):
    """Are the minor's ticks dropped for a request that does not concern a minor, and
    cleared when the answer is corrected to no?"""
    req = make_request('verifying', concerns_minor=True)
    services.update_checklist(req.id, req.created_by, {'minor_age_checked': True}, '')
    assert reload(req).minor_age_checked is True
    values = {name: getattr(req, name) for name in services.EDITABLE}
    values.update(types=req.type_codes, concerns_minor=False)
    services.update_details(req.id, req.created_by, reload(req).version, values)
    after = reload(req)
    assert after.concerns_minor is False and after.minor_age_checked is False
    plain = make_request('verifying')
    services.update_checklist(plain.id, plain.created_by, {'minor_age_checked': True}, '')
    assert reload(plain).minor_age_checked is False
    login_as('customer_center', department='CC')
    assert 'Concerns a minor' not in client.get('/requests/%d' % plain.id).text
