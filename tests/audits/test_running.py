"""Running an inspection: start, the checklist, findings, the report."""
import datetime

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.audits import checklist as C
from stintranet.audits import services
from stintranet.audits.models import ChecklistAnswer, Finding, Inspection
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests import factories
from tests.audits.factories import (
    add_finding,
    answer_all,
    make_auditor,
    make_inspection,
    reported_inspection,
    sign_in,
    start,
)

TODAY = today_local


def iso(days=0):
    return (TODAY() + datetime.timedelta(days=days)).isoformat()


def checklist_data(answers, results=None, notes=None):
    """The checklist form as a browser sends it: every item, conform unless told."""
    results, notes = results or {}, notes or {}
    data = {}
    for a in answers:
        data['result-' + a.item_key] = results.get(a.item_key, C.CONFORM)
        data['note-' + a.item_key] = notes.get(a.item_key, '')
        data['version-' + a.item_key] = str(a.version)
    return data


def test_start_copies_the_checklist_per_department(client, departments, auditor):
    """Does starting copy the ~20 items for each scope department, with the date performed?"""
    inspection = make_inspection(lead=auditor, departments=('SALES', 'HR'))
    sign_in(client, auditor)
    response = client.post('/audits/%d/start' % inspection.id,
                           data={'performed_on': iso(), 'version': '1'})
    assert response.status_code == 303
    inspection = Inspection.get_by_id(inspection.id)
    assert inspection.status == 'in_progress' and inspection.performed_on == TODAY()
    assert inspection.checklist_version == C.VERSION
    assert len(C.ITEMS) >= 20
    assert ChecklistAnswer.select().count() == 2 * len(C.ITEMS)
    event = AuditEvent.select().where(AuditEvent.action == 'start').get()
    assert event.details_dict['items'] == 2 * len(C.ITEMS)


def test_a_performed_date_in_the_future_is_422(client, departments, auditor):
    """Is a performed date after today refused with 422 and the input kept?"""
    inspection = make_inspection(lead=auditor)
    sign_in(client, auditor)
    response = client.post('/audits/%d/start' % inspection.id,
                           data={'performed_on': iso(3), 'version': '1'})
    assert response.status_code == 422
    assert 'cannot have been performed in the future' in response.text
    assert 'value="%s"' % iso(3) in response.text
    assert Inspection.get_by_id(inspection.id).status == 'planned'


def test_starting_twice_is_409(client, departments, auditor):
    """Does a second start (a stale page) get 409 and change nothing?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sign_in(client, auditor)
    response = client.post('/audits/%d/start' % inspection.id,
                           data={'performed_on': iso(), 'version': '1'})
    assert response.status_code == 409
    assert ChecklistAnswer.select().count() == len(C.ITEMS)


def test_checklist_answers_are_saved_and_logged(client, departments, auditor):
    """Are a department's answers saved in one post, with the audit log naming items only?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sales = departments['SALES'].id
    answers = ChecklistAnswer.for_department(inspection, sales)
    sign_in(client, auditor)
    page = client.get('/audits/%d/checklist/%d' % (inspection.id, sales))
    assert page.status_code == 200
    assert page.text.count('<label for="result-') == len(C.ITEMS)
    assert page.text.count('<label for="note-') == len(C.ITEMS)
    data = checklist_data(answers, {'clear_desk': C.MINOR},
                          {'clear_desk': 'Order forms on two desks'})
    response = client.post('/audits/%d/checklist/%d' % (inspection.id, sales), data=data)
    assert response.status_code == 303
    saved = {a.item_key: a for a in ChecklistAnswer.for_department(inspection, sales)}
    assert saved['clear_desk'].result == C.MINOR
    assert saved['clear_desk'].note == 'Order forms on two desks'
    assert saved['ledger_complete'].answered_by_id == auditor.id
    event = AuditEvent.select().where(AuditEvent.action == 'answer').get()
    assert event.details_dict['results']['clear_desk'] == [None, C.MINOR]
    assert 'Order forms' not in event.details


def test_a_nonconformity_needs_a_note(client, departments, auditor):
    """Is a minor/major/observation answer without a note 422, with the input kept?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sales = departments['SALES'].id
    answers = ChecklistAnswer.for_department(inspection, sales)
    sign_in(client, auditor)
    data = checklist_data(answers, {'clear_desk': C.MAJOR},
                          {'passwords': 'Kept note 9'})
    response = client.post('/audits/%d/checklist/%d' % (inspection.id, sales), data=data)
    assert response.status_code == 422
    assert 'a note is needed' in response.text and 'Kept note 9' in response.text
    assert ChecklistAnswer.select().where(ChecklistAnswer.result.is_null(False)).count() == 0


def test_htmx_checklist_save_returns_the_fragment(client, departments, auditor):
    """Does an htmx save answer with the checklist fragment and an HX-Trigger?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sales = departments['SALES'].id
    answers = ChecklistAnswer.for_department(inspection, sales)
    sign_in(client, auditor)
    response = client.post('/audits/%d/checklist/%d' % (inspection.id, sales),
                           data=checklist_data(answers), headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert '<html' not in response.text and 'id="audits-checklist"' in response.text
    assert response.headers['HX-Trigger'] == 'audits-checklist-changed'
    assert '%d answers saved' % len(C.ITEMS) in response.text
    assert '%d of %d items answered' % (len(C.ITEMS), len(C.ITEMS)) in response.text
    assert 'HX-Request' in response.headers['Vary']


def test_concurrent_answers_are_409_and_keep_both(client, departments, auditor):
    """When a colleague changed an item meanwhile, is the save 409, nothing lost, theirs shown?"""
    colleague = make_auditor(name='Ken Mori')
    inspection = make_inspection(lead=auditor, team=[colleague])
    start(inspection)
    sales = departments['SALES'].id
    answers = ChecklistAnswer.for_department(inspection, sales)
    mine = checklist_data(answers, {'clear_desk': C.MINOR}, {'clear_desk': 'My note 1'})
    services.save_answers(Inspection.get_by_id(inspection.id), sales, colleague, {
        'clear_desk': (C.MAJOR, 'Their note 2', 1)})
    sign_in(client, auditor)
    response = client.post('/audits/%d/checklist/%d' % (inspection.id, sales), data=mine)
    assert response.status_code == 409
    assert 'My note 1' in response.text and 'Their note 2' in response.text
    answer = ChecklistAnswer.get(ChecklistAnswer.item_key == 'clear_desk')
    assert (answer.result, answer.note) == (C.MAJOR, 'Their note 2')
    assert ChecklistAnswer.select().where(ChecklistAnswer.result == C.CONFORM).count() == 0
    # The form now carries the current version: sending it again overrides knowingly.
    mine['version-clear_desk'] = str(answer.version)
    again = client.post('/audits/%d/checklist/%d' % (inspection.id, sales), data=mine)
    assert again.status_code == 303
    assert ChecklistAnswer.get(ChecklistAnswer.item_key == 'clear_desk').note == 'My note 1'


def test_finding_without_severity_is_422(client, departments, auditor):
    """Is a finding without severity refused with 422 and the input kept?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sign_in(client, auditor)
    response = client.post('/audits/%d/findings/new' % inspection.id, data={
        'department': str(departments['SALES'].id), 'item': 'media_encrypted',
        'title': 'Kept finding title', 'description': 'Kept description'})
    assert response.status_code == 422
    assert 'Choose the severity.' in response.text
    assert 'Kept finding title' in response.text and 'Kept description' in response.text
    assert Finding.select().count() == 0


@pytest.mark.parametrize('change, message', [
    ({'department': 'HR'}, 'Not a valid choice'),
    ({'department': '0'}, 'Choose one of the departments in the scope'),
    ({'severity': 'critical'}, 'Not a valid choice'),
    ({'item': 'no_such_item'}, 'Not a valid choice'),
    ({'title': ''}, 'This field is required'),
])
def test_bad_findings_are_422(client, departments, auditor, change, message):
    """Is each bad finding refused with 422 and its message?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sign_in(client, auditor)
    data = {'department': str(departments['SALES'].id), 'item': '', 'severity': C.MINOR,
            'title': 'Cabinet open', 'description': 'The cabinet was open.'}
    data.update(change)
    if data['department'] == 'HR':
        data['department'] = str(departments['HR'].id)
    response = client.post('/audits/%d/findings/new' % inspection.id, data=data)
    assert response.status_code == 422 and message in response.text
    assert Finding.select().count() == 0


def test_finding_from_an_answer_is_prefilled(client, departments, auditor):
    """Does "record as a finding" prefill department, item, severity and the note?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    answer_all(inspection, results={'locked_cabinets': C.MINOR})
    sales = departments['SALES'].id
    sign_in(client, auditor)
    checklist = client.get('/audits/%d/checklist/%d' % (inspection.id, sales)).text
    assert 'Record item 14 as a finding' in checklist
    page = client.get('/audits/%d/findings/new?department=%d&item=locked_cabinets'
                      % (inspection.id, sales))
    assert '<input checked id="severity-1"' in page.text
    assert 'Seen on site.' in page.text


def test_findings_are_numbered_and_logged(client, departments, auditor):
    """Are findings numbered F1, F2 per inspection and each creation logged?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sign_in(client, auditor)
    for title in ('First', 'Second'):
        response = client.post('/audits/%d/findings/new' % inspection.id, data={
            'department': str(departments['SALES'].id), 'item': 'clear_desk',
            'severity': C.OBSERVATION, 'title': title, 'description': 'Seen.'})
        assert response.status_code == 303
    assert [f.number for f in Finding.select().order_by(Finding.number)] == [1, 2]
    assert AuditEvent.select().where((AuditEvent.object_type == 'finding')
                                     & (AuditEvent.action == 'create')).count() == 2


def test_finding_edit_and_withdraw(client, departments, auditor):
    """Can the team correct a finding (409 when stale) and withdraw one, both logged?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    finding = add_finding(inspection)
    sign_in(client, auditor)
    data = {'department': str(departments['SALES'].id), 'item': 'media_encrypted',
            'severity': C.MINOR, 'title': 'One USB drive unencrypted',
            'description': 'One drive.', 'version': str(finding.version)}
    assert client.post('/audits/findings/%d/edit' % finding.id, data=data).status_code == 303
    assert Finding.get_by_id(finding.id).severity == C.MINOR
    stale = client.post('/audits/findings/%d/edit' % finding.id, data=dict(
        data, title='Stale edit'))
    assert stale.status_code == 409 and 'Stale edit' in stale.text
    assert 'As saved now' in stale.text and 'One USB drive unencrypted' in stale.text
    assert client.post('/audits/findings/%d/delete' % finding.id).status_code == 303
    assert Finding.select().count() == 0
    assert [e.action for e in AuditEvent.select().where(
        AuditEvent.object_type == 'finding').order_by(AuditEvent.seq)] == [
        'create', 'update', 'delete']


def test_report_blocked_until_complete(client, departments, auditor):
    """Is the report refused (409) while items are open or a nonconformity has no finding?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sign_in(client, auditor)
    data = {'performed_on': iso(), 'summary': 'Kept conclusion', 'version': '2'}
    response = client.post('/audits/%d/report' % inspection.id, data=data)
    assert response.status_code == 409
    assert '%d checklist answers are still open' % len(C.ITEMS) in response.text
    assert 'Kept conclusion' in response.text
    answer_all(inspection, results={'media_encrypted': C.MAJOR})
    response = client.post('/audits/%d/report' % inspection.id, data=data)
    assert response.status_code == 409 and 'item 10' in response.text
    add_finding(inspection)
    assert client.post('/audits/%d/report' % inspection.id, data=data).status_code == 303
    inspection = Inspection.get_by_id(inspection.id)
    assert inspection.status == 'reported' and inspection.summary == 'Kept conclusion'


@pytest.mark.parametrize('data, status, message', [
    ({'performed_on': 'FUTURE', 'summary': 'x'}, 422, 'performed in the future'),
    ({'performed_on': 'TODAY', 'summary': ''}, 422, 'Write the conclusion'),
    ({'performed_on': '', 'summary': 'x'}, 422, 'date of the inspection as YYYY-MM-DD'),
])
def test_bad_report_input_is_422(client, departments, auditor, data, status, message):
    """Is a report with a future date, no conclusion or no date refused with 422?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    answer_all(inspection)
    sign_in(client, auditor)
    data = dict(data, performed_on={'FUTURE': iso(1), 'TODAY': iso()}.get(
        data['performed_on'], data['performed_on']))
    response = client.post('/audits/%d/report' % inspection.id, data=data)
    assert response.status_code == status and message in response.text
    assert Inspection.get_by_id(inspection.id).status == 'in_progress'


def test_report_freezes_and_notifies(client, departments, auditor, sales_manager):
    """Once reported, are answers and findings frozen (409) and the managers told?"""
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    hr_manager = factories.make_user(roles=('employee', 'manager'), department='HR')
    inspection = make_inspection(lead=auditor)
    start(inspection)
    answer_all(inspection)
    sign_in(client, auditor)
    response = client.post('/audits/%d/report' % inspection.id, data={
        'performed_on': iso(), 'summary': 'In order.', 'version': '2'})
    assert response.status_code == 303
    told = {n.user_id for n in Notification.select()}
    assert {sales_manager.id, committee.id} <= told and hr_manager.id not in told
    sales = departments['SALES'].id
    answers = ChecklistAnswer.for_department(inspection, sales)
    late = client.post('/audits/%d/checklist/%d' % (inspection.id, sales),
                       data=checklist_data(answers, {'passwords': C.MINOR}, {'passwords': 'x'}))
    assert late.status_code == 409
    finding = client.post('/audits/%d/findings/new' % inspection.id, data={
        'department': str(sales), 'severity': C.MINOR, 'title': 't', 'description': 'd'})
    assert finding.status_code == 409
    assert client.post('/audits/%d/report' % inspection.id, data={
        'performed_on': iso(), 'summary': 'Again', 'version': '3'}).status_code == 409


def test_an_auditor_moved_into_the_scope_loses_the_inspection(client, departments, auditor):
    """If the lead is later moved into a scope department, are their writes refused?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    auditor.department = departments['SALES']
    auditor.save()
    sign_in(client, auditor)
    answers = ChecklistAnswer.for_department(inspection, departments['SALES'].id)
    response = client.post('/audits/%d/checklist/%d' % (inspection.id, departments['SALES'].id),
                           data=checklist_data(answers))
    assert response.status_code == 403
    assert ChecklistAnswer.select().where(ChecklistAnswer.result.is_null(False)).count() == 0


def test_findings_of_a_reported_inspection_are_frozen(client, departments, auditor):
    """Are edits and withdrawals of a reported inspection's finding refused with 409?"""
    _, finding = reported_inspection(lead=auditor)
    sign_in(client, auditor)
    page = client.get('/audits/findings/%d/edit' % finding.id)
    assert 'can no longer change' in page.text
    response = client.post('/audits/findings/%d/edit' % finding.id, data={
        'department': str(departments['SALES'].id), 'item': '', 'severity': C.MINOR,
        'title': 'Softer wording', 'description': 'd', 'version': str(finding.version)})
    assert response.status_code == 409 and 'Softer wording' in response.text
    assert client.post('/audits/findings/%d/delete' % finding.id).status_code == 409
    assert Finding.get_by_id(finding.id).title == 'Unencrypted USB drives'
