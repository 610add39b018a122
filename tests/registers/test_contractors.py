"""Contractors: agreements, signed copies, supervision checks, flags and their arithmetic."""
import datetime
import json

import pytest
from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.registers.models import Contractor, ContractorEntry, RegisterDocument
from stintranet.timezone import today_local
from tests.registers.factories import PDF, days, make_contractor, pdf_upload


@pytest.fixture
def committee(login_as, departments):
    return login_as('employee', 'committee', department='LEGAL')


def form(**overrides):
    today = today_local()
    data = {'name': 'Kanto Express K.K.', 'services': 'Delivery of orders.',
            'contact': 'Ms. Fujita, fujita@kanto.example', 'countries': ['JP'],
            'foreign_measures': '', 'agreement_signed_on': (today - days(10)).isoformat(),
            'agreement_expires_on': (today + days(700)).isoformat(),
            'next_check_due': (today + days(180)).isoformat()}
    data.update(overrides)
    return data


def test_committee_registers_a_contractor_with_copy_and_entries(client, committee, sales_entry):
    """Does the committee register a contractor with its signed copy and entrusted entry?"""
    data = form(entries=[str(sales_entry.id)], agreement_file=pdf_upload('nda.pdf'))
    response = client.post('/registers/contractors/new', data=data,
                           content_type='multipart/form-data')
    assert response.status_code == 303, response.text
    contractor = Contractor.get(Contractor.name == 'Kanto Express K.K.')
    assert contractor.contact == 'Ms. Fujita, fujita@kanto.example'
    assert [link.entry_id for link in ContractorEntry.select()] == [sales_entry.id]
    document = RegisterDocument.get(RegisterDocument.contractor == contractor.id)
    assert document.content == PDF and document.filename == 'nda.pdf'
    assert document.signed_on == contractor.agreement_signed_on
    # Contact and document are encrypted at rest.
    raw = Contractor.select(Contractor.contact).where(Contractor.id == contractor.id).tuples()
    assert b'Fujita' not in bytes(raw.get()[0])
    created = AuditEvent.get(AuditEvent.action == 'create', AuditEvent.object_type == 'contractor')
    assert 'Fujita' not in created.details and 'fujita' not in created.details
    assert AuditEvent.get(AuditEvent.action == 'upload').object_type == 'register_document'
    page = client.get(response.headers['Location'])
    assert sales_entry.title in page.text and 'nda.pdf' in page.text
    download = client.get('/registers/documents/%d' % document.id)
    assert download.data == PDF and 'attachment' in download.headers['Content-Disposition']
    assert AuditEvent.select().where(AuditEvent.action == 'download').count() == 1


def test_expiry_before_signature_is_refused_with_input_kept(client, committee):
    """Is an agreement expiring before its signature refused (422) with the input kept?"""
    today = today_local()
    response = client.post('/registers/contractors/new', data=form(
        name='Early Expiry Ltd.', agreement_expires_on=(today - days(20)).isoformat()))
    assert response.status_code == 422
    assert 'cannot expire before it was signed' in response.text
    assert 'Early Expiry Ltd.' in response.text and 'fujita@kanto.example' in response.text
    assert not Contractor.select().exists()


@pytest.mark.parametrize('field,value,message', [
    ('agreement_signed_on', '2099-01-01', 'cannot be in the future'),
    ('agreement_signed_on', '31/12/2024', 'YYYY-MM-DD'),
    ('next_check_due', '', 'YYYY-MM-DD'),
    ('name', '   ', 'required'),
    ('countries', [], 'at least one country'),
    ('countries', ['SG'], 'foreign regime'),
    ('countries', ['ZZ'], 'not available'),
])
def test_bad_contractor_input_is_422(client, committee, field, value, message):
    """Does each bad value get a clear message and a 422, saving nothing?"""
    response = client.post('/registers/contractors/new', data=form(**{field: value}))
    assert response.status_code == 422
    assert message in response.text
    assert not Contractor.select().exists()


def test_not_a_pdf_is_refused(client, committee):
    """Is an upload that is not a PDF, PNG or JPEG refused whatever its name?"""
    response = client.post('/registers/contractors/new', data=form(
        agreement_file=pdf_upload('nda.pdf', b'MZ\x90\x00 not a pdf')),
        content_type='multipart/form-data')
    assert response.status_code == 422 and 'Only PDF, PNG and JPEG' in response.text
    assert not RegisterDocument.select().exists()


def test_agreement_and_check_flags_arithmetic(app):
    """Are agreements flagged from 30 days before expiry, and checks once the due day passed?"""
    c = make_contractor(agreement_signed_on=datetime.date(2024, 1, 1),
                        agreement_expires_on=datetime.date(2025, 7, 1),
                        next_check_due=datetime.date(2025, 6, 1))
    assert c.agreement_state(datetime.date(2025, 5, 31)) == 'ok'  # 31 days left
    assert c.agreement_state(datetime.date(2025, 6, 1)) == 'expiring'  # 30 days left
    assert c.agreement_state(datetime.date(2025, 7, 1)) == 'expiring'  # its last day
    assert c.agreement_state(datetime.date(2025, 7, 2)) == 'expired'
    assert c.check_state(datetime.date(2025, 5, 1)) == 'ok'
    assert c.check_state(datetime.date(2025, 6, 1)) == 'due'  # due today: not yet overdue
    assert c.check_state(datetime.date(2025, 6, 2)) == 'overdue'
    assert Contractor.flag_counts(c.created_by, datetime.date(2025, 6, 2)) == {
        'total': 1, 'expiring': 1, 'expired': 0, 'no_agreement': 0, 'overdue': 1}
    assert Contractor.flag_counts(c.created_by, datetime.date(2025, 5, 31))['expiring'] == 0


def test_flags_on_the_list(client, committee):
    """Does the list show expiring, expired and overdue contractors and filter on them?"""
    today = today_local()
    make_contractor(name='Soon Ltd.', agreement_expires_on=today + days(5))
    make_contractor(name='Past Ltd.', agreement_signed_on=today - days(800),
                    agreement_expires_on=today - days(1))
    make_contractor(name='Late Ltd.', next_check_due=today - days(3))
    make_contractor(name='Fine Ltd.')
    page = client.get('/registers/contractors/').text
    assert 'expires within 30 days' in page and 'expired' in page and 'overdue' in page
    expiring = client.get('/registers/contractors/?flag=expiring').text
    assert 'Soon Ltd.' in expiring and 'Fine Ltd.' not in expiring
    assert 'Past Ltd.' in client.get('/registers/contractors/?flag=expired').text
    overdue = client.get('/registers/contractors/?flag=overdue').text
    assert 'Late Ltd.' in overdue and 'Soon Ltd.' not in overdue
    assert client.get('/registers/contractors/?flag=nonsense').status_code == 422


def test_supervision_check_moves_the_next_due_date(client, committee):
    """Does a recorded check set the next due date, and is a bad one refused?"""
    today = today_local()
    contractor = make_contractor(next_check_due=today - days(10))
    url = '/registers/contractors/%d/checks' % contractor.id
    bad = client.post(url, data={'checked_on': today.isoformat(), 'method': 'on_site',
                                 'result': 'deficient', 'note': '',
                                 'next_due': (today - days(1)).isoformat()})
    assert bad.status_code == 422
    assert 'Describe what must improve' in bad.text and 'must come after this one' in bad.text
    good = client.post(url, data={'checked_on': today.isoformat(), 'method': 'on_site',
                                  'result': 'deficient', 'note': 'Unlocked cabinet.',
                                  'next_due': (today + days(90)).isoformat()})
    assert good.status_code == 303
    assert Contractor.get_by_id(contractor.id).next_check_due == today + days(90)
    event = AuditEvent.get(AuditEvent.object_type == 'supervision_check')
    assert json.loads(event.details)['contractor_id'] == contractor.id


def test_ended_contractor_takes_no_check(client, committee):
    """Is a check on a contractor whose contract ended refused with 409?"""
    today = today_local()
    contractor = make_contractor()
    response = client.post('/registers/contractors/%d/edit' % contractor.id, data=form(
        name=contractor.name, ended_on=today.isoformat(), version=str(contractor.version)))
    assert response.status_code == 303
    assert not Contractor.get_by_id(contractor.id).active
    response = client.post('/registers/contractors/%d/checks' % contractor.id, data={
        'checked_on': today.isoformat(), 'method': 'on_site', 'result': 'satisfactory',
        'next_due': (today + days(90)).isoformat()})
    assert response.status_code == 409 and 'has ended' in response.text


def test_stale_edit_is_409_with_their_change(client, committee):
    """Does a save over someone else's newer save answer 409, showing their value?"""
    contractor = make_contractor(name='Original K.K.')
    stale = str(contractor.version)
    first = client.post('/registers/contractors/%d/edit' % contractor.id, data=form(
        name='Renamed K.K.', version=stale))
    assert first.status_code == 303
    second = client.post('/registers/contractors/%d/edit' % contractor.id, data=form(
        name='My Name K.K.', version=stale))
    assert second.status_code == 409
    assert 'Renamed K.K.' in second.text and 'My Name K.K.' in second.text
    assert Contractor.get_by_id(contractor.id).name == 'Renamed K.K.'


def test_edit_links_and_unlinks_entries(client, committee, sales_entry, hr_entry):
    """Are entry links replaced and named (ids only) in the audit log?"""
    contractor = make_contractor(entry_ids=[sales_entry.id])
    response = client.post('/registers/contractors/%d/edit' % contractor.id, data=form(
        name=contractor.name, entries=[str(hr_entry.id)], version=str(contractor.version)))
    assert response.status_code == 303
    assert [link.entry_id for link in ContractorEntry.select()] == [hr_entry.id]
    details = json.loads(AuditEvent.select().where(AuditEvent.action == 'update')
                         .order_by(AuditEvent.seq.desc()).get().details)
    assert details['entries_added'] == [hr_entry.id]
    assert details['entries_removed'] == [sales_entry.id]


def test_reading_the_contact_is_logged(client, login_as, departments):
    """Is showing a contractor's (encrypted) contact persons recorded as a read?"""
    contractor = make_contractor()
    login_as('employee', 'auditor', department='AUDIT')
    page = client.get('/registers/contractors/%d' % contractor.id)
    assert 'sato@contractor.example' in page.text
    read = AuditEvent.get(AuditEvent.action == 'read')
    assert read.object_type == 'contractor' and json.loads(read.details)['fields'] == ['contact']
    assert 'sato' not in read.details


def test_manager_sees_only_their_entries_of_a_contractor(client, login_as, sales_entry,
                                                         hr_entry):
    """Does a manager reading a contractor see only their departments' entrusted entries?"""
    contractor = make_contractor(entry_ids=[sales_entry.id, hr_entry.id])
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    page = client.get('/registers/contractors/%d' % contractor.id).text
    assert sales_entry.title in page and hr_entry.title not in page
    listing = client.get('/registers/contractors/').text
    assert '<td>1</td>' in listing


def test_contractor_list_constant_queries(client, committee, sales_entry):
    """Does the contractor list cost the same number of queries (at most 8) for 2 and 40
    contractors?"""
    for _ in range(2):
        make_contractor(entry_ids=[sales_entry.id])

    def count():
        with count_queries() as counter:
            assert client.get('/registers/contractors/').status_code == 200
        return counter.count
    few = count()
    for _ in range(38):
        make_contractor(entry_ids=[sales_entry.id])
    assert count() == few <= 8


def test_csv_export_is_logged_and_defused(client, committee):
    """Is the CSV export audit-logged, without contact details, formulas defused?"""
    make_contractor(name='=HYPERLINK("http://evil.example")')
    response = client.get('/registers/contractors/export.csv')
    assert response.status_code == 200 and response.mimetype == 'text/csv'
    assert "'=HYPERLINK" in response.text
    assert 'sato@contractor.example' not in response.text
    event = AuditEvent.get(AuditEvent.action == 'export')
    assert event.object_type == 'contractor' and json.loads(event.details)['rows'] == 1


def test_country_filter_matches_whole_codes(client, committee):
    """Does the country filter find contractors handling data in that country only?"""
    make_contractor(name='Singapore Cloud', countries=['JP', 'SG'], foreign_measures='PDPA')
    make_contractor(name='Domestic Ltd.')
    page = client.get('/registers/contractors/?country=SG').text
    assert 'Singapore Cloud' in page and 'Domestic Ltd.' not in page
    assert 'Domestic Ltd.' in client.get('/registers/contractors/?country=JP').text
    assert client.get('/registers/contractors/?country=XX').status_code == 422
