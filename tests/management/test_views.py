"""The management review's pages: preparing a review gathers its inputs, decisions raise
corrective actions, the review is held and closed, printed and exported, every write in
the audit log."""
import csv
import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from stintranet.auditlog.models import AuditEvent
from stintranet.corrective.models import CorrectiveAction
from stintranet.management import catalogue as C
from stintranet.management import services
from stintranet.management.models import ManagementReview, ReviewDecision
from stintranet.timezone import today_local
from tests import factories
from tests.management.factories import make_review

HTMX = {'HX-Request': 'true'}


def audit_actions(review):
    return [e.action for e in AuditEvent.select().where(
        (AuditEvent.object_type == 'management_review')
        & (AuditEvent.object_id == str(review.id))).order_by(AuditEvent.seq)]


def new_data(**changes):
    today = today_local()
    data = {'title': '2026年度 マネジメントレビュー',
            'period_start': (today - datetime.timedelta(days=300)).isoformat(),
            'period_end': today.isoformat(), 'planned_on': today.isoformat(),
            'top_management': '代表取締役社長 佐藤 一郎', 'attendees': '委員長、監査責任者',
            'law_changes': '通則編の一部改正。', 'version': ''}
    data.update(changes)
    return data


def test_preparing_a_review_gathers_its_inputs(client, signed_in):
    """Does the chair's new review store its details, gather every input area at once and
    land on the review, audit-logged?"""
    form = client.get('/management-reviews/new')
    assert form.status_code == 200
    for name in ('title', 'period_start', 'period_end', 'planned_on', 'top_management',
                 'attendees', 'law_changes'):
        assert 'for="%s"' % name in form.text
    response = client.post('/management-reviews/new', data=new_data())
    assert response.status_code == 303, response.text
    review = ManagementReview.get()
    assert response.headers['Location'] == '/management-reviews/%d' % review.id
    assert review.status == C.DRAFT and review.inputs_by_id == signed_in.id
    snapshot = review.snapshot
    for area in ('audits', 'incidents', 'training', 'ledger', 'requests', 'inquiries'):
        assert area in snapshot
    assert snapshot['previous'] is None
    page = client.get(response.headers['Location'])
    assert page.status_code == 200
    for code in C.AREA_CODES:
        assert 'id="management-area-%s"' % code in page.text
    assert '通則編の一部改正。' in page.text
    assert audit_actions(review) == ['create']


def test_a_decision_raises_a_corrective_action(client, signed_in):
    """Does recording a decision with an action (htmx) save both, return the area with the
    change event, and list the action under the review's source?"""
    review = make_review(signed_in)
    owner = factories.make_user(roles=('employee', 'manager'), department='SALES')
    due = (today_local() + datetime.timedelta(days=30)).isoformat()
    response = client.post('/management-reviews/%d/decisions/incidents' % review.id, data={
        'incidents-decision': '誤送信防止策を全社に導入する。', 'incidents-version': '',
        'incidents-action_title': 'メール誤送信防止ツールの導入',
        'incidents-action_owner': str(owner.id), 'incidents-action_due': due},
        headers=HTMX)
    assert response.status_code == 200, response.text
    assert '<html' not in response.text and 'id="management-area-incidents"' in response.text
    assert response.headers['HX-Trigger'] == 'management-changed'
    assert 'HX-Request' in response.headers['Vary']
    assert 'メール誤送信防止ツールの導入' in response.text
    decision = ReviewDecision.get((ReviewDecision.review == review.id)
                                  & (ReviewDecision.area == 'incidents'))
    action = CorrectiveAction.get()
    assert (action.source_type, action.source_id) == ('review_decision', decision.id)
    assert action.owner_id == owner.id and action.due_on.isoformat() == due
    assert 'decide' in audit_actions(review)
    page = client.get('/corrective-actions/%d' % action.id)
    assert page.status_code == 200 and review.reference in page.text
    again = client.post('/management-reviews/%d/decisions/incidents' % review.id, data={
        'incidents-decision': '導入済みの対策を継続する。', 'incidents-version': '1'},
        headers=HTMX)
    assert again.status_code == 200
    assert ReviewDecision.get_by_id(decision.id).version == 2
    assert CorrectiveAction.select().count() == 1


def test_a_stale_decision_is_409_with_the_text_kept(client, signed_in):
    """Does a decision saved over someone else's get 409, theirs shown, the text kept?"""
    review = make_review(signed_in)
    services.decide(review, 'audits', '他の委員の決定。', None, signed_in)
    response = client.post('/management-reviews/%d/decisions/audits' % review.id, data={
        'audits-decision': '私の決定。', 'audits-version': ''}, headers=HTMX)
    assert response.status_code == 409
    assert '他の委員の決定。' in response.text and '私の決定。' in response.text
    assert 'name="audits-version" type="hidden" value="1"' in response.text


def test_hold_and_close(client, signed_in):
    """Is a review held on a date, closable only once every area is decided and the
    conclusion written, then read-only, each step audit-logged?"""
    review = make_review(signed_in)
    today = today_local().isoformat()
    held = client.post('/management-reviews/%d/hold' % review.id,
                       data={'held_on': today, 'version': str(review.version)})
    assert held.status_code == 303
    review = ManagementReview.get_by_id(review.id)
    assert review.status == C.HELD and review.held_on == today_local()
    refused = client.post('/management-reviews/%d/close' % review.id,
                          data={'version': str(review.version)})
    assert refused.status_code == 422
    assert 'Record the decision on every input area before closing' in refused.text
    for area in C.AREA_CODES:
        services.decide(review, area, '変更なし。', None, signed_in)
    refused = client.post('/management-reviews/%d/close' % review.id,
                          data={'version': str(review.version)})
    assert refused.status_code == 422 and 'Write the conclusion' in refused.text
    services.update(review, {'summary': 'PMS は有効。'}, review.version, signed_in)
    review = ManagementReview.get_by_id(review.id)
    closed = client.post('/management-reviews/%d/close' % review.id,
                         data={'version': str(review.version)})
    assert closed.status_code == 303
    review = ManagementReview.get_by_id(review.id)
    assert review.status == C.CLOSED and review.closed_by_id == signed_in.id
    page = client.get('/management-reviews/%d' % review.id).text
    assert 'Record the decision' not in page and 'Edit the details' not in page
    late = client.post('/management-reviews/%d/decisions/law' % review.id, data={
        'law-decision': '追加の決定。', 'law-version': '1'}, headers=HTMX)
    assert late.status_code == 409 and 'closed' in late.text
    assert client.get('/management-reviews/%d/edit' % review.id).status_code == 303
    assert audit_actions(review)[-2:] == ['update', 'close'] and 'hold' in audit_actions(review)


def test_gathering_again_only_in_preparation(client, signed_in):
    """Are the inputs gathered again while in preparation (audit-logged), and kept as they
    were once the review is held?"""
    review = make_review(signed_in)
    response = client.post('/management-reviews/%d/inputs' % review.id,
                           data={'version': str(review.version)})
    assert response.status_code == 303
    assert audit_actions(review) == ['create', 'gather']
    review = services.hold(ManagementReview.get_by_id(review.id), today_local(),
                           ManagementReview.get_by_id(review.id).version, signed_in)
    refused = client.post('/management-reviews/%d/inputs' % review.id,
                          data={'version': str(review.version)})
    assert refused.status_code == 409
    assert 'kept as they were at the meeting' in refused.text


def test_edit_saves_and_a_stale_edit_is_409(client, signed_in):
    """Does editing the details save them (audit row naming the fields), and a stale save
    answer 409 with the input kept?"""
    review = make_review(signed_in)
    page = client.get('/management-reviews/%d/edit' % review.id)
    assert page.status_code == 200 and 'for="summary"' in page.text
    data = new_data(summary='結論。', version=str(review.version), law_changes='改正なし。')
    assert client.post('/management-reviews/%d/edit' % review.id, data=data).status_code == 303
    event = AuditEvent.select().where(AuditEvent.action == 'update').get()
    assert set(json.loads(event.details)['fields']) >= {'law_changes', 'summary'}
    stale = client.post('/management-reviews/%d/edit' % review.id,
                        data=dict(data, summary='古い版からの変更。'))
    assert stale.status_code == 409 and '古い版からの変更。' in stale.text


def test_the_previous_reviews_actions_are_an_input(client, signed_in):
    """Does a new review show the previous review and the state of the actions it raised?"""
    owner = factories.make_user(roles=('employee', 'manager'), department='HR')
    today = today_local()
    last = make_review(signed_in, held_on=today - datetime.timedelta(days=300),
                       end=today - datetime.timedelta(days=310))
    services.decide(last, 'training', '督促する。', None, signed_in, action={
        'title': '未受講者への督促', 'owner': owner, 'due_on': today})
    review = make_review(signed_in)
    previous = review.snapshot['previous']
    assert previous['reference'] == last.reference
    assert previous['actions'][0]['title'] == '未受講者への督促'
    assert previous['open'] == 1
    page = client.get('/management-reviews/%d' % review.id).text
    assert '未受講者への督促' in page and last.reference in page


def test_print_view(client, signed_in):
    """Does the print view lay out the review with its decisions and signature boxes?"""
    review = make_review(signed_in)
    services.decide(review, 'ledger', '見直し期限を守る。', None, signed_in)
    page = client.get('/management-reviews/%d/print' % review.id)
    assert page.status_code == 200
    assert '見直し期限を守る。' in page.text and '代表者' in page.text
    assert 'management-print.css' in page.text and '<nav class="main-nav"' not in page.text


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_export_of_the_list(client, signed_in, fmt):
    """Does the list export as CSV and XLSX, one row per review, audit-logged?"""
    make_review(signed_in, title='Review A')
    make_review(signed_in, title='Review B')
    response = client.get('/management-reviews/export.%s' % fmt)
    assert response.status_code == 200
    if fmt == 'csv':
        rows = list(csv.reader(io.StringIO(response.data.decode('utf-8-sig'))))
    else:
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = [[c if c is not None else '' for c in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ['Reference', 'Title'] and len(rows) == 3
    assert {r[1] for r in rows[1:]} == {'Review A', 'Review B'}
    event = AuditEvent.select().where(AuditEvent.action == 'export').get()
    assert json.loads(event.details)['report'] == 'management-reviews'


def test_list_filters_and_htmx_fragment(client, signed_in):
    """Do the status and year filters narrow the list, htmx getting the rows only?"""
    make_review(signed_in, title='Held one', held_on=today_local())
    make_review(signed_in, title='Draft one')
    response = client.get('/management-reviews/?status=held', headers=HTMX)
    assert response.status_code == 200 and '<html' not in response.text
    assert 'Held one' in response.text and 'Draft one' not in response.text
    assert 'HX-Request' in response.headers['Vary']
    year = today_local().year
    assert 'Draft one' in client.get('/management-reviews/?year=%d' % year).text
    assert 'Draft one' not in client.get('/management-reviews/?year=%d' % (year - 5)).text
