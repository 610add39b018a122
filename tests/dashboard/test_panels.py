"""Each home panel is a fragment of its own at /home/panels/<name>: its own query budget,
the same at small and larger data; htmx gets the fragment, a plain request a small page;
a role that may not see it gets 404."""
import re
from collections import namedtuple

import pytest
from playhouse.test_utils import assert_query_count, count_queries

from stintranet import panels, seed
from tests.audits.factories import make_auditor, make_inspection
from tests.dashboard.data import PASSWORD, ROLES, demo_user, grow, sign_in

# Queries per fragment: the user (one), then the panel's own reads.
BUDGET = {
    'incidents-open': 3,          # open cases by state; the cases with their clocks
    'disclosure-due': 3,          # the counts; the next five due
    'inquiries-due': 3,           # the counts; the last 12 months
    'ledger-health': 2,           # the health counts
    'audits-inspections': 5,      # open findings; action counts; inspections; their scope
                                  # (not read when no inspection is coming)
    'corrective-overdue': 2,      # the ten most overdue, with their total
    'management-review': 3,       # the open reviews and the last held; the actions' counts
    'registers-media': 3,         # the counts; the first ten media
    'registers-contractors': 3,   # the counts; the ten most urgent
    'serverarea-flags': 3,        # the flag counts; the first ten areas
    'training-compliance': 2,     # one aggregate per department
    'pledges-compliance': 3,      # the current version; signatures per department
    'incidents-own': 2,           # the five latest reports
    'admin': 4,                   # active, locked, waiting for a password
    'auditlog': 2,                # the eight latest events
    'account': 2,                 # the previous sign-in
}
# The committee's PPC clocks are in its work list: its incidents panel lists no cases.
COMMITTEE_BUDGET = {'incidents-open': 2}

Case = namedtuple('Case', 'roles kwargs refused')
STAFF = ('employee',)
MANAGER = Case(('employee', 'manager'), {'department': 'SALES', 'manages': ('SALES',)}, STAFF)
COMMITTEE = Case(('employee', 'committee'), {'department': 'LEGAL'}, STAFF)
AUDITOR = Case(('employee', 'auditor'), {'department': 'AUDIT'}, STAFF)
# Who reads each panel in its test, and a role that may not.
VIEWER = {
    'incidents-open': MANAGER,
    'disclosure-due': COMMITTEE._replace(refused=('employee', 'customer_center')),
    'inquiries-due': Case(('employee', 'customer_center'), {'department': 'CC'},
                          ('employee', 'auditor')),
    'ledger-health': MANAGER,
    'audits-inspections': AUDITOR._replace(refused=('employee', 'committee')),
    'corrective-overdue': AUDITOR._replace(refused=('employee', 'manager')),
    'management-review': COMMITTEE._replace(refused=('employee', 'manager')),
    'registers-media': MANAGER._replace(refused=('employee', 'auditor')),
    'registers-contractors': COMMITTEE._replace(refused=('employee', 'manager')),
    'serverarea-flags': MANAGER._replace(refused=('employee', 'customer_center')),
    'training-compliance': MANAGER,
    'pledges-compliance': COMMITTEE,
    'incidents-own': Case(STAFF, {}, ('admin',)),
    'admin': Case(('admin',), {'department': 'IT'}, ('employee', 'committee')),
    'auditlog': AUDITOR._replace(refused=('employee', 'manager')),
    'account': Case(STAFF, {}, None),
}


def test_every_registered_panel_is_tested():
    """Is every panel listed in the page order registered, budgeted and tested?"""
    assert sorted(panels.ORDER) == sorted(BUDGET) == sorted(VIEWER)
    assert all(panels.get(name) for name in panels.ORDER)


def fragment(client, name):
    return client.get('/home/panels/%s' % name, headers={'HX-Request': 'true'})


@pytest.mark.parametrize('name', panels.ORDER)
def test_panel_fragment(client, login_as, name):
    """Does the panel answer htmx with its fragment within its budget, a plain request
    with a small page of its own, both varying on HX-Request, and refuse other roles?"""
    case = VIEWER[name]
    make_inspection(lead=make_auditor(department='HR'), departments=('SALES',))
    login_as(*case.roles, **case.kwargs)
    fragment(client, name)  # warm the per-process caches (translations, templates)
    with assert_query_count(BUDGET[name]):
        response = fragment(client, name)
    assert response.status_code == 200
    assert '<html' not in response.text
    assert response.text.lstrip().startswith('<section class="panel"')
    assert '<h2 id="home-' in response.text
    assert 'HX-Request' in response.headers['Vary']

    page = client.get('/home/panels/%s' % name)
    assert page.status_code == 200
    assert '<html' in page.text and 'HX-Request' in page.headers['Vary']
    title = str(panels.get(name).title)
    assert '<h1>%s</h1>' % title in page.text and 'Back to the home page' in page.text
    assert page.text.index('<h1>') < page.text.index('<h2 id="home-')

    if case.refused:
        client.post('/logout')
        login_as(*case.refused, department='IT')
        assert fragment(client, name).status_code == 404
        assert client.get('/home/panels/%s' % name).status_code == 404


def test_unknown_panel_is_404(client, login_as):
    """Is a panel that does not exist a 404?"""
    login_as('employee', 'committee')
    assert fragment(client, 'nothing-here').status_code == 404


def test_panels_need_a_sign_in(client):
    """Is a signed-out request for a panel sent to the login page (htmx by HX-Redirect)?"""
    assert client.get('/home/panels/account').status_code == 302
    response = fragment(client, 'account')
    assert '/login' in response.headers.get('HX-Redirect', '')


def budget(name, user):
    if user.has_role('committee') and name in COMMITTEE_BUDGET:
        return COMMITTEE_BUDGET[name]
    return BUDGET[name]


def read_panels(client):
    """Every panel of every demo role, each read within its budget: {(local, name): html}."""
    found = {}
    for local in ROLES:
        user = demo_user(local)
        sign_in(client, local)
        for panel in panels.visible_to(user):
            fragment(client, panel.name)
            with count_queries() as counter:
                response = fragment(client, panel.name)
            assert response.status_code == 200
            assert counter.count == budget(panel.name, user), (local, panel.name, counter.count)
            found[local, panel.name] = response.text
        client.post('/logout')
    return found


def test_panel_queries_are_constant(client):
    """Does every panel of every demo role cost its budget at small and larger data?"""
    seed.seed_demo(PASSWORD)
    # One inspection of SALES coming, so that its manager's audit panel reads a scope too.
    make_inspection(lead=demo_user('auditor'), departments=('SALES',))
    small = read_panels(client)
    grow()
    larger = read_panels(client)
    assert small.keys() == larger.keys()
    expiring = re.search(r'(\d+) agreements expire within 30 days',
                         larger['chair', 'registers-contractors'])
    assert expiring and int(expiring.group(1)) >= 12
