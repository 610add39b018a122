"""Separation of duties: an administrator asks for roles that open content, a committee
member other than the requester and the holder approves them; admin never goes with
committee, Customer Center or auditor; resets of those accounts are not silent."""
import pytest

from stintranet import seed
from stintranet.auditlog.models import AuditEvent
from stintranet.auth import roles as R
from stintranet.auth.models import RoleGrant, User, UserRole
from stintranet.auth.services import SeparationError, create_user
from stintranet.dashboard import worklist
from stintranet.db import utcnow
from stintranet.jobs import tasks
from stintranet.notifications.models import Notification
from tests import factories


def sign_in(client, user):
    client.post('/logout')
    response = client.post('/login', data={'email': user.email,
                                           'password': factories.PASSWORD})
    assert response.status_code == 302


def edit(client, user, roles, managed=()):
    return client.post('/admin/users/%d' % user.id, data={
        'email': user.email, 'name': user.name, 'department': user.department_id,
        'roles': list(roles), 'managed': [str(m) for m in managed]})


def events(action):
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.seq))


def roles_of(user):
    return User.load_for_session(user.id).roles


@pytest.fixture
def people(app):
    admin = factories.make_user(roles=('admin',), department='IT', email='admin@x.example')
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL',
                                email='chair@x.example')
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL',
                                 email='member@x.example')
    carol = factories.make_user(roles=('employee',), department='HR', email='carol@x.example')
    return admin, chair, member, carol


def test_a_committee_role_waits_for_another_members_approval(client, people):
    """Does granting committee to carol leave her without it, shown as pending on her
    account page, in the committee's bell and work list, until a committee member
    approves; and is each step audit-logged?"""
    admin, chair, member, carol = people
    sign_in(client, admin)
    response = edit(client, carol, ['employee', 'committee'])
    assert response.status_code == 303
    assert roles_of(carol) == {'employee'}
    page = client.get('/admin/users/%d' % carol.id).text
    assert 'Protection Committee (awaiting approval)' in page
    assert 'id="admin-user-pending"' in page
    grant = RoleGrant.get(RoleGrant.user == carol.id)
    assert (grant.status, grant.requested_by_id) == ('pending', admin.id)
    told = {n.user_id for n in Notification.select().where(
        Notification.key == 'role-grant:%d' % grant.id)}
    assert told == {chair.id, member.id}
    with client.application.test_request_context('/'):
        work = worklist.for_user(User.load_for_session(chair.id), utcnow().date(), utcnow())
    [item] = [i for i in work.items if i.kind.name == 'role-grant']
    assert item.reference == '#%d' % grant.id

    # The administrator cannot decide (a committee-only action): 403, on the record.
    assert client.post('/admin/role-grants/%d/approve' % grant.id).status_code == 403
    assert roles_of(carol) == {'employee'}
    assert events('access_refused')[-1].object_id == str(grant.id)

    sign_in(client, chair)
    listing = client.get('/admin/role-grants')
    assert 'admin-grant-%d' % grant.id in listing.text
    assert client.post('/admin/role-grants/%d/approve' % grant.id).status_code == 303
    assert roles_of(carol) == {'employee', 'committee'}
    assert RoleGrant.get_by_id(grant.id).decided_by_id == chair.id
    assert [e.action for e in AuditEvent.select().where(
        AuditEvent.object_type == 'role_grant').order_by(AuditEvent.seq)] == [
        'role_grant_requested', 'role_grant_approved']
    assert Notification.select().where((Notification.user == carol.id)
                                       & (Notification.key.startswith('role-grant'))).exists()
    assert Notification.select().where((Notification.user == admin.id)
                                       & (Notification.key.startswith('role-grant'))).exists()
    # Decided once: a second decision is refused.
    assert client.post('/admin/role-grants/%d/refuse' % grant.id).status_code == 303
    assert RoleGrant.get_by_id(grant.id).status == 'approved'


def test_the_holder_cannot_approve_their_own_grant(client, people):
    """Is a committee member asked an auditor role refused when approving it themselves,
    while another member may refuse it?"""
    admin, chair, member, carol = people
    sign_in(client, admin)
    edit(client, member, ['employee', 'committee', 'auditor'])
    grant = RoleGrant.get((RoleGrant.user == member.id) & (RoleGrant.role == 'auditor'))
    sign_in(client, member)
    assert client.post('/admin/role-grants/%d/approve' % grant.id).status_code == 403
    assert 'auditor' not in roles_of(member)
    assert 'A grant to you' in client.get('/admin/role-grants').text
    sign_in(client, chair)
    assert client.post('/admin/role-grants/%d/refuse' % grant.id).status_code == 303
    assert RoleGrant.get_by_id(grant.id).status == 'refused'
    assert 'auditor' not in roles_of(member)
    assert events('role_grant_refused')[0].actor_id == chair.id


def test_a_manager_grant_carries_its_departments(client, people):
    """Does a manager grant add the role and its departments on approval; is a further
    department asked for again, and a department taken away at once?"""
    admin, chair, member, carol = people
    hr, it = factories.make_department('HR'), factories.make_department('IT')
    sign_in(client, admin)
    assert edit(client, carol, ['employee', 'manager'], [hr.id]).status_code == 303
    grant = RoleGrant.get(RoleGrant.user == carol.id)
    sign_in(client, chair)
    client.post('/admin/role-grants/%d/approve' % grant.id)
    fresh = User.load_for_session(carol.id)
    assert fresh.roles == {'employee', 'manager'} and fresh.managed_department_ids == {hr.id}

    sign_in(client, admin)
    edit(client, carol, ['employee', 'manager'], [hr.id, it.id])
    assert User.load_for_session(carol.id).managed_department_ids == {hr.id}
    second = RoleGrant.pending_for(carol.id)['manager']
    assert second.wanted_departments == {it.id}
    edit(client, carol, ['employee', 'manager'], [it.id])  # HR away now, IT still asked
    assert User.load_for_session(carol.id).managed_department_ids == frozenset()
    assert RoleGrant.pending_for(carol.id)['manager'].id == second.id


def test_unticking_a_pending_role_withdraws_it(client, people):
    """Is a pending grant withdrawn (and logged) when the administrator unticks it?"""
    admin, chair, member, carol = people
    sign_in(client, admin)
    edit(client, carol, ['employee', 'customer_center'])
    edit(client, carol, ['employee'])
    assert RoleGrant.get(RoleGrant.user == carol.id).status == 'withdrawn'
    assert len(events('role_grant_withdrawn')) == 1
    assert 'No grant is waiting' in client.get('/admin/users/%d' % carol.id).text


@pytest.mark.parametrize('role', ['committee', 'customer_center', 'auditor'])
def test_admin_never_goes_with_a_content_role(client, people, role):
    """Does the form refuse admin together with a role that reads content, saying why?"""
    admin, chair, member, carol = people
    sign_in(client, admin)
    response = edit(client, carol, ['employee', 'admin', role])
    assert response.status_code == 422
    assert 'A system administrator cannot also hold' in response.text
    assert roles_of(carol) == {'employee'}
    assert not RoleGrant.select().where(RoleGrant.user == carol.id).exists()
    response = client.post('/admin/users/new', data={
        'email': 'x@x.example', 'name': 'X', 'department': carol.department_id,
        'roles': ['admin', role]})
    assert response.status_code == 422


def test_approval_is_refused_for_an_administrator(client, people):
    """Is a pending committee grant not approved once its holder became an administrator?"""
    admin, chair, member, carol = people
    sign_in(client, admin)
    edit(client, carol, ['employee', 'committee'])
    grant = RoleGrant.get(RoleGrant.user == carol.id)
    UserRole.create(user=carol.id, role='admin')  # as an older rule or a script could
    sign_in(client, chair)
    response = client.post('/admin/role-grants/%d/approve' % grant.id, follow_redirects=True)
    assert 'who may not also hold this role' in response.text
    assert RoleGrant.get_by_id(grant.id).status == 'pending'
    assert 'committee' not in roles_of(carol)


def test_create_user_refuses_admin_with_a_content_role(app):
    """Does the service (used by create-user and the seed) refuse admin with auditor?"""
    department = factories.make_department('IT')
    with pytest.raises(SeparationError):
        create_user('z@x.example', 'Z', department, ['admin', 'auditor'], password='x' * 12)
    assert User.by_email('z@x.example') is None


def test_create_user_command_refuses_admin_with_committee(runner, app):
    """Does ``create-user`` refuse admin with committee before reading a password?"""
    factories.make_department('IT')
    result = runner.invoke(args=['create-user', 'z@x.example', '--name', 'Z', '--department',
                                 'IT', '--role', 'admin', '--role', 'committee'],
                           input='Tokyo-harbour-lights-2026\n')
    assert result.exit_code != 0 and 'separation of duties' in result.output
    assert User.by_email('z@x.example') is None


def test_demo_accounts_keep_their_roles_granted_by_the_seed(app):
    """Do the demo accounts hold their roles at once, each four-eyes role recorded as an
    approved grant given by the seed?"""
    seed.seed_demo(factories.PASSWORD)
    chair = User.load_for_session(User.by_email(seed.demo_email('chair')).id)
    assert 'committee' in chair.roles
    grant = RoleGrant.get((RoleGrant.user == chair.id) & (RoleGrant.role == 'committee'))
    assert (grant.status, grant.via, grant.requested_by_id) == ('approved', 'seed', None)
    manager = User.by_email(seed.demo_email('manager.hr'))
    assert RoleGrant.get(RoleGrant.user == manager.id).department_ids == \
        frozenset(User.load_for_session(manager.id).managed_department_ids)
    assert not RoleGrant.select().where(RoleGrant.role.not_in(R.FOUR_EYES)).exists()


@pytest.mark.parametrize('role,told', [('committee', True), ('customer_center', True),
                                       ('auditor', True), ('manager', False)])
def test_resetting_a_content_readers_password_is_not_silent(client, people, role, told):
    """Does resetting the password of a committee, Customer Center or auditor account
    notify that person and the committee (and not for others)?"""
    admin, chair, member, carol = people
    target = factories.make_user(roles=('employee', role), department='HR')
    sign_in(client, admin)
    assert client.post('/admin/users/%d/reset-password' % target.id).status_code == 200
    notified = {n.user_id for n in Notification.select().where(
        Notification.key.startswith('password-reset:%d:' % target.id))}
    assert notified == ({target.id, chair.id, member.id} if told else set())


def test_accounts_holding_both_are_reported(client, people, runner):
    """Is an account holding admin with a content role (from before the rule) listed on
    the accounts page, told to the committee by the daily job once, and named by
    init-db?"""
    admin, chair, member, carol = people
    UserRole.create(user=member.id, role='admin')
    sign_in(client, admin)
    page = client.get('/admin/users').text
    assert 'id="admin-separation"' in page and member.email in page
    task = next(t for t in tasks() if t.name == 'separation-of-duties')
    assert task.func(utcnow().date()).startswith('1 accounts')
    task.func(utcnow().date())
    notices = list(Notification.select().where(Notification.key.startswith('separation:')))
    assert [n.user_id for n in notices] == [chair.id]
    result = runner.invoke(args=['init-db'])
    assert result.exit_code == 0 and member.email in result.output
