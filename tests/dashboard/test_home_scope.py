"""A manager's work list and home panels hold the departments they manage and nothing of
the others; the committee, reading every department, sees both."""
import datetime
import re

from stintranet.audits import checklist as C
from stintranet.ledger.models import LedgerEntry
from stintranet.pledges import services as pledge_services
from stintranet.registers import services as register_services
from stintranet.timezone import today_local
from tests import factories
from tests.audits.factories import (
    add_finding,
    answer_all,
    make_auditor,
    make_inspection,
    raise_action,
    start,
)
from tests.incidents.factories import make_incident
from tests.registers.factories import make_asset
from tests.training.factories import make_course


def department_data(code, auditor, today):
    """One of everything a manager's home shows, in department ``code``."""
    staff = factories.make_user(department=code, name='Staff of %s' % code)
    make_incident(staff, summary='Case of %s' % code)
    LedgerEntry(department=factories.make_department(code), title='Entry of %s' % code,
                status='active', next_review_due=today - datetime.timedelta(days=10)).save()
    make_asset(code, tag='USB-%s-SCOPE' % code)
    # An encrypted laptop: its carry-out goes to the department's manager.
    asset = make_asset(code, tag='PC-%s-SCOPE' % code, kind='pc', encrypted=True)
    register_services.request_carry_out(asset, {
        'requested_by': staff.id, 'out_on': today,
        'expected_return_on': today + datetime.timedelta(days=2),
        'destination': 'Osaka', 'purpose': 'Meeting'}, actor=staff)
    inspection = make_inspection(lead=auditor, departments=(code,),
                                 title='Inspection of %s' % code)
    start(inspection)
    answer_all(inspection, results={'media_encrypted': C.MAJOR}, results_for=code)
    finding = add_finding(inspection, department=code, title='Finding of %s' % code)
    raise_action(finding, staff, auditor, title='Action of %s' % code)


def panel(client, name):
    response = client.get('/home/panels/%s' % name, headers={'HX-Request': 'true'})
    assert response.status_code == 200, name
    return response.text


def worklist(html):
    found = re.search(r'<section[^>]*id="home-worklist".*?</section>', html, re.S)
    assert found
    return found.group(0)


def test_manager_home_is_limited_to_their_departments(client, login_as):
    """Does the SALES manager's work list and every panel show SALES's entries, carry-outs,
    cases, media, findings, inspections and figures, and none of HR's?"""
    today = today_local()
    auditor = make_auditor()
    for code in ('SALES', 'HR'):
        department_data(code, auditor, today)
    make_course(title='Protection basics')
    pledge_services.publish_version('Pledge', 'Text.', '', None, 0)
    login_as('employee', 'manager', department='SALES', manages=('SALES',))

    work = worklist(client.get('/').text)
    assert 'Entry of SALES (SALES)' in work and 'Entry of HR' not in work
    assert 'PC-SALES-SCOPE' in work and 'PC-HR-SCOPE' not in work
    assert '1 ledger review due' in work and '1 carry-out awaiting your approval' in work

    incidents = panel(client, 'incidents-open')
    assert 'Case of SALES' in incidents and 'Case of HR' not in incidents
    assert '1 open case' in incidents
    assert re.search(r'>1 review overdue<', panel(client, 'ledger-health'))
    media = panel(client, 'registers-media')
    assert 'USB-SALES-SCOPE' in media and 'USB-HR-SCOPE' not in media
    audits = panel(client, 'audits-inspections')
    assert 'Finding of SALES' in audits and 'Inspection of SALES' in audits
    assert 'Finding of HR' not in audits and 'Inspection of HR' not in audits
    assert '1 nonconformity is open.' in audits and '1 action is open' in audits
    for name in ('training-compliance', 'pledges-compliance'):
        figures = panel(client, name)
        assert '<th scope="row">SALES' in figures and '<th scope="row">HR' not in figures

    # The committee, reading every department, sees both (and has no manager's work).
    client.post('/logout')
    login_as('employee', 'committee', department='LEGAL')
    assert 'Entry of SALES' not in worklist(client.get('/').text)
    assert '2 open cases' in panel(client, 'incidents-open')
    assert '<th scope="row">HR' in panel(client, 'pledges-compliance')
    assert 'USB-HR-SCOPE' in panel(client, 'registers-media')
