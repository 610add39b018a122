"""Who may open which ledger page: the role × page matrix.

SALES owns the entry. ``manager`` manages SALES; ``other_manager`` manages HR
and must get 404 for the SALES entry, as if it did not exist.
"""
import pytest

from tests.ledger.factories import make_entry

ROLES = {
    'manager': dict(roles=('employee', 'manager'), department='SALES', manages=('SALES',)),
    'other_manager': dict(roles=('employee', 'manager'), department='HR', manages=('HR',)),
    'committee': dict(roles=('employee', 'committee'), department='LEGAL'),
    'auditor': dict(roles=('employee', 'auditor'), department='AUDIT'),
    'employee': dict(roles=('employee',), department='SALES'),
    'customer_center': dict(roles=('employee', 'customer_center'), department='CC'),
    'admin': dict(roles=('admin',), department='IT'),
}

# page -> expected status per role (GET unless the page says POST).
PAGES = {
    ('GET', '/ledger/'): dict(manager=200, other_manager=200, committee=200, auditor=200,
                              employee=403, customer_center=403, admin=403),
    ('GET', '/ledger/health'): dict(manager=200, other_manager=200, committee=200, auditor=200,
                                    employee=403, customer_center=403, admin=403),
    ('GET', '/ledger/{id}'): dict(manager=200, other_manager=404, committee=200, auditor=200,
                                  employee=403, customer_center=403, admin=403),
    ('GET', '/ledger/{id}/print'): dict(manager=200, other_manager=404, committee=200,
                                        auditor=200, employee=403, customer_center=403,
                                        admin=403),
    ('GET', '/ledger/{id}/edit'): dict(manager=200, other_manager=404, committee=403,
                                       auditor=403, employee=403, customer_center=403,
                                       admin=403),
    ('GET', '/ledger/new'): dict(manager=200, other_manager=200, committee=403, auditor=403,
                                 employee=403, customer_center=403, admin=403),
    ('GET', '/ledger/export.csv'): dict(manager=200, other_manager=200, committee=200,
                                        auditor=200, employee=403, customer_center=403,
                                        admin=403),
    ('GET', '/ledger/export.xlsx'): dict(manager=200, other_manager=200, committee=200,
                                         auditor=200, employee=403, customer_center=403,
                                         admin=403),
    ('GET', '/ledger/import'): dict(manager=200, other_manager=200, committee=403, auditor=403,
                                    employee=403, customer_center=403, admin=403),
    ('GET', '/ledger/import/template.xlsx'): dict(manager=200, other_manager=200,
                                                  committee=403, auditor=403, employee=403,
                                                  customer_center=403, admin=403),
    ('POST', '/ledger/{id}/review'): dict(manager=303, other_manager=404, committee=403,
                                          auditor=403, employee=403, customer_center=403,
                                          admin=403),
    ('POST', '/ledger/{id}/retire'): dict(manager=303, other_manager=404, committee=403,
                                          auditor=403, employee=403, customer_center=403,
                                          admin=403),
    ('POST', '/ledger/{id}/edit'): dict(manager=422, other_manager=404, committee=403,
                                        auditor=403, employee=403, customer_center=403,
                                        admin=403),
}

CASES = [(method, path, role, status) for (method, path), expected in PAGES.items()
         for role, status in expected.items()]


@pytest.mark.parametrize('method,path,role,status', CASES,
                         ids=['%s %s as %s' % (m, p, r) for m, p, r, _s in CASES])
def test_role_page_matrix(client, login_as, method, path, role, status):
    """May each role open each ledger page, and is another department's entry a 404?"""
    entry = make_entry('SALES')
    spec = dict(ROLES[role])
    user = login_as(*spec.pop('roles'), **spec)
    url = path.format(id=entry.id)
    if method == 'GET':
        response = client.get(url)
    else:
        response = client.post(url, data={'version': '1', 'reason': 'Ended.', 'note': ''})
    assert response.status_code == status, (url, role, response.text[:300])
    if role == 'other_manager' and status == 404:
        assert entry.title not in response.text
    del user


def test_other_departments_entry_is_absent_from_lists_and_exports(client, login_as):
    """Does another department's entry stay out of the list, the search and the export?"""
    entry = make_entry('SALES', title='Secret sales process')
    spec = dict(ROLES['other_manager'])
    login_as(*spec.pop('roles'), **spec)
    assert 'Secret sales process' not in client.get('/ledger/?q=secret').text
    assert b'Secret sales process' not in client.get('/ledger/export.csv').data
    assert 'Secret sales process' not in client.get('/ledger/health').text
    assert client.get('/ledger/%d/print' % entry.id).status_code == 404


def test_anonymous_is_sent_to_login(client):
    """Does a visitor who is not signed in go to the login page (htmx: HX-Redirect)?"""
    response = client.get('/ledger/')
    assert response.status_code == 302 and '/login' in response.headers['Location']
    htmx = client.get('/ledger/', headers={'HX-Request': 'true'})
    assert htmx.status_code == 401 and '/login' in htmx.headers['HX-Redirect']
