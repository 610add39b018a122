"""The role × page matrix of the incident pages, and CSRF on the report form."""
import pytest

from stintranet.incidents import services
from tests import factories
from tests.incidents.factories import make_entry, make_incident

PAGES = ['', '/triage', '/awareness', '/reports', '/report-texts', '/ppc-report', '/ledger',
         '/clocks', '/timeline']

# Expected status per page: detail, triage, awareness, reports, texts, pack, ledger, clocks, timeline
MATRIX = {
    'committee': [200, 200, 200, 200, 200, 200, 200, 200, 200],
    'auditor': [200, 403, 403, 403, 403, 200, 403, 200, 200],
    'manager of the department': [200, 403, 403, 403, 403, 403, 403, 200, 200],
    'manager of a linked entry': [200, 403, 403, 403, 403, 403, 403, 200, 200],
    'manager elsewhere': [404, 403, 403, 403, 403, 403, 403, 404, 404],
    'reporter': [200, 403, 403, 403, 403, 403, 403, 404, 200],
    'colleague': [404, 403, 403, 403, 403, 403, 403, 404, 404],
    'customer center': [404, 403, 403, 403, 403, 403, 403, 404, 404],
    'admin': [403] * 9,
}


def user_for(who, reporter):
    make = factories.make_user
    return {
        'committee': lambda: make(roles=('employee', 'committee'), department='LEGAL'),
        'auditor': lambda: make(roles=('employee', 'auditor'), department='AUDIT'),
        'manager of the department': lambda: make(roles=('employee', 'manager'),
                                                  department='SALES'),
        'manager of a linked entry': lambda: make(roles=('employee', 'manager'),
                                                  department='HR'),
        'manager elsewhere': lambda: make(roles=('employee', 'manager'), department='IT'),
        'reporter': lambda: reporter,
        'colleague': lambda: make(department='SALES'),
        'customer center': lambda: make(roles=('employee', 'customer_center'),
                                        department='CC'),
        'admin': lambda: make(roles=('admin',), department='IT'),
    }[who]()


@pytest.mark.parametrize('who', list(MATRIX))
def test_role_page_matrix(client, who):
    """Does each kind of person get exactly the incident pages meant for them?"""
    reporter = factories.make_user(department='SALES')
    incident = make_incident(reporter)
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    services.link_entry(incident, make_entry('HR', 'Payroll'), actor=member)
    user = user_for(who, reporter)
    assert client.post('/login', data={'email': user.email,
                                       'password': factories.PASSWORD}).status_code == 302
    found = [client.get('/incidents/%d%s' % (incident.id, page)).status_code for page in PAGES]
    assert found == MATRIX[who]


def test_manager_who_reports_elsewhere_only_follows_the_report(client):
    """Does a manager reporting a case outside their departments get the reporter's view?"""
    manager = factories.make_user(roles=('employee', 'manager'), department='IT',
                                  manages=('SALES',))
    incident = make_incident(manager)
    client.post('/login', data={'email': manager.email, 'password': factories.PASSWORD})
    page = client.get('/incidents/%d' % incident.id)
    assert page.status_code == 200 and 'Your report' in page.text
    assert 'APPI clocks' not in page.text


@pytest.mark.parametrize('app_config', [{'WTF_CSRF_ENABLED': True}])
def test_report_without_csrf_token_is_400(client, app_config):
    """Is a report posted without the CSRF token refused?"""
    user = factories.make_user()
    login_page = client.get('/login').text
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD,
                                'csrf_token': token})
    response = client.post('/incidents/new', data={'narrative': 'x', 'kind': 'leak',
                                                   'name_shown': 'yes'})
    assert response.status_code == 400
