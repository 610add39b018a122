"""The Customer Center records, answers, closes and links inquiries; the committee reads."""
import datetime

from stintranet.auditlog.models import AuditEvent
from stintranet.db import database
from stintranet.inquiries.models import Inquiry, InquiryLink
from stintranet.timezone import today_local
from tests import factories
from tests.inquiries.factories import answer, make_inquiry

HTMX = {'HX-Request': 'true'}


def new_data(**changes):
    data = {'kind': 'complaint', 'channel': 'email', 'received_on': today_local().isoformat(),
            'received_time': '00:05', 'category': 'handling',
            'subject': 'DM after an opt-out', 'contact_name': '鈴木 一郎',
            'contact_details': 'suzuki.ichiro@example.jp',
            'statement': 'A catalogue came after I asked to stop.'}
    data.update(changes)
    return data


def test_recording_encrypts_the_person_and_sets_the_due_date(client, signed_in):
    """Is an inquiry recorded with its contact details encrypted at rest, due 7 days after
    receipt, and an audit row that names fields but holds no value?"""
    response = client.post('/inquiries/new', data=new_data())
    assert response.status_code == 303
    inquiry = Inquiry.get()
    assert inquiry.due_on == today_local() + datetime.timedelta(days=7)
    assert inquiry.contact_name == '鈴木 一郎'
    raw = database.execute_sql('SELECT contact_name, contact_details, content FROM inquiry'
                               ).fetchone()
    for value in raw:
        assert b'suzuki' not in bytes(value) and '鈴木'.encode() not in bytes(value)
    event = AuditEvent.get(AuditEvent.object_type == 'inquiry', AuditEvent.action == 'create')
    assert 'suzuki' not in event.details and '鈴木' not in event.details
    assert 'contact_name' in event.details


def test_received_time_is_stored_utc_and_shown_in_tokyo(client, signed_in):
    """Is 09:30 Tokyo stored as 00:30 UTC and shown as 09:30?"""
    client.post('/inquiries/new', data=new_data(received_on='2025-04-01',
                                                received_time='09:30'))
    inquiry = Inquiry.get()
    assert inquiry.received_at == datetime.datetime(2025, 4, 1, 0, 30)
    assert '2025-04-01 09:30' in client.get('/inquiries/?status=all').text


def test_bad_form_keeps_the_typing(client, signed_in):
    """Is a form without a category a 422 that keeps what was typed?"""
    response = client.post('/inquiries/new', data=new_data(category='', received_time='25:99'))
    assert response.status_code == 422
    assert 'Choose the category.' in response.text
    assert 'Enter the time as HH:MM' in response.text
    assert 'suzuki.ichiro@example.jp' in response.text
    assert not Inquiry.select().exists()


def test_every_read_of_the_person_is_logged(client, signed_in):
    """Does opening the page (and the edit form) log a read naming the encrypted fields?"""
    inquiry = make_inquiry(signed_in)
    page = client.get('/inquiries/%d' % inquiry.id)
    assert 'Hanako Sato' in page.text and '090-0000-1122' in page.text
    reads = list(AuditEvent.select().where(AuditEvent.action == 'read',
                                           AuditEvent.object_type == 'inquiry'))
    assert len(reads) == 1 and 'contact_details' in reads[0].details
    assert 'Hanako' not in reads[0].details
    client.get('/inquiries/%d/edit' % inquiry.id)
    assert AuditEvent.select().where(AuditEvent.action == 'read',
                                     AuditEvent.object_type == 'inquiry').count() == 2


def test_answer_close_and_reopen(client, signed_in):
    """Is the answer recorded (htmx fragment, event), closing refused before it, and the
    inquiry closed and reopened after?"""
    inquiry = make_inquiry(signed_in)
    early = client.post('/inquiries/%d/close' % inquiry.id, data={'version': '1'},
                        headers=HTMX)
    assert early.status_code == 409 and 'Record the answer before closing' in early.text
    response = client.post('/inquiries/%d/answer' % inquiry.id, data={
        'answer': 'Explained the change by telephone.',
        'answered_on': today_local().isoformat(), 'version': '1'}, headers=HTMX)
    assert response.status_code == 200 and '<html' not in response.text
    assert response.headers['HX-Trigger'] == 'inquiries-changed'
    inquiry = Inquiry.get_by_id(inquiry.id)
    assert inquiry.status == 'answered' and inquiry.answered_by_id == signed_in.id
    assert not inquiry.answered_late()
    assert client.post('/inquiries/%d/close' % inquiry.id,
                       data={'version': str(inquiry.version)}).status_code == 303
    assert Inquiry.get_by_id(inquiry.id).status == 'closed'
    stale = client.post('/inquiries/%d/reopen' % inquiry.id, data={'version': '1'})
    assert stale.status_code == 409
    current = Inquiry.get_by_id(inquiry.id)
    assert client.post('/inquiries/%d/reopen' % inquiry.id,
                       data={'version': str(current.version)}).status_code == 303
    assert Inquiry.get_by_id(inquiry.id).status == 'answered'


def test_a_late_answer_is_marked(client, signed_in):
    """Is an answer given after the due date marked late?"""
    received = today_local() - datetime.timedelta(days=20)
    inquiry = make_inquiry(signed_in, kind='complaint', received=received)
    answer(inquiry, signed_in, on=today_local())
    assert Inquiry.get_by_id(inquiry.id).answered_late()
    assert 'after the due date' in client.get('/inquiries/%d' % inquiry.id).text


def test_stale_edit_is_409_with_the_current_record(client, signed_in):
    """Does an edit made on an old version get 409 and show the other person's subject?"""
    inquiry = make_inquiry(signed_in)
    form = new_data(subject='First fix', version='1')
    assert client.post('/inquiries/%d/edit' % inquiry.id, data=form).status_code == 303
    stale = client.post('/inquiries/%d/edit' % inquiry.id,
                        data=new_data(subject='Second fix', version='1'))
    assert stale.status_code == 409
    assert 'First fix' in stale.text and 'Second fix' in stale.text


def test_link_to_a_request_shows_on_both_sides(client, signed_in):
    """Is an inquiry linked to a Request for Disclosure by its reference, shown on the
    inquiry and on the request's page, and can the link be removed?"""
    from tests.disclosure.factories import make_request
    inquiry = make_inquiry(signed_in, category='request')
    req = make_request(actor=signed_in)
    response = client.post('/inquiries/%d/links' % inquiry.id, data={
        'kind': 'disclosure', 'reference': req.reference.lower()}, headers=HTMX)
    assert response.status_code == 200 and req.reference in response.text
    again = client.post('/inquiries/%d/links' % inquiry.id, data={
        'kind': 'disclosure', 'reference': req.reference}, headers=HTMX)
    assert again.status_code == 409
    other_side = client.get('/inquiries/linked/disclosure/%d' % req.id, headers=HTMX)
    assert inquiry.reference in other_side.text
    assert '/inquiries/linked/disclosure/%d' % req.id in client.get(
        '/requests/%d' % req.id).text
    row = InquiryLink.get()
    assert client.post('/inquiries/%d/links/%d/delete' % (inquiry.id, row.id)
                       ).status_code == 303
    assert not InquiryLink.select().exists()


def test_link_to_an_incident_only_when_visible(client, signed_in):
    """May the Customer Center link only an incident it can see (one it reported), and is an
    unknown or hidden reference a 422 that says so?"""
    from tests.incidents.factories import make_incident
    hidden = make_incident()
    own = make_incident(signed_in)
    inquiry = make_inquiry(signed_in, kind='complaint', category='handling')
    refused = client.post('/inquiries/%d/links' % inquiry.id, data={
        'kind': 'incident', 'reference': hidden.reference})
    assert refused.status_code == 422 and 'is open to you' in refused.text
    assert client.post('/inquiries/%d/links' % inquiry.id, data={
        'kind': 'incident', 'reference': own.reference}).status_code == 303
    assert InquiryLink.get().incident_id == own.id
    assert '/inquiries/linked/incident/%d' % own.id in client.get(
        '/incidents/%d' % own.id).text


def test_committee_reads_but_does_not_write(client, departments):
    """Does a committee member read the inquiry (read logged) and get 403 on every write?"""
    cc = factories.make_user(roles=('employee', 'customer_center'), department='CC')
    inquiry = make_inquiry(cc)
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    client.post('/login', data={'email': chair.email, 'password': factories.PASSWORD})
    page = client.get('/inquiries/%d' % inquiry.id)
    assert page.status_code == 200 and 'Record the answer' not in page.text
    assert AuditEvent.select().where(AuditEvent.action == 'read',
                                     AuditEvent.actor_id == chair.id).count() == 1
    assert client.post('/inquiries/%d/answer' % inquiry.id, data={
        'answer': 'x', 'answered_on': today_local().isoformat(),
        'version': '1'}).status_code == 403
    assert client.post('/inquiries/new', data=new_data()).status_code == 403
    assert Inquiry.get_by_id(inquiry.id).status == 'open'


def test_list_filters(client, signed_in):
    """Do the status filters find the overdue, answered and closed inquiries?"""
    today = today_local()
    overdue = make_inquiry(signed_in, subject='Overdue one',
                           received=today - datetime.timedelta(days=30))
    answered = make_inquiry(signed_in, subject='Answered one')
    answer(answered, signed_in)
    assert 'Overdue one' in client.get('/inquiries/?status=overdue').text
    assert 'Answered one' not in client.get('/inquiries/?status=overdue').text
    assert 'Answered one' in client.get('/inquiries/?status=answered').text
    assert 'Overdue one' in client.get('/inquiries/?q=%s' % overdue.reference).text
    assert client.get('/inquiries/?status=bogus').status_code == 422


def test_trends_count_months_categories_and_late_complaints(client, signed_in):
    """Are the last 12 months counted by category, status and late complaints, read-only?"""
    today = today_local()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)
    late = make_inquiry(signed_in, kind='complaint', category='handling',
                        received=last_month - datetime.timedelta(days=1))
    answer(late, signed_in, on=last_month + datetime.timedelta(days=15))
    make_inquiry(signed_in, category='policy', received=last_month)
    make_inquiry(signed_in, category='policy', received=today - datetime.timedelta(days=400))
    from stintranet.inquiries.models import trends
    months, totals = trends(today)
    assert len(months) == 12 and months[-1]['month'] == today.replace(day=1)
    row = next(r for r in months if r['month'] == last_month.replace(day=1))
    assert row['total'] == 2 and row['categories']['policy'] == 1
    assert row['complaints'] == 1 and row['late_complaints'] == 1
    assert totals['total'] == 2 and totals['statuses']['answered'] == 1
    page = client.get('/inquiries/trends')
    assert page.status_code == 200 and last_month.strftime('%Y-%m') in page.text
    export = client.get('/inquiries/trends/export.csv')
    assert export.status_code == 200 and 'text/csv' in export.content_type
