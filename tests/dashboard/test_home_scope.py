"""A manager's home panels show the departments they manage and nothing of the others."""
import datetime
import re

from playhouse.test_utils import count_queries

from stintranet.audits import checklist as C
from stintranet.ledger.models import LedgerEntry
from stintranet.pledges import services as pledge_services
from stintranet.registers import services as register_services
from stintranet.timezone import today_local
from tests import factories
from tests.audits.factories import (add_finding, answer_all, make_auditor, make_inspection,
                                    raise_action, start)
from tests.incidents.factories import make_incident
from tests.registers.factories import make_asset
from tests.training.factories import make_course


def section(html, panel_id):
    """The text of the home page's panel whose heading has ``panel_id``."""
    found = re.search(r'<section[^>]*aria-labelledby="%s".*?</section>' % panel_id, html, re.S)
    assert found, panel_id
    return found.group(0)


def department_data(code, auditor, today):
    """One of everything a manager's home shows, in department ``code``."""
    staff = factories.make_user(department=code, name='Staff of %s' % code)
    make_incident(staff, summary='Case of %s' % code)
    LedgerEntry(department=factories.make_department(code), title='Entry of %s' % code,
                status='active', next_review_due=today - datetime.timedelta(days=10)).save()
    asset = make_asset(code, tag='USB-%s-SCOPE' % code)
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


def test_manager_panels_are_limited_to_their_departments(client, login_as):
    """Does the SALES manager's home show SALES's cases, entries, media, carry-outs,
    findings, actions, inspections and figures, and none of HR's?"""
    today = today_local()
    auditor = make_auditor()
    for code in ('SALES', 'HR'):
        department_data(code, auditor, today)
    make_course(title='Protection basics')
    pledge_services.publish_version('Pledge', 'Text.', '', None, 0)
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    with count_queries() as counter:
        home = client.get('/').text
    assert counter.count == 2  # the user, then everything else in one statement

    incidents = section(home, 'home-incidents')
    assert 'Case of SALES' in incidents and 'Case of HR' not in incidents
    assert '1 open case' in incidents
    assert re.search(r'>1 review overdue<', section(home, 'home-ledger'))
    media = section(home, 'home-registers-media')
    assert 'USB-SALES-SCOPE' in media and 'USB-HR-SCOPE' not in media
    assert 'Carry-outs awaiting your approval' in media
    audits = section(home, 'home-audits')
    for shown in ('Finding of SALES', 'Action of SALES', 'Inspection of SALES'):
        assert shown in audits
    for hidden in ('Finding of HR', 'Action of HR', 'Inspection of HR'):
        assert hidden not in audits
    assert '1 nonconformity is open.' in audits
    for panel_id in ('home-training-compliance', 'home-pledge-compliance'):
        figures = section(home, panel_id)
        assert '<th scope="row">SALES' in figures and '<th scope="row">HR' not in figures

    # The committee, reading every department, sees both.
    client.post('/logout')
    login_as('employee', 'committee', department='LEGAL')
    home = client.get('/').text
    assert 'Case of HR' in home and 'Case of SALES' in home
    assert '<th scope="row">HR' in section(home, 'home-pledge-compliance')
