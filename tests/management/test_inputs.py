"""The inputs a review gathers: each area's figures for the review's period (or as of the
day for the states), from the records of the other capabilities, and nothing personal."""
import datetime
import json

from stintranet.disclosure import catalogue as DC
from stintranet.disclosure.models import DisclosureRequest
from stintranet.incidents.models import Incident
from stintranet.ledger.risk import services as risk_services
from stintranet.management import inputs
from stintranet.management.models import ManagementReview
from stintranet.timezone import today_local
from tests.audits.factories import add_finding, answer_all, make_inspection, start
from tests.disclosure.factories import make_request
from tests.incidents.factories import make_incident
from tests.inquiries.factories import answer, cc_user, make_inquiry
from tests.ledger.factories import make_entry, risk_rows
from tests.management.factories import make_review


def test_each_area_counts_what_happened_in_the_period(chair):
    """Do the inputs count the incidents, requests and inquiries of the period (not the
    older ones), the open findings, the ledger's health and its high residual risks?"""
    today = today_local()
    start_day = today - datetime.timedelta(days=60)
    make_incident(kind='leak', special_care=True, status='triage')
    make_incident(kind='loss')
    old = make_incident(kind='leak')
    Incident.update(reported_at=datetime.datetime(2020, 1, 1)).where(
        Incident.id == old.id).execute()

    make_request('responded', received_on=today - datetime.timedelta(days=20))
    late = make_request('responded', received_on=today - datetime.timedelta(days=30))
    DisclosureRequest.update(responded_on=late.due_on + datetime.timedelta(days=3)).where(
        DisclosureRequest.id == late.id).execute()
    make_request('received', received_on=today - datetime.timedelta(days=20))
    make_request('received', received_on=today - datetime.timedelta(days=200))

    staff = cc_user()
    complaint = make_inquiry(staff, kind='complaint', category='handling',
                             received=today - datetime.timedelta(days=40))
    answer(complaint, staff, on=complaint.due_on + datetime.timedelta(days=2))
    make_inquiry(staff, received=today - datetime.timedelta(days=3))
    make_inquiry(staff, received=today - datetime.timedelta(days=100))

    inspection = make_inspection(planned_in_days=-10)
    start(inspection)
    answer_all(inspection)
    add_finding(inspection)

    make_entry(title='Unassessed', assessed=False)
    make_entry(title='High risk', minors='yes', guardian_consent='')
    entry = make_entry(title='Risky', assessed=False)
    risk_services.save(entry, risk_rows(likelihood=3, impact=3), '', expected_version=None,
                       actor=None)

    review = make_review(chair, start=start_day, end=today)
    data = review.snapshot
    assert data['period'] == [start_day.isoformat(), today.isoformat()]
    assert data['incidents']['total'] == 2
    assert data['incidents']['kinds'] == {'leak': 1, 'loss': 1}
    assert data['incidents']['reportable'] == 1
    assert data['requests']['received'] == 3
    assert (data['requests']['on_time'], data['requests']['late']) == (1, 1)
    assert data['requests']['awaiting'] == 1
    assert data['requests']['types'] == {DC.DISCLOSURE: 3}
    assert data['inquiries']['received'] == 2 and data['inquiries']['complaints'] == 1
    assert data['inquiries']['answered_late'] == 1 and data['inquiries']['open'] == 1
    assert data['audits']['inspections']['total'] == 1
    assert data['audits']['findings']['major'] == 1
    assert data['audits']['open_findings_total'] == 1
    assert data['audits']['open_findings'][0]['department'] == 'SALES'
    assert data['ledger']['risk'] == 1 and data['ledger']['minor_consent'] == 1
    assert data['ledger']['high_residual'] == 4  # every rated risk of "Risky"
    assert data['training']['pledge']['version'] is None


def test_the_snapshot_holds_no_personal_data(chair):
    """Does the stored snapshot keep references and counts only: no requester's name, no
    inquirer's contact, no incident narrative?"""
    make_request('received', name='Hanako Yamada')
    make_inquiry(cc_user(), name='Ichiro Suzuki', contact='090-1111-2222')
    make_incident(narrative='Sent to taro@example.com by mistake.')
    review = make_review(chair)
    raw = ManagementReview.get_by_id(review.id).inputs
    for secret in ('Hanako', 'Yamada', 'Ichiro', '090-1111-2222', 'taro@example.com'):
        assert secret not in raw
    assert json.loads(raw)['incidents']['total'] == 1


def test_gather_reads_as_the_committee_member(chair):
    """Does gathering the same period twice give the same figures (the snapshot is what the
    top management saw), while a later gathering counts what happened since?"""
    review = make_review(chair)
    first = review.snapshot
    again = inputs.gather(review, chair, today_local())
    assert again['incidents'] == first['incidents']
    make_incident(kind='loss')
    assert inputs.gather(review, chair, today_local())['incidents']['total'] == \
        first['incidents']['total'] + 1
    assert ManagementReview.get_by_id(review.id).snapshot == first
