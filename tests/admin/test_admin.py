"""Administration: accounts, roles, sessions, departments."""
import datetime
import re

import pytest
from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.auth import passwords
from stintranet.auth.models import Department, ManagedDepartment, RoleGrant, User
from stintranet.db import utcnow
from tests import factories


@pytest.fixture
def admin(login_as):
    return login_as('admin', department='IT')


def last_event(action):
    return (AuditEvent.select().where(AuditEvent.action == action)
            .order_by(AuditEvent.seq.desc()).first())


def new_user_form(department, **overrides):
    data = {'email': 'hanako@st-group.example', 'name': 'Hanako Yamada',
            'department': department.id, 'roles': ['employee']}
    data.update(overrides)
    return data


def sign_in(client, email, password=factories.PASSWORD):
    return client.post('/login', data={'email': email, 'password': password})


def test_create_user_shows_one_time_password_once(client, admin):
    """Does creating an account show its one-time password once, and never again?"""
    sales = factories.make_department('SALES')
    response = client.post('/admin/users/new', data=new_user_form(sales))
    assert response.status_code == 200
    match = re.search(r'id="admin-one-time-password">([^<]+)<', response.text)
    assert match
    password = match.group(1)
    user = User.by_email('hanako@st-group.example')
    assert user.must_change_password
    assert passwords.verify_password(user.password_hash, password)
    assert 'no-store' in response.headers['Cache-Control']
    assert password not in client.get('/admin/users/%d' % user.id).text
    assert password not in client.get('/admin/users').text


def test_create_user_is_audited_without_the_password(client, admin):
    """Is a new account recorded in the audit log, by whom, without its password?"""
    sales = factories.make_department('SALES')
    response = client.post('/admin/users/new', data=new_user_form(sales))
    password = re.search(r'id="admin-one-time-password">([^<]+)<', response.text).group(1)
    user = User.by_email('hanako@st-group.example')
    event = last_event('create')
    assert (event.object_type, event.object_id) == ('user', str(user.id))
    assert event.actor_id == admin.id
    assert event.details_dict['roles'] == ['employee']
    assert password not in event.details


def test_new_user_must_change_password_at_first_login(client, admin, app):
    """Does the new account land on the change-password page at its first sign-in?"""
    sales = factories.make_department('SALES')
    response = client.post('/admin/users/new', data=new_user_form(sales))
    password = re.search(r'id="admin-one-time-password">([^<]+)<', response.text).group(1)
    other = app.test_client()
    first = sign_in(other, 'hanako@st-group.example', password)
    assert first.headers['Location'] == '/account/password'


def test_duplicate_email_is_422_and_keeps_input(client, admin):
    """Is a second account with the same e-mail (in other case) refused, the input kept?"""
    sales = factories.make_department('SALES')
    factories.make_user(email='taken@st-group.example')
    response = client.post('/admin/users/new', data=new_user_form(
        sales, email='TAKEN@st-group.example', name='Second Person'))
    assert response.status_code == 422
    assert 'Another account already uses this e-mail.' in response.text
    assert 'value="TAKEN@st-group.example"' in response.text
    assert 'value="Second Person"' in response.text
    assert User.select().where(User.email == 'taken@st-group.example').count() == 1


def test_manager_without_departments_is_422(client, admin):
    """Must a manager be given the departments they manage?"""
    sales = factories.make_department('SALES')
    response = client.post('/admin/users/new', data=new_user_form(
        sales, roles=['employee', 'manager']))
    assert response.status_code == 422
    assert 'Choose the departments this manager manages.' in response.text
    assert User.by_email('hanako@st-group.example') is None


def test_managed_departments_need_manager_role(client, admin):
    """Is a managed department refused for someone who is not a manager?"""
    sales = factories.make_department('SALES')
    response = client.post('/admin/users/new', data=new_user_form(sales, managed=[sales.id]))
    assert response.status_code == 422
    assert 'Only a personal-information manager manages departments.' in response.text


def test_no_role_is_422(client, admin):
    """Must an account hold at least one role?"""
    sales = factories.make_department('SALES')
    response = client.post('/admin/users/new', data=new_user_form(sales, roles=[]))
    assert response.status_code == 422
    assert 'Choose at least one role.' in response.text


def test_unknown_role_is_422(client, admin):
    """Is a role that does not exist refused?"""
    sales = factories.make_department('SALES')
    response = client.post('/admin/users/new', data=new_user_form(sales, roles=['root']))
    assert response.status_code == 422
    assert User.by_email('hanako@st-group.example') is None


def test_inactive_department_cannot_be_chosen(client, admin):
    """Is a deactivated department refused for a new account?"""
    closed = factories.make_department('CLOSED')
    closed.active = False
    closed.save()
    response = client.post('/admin/users/new', data=new_user_form(closed))
    assert response.status_code == 422
    assert User.by_email('hanako@st-group.example') is None


def test_create_manager_with_departments(client, admin):
    """Does an admin creating a manager of two departments ask for the manager role with
    both departments, the account holding only the employee role until approval?"""
    sales, hr = factories.make_department('SALES'), factories.make_department('HR')
    response = client.post('/admin/users/new', data=new_user_form(
        sales, roles=['employee', 'manager'], managed=[sales.id, hr.id]))
    assert response.status_code == 200
    user = User.load_for_session(User.by_email('hanako@st-group.example').id)
    assert user.roles == {'employee'}
    assert user.managed_department_ids == frozenset()
    grant = RoleGrant.pending_for(user.id)['manager']
    assert grant.wanted_departments == {sales.id, hr.id}


def test_edit_roles_is_audited_with_changes(client, admin):
    """Does changing someone's roles record the old and new roles, and the asking for a
    four-eyes role with its departments?"""
    user = factories.make_user(roles=('employee', 'manager'), manages=('SALES',))
    hr = factories.make_department('HR')
    response = client.post('/admin/users/%d' % user.id, data={
        'email': user.email, 'name': user.name, 'department': user.department_id,
        'roles': ['employee', 'admin'], 'managed': []})
    assert response.status_code == 303
    fresh = User.load_for_session(user.id)
    assert fresh.roles == {'employee', 'admin'}
    assert fresh.managed_department_ids == frozenset()
    event = last_event('update')
    assert event.object_id == str(user.id)
    changes = event.details_dict['changes']
    assert changes['roles'] == [['employee', 'manager'], ['admin', 'employee']]
    assert changes['manages'] == [['SALES'], []]
    assert 'name' not in changes
    response = client.post('/admin/users/%d' % user.id, data={
        'email': user.email, 'name': user.name, 'department': user.department_id,
        'roles': ['employee', 'admin', 'manager'], 'managed': [hr.id]})
    assert response.status_code == 303
    asked = last_event('role_grant_requested')
    assert asked.details_dict == {'user': user.id, 'role': 'manager', 'manages': ['HR']}
    assert User.load_for_session(user.id).roles == {'employee', 'admin'}


def test_edit_form_shows_current_values(client, admin):
    """Does the edit page show the account's e-mail, roles and managed departments?"""
    user = factories.make_user(roles=('employee', 'manager'), manages=('HR',))
    page = client.get('/admin/users/%d' % user.id)
    assert page.status_code == 200
    assert 'value="%s"' % user.email in page.text
    assert re.search(r'value="manager"[^>]*checked|checked[^>]*value="manager"', page.text)
    hr = Department.get(Department.code == 'HR')
    assert re.search(r'value="%d"[^>]*checked|checked[^>]*value="%d"' % (hr.id, hr.id),
                     page.text)


def test_role_change_ends_the_users_sessions(client, admin, app):
    """Does taking a role away sign the user out of their open sessions?"""
    user = factories.make_user(roles=('employee', 'auditor'))
    theirs = app.test_client()
    sign_in(theirs, user.email)
    assert theirs.get('/audit-log/').status_code == 200
    client.post('/admin/users/%d' % user.id, data={
        'email': user.email, 'name': user.name, 'department': user.department_id,
        'roles': ['employee']})
    response = theirs.get('/audit-log/')
    assert response.status_code == 302 and '/login' in response.headers['Location']


def test_admin_editing_own_account_keeps_roles_and_session(client, admin):
    """Does an admin's own account page offer no roles, and does saving their name keep
    their roles and their session?"""
    page = client.get('/admin/users/%d' % admin.id)
    assert page.status_code == 200
    assert 'name="roles"' not in page.text and 'name="managed"' not in page.text
    response = client.post('/admin/users/%d' % admin.id, data={
        'email': admin.email, 'name': 'Renamed Admin', 'department': admin.department_id})
    assert response.status_code == 303
    assert client.get('/admin/users').status_code == 200
    fresh = User.load_for_session(admin.id)
    assert fresh.name == 'Renamed Admin' and fresh.roles == {'admin'}


def test_deactivate_ends_sessions(client, admin, app):
    """Is a deactivated user's open session ended at once?"""
    user = factories.make_user()
    theirs = app.test_client()
    sign_in(theirs, user.email)
    assert theirs.get('/').status_code == 200
    response = client.post('/admin/users/%d/deactivate' % user.id)
    assert response.status_code == 303
    assert User.get_by_id(user.id).active is False
    ended = theirs.get('/')
    assert ended.status_code == 302 and '/login' in ended.headers['Location']
    assert sign_in(theirs, user.email).status_code == 401
    assert last_event('deactivate').object_id == str(user.id)


def test_activate_again(client, admin, app):
    """Can a deactivated user be activated and sign in again?"""
    user = factories.make_user()
    client.post('/admin/users/%d/deactivate' % user.id)
    assert client.post('/admin/users/%d/activate' % user.id).status_code == 303
    assert User.get_by_id(user.id).active is True
    assert sign_in(app.test_client(), user.email).status_code == 302
    assert last_event('activate').object_id == str(user.id)


def test_cannot_deactivate_self(client, admin):
    """Is an admin stopped from deactivating their own account?"""
    response = client.post('/admin/users/%d/deactivate' % admin.id, follow_redirects=True)
    assert 'You cannot deactivate your own account.' in response.text
    assert User.get_by_id(admin.id).active is True
    assert client.get('/admin/users').status_code == 200


@pytest.mark.parametrize('data', [{'roles': ['employee']}, {'roles': ['admin', 'committee']},
                                  {'managed': ['1']}])
def test_own_roles_cannot_be_changed_by_a_crafted_post(client, admin, data):
    """Does a crafted POST of one's own roles or managed departments get 403, one
    refused-access event, and no change?"""
    response = client.post('/admin/users/%d' % admin.id, data=dict(
        email=admin.email, name=admin.name, department=admin.department_id, **data))
    assert response.status_code == 403
    [event] = list(AuditEvent.select().where(AuditEvent.action == 'access_refused'))
    assert event.actor_id == admin.id and event.object_id == str(admin.id)
    assert event.details_dict['reason'] == 'own roles'
    assert User.load_for_session(admin.id).roles == {'admin'}
    assert not RoleGrant.select().where(RoleGrant.status == 'pending').exists()


def test_last_admin_is_detected(admin):
    """Is the only active administrator recognised as the last one, and not when there are two?"""
    from stintranet.admin.services import is_last_admin
    assert is_last_admin(admin)
    second = factories.make_user(roles=('admin',))
    assert not is_last_admin(admin)
    second.active = False
    second.save()
    assert is_last_admin(admin)


def test_other_admin_can_lose_admin_role(client, admin):
    """Can an admin take the admin role from another admin while one remains?"""
    other = factories.make_user(roles=('admin',))
    response = client.post('/admin/users/%d' % other.id, data={
        'email': other.email, 'name': other.name, 'department': other.department_id,
        'roles': ['employee']})
    assert response.status_code == 303
    assert User.load_for_session(other.id).roles == {'employee'}


def test_reset_password_issues_one_time_password(client, admin, app):
    """Does a reset issue a working one-time password and end the user's sessions?"""
    user = factories.make_user()
    theirs = app.test_client()
    sign_in(theirs, user.email)
    response = client.post('/admin/users/%d/reset-password' % user.id)
    assert response.status_code == 200
    password = re.search(r'id="admin-one-time-password">([^<]+)<', response.text).group(1)
    assert theirs.get('/').status_code == 302
    assert sign_in(theirs, user.email).status_code == 401
    assert sign_in(theirs, user.email, password).headers['Location'] == '/account/password'
    assert last_event('password_reset').object_id == str(user.id)


def test_unlock(client, admin, app):
    """Can an admin lift a lockout so the user signs in at once?"""
    user = factories.make_user()
    theirs = app.test_client()
    for _ in range(5):
        sign_in(theirs, user.email, 'wrong-password-000')
    assert User.get_by_id(user.id).is_locked()
    assert sign_in(theirs, user.email).status_code == 401
    page = client.get('/admin/users/%d' % user.id)
    assert 'Unlock' in page.text
    assert client.post('/admin/users/%d/unlock' % user.id).status_code == 303
    assert not User.get_by_id(user.id).is_locked()
    assert sign_in(theirs, user.email).status_code == 302
    assert last_event('unlock').object_id == str(user.id)


def test_user_list_search_and_filters(client, admin):
    """Does the account list find by name and filter by department and role?"""
    factories.make_user(name='Hanako Yamada', department='HR')
    factories.make_user(name='Taro Suzuki', department='SALES', roles=('auditor',))
    by_name = client.get('/admin/users?q=yamada').text
    assert 'Hanako Yamada' in by_name and 'Taro Suzuki' not in by_name
    hr = Department.get(Department.code == 'HR')
    by_department = client.get('/admin/users?department=%d' % hr.id).text
    assert 'Hanako Yamada' in by_department and 'Taro Suzuki' not in by_department
    by_role = client.get('/admin/users?role=auditor').text
    assert 'Taro Suzuki' in by_role and 'Hanako Yamada' not in by_role


def test_user_list_htmx_returns_rows_only(client, admin):
    """Does an htmx search return only the rows fragment, varying on HX-Request?"""
    response = client.get('/admin/users?q=x', headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert '<html' not in response.text
    assert 'id="admin-user-rows"' in response.text
    assert 'HX-Request' in response.headers['Vary']


def count_page_queries(client, path):
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_user_list_constant_queries(client, admin):
    """Does the account list cost the same number of queries (at most 8) for 3 and for 60
    accounts?"""
    factories.make_user(roles=('employee', 'manager'), manages=('HR',))
    factories.make_user(roles=('auditor',))
    few = count_page_queries(client, '/admin/users')
    for n in range(57):
        factories.make_user(roles=('employee', 'manager') if n % 3 == 0 else ('employee',),
                            department=('SALES', 'HR', 'IT')[n % 3])
    many = count_page_queries(client, '/admin/users')
    assert many == few <= 8
    page_two = count_page_queries(client, '/admin/users?page=2')
    assert page_two == few


def test_department_list_constant_queries(client, admin):
    """Does the department list cost the same number of queries (at most 8) for 2 and for
    30 departments?"""
    factories.make_department('HR')
    few = count_page_queries(client, '/admin/departments')
    for n in range(28):
        department = factories.make_department('D%02d' % n)
        factories.make_user(department=department)
    many = count_page_queries(client, '/admin/departments')
    assert many == few <= 8


def test_create_department(client, admin):
    """Can an admin create a department, its code upper-cased, with an audit entry?"""
    response = client.post('/admin/departments/new',
                           data={'code': ' legal2 ', 'name': 'Legal Two', 'active': 'y'})
    assert response.status_code == 303
    department = Department.get(Department.code == 'LEGAL2')
    assert department.name == 'Legal Two' and department.active
    event = last_event('create')
    assert (event.object_type, event.object_id) == ('department', str(department.id))


@pytest.mark.parametrize('code', ['', '1SALES', 'SA LES', 'SALES-X', 'Ü', 'A' * 17])
def test_bad_department_code_is_422(client, admin, code):
    """Is a code that is empty, starts with a digit or holds other characters refused?"""
    response = client.post('/admin/departments/new',
                           data={'code': code, 'name': 'Some name', 'active': 'y'})
    assert response.status_code == 422
    assert 'value="Some name"' in response.text
    assert Department.select().where(Department.name == 'Some name').count() == 0


def test_duplicate_department_code_is_422(client, admin):
    """Is a second department with an existing code (any case) refused?"""
    factories.make_department('SALES')
    response = client.post('/admin/departments/new',
                           data={'code': 'sales', 'name': 'Other sales', 'active': 'y'})
    assert response.status_code == 422
    assert 'Another department already has this code.' in response.text


def test_department_name_required(client, admin):
    """Is a blank name refused?"""
    response = client.post('/admin/departments/new',
                           data={'code': 'NONAME', 'name': '   ', 'active': 'y'})
    assert response.status_code == 422
    assert not Department.select().where(Department.code == 'NONAME').exists()


def test_rename_department(client, admin):
    """Can an admin rename a department, the change recorded old → new?"""
    department = factories.make_department('HR', name='Human Resources')
    page = client.get('/admin/departments/%d' % department.id)
    assert 'value="Human Resources"' in page.text
    response = client.post('/admin/departments/%d' % department.id,
                           data={'code': 'HR', 'name': 'People Department', 'active': 'y'})
    assert response.status_code == 303
    assert Department.get_by_id(department.id).name == 'People Department'
    changes = last_event('update').details_dict['changes']
    assert changes == {'name': ['Human Resources', 'People Department']}


def test_keeping_own_code_is_not_a_duplicate(client, admin):
    """Can a department be saved with its own code unchanged?"""
    department = factories.make_department('HR')
    response = client.post('/admin/departments/%d' % department.id,
                           data={'code': 'HR', 'name': department.name, 'active': 'y'})
    assert response.status_code == 303


def test_deactivate_department(client, admin):
    """Does unticking Active deactivate the department and remove it from the choices?"""
    department = factories.make_department('OLD')
    response = client.post('/admin/departments/%d' % department.id,
                           data={'code': 'OLD', 'name': department.name})
    assert response.status_code == 303
    assert Department.get_by_id(department.id).active is False
    assert last_event('update').details_dict['changes'] == {'active': [True, False]}
    form = client.get('/admin/users/new').text
    assert 'OLD — ' not in form


def test_user_keeps_deactivated_department_on_edit(client, admin):
    """Can an account whose department was deactivated still be edited and saved?"""
    user = factories.make_user(department='OLD')
    department = Department.get(Department.code == 'OLD')
    department.active = False
    department.save()
    page = client.get('/admin/users/%d' % user.id)
    assert page.status_code == 200 and 'OLD — ' in page.text
    response = client.post('/admin/users/%d' % user.id, data={
        'email': user.email, 'name': 'Renamed', 'department': department.id,
        'roles': ['employee']})
    assert response.status_code == 303
    assert User.get_by_id(user.id).name == 'Renamed'


def test_department_list_counts_users(client, admin):
    """Does the department list show how many accounts each has?"""
    for _ in range(3):
        factories.make_user(department='HR')
    text = client.get('/admin/departments').text
    row = re.search(r'>HR</a></td><td>[^<]*</td><td>(\d+)</td>', text)
    assert row and row.group(1) == '3'


def test_admin_with_one_time_password_cannot_act_before_changing(client, app):
    """Is an admin who must change their password stopped from admin actions first?"""
    admin = factories.make_user(roles=('admin',), must_change_password=True)
    sign_in(client, admin.email)
    response = client.post('/admin/departments/new',
                           data={'code': 'SNEAK', 'name': 'Sneak', 'active': 'y'})
    assert response.status_code == 302
    assert response.headers['Location'] == '/account/password'
    assert not Department.select().where(Department.code == 'SNEAK').exists()


def test_locked_user_shown_on_admin_home(client, admin):
    """Does the admin's home page list a locked account?"""
    user = factories.make_user(email='locked.person@st-group.example')
    user.locked_until = utcnow() + datetime.timedelta(minutes=10)
    user.save()
    assert 'locked.person@st-group.example' in client.get('/home/panels/admin').text


def test_managed_rows_removed_with_role(client, admin):
    """Does removing the manager role also remove the managed departments?"""
    user = factories.make_user(roles=('employee', 'manager'), manages=('HR',))
    client.post('/admin/users/%d' % user.id, data={
        'email': user.email, 'name': user.name, 'department': user.department_id,
        'roles': ['employee']})
    assert ManagedDepartment.select().where(ManagedDepartment.user == user.id).count() == 0
