"""Who may open which page, the security headers, the session cookie, bad URLs."""
import pytest

from tests import factories

ROLES = ('employee', 'manager', 'committee', 'customer_center', 'auditor', 'admin')
ADMIN_PAGES = ('/admin/users', '/admin/users/new', '/admin/departments',
               '/admin/departments/new')
PAGES = ('/', '/audit-log/', '/account/password', '/server-area/',
         '/inquiries/', '/management-reviews/') + ADMIN_PAGES


def expected_status(role, page):
    if role is None:
        return 302
    if page in ('/', '/account/password'):
        return 200
    if page == '/audit-log/':
        return 200 if role in ('committee', 'auditor') else 403
    if page in ADMIN_PAGES:
        return 200 if role == 'admin' else 403
    if page == '/server-area/':
        return 200 if role in ('manager', 'committee', 'auditor') else 403
    if page == '/inquiries/':
        return 200 if role in ('customer_center', 'committee') else 403
    if page == '/management-reviews/':
        return 200 if role in ('committee', 'auditor') else 403
    raise AssertionError('no expectation for %s' % page)


@pytest.mark.parametrize('page', PAGES)
@pytest.mark.parametrize('role', ROLES + (None,), ids=lambda r: r or 'anonymous')
def test_role_page_matrix(client, login_as, role, page):
    """Does each role get exactly the pages its role allows, and anonymous the login page?"""
    if role is not None:
        login_as(role)
    response = client.get(page)
    assert response.status_code == expected_status(role, page), (role, page)
    if role is None:
        assert response.headers['Location'].startswith('/login?next=')


def test_admin_pages_need_the_admin_role_on_post_too(client, login_as):
    """Is a committee member refused when posting to an admin form?"""
    login_as('committee')
    response = client.post('/admin/departments/new', data={'code': 'NEWDEPT', 'name': 'x'})
    assert response.status_code == 403
    from stintranet.auth.models import Department
    assert not Department.select().where(Department.code == 'NEWDEPT').exists()


def test_navigation_shows_only_permitted_pages(client, login_as):
    """Does an employee's navigation leave out the audit log and the admin pages?"""
    login_as('employee')
    home = client.get('/').text
    assert '/audit-log/' not in home
    assert '/admin/users' not in home


def test_navigation_shows_admin_pages_to_admin(client, login_as):
    """Does an admin's navigation show the accounts page but not the audit log?"""
    login_as('admin')
    home = client.get('/').text
    assert '/admin/users' in home
    assert '/audit-log/' not in home


def assert_baseline_headers(response):
    csp = response.headers['Content-Security-Policy']
    directives = {part.strip().split(' ', 1)[0]: part.strip() for part in csp.split(';')}
    assert "default-src 'self'" in directives['default-src']
    script_src = directives.get('script-src', directives['default-src'])
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert directives['frame-ancestors'] == "frame-ancestors 'none'"
    assert response.headers['X-Content-Type-Options'] == 'nosniff'
    assert response.headers['Referrer-Policy'] == 'same-origin'


@pytest.mark.parametrize('path', ['/login', '/', '/no-such-page', '/static/app.css'])
def test_security_headers_anonymous(client, path):
    """Does every response, error and static ones too, carry the baseline headers?"""
    response = client.get(path)
    assert_baseline_headers(response)


@pytest.mark.parametrize('path', ['/', '/account/password', '/audit-log/', '/admin/users'])
def test_authenticated_pages_are_not_cached(client, login_as, path):
    """Does every authenticated page, a 403 too, say Cache-Control: no-store?"""
    login_as('auditor')
    response = client.get(path)
    assert response.status_code in (200, 403)
    assert_baseline_headers(response)
    assert 'no-store' in response.headers['Cache-Control']


def test_no_inline_script_in_pages(client, login_as):
    """Do the pages load scripts only from files (the CSP would block inline ones)?"""
    login_as('committee')
    for path in ('/', '/audit-log/', '/account/password'):
        text = client.get(path).text
        assert '<script>' not in text
        assert ' onclick=' not in text and ' onload=' not in text


def session_cookie_header(response):
    cookies = [v for v in response.headers.getlist('Set-Cookie')
               if v.startswith('stintranet_session=')]
    assert cookies, response.headers
    return cookies[-1]


def login_response(client):
    user = factories.make_user()
    return client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})


def test_session_cookie_flags(client):
    """Is the session cookie HttpOnly and SameSite=Lax, and not Secure by default?"""
    header = session_cookie_header(login_response(client))
    assert 'HttpOnly' in header
    assert 'SameSite=Lax' in header
    assert 'Secure' not in header


class TestSecureCookie:
    @pytest.fixture
    def app_config(self):
        return {'SESSION_COOKIE_SECURE': True}

    def test_session_cookie_secure_when_configured(self, client):
        """Is the session cookie marked Secure when SESSION_COOKIE_SECURE is set?"""
        response = client.post('/login', base_url='https://localhost', data={
            'email': factories.make_user().email, 'password': factories.PASSWORD})
        header = session_cookie_header(response)
        assert '; Secure' in header and 'HttpOnly' in header


@pytest.mark.parametrize('path', ['/admin/users/999999', '/admin/users/abc',
                                  '/admin/users/-1', '/admin/departments/999999',
                                  '/admin/departments/abc', '/admin/users/1.5',
                                  '/admin/users/999999/unlock'])
def test_unknown_or_malformed_ids_are_404(client, login_as, path):
    """Does an unknown or non-numeric id give 404, not 500?"""
    login_as('admin')
    if path.endswith('/unlock'):
        response = client.post(path)
    else:
        response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize('method,path', [
    ('post', '/'), ('put', '/admin/users'), ('delete', '/admin/users/1'),
    ('get', '/admin/users/1/unlock'), ('get', '/admin/users/1/deactivate'),
    ('get', '/admin/users/1/reset-password'), ('post', '/audit-log/'),
    ('patch', '/account/password'), ('post', '/admin/departments'),
])
def test_wrong_methods_are_405(client, login_as, method, path):
    """Do unsupported methods on admin and content pages get 405 with an Allow header?
    (The administrator for the admin pages, an auditor for the rest: one account may not
    hold both roles.)"""
    login_as('admin' if path.startswith('/admin/') else 'auditor')
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response.headers.get('Allow')


def test_404_page_is_friendly(client, login_as):
    """Is a missing page a full HTML page with the navigation, not a stack trace?"""
    login_as('employee')
    response = client.get('/no-such-page')
    assert response.status_code == 404
    assert '<html' in response.text and 'Page not found' in response.text


def test_403_page_is_friendly(client, login_as):
    """Does a forbidden page explain itself with a 403 page?"""
    login_as('employee')
    response = client.get('/admin/users')
    assert response.status_code == 403
    assert 'You may not open this page' in response.text


def test_htmx_403_is_a_fragment(client, login_as):
    """Does a forbidden htmx request get a fragment, not a whole page?"""
    login_as('employee')
    response = client.get('/audit-log/', headers={'HX-Request': 'true'})
    assert response.status_code == 403
    assert '<html' not in response.text
