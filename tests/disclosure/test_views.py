"""The /requests/ pages: who may open them, intake and its bad input, due dates and countdown,
htmx fragments, documents, audit-logged reads, the letter and constant query counts."""
import datetime
import html
import io

import pytest
from playhouse.test_utils import count_queries

from stintranet import db as dbmod
from stintranet.auditlog.models import AuditEvent
from stintranet.disclosure import catalogue as C
from stintranet.disclosure import services
from stintranet.disclosure.models import DisclosureRequest, RequestDocument
from stintranet.disclosure.seed import sample_pdf, sample_png
from stintranet.timezone import today_local
from tests.disclosure.factories import document, make_ledger_entry, make_request, reload

ROLES = ('employee', 'manager', 'committee', 'customer_center', 'auditor', 'admin')
READ_PAGES = ('list', 'detail', 'letter', 'document', 'ledger')
WRITE_PAGES = ('new', 'edit')


def url_of(page, req):
    doc = RequestDocument.metadata_for(req.id)[0]
    return {
        'list': '/requests/',
        'detail': '/requests/%d' % req.id,
        'letter': '/requests/%d/letter' % req.id,
        'document': '/requests/%d/documents/%d' % (req.id, doc.id),
        'ledger': '/requests/%d/ledger?q=order' % req.id,
        'new': '/requests/new',
        'edit': '/requests/%d/edit' % req.id,
    }[page]


@pytest.mark.parametrize('page', READ_PAGES + WRITE_PAGES)
@pytest.mark.parametrize('role', ROLES + (None,), ids=lambda r: r or 'anonymous')
def test_role_page_matrix(client, login_as, role, page):
    """Do only the Customer Center and the committee read requests (admins and auditors get
    403), and does only the Customer Center open the forms?"""
    req = make_request('verifying' if page == 'edit' else 'refused')
    if role is not None:
        login_as(role, department='CC' if role == 'customer_center' else 'LEGAL')
    response = client.get(url_of(page, req))
    if role is None:
        assert response.status_code == 302
        assert response.headers['Location'].startswith('/login?next=')
    elif role == 'customer_center' or (role == 'committee' and page in READ_PAGES):
        assert response.status_code == 200, response.text[:500]
    else:
        assert response.status_code == 403


def test_navigation_and_home_work_list(client, login_as):
    """Do Customer Center staff see Requests in the navigation and the requests awaiting an
    answer, with their due dates, in their work list at home?"""
    req = make_request('received', received_on=today_local() - datetime.timedelta(days=20))
    login_as('customer_center', department='CC')
    home = client.get('/').text
    assert 'href="/requests/"' in home
    assert '1 request awaiting an answer' in home
    assert 'href="/requests/%d"><span class="worklist-ref">%s</span>' % (req.id, req.reference) \
        in home and 'Overdue by' in home


@pytest.mark.parametrize('role', ['admin', 'auditor', 'manager', 'employee'])
def test_no_requests_in_navigation_for_others(client, login_as, role):
    """Is the Requests link and panel absent for everyone else, admins and auditors included?"""
    login_as(role)
    home = client.get('/').text
    assert 'href="/requests/"' not in home
    assert 'Requests for Disclosure' not in home


def test_unknown_request_is_404(client, login_as):
    """Does a request id that does not exist answer 404 (and not 500) for staff?"""
    login_as('customer_center', department='CC')
    assert client.get('/requests/999999').status_code == 404
    assert client.get('/requests/99999999999').status_code == 404
    assert client.post('/requests/999999/refuse', data={}).status_code == 404


def test_visible_to_returns_nothing_for_others(app):
    """Does the model query itself return no request to a user without a reading role?"""
    from tests import factories
    make_request('received')
    admin = factories.make_user(roles=('admin',), department='IT')
    auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    assert DisclosureRequest.visible_to(admin).count() == 0
    assert DisclosureRequest.visible_to(auditor).count() == 0
    assert DisclosureRequest.visible_to(committee).count() == 1


def intake_data(**changes):
    data = {
        'received_on': today_local().isoformat(),
        'mail_number': '1234-5678-9012',
        'types': ['disclosure', 'correction'],
        'requested_method': 'electronic',
        'requester_name': 'Hanako Yamada',
        'requester_address': '1-2-3 Marunouchi, Chiyoda-ku, Tokyo',
        'requester_phone': '03-1234-5678',
        'requester_email': 'hanako@example.com',
        'proxy_kind': 'none',
        'proxy_name': '',
        'proxy_relationship': '',
        'doc_application_form': (io.BytesIO(sample_pdf('form')), 'form.pdf'),
        'doc_identity_document': (io.BytesIO(sample_png()), 'licence.png'),
    }
    data.update(changes)
    if data['received_on'] == 'TOMORROW':
        data['received_on'] = (today_local() + datetime.timedelta(days=1)).isoformat()
    return {k: v for k, v in data.items() if v is not None}


def test_intake_records_request_with_documents(client, login_as):
    """Does recording a request store it encrypted, with its documents and a 14-day due date?"""
    user = login_as('customer_center', department='CC')
    response = client.post('/requests/new', data=intake_data(),
                           content_type='multipart/form-data')
    assert response.status_code == 303, response.text
    req = DisclosureRequest.select().order_by(DisclosureRequest.id.desc()).first()
    assert response.headers['Location'] == '/requests/%d' % req.id
    assert req.status == C.RECEIVED and req.created_by_id == user.id
    assert req.due_on == today_local() + datetime.timedelta(days=14)
    assert req.type_codes == ['disclosure', 'correction']
    assert req.requester_name == 'Hanako Yamada'
    raw = dbmod.database.execute_sql('SELECT requester_name FROM disclosure_request '
                                     'WHERE id = %d' % req.id).fetchone()[0]
    assert b'Hanako' not in bytes(raw)
    assert len(req.data_key) == 32
    docs = RequestDocument.metadata_for(req.id)
    assert [d.kind for d in docs] == ['application_form', 'identity_document']
    assert [d.mime for d in docs] == ['application/pdf', 'image/png']
    assert docs[1].open_filename(req.data_key) == 'licence.png'
    assert b'%PDF' not in bytes(RequestDocument.get_by_id(docs[0].id).content)
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert 'create' in actions and actions.count('upload') == 2


def test_due_date_is_configurable(client, login_as, app):
    """Does DISCLOSURE_DUE_DAYS set the internal due date?"""
    app.config['DISCLOSURE_DUE_DAYS'] = 10
    req = make_request('received', received_on=datetime.date(2025, 3, 25))
    assert req.due_on == datetime.date(2025, 4, 4)


BAD_INTAKE = [
    ('no application form', {'doc_application_form': None},
     'Attach the scanned application form.'),
    ('disguised file', {'doc_identity_document': (io.BytesIO(b'MZ\x90\x00 not a pdf'),
                                                  'licence.pdf')},
     'Only PDF, PNG and JPEG files are accepted'),
    ('truncated pdf', {'doc_application_form': (io.BytesIO(b'%PDF-1.4 no end'), 'form.pdf')},
     'Only PDF, PNG and JPEG files are accepted'),
    ('oversized file', {'doc_application_form': (io.BytesIO(
        b'%PDF-1.4\n' + b'0' * (10 * 1024 * 1024) + b'\n%%EOF\n'), 'big.pdf')},
     'The file is larger than 10 MB.'),
    ('proxy without documents', {'proxy_kind': 'legal_representative',
                                 'proxy_name': 'Taro Yamada', 'proxy_relationship': 'Father'},
     'A request by proxy must come with the proxy documents'),
    ('agent without documents', {'proxy_kind': 'appointed_agent', 'proxy_name': 'Ryo Ishikawa',
                                 'proxy_relationship': 'Attorney'},
     'Power of attorney, Seal registration certificate'),
    ('proxy without name', {'proxy_kind': 'appointed_agent', 'proxy_name': '',
                            'doc_power_of_attorney': (io.BytesIO(sample_pdf('poa')), 'poa.pdf')},
     "Enter the proxy's name for a request by proxy."),
    ('no type', {'types': []}, 'Choose at least one kind of request.'),
    ('bad mail number', {'mail_number': 'abc'}, 'Enter the registered-mail number'),
    ('future receipt', {'received_on': 'TOMORROW'}, 'The date cannot be in the future.'),
    ('bad date', {'received_on': '2025-02-30'}, 'Enter the date as YYYY-MM-DD.'),
    ('too early', {'received_on': '1999-12-31'}, 'Enter a date from 2000-01-01 on.'),
    ('no date', {'received_on': ''}, 'Enter the date as YYYY-MM-DD.'),
    ('bad e-mail', {'requester_email': 'not-an-address'}, 'Invalid email address.'),
    ('bad phone', {'requester_phone': 'call me'}, 'Enter a telephone number'),
    ('no name', {'requester_name': '   '}, 'This field is required.'),
    ('unknown proxy kind', {'proxy_kind': 'cousin'}, 'Not a valid choice'),
]


@pytest.mark.parametrize('case, changes, message', BAD_INTAKE, ids=[c[0] for c in BAD_INTAKE])
def test_bad_intake_is_422_and_keeps_input(client, login_as, case, changes, message):
    """Does bad intake input get 422, a message, the typed input kept and nothing stored?"""
    login_as('customer_center', department='CC')
    response = client.post('/requests/new', data=intake_data(**changes),
                           content_type='multipart/form-data')
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    if case != 'no name':
        assert 'value="Hanako Yamada"' in response.text
    assert '1-2-3 Marunouchi, Chiyoda-ku, Tokyo</textarea>' in response.text
    assert 'choose them again' in response.text
    assert DisclosureRequest.select().count() == 0
    assert RequestDocument.select().count() == 0


def test_proxy_intake_with_documents(client, login_as):
    """Is a legal representative's request with the family register accepted at intake, the
    missing representative ID shown on its page?"""
    login_as('customer_center', department='CC')
    data = intake_data(proxy_kind='legal_representative', proxy_name='Taro Yamada',
                       proxy_relationship='Father of a minor',
                       doc_relationship_document=(io.BytesIO(sample_pdf('koseki')), 'k.pdf'))
    response = client.post('/requests/new', data=data, content_type='multipart/form-data')
    assert response.status_code == 303, response.text
    page = client.get(response.headers['Location']).text
    assert 'Documents still missing for this case:' in page
    assert "Legal representative's own identity document." in html.unescape(page)


@pytest.mark.parametrize('days_ago, text', [
    (0, '14 days left'), (13, '1 day left'), (14, 'Due today'), (15, '1 day overdue'),
    (20, '6 days overdue'),
])
def test_countdown_on_list_and_detail(client, login_as, days_ago, text):
    """Do the list and the request page count down to the internal due date?"""
    received = today_local() - datetime.timedelta(days=days_ago)
    req = make_request('verifying', received_on=received)
    login_as('committee', department='LEGAL')
    assert text in client.get('/requests/').text
    assert text in client.get('/requests/%d' % req.id).text


def test_countdown_stops_once_answered(client, login_as):
    """Does an answered request show when it was answered instead of a countdown?"""
    req = make_request('responded', received_on=today_local() - datetime.timedelta(days=30))
    login_as('committee', department='LEGAL')
    page = client.get('/requests/?status=').text
    assert 'days overdue' not in page
    assert 'Answered %s' % req.responded_on.isoformat() in page
    assert req.days_left(today_local()) is None


def test_list_filters(client, login_as):
    """Do the state, overdue and reference filters narrow the list?"""
    late = make_request('verifying', received_on=today_local() - datetime.timedelta(days=30))
    fresh = make_request('received', received_on=today_local())
    done = make_request('completed')
    login_as('customer_center', department='CC')
    page = client.get('/requests/').text
    assert late.reference in page and fresh.reference in page and done.reference not in page
    page = client.get('/requests/?overdue=1').text
    assert late.reference in page and fresh.reference not in page
    page = client.get('/requests/?status=completed').text
    assert done.reference in page and late.reference not in page
    page = client.get('/requests/?status=&q=%s' % fresh.reference).text
    assert fresh.reference in page and late.reference not in page
    assert client.get('/requests/?status=bogus&q=%00').status_code in (200, 400)
    assert client.get('/requests/?page=0').status_code == 404


def test_list_htmx_fragment(client, login_as):
    """Does an htmx search get the rows fragment only, varying on HX-Request?"""
    make_request('received')
    login_as('customer_center', department='CC')
    response = client.get('/requests/?q=DR', headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert '<html' not in response.text and 'id="requests-rows"' in response.text
    assert response.text.count('/requests/export.csv?q=DR') == 1
    assert 'HX-Request' in response.headers['Vary']


def test_list_is_constant_in_queries(client, login_as):
    """Does the list cost the same number of queries (at most 8) for 2 and for 12
    requests?"""
    login_as('customer_center', department='CC')
    for _ in range(2):
        make_request('verifying')
    with count_queries() as few:
        assert client.get('/requests/').status_code == 200
    for _ in range(10):
        make_request('received')
    with count_queries() as many:
        assert client.get('/requests/').status_code == 200
    assert few.count == many.count <= 8


def test_home_panel_is_constant_in_queries(client, login_as):
    """Does the home page's requests panel cost the same for 1 and for 8 requests?"""
    login_as('customer_center', department='CC')
    make_request('received')
    with count_queries() as few:
        client.get('/')
    for _ in range(7):
        make_request('verifying')
    with count_queries() as many:
        client.get('/')
    assert few.count == many.count


def test_detail_is_constant_in_queries(client, login_as):
    """Does the request page cost the same with 2 and with 6 documents?"""
    login_as('customer_center', department='CC')
    small = make_request('verifying')
    big = make_request('verifying', proxy_kind=C.APPOINTED_AGENT,
                       documents=[document(k) for k in (
                           'application_form', 'identity_document', 'power_of_attorney',
                           'seal_certificate', 'other', 'other')])
    with count_queries() as few:
        client.get('/requests/%d' % small.id)
    with count_queries() as many:
        client.get('/requests/%d' % big.id)
    assert few.count == many.count


def test_detail_read_is_audit_logged_by_field_name(client, login_as):
    """Is showing the requester's identity logged as a read naming fields, never values?"""
    req = make_request('verifying', proxy_kind=C.APPOINTED_AGENT)
    user = login_as('committee', department='LEGAL')
    page = client.get('/requests/%d' % req.id).text
    assert 'Hanako Yamada' in page and 'Taro Yamada' in page
    event = AuditEvent.search(action='read', object_id=str(req.id)).first()
    assert event.actor_id == user.id and event.object_type == 'disclosure_request'
    assert event.details_dict['fields'] == sorted([
        'requester_name', 'requester_address', 'requester_phone', 'requester_email',
        'proxy_name', 'proxy_relationship'])
    assert 'Yamada' not in event.details


def test_list_reads_no_encrypted_field(client, login_as):
    """Does the list show no identity, so that it needs no read record per row?"""
    make_request('verifying', name='Ichiro Listname')
    login_as('customer_center', department='CC')
    before = AuditEvent.select().where(AuditEvent.action == 'read').count()
    page = client.get('/requests/').text
    assert 'Listname' not in page
    assert AuditEvent.select().where(AuditEvent.action == 'read').count() == before


@pytest.mark.parametrize('role, status', [('customer_center', 200), ('committee', 200),
                                          ('admin', 403), ('auditor', 403),
                                          ('manager', 403), ('employee', 403)])
def test_document_download(client, login_as, role, status):
    """Are documents served only to the Customer Center and the committee, as downloads, and
    is every download logged?"""
    req = make_request('verifying')
    doc = RequestDocument.metadata_for(req.id)[0]
    login_as(role, department='CC' if role == 'customer_center' else 'LEGAL')
    response = client.get('/requests/%d/documents/%d' % (req.id, doc.id))
    assert response.status_code == status
    if status == 200:
        assert response.data.startswith(b'%PDF-')
        assert response.headers['Content-Disposition'].startswith('attachment;')
        assert 'application_form.pdf' in response.headers['Content-Disposition']
        assert response.mimetype == 'application/pdf'
        event = AuditEvent.search(action='read', object_type='disclosure_document').first()
        assert event.object_id == str(doc.id)
        assert event.details_dict['request'] == req.id
    else:
        assert not AuditEvent.search(action='read', object_type='disclosure_document').exists()


def test_document_of_another_request_is_404(client, login_as):
    """Can a document be fetched under another request's URL? (no: 404)"""
    one, other = make_request('received'), make_request('received')
    doc = RequestDocument.metadata_for(other.id)[0]
    login_as('customer_center', department='CC')
    assert client.get('/requests/%d/documents/%d' % (one.id, doc.id)).status_code == 404


def test_document_bound_to_its_row(app):
    """Does a sealed document copied into another document's row fail to open?"""
    from stintranet.crypto import DecryptionError
    req = make_request('received')
    first, second = [RequestDocument.get_by_id(d.id)
                     for d in RequestDocument.metadata_for(req.id)]
    RequestDocument.update(content=first.content).where(
        RequestDocument.id == second.id).execute()
    moved = RequestDocument.get_by_id(second.id)
    with pytest.raises(DecryptionError):
        moved.open_content(req.data_key)
    other = make_request('received')
    with pytest.raises(DecryptionError):
        first.open_content(other.data_key)


def test_upload_adds_a_document(client, login_as):
    """Does adding the missing representative ID complete the documents for the case?"""
    req = make_request('verifying', proxy_kind=C.LEGAL_REPRESENTATIVE, documents=[
        document('application_form'), document('identity_document'),
        document('relationship_document')])
    login_as('customer_center', department='CC')
    response = client.post('/requests/%d/documents' % req.id, data={
        'upload-kind': 'representative_id',
        'upload-file': (io.BytesIO(sample_png()), 'rep.png')},
        content_type='multipart/form-data')
    assert response.status_code == 303
    assert 'representative_id' in RequestDocument.kinds_for(req.id)
    page = client.get('/requests/%d' % req.id).text
    assert 'Every document this case needs is on file.' in page


@pytest.mark.parametrize('data, message', [
    ({'upload-kind': 'other', 'upload-file': (io.BytesIO(b'GIF89a....'), 'x.png')},
     'Only PDF, PNG and JPEG files are accepted'),
    ({'upload-kind': 'nonsense', 'upload-file': (io.BytesIO(sample_png()), 'x.png')},
     'Not a valid choice'),
    ({'upload-kind': 'other'}, 'Choose a file.'),
    ({'upload-kind': 'other', 'upload-file': (io.BytesIO(b''), 'empty.pdf')},
     'The file is empty.'),
])
def test_bad_upload_is_422(client, login_as, data, message):
    """Is a disguised, empty or missing file, or an unknown kind, refused with 422?"""
    req = make_request('received')
    login_as('customer_center', department='CC')
    response = client.post('/requests/%d/documents' % req.id, data=data,
                           content_type='multipart/form-data')
    assert response.status_code == 422
    assert message in response.text
    assert len(RequestDocument.kinds_for(req.id)) == 2


def test_checklist_htmx_fragment(client, login_as):
    """Does ticking the checklist over htmx return the checklist fragment with an event?"""
    req = make_request('verifying')
    login_as('customer_center', department='CC')
    response = client.post('/requests/%d/checklist' % req.id, data={
        'check-id_document_type': 'passport', 'check-form_complete': 'y',
        'check-address_matches': 'y', 'check-power_of_attorney_checked': 'y'},
        headers={'HX-Request': 'true', 'HX-Target': 'requests-checklist'})
    assert response.status_code == 200
    assert '<html' not in response.text and 'id="requests-checklist"' in response.text
    assert response.headers['HX-Trigger'] == 'requests-changed'
    assert 'HX-Request' in response.headers['Vary']
    after = reload(req)
    assert (after.id_document_type, after.form_complete, after.address_matches) == (
        'passport', True, True)
    assert after.power_of_attorney_checked is False  # not this case's tick
    assert after.version == req.version  # the page's other forms stay valid
    assert 'Confirm the identity' in response.text


def test_checklist_plain_post_redirects(client, login_as):
    """Does the checklist also work as a plain form (303 back to the page)?"""
    req = make_request('received')
    login_as('customer_center', department='CC')
    response = client.post('/requests/%d/checklist' % req.id, data={
        'check-id_document_type': 'other', 'check-form_complete': 'y'})
    assert response.status_code == 303
    assert reload(req).form_complete is True


def test_checklist_locked_after_verification(client, login_as):
    """Is the checklist read-only once the identity is confirmed (409)?"""
    req = make_request('in_progress')
    login_as('customer_center', department='CC')
    response = client.post('/requests/%d/checklist' % req.id, data={
        'check-id_document_type': 'passport'}, headers={'HX-Request': 'true'})
    assert response.status_code == 409
    assert 'role="alert"' in response.text


def test_edit_corrects_details_and_recomputes_due(client, login_as):
    """Does correcting the received date move the due date, logging field names only?"""
    req = make_request('verifying')
    login_as('customer_center', department='CC')
    page = client.get('/requests/%d/edit' % req.id)
    assert page.status_code == 200 and 'value="Hanako Yamada"' in page.text
    received = today_local() - datetime.timedelta(days=3)
    data = {'received_on': received.isoformat(), 'mail_number': '9999-8888-7777',
            'types': ['disclosure'], 'requested_method': 'paper', 'language': 'en',
            'requester_name': 'Hanako Yamada-Sato', 'requester_address': 'New address 1',
            'proxy_kind': 'none', 'version': str(req.version)}
    response = client.post('/requests/%d/edit' % req.id, data=data)
    assert response.status_code == 303, response.text
    after = reload(req)
    assert after.due_on == received + datetime.timedelta(days=14)
    assert after.requester_name == 'Hanako Yamada-Sato'
    event = AuditEvent.search(action='update', object_id=str(req.id)).first()
    assert set(event.details_dict['fields']) == {
        'received_on', 'mail_number', 'requested_method', 'requester_name',
        'requester_address', 'requester_phone', 'requester_email'}
    assert 'Sato' not in event.details
    stale = client.post('/requests/%d/edit' % req.id, data=data)
    assert stale.status_code == 409 and 'Someone else changed' in stale.text
    assert 'value="Hanako Yamada-Sato"' in stale.text


def test_edit_to_proxy_needs_proxy_documents(client, login_as):
    """Can a request be switched to 'by proxy' with no proxy document on file? (no: 422)"""
    req = make_request('verifying')
    login_as('customer_center', department='CC')
    data = {'received_on': req.received_on.isoformat(), 'mail_number': req.mail_number,
            'types': ['disclosure'], 'requested_method': 'unspecified',
            'requester_name': 'Hanako Yamada', 'requester_address': 'Somewhere 1',
            'proxy_kind': 'appointed_agent', 'proxy_name': 'Ryo', 'proxy_relationship': 'Agent',
            'version': str(req.version)}
    response = client.post('/requests/%d/edit' % req.id, data=data)
    assert response.status_code == 422
    assert 'A request by proxy needs the proxy documents' in response.text
    assert reload(req).proxy_kind == C.IN_PERSON


def test_ledger_search_and_link(client, login_as):
    """Can staff find a ledger entry by title and link it (titles and departments only)?"""
    entry = make_ledger_entry('Customer order management')
    draft = make_ledger_entry('Customer draft process', status='draft')
    req = make_request('in_progress')
    login_as('customer_center', department='CC')
    response = client.get('/requests/%d/ledger?q=customer' % req.id,
                          headers={'HX-Request': 'true'})
    assert response.status_code == 200 and '<html' not in response.text
    assert 'Customer order management' in response.text
    assert 'Customer draft process' not in response.text
    response = client.post('/requests/%d/ledger/link' % req.id, data={'entry': entry.id},
                           headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert response.headers['HX-Trigger'] == 'requests-changed'
    assert entry.reference in response.text
    assert AuditEvent.search(action='link', object_id=str(req.id)).exists()
    response = client.post('/requests/%d/ledger/link' % req.id, data={'entry': draft.id},
                           headers={'HX-Request': 'true'})
    assert response.status_code == 422
    response = client.post('/requests/%d/ledger/link' % req.id, data={'entry': 'x'})
    assert response.status_code == 422
    response = client.post('/requests/%d/ledger/unlink' % req.id, data={'entry': entry.id})
    assert response.status_code == 303
    assert 'No ledger entry linked yet.' in client.get('/requests/%d' % req.id).text


def test_refusal_letter_carries_reason_and_explanation(client, login_as):
    """Does the printable refusal letter state the reason notified and the explanation?"""
    req = make_request('refused_notified')
    login_as('customer_center', department='CC')
    response = client.get('/requests/%d/letter' % req.id)
    assert response.status_code == 200
    text = response.text
    assert 'Notice that we cannot comply with your request' in text
    assert 'The identity of the requester could not be confirmed' in text
    assert 'The address differs from the one we hold.' in text
    assert 'Hanako Yamada' in text and req.reference in text
    assert '<script' not in text and 'style=' not in text
    assert 'requests/letter.css' in text
    event = AuditEvent.search(action='read', object_id=str(req.id)).first()
    assert 'requester_address' in event.details_dict['fields']


def test_acceptance_letter_notes_paper_reason(client, login_as):
    """Does the response letter say why paper was used though an electronic record was asked
    for?"""
    req = make_request('accepted', requested_method=C.ELECTRONIC,
                       proxy_kind=C.LEGAL_REPRESENTATIVE)
    services.record_response(req.id, req.created_by, None, C.PAPER, today_local(),
                             'Only held on paper.')
    login_as('committee', department='LEGAL')
    text = client.get('/requests/%d/letter' % req.id).text
    assert 'Response to your request concerning your personal data' in text
    assert 'the authority of your proxy' in text
    assert 'We answer by paper document.' in text
    assert 'Only held on paper.' in text


def test_no_letter_before_a_decision(client, login_as):
    """Is the letter refused (409) while nothing is decided?"""
    req = make_request('verifying')
    login_as('customer_center', department='CC')
    response = client.get('/requests/%d/letter' % req.id)
    assert response.status_code == 409
    assert 'Decide first' in response.text


def test_page_markup_rules(client, login_as):
    """Does the request page keep to the CSP and accessibility rules: no inline script or style,
    a visible label for every field?"""
    import re
    req = make_request('verifying')
    login_as('customer_center', department='CC')
    for url in ('/requests/%d' % req.id, '/requests/new', '/requests/%d/edit' % req.id):
        text = client.get(url).text
        assert 'style=' not in text and ' onclick' not in text
        assert '<script>' not in text
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', text):
            if 'csrf_token' in field_id or field_id in ('version',) or field_id.endswith(
                    '-version'):
                continue
            if re.search(r'id="%s"[^>]*type="hidden"|type="hidden"[^>]*id="%s"' % (
                    re.escape(field_id), re.escape(field_id)), text):
                continue
            assert 'for="%s"' % field_id in text, (url, field_id)


def test_identity_is_fixed_once_verified(client, login_as):
    """Can the requester's details be changed after the identity was confirmed? (no: 409)"""
    req = make_request('in_progress')
    login_as('customer_center', department='CC')
    response = client.get('/requests/%d/edit' % req.id)
    assert response.status_code == 409
    assert 'cannot change the request now' in html.unescape(response.text)
    response = client.post('/requests/%d/edit' % req.id, data={
        'received_on': req.received_on.isoformat(), 'mail_number': req.mail_number,
        'types': ['disclosure'], 'requested_method': 'unspecified',
        'requester_name': 'Someone Else', 'requester_address': 'Elsewhere 1',
        'proxy_kind': 'none', 'version': str(req.version)})
    assert response.status_code == 409
    assert reload(req).requester_name == 'Hanako Yamada'
