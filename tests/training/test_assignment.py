"""Who gets a course: the audience at publication, and whoever joins it later."""
import datetime

from stintranet.admin import services as admin_services
from stintranet.auditlog.models import AuditEvent
from stintranet.auth.models import Department
from stintranet.training import services
from stintranet.training.models import COMPLETED, OPEN, WITHDRAWN, Assignment
from tests import factories
from tests.training.factories import DAY, current, make_course


def assigned_ids(course):
    return {a.user_id for a in Assignment.select().where(
        (Assignment.course == course.id) & (Assignment.is_current == True)  # noqa: E712
        & (Assignment.status != WITHDRAWN))}


def test_all_employees_audience_leaves_out_admins_and_deactivated():
    """Does "all employees" reach every active staff member but not admin-only or deactivated accounts?"""
    alice = factories.make_user(roles=('employee',))
    chair = factories.make_user(roles=('committee',), department='LEGAL')
    admin = factories.make_user(roles=('admin',), department='IT')
    gone = factories.make_user(roles=('employee',))
    admin_services.set_active(gone, False, None)
    course = make_course(audience='all')
    assert assigned_ids(course) == {alice.id, chair.id}
    assert admin.id not in assigned_ids(course)
    assignment = current(course, alice)
    assert assignment.assigned_on == DAY
    assert assignment.due_on == DAY + datetime.timedelta(days=30)
    assert assignment.status == OPEN and assignment.cycle == 1


def test_managers_and_committee_audiences():
    """Do the managers' and committee's courses reach only holders of those roles?"""
    employee = factories.make_user()
    manager = factories.make_user(roles=('employee', 'manager'))
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    assert assigned_ids(make_course(audience='managers')) == {manager.id}
    assert assigned_ids(make_course(audience='committee')) == {member.id}
    assert employee.id not in assigned_ids(make_course(audience='managers'))


def test_chosen_departments_audience():
    """Does a course for chosen departments reach only their staff?"""
    sales = factories.make_user(department='SALES')
    hr = factories.make_user(department='HR')
    it = factories.make_user(department='IT')
    course = make_course(audience='departments', departments=('SALES', 'IT'))
    assert assigned_ids(course) == {sales.id, it.id}
    assert hr.id not in assigned_ids(course)


def test_draft_assigns_nobody():
    """Is a draft course assigned to nobody until it is published?"""
    factories.make_user()
    course = make_course(publish=False)
    assert assigned_ids(course) == set()
    services.publish_course(course, None, DAY)
    assert len(assigned_ids(course)) == 1


def test_new_account_is_assigned_by_the_daily_job(runner):
    """Does an account created after publication get the course from `jobs run`?"""
    course = make_course(audience='all')
    newcomer = factories.make_user()
    assert current(course, newcomer) is None
    result = runner.invoke(args=['jobs', 'run', '--today', '2026-04-10'])
    assert result.exit_code == 0, result.output
    assert 'training-assign: 1 assigned' in result.output
    assignment = current(course, newcomer)
    assert assignment.assigned_on == datetime.date(2026, 4, 10)
    again = runner.invoke(args=['jobs', 'run', '--today', '2026-04-10'])
    assert 'training-assign: 0 assigned, 0 withdrawn' in again.output
    assert Assignment.select().where(Assignment.user == newcomer.id).count() == 1


def test_new_account_is_assigned_when_opening_training(client, login_as):
    """Does a newcomer see the course on /training/ before any daily job?"""
    course = make_course(audience='departments', departments=('SALES',))
    user = login_as('employee', department='SALES')
    assert current(course, user) is None
    page = client.get('/training/')
    assert page.status_code == 200
    assert course.title in page.text
    assert current(course, user).status == OPEN
    assert client.get('/training/').status_code == 200
    assert Assignment.select().where(Assignment.user == user.id).count() == 1


def test_role_change_brings_the_managers_course():
    """Does an employee made manager get the managers' course at the next sync?"""
    course = make_course(audience='managers')
    user = factories.make_user()
    assert current(course, user) is None
    sales = Department.get(Department.code == 'SALES')
    admin = factories.make_user(roles=['admin'], department='HR')
    chair = factories.make_user(roles=['employee', 'committee'], department='LEGAL')
    grants = admin_services.update_user(user, email=user.email, name=user.name,
                                        department=sales, roles=['employee', 'manager'],
                                        managed=[sales], actor=admin)
    services.sync_all(DAY + datetime.timedelta(days=1))
    assert current(course, user) is None  # asked for, not yet approved (four eyes)
    for grant in grants:
        admin_services.decide_grant(grant.id, approve=True, actor=chair)
    services.sync_all(DAY + datetime.timedelta(days=1))
    assert current(course, user).status == OPEN


def test_department_move_assigns_and_withdraws():
    """Does moving to another department withdraw the old department's open course and assign the new one's?"""
    sales_course = make_course(audience='departments', departments=('SALES',))
    hr_course = make_course(audience='departments', departments=('HR',))
    user = factories.make_user(department='SALES')
    services.sync_all(DAY)
    assert current(sales_course, user).status == OPEN
    hr = factories.make_department('HR')
    admin_services.update_user(user, email=user.email, name=user.name, department=hr,
                               roles=['employee'], managed=[], actor=None)
    day = DAY + datetime.timedelta(days=3)
    services.sync_all(day)
    old = current(sales_course, user)
    assert old.status == WITHDRAWN and old.withdrawn_on == day
    assert current(hr_course, user).status == OPEN
    assert AuditEvent.select().where(AuditEvent.action == 'assign').count() >= 3


def test_returning_to_the_audience_starts_a_new_cycle():
    """Does someone who leaves and rejoins get a fresh assignment, the withdrawn one kept?"""
    course = make_course(audience='departments', departments=('SALES',))
    user = factories.make_user(department='SALES')
    services.sync_all(DAY)
    hr, sales = factories.make_department('HR'), factories.make_department('SALES')
    admin_services.update_user(user, email=user.email, name=user.name, department=hr,
                               roles=['employee'], managed=[], actor=None)
    services.sync_all(DAY)
    admin_services.update_user(user, email=user.email, name=user.name, department=sales,
                               roles=['employee'], managed=[], actor=None)
    services.sync_all(DAY + datetime.timedelta(days=7))
    rows = list(Assignment.select().where(Assignment.course == course.id)
                .order_by(Assignment.cycle))
    assert [(r.user_id, r.cycle, r.status, r.is_current) for r in rows] == [
        (user.id, 1, WITHDRAWN, False), (user.id, 2, OPEN, True)]


def test_deactivation_withdraws_open_but_keeps_completions():
    """Does deactivating an account withdraw its open training and keep what it completed?"""
    first = make_course()
    second = make_course()
    user = factories.make_user()
    services.sync_all(DAY)
    services.acknowledge(current(first, user), user, DAY)
    admin_services.set_active(user, False, None)
    services.sync_all(DAY)
    assert current(second, user).status == WITHDRAWN
    done = Assignment.get((Assignment.course == first.id) & (Assignment.user == user.id))
    assert done.status == COMPLETED and not done.is_current


def test_retiring_withdraws_open_assignments(client, login_as):
    """Does retiring a course withdraw the open assignments and keep the completed ones?"""
    login_as('committee', department='LEGAL')
    done_user, open_user = factories.make_user(), factories.make_user()
    course = make_course()
    services.acknowledge(current(course, done_user), done_user, DAY)
    response = client.post('/training/courses/%d/retire' % course.id)
    assert response.status_code == 303
    assert current(course, open_user).status == WITHDRAWN
    assert current(course, done_user).status == COMPLETED
    again = client.post('/training/courses/%d/retire' % course.id)
    assert again.status_code == 409
    assert 'Only a published course can be retired' in again.text


def test_another_persons_assignment_is_404(client, login_as):
    """Does asking for someone else's assignment answer 404?"""
    other = factories.make_user()
    course = make_course()
    login_as('employee')
    assignment = current(course, other)
    assert client.get('/training/assignments/%d' % assignment.id).status_code == 404
    assert client.post('/training/assignments/%d/acknowledge' % assignment.id,
                       data={'confirm': 'y'}).status_code == 404
    assert current(course, other).status == OPEN


def test_acknowledgement_completes_and_is_audited(client, login_as):
    """Does confirming the material complete a course without a quiz, once?"""
    user = login_as('employee')
    course = make_course()
    assignment = current(course, user)
    missing = client.post('/training/assignments/%d/acknowledge' % assignment.id, data={})
    assert missing.status_code == 422
    assert 'Tick the box' in missing.text
    done = client.post('/training/assignments/%d/acknowledge' % assignment.id,
                       data={'confirm': 'y'})
    assert done.status_code == 303
    fresh = current(course, user)
    assert fresh.status == COMPLETED and fresh.completion_source == 'acknowledgement'
    event = AuditEvent.select().where(AuditEvent.action == 'complete').get()
    assert event.actor_id == user.id and event.object_id == str(assignment.id)
    twice = client.post('/training/assignments/%d/acknowledge' % assignment.id,
                        data={'confirm': 'y'})
    assert twice.status_code == 409
    assert 'completed this training already' in twice.text
    certificate = client.get('/training/assignments/%d/certificate' % assignment.id)
    assert certificate.status_code == 200
    assert user.name in certificate.text and course.title in certificate.text
