"""Reporting a suspected leak: the short form, the reference number, bad input."""
import datetime
import threading

import peewee
import pytest

from stintranet import db as dbmod
from stintranet.db import utcnow
from stintranet.incidents import services
from stintranet.incidents.models import Incident, IncidentEvent, IncidentLedgerLink
from stintranet.incidents.services import utc_to_local
from tests import factories
from tests.incidents.factories import make_entry, make_incident


def local(moment):
    return utc_to_local(moment).strftime('%Y-%m-%dT%H:%M')


def report_data(**changes):
    data = {'narrative': 'I sent the customer list to the wrong address.',
            'noticed_at': local(utcnow() - datetime.timedelta(hours=2)), 'kind': 'leak',
            'entry': '', 'estimated_persons': '12', 'name_shown': 'yes'}
    data.update(changes)
    return data


def test_form_has_labelled_fields_and_defaults_to_now(client, login_as):
    """Does the short form label every field and prefill the time with now?"""
    login_as('employee')
    response = client.get('/incidents/new')
    assert response.status_code == 200
    html = response.text
    for label_for in ('narrative', 'noticed_at', 'estimated_persons'):
        assert 'for="%s"' % label_for in html
    assert 'What kind of incident is it?' in html
    assert 'May the reviewers see your name?' in html
    assert local(utcnow())[:13] in html  # the current hour, Japan time


def test_employee_reports_and_gets_a_reference_at_once(client, login_as):
    """Does a report get INC-YYYY-NNNN at once, shown to the reporter?"""
    user = login_as('employee')
    response = client.post('/incidents/new', data=report_data())
    assert response.status_code == 303
    incident = Incident.get()
    year = utc_to_local(incident.reported_at).year
    assert incident.reference == 'INC-%d-0001' % year
    assert incident.status == 'reported'
    assert incident.aware_at == incident.reported_at
    assert incident.department_id == user.department_id
    assert incident.estimated_persons == 12
    page = client.get(response.headers['Location'])
    assert incident.reference in page.text
    assert 'Your reference number is' in page.text


def test_reference_numbers_follow_each_other(client, login_as):
    """Are reference numbers consecutive within a year?"""
    login_as('employee')
    for _ in range(3):
        assert client.post('/incidents/new', data=report_data()).status_code == 303
    numbers = [i.number for i in Incident.select().order_by(Incident.id)]
    assert numbers == [1, 2, 3]
    assert len({i.reference for i in Incident.select()}) == 3


def test_references_are_unique_under_concurrent_reports(app):
    """Do reports filed at the same moment from several threads get distinct numbers?"""
    reporter = factories.make_user()
    dbmod.database.close()
    errors, refs = [], []

    def file_reports():
        try:
            with app.test_request_context():
                dbmod.database.connect(reuse_if_open=True)
                for _ in range(5):
                    refs.append(services.report(
                        reporter, narrative='x', noticed_at=utcnow(), kind='unsure',
                        estimated_persons=None, name_shown=True).reference)
                dbmod.database.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=file_reports) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    dbmod.database.connect(reuse_if_open=True)
    assert not errors
    assert len(refs) == 20 and len(set(refs)) == 20
    assert sorted(i.number for i in Incident.select()) == list(range(1, 21))


@pytest.mark.parametrize('changes, message', [
    ({'noticed_at': None}, 'cannot be in the future'),
    ({'estimated_persons': '-1'}, 'from 0 up'),
    ({'narrative': '  '}, 'Describe what happened'),
    ({'kind': 'rumour'}, 'Not a valid choice'),
    ({'noticed_at': 'yesterday'}, 'Give the date and time'),
    ({'name_shown': ''}, 'Choose whether your name may be shown'),
])
def test_bad_report_input_is_refused_and_kept(client, login_as, changes, message):
    """Is bad input answered with 422, a clear message, and the text typed kept?"""
    login_as('employee')
    if changes.get('noticed_at', 1) is None:
        changes['noticed_at'] = local(utcnow() + datetime.timedelta(days=2))
    data = report_data(narrative='Kept narrative text', **{k: v for k, v in changes.items()
                                                          if k != 'narrative'})
    if 'narrative' in changes:
        data['narrative'] = changes['narrative']
    response = client.post('/incidents/new', data=data)
    assert response.status_code == 422
    assert message in response.text
    if 'narrative' not in changes:
        assert 'Kept narrative text' in response.text
    assert Incident.select().count() == 0


def test_reporter_picks_a_data_set_of_their_department(client, login_as):
    """Does choosing a data set link it and prefill items and special care, keeping the
    reporter's count (the data set's size is not the incident's)?"""
    login_as('employee', department='HR')
    entry = make_entry('HR', 'Health-check results', items=['Name', 'Health-check results'],
                       special_care=True, person_estimate=350)
    other = make_entry('SALES', 'Customer list')
    page = client.get('/incidents/new')
    assert 'Health-check results' in page.text and 'Customer list' not in page.text
    refused = client.post('/incidents/new', data=report_data(entry=str(other.id)))
    assert refused.status_code == 422
    assert 'Choose a data set of your department' in refused.text
    response = client.post('/incidents/new', data=report_data(entry=str(entry.id)))
    assert response.status_code == 303
    incident = Incident.get()
    assert IncidentLedgerLink.get().entry_id == entry.id
    assert sorted(incident.item_list) == ['Health-check results', 'Name']
    assert incident.special_care and incident.persons_affected is None
    assert incident.estimated_persons == 12
    assert incident.reportable


def test_data_set_search_is_htmx_and_limited_to_the_department(client, login_as):
    """Does the htmx search return only titles of the reporter's department?"""
    login_as('employee', department='SALES')
    make_entry('SALES', 'Web shop customers')
    make_entry('SALES', 'Trade fair visitors')
    make_entry('HR', 'Web recruiting applicants')
    make_entry('SALES', 'Old web campaign', status='retired')
    response = client.get('/incidents/new/data-sets?entry_q=web', headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert '<html' not in response.text
    assert 'Web shop customers' in response.text
    assert 'Trade fair' not in response.text and 'recruiting' not in response.text
    assert 'Old web campaign' not in response.text
    assert 'HX-Request' in response.headers.get('Vary', '')


def test_report_timeline_starts_with_the_report(client, login_as):
    """Does the timeline open with the report, as an append-only entry?"""
    login_as('employee')
    client.post('/incidents/new', data=report_data())
    event = IncidentEvent.get()
    assert event.kind == 'reported' and event.by_reporter and event.author_id is None


def test_timeline_rows_refuse_edits_and_deletes(app):
    """Does the database itself refuse changing or deleting a timeline entry?"""
    incident = make_incident()
    event = IncidentEvent.get(IncidentEvent.incident == incident.id)
    with pytest.raises(peewee.DatabaseError):
        with dbmod.database.atomic():
            IncidentEvent.update(summary='rewritten').where(IncidentEvent.id == event.id).execute()
    with pytest.raises(peewee.DatabaseError):
        with dbmod.database.atomic():
            IncidentEvent.delete().where(IncidentEvent.id == event.id).execute()
    assert IncidentEvent.get_by_id(event.id).summary == 'Reported'


def test_committee_is_notified_of_a_new_report(client, login_as):
    """Does every committee member get a notification with the reference only?"""
    from stintranet.notifications.models import Notification
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    login_as('employee')
    client.post('/incidents/new', data=report_data())
    note = Notification.get(Notification.user == member.id)
    incident = Incident.get()
    assert incident.reference in note.subject
    assert 'customer list' not in note.subject.lower() and not note.body


def test_report_link_is_in_every_page_header_but_not_for_admins(client, login_as, app):
    """Is "Report a suspected leak" in the header for staff, and absent for admin-only accounts?"""
    login_as('customer_center', department='CC')
    assert 'Report a suspected leak' in client.get('/').text
    client.post('/logout')
    admin = factories.make_user(roles=('admin',), department='IT')
    client.post('/login', data={'email': admin.email, 'password': factories.PASSWORD})
    assert 'Report a suspected leak' not in client.get('/').text
    assert client.get('/incidents/new').status_code == 403
