"""Recurrence and overdue marking by the daily job, over a year of `jobs run --today`."""
import datetime

from stintranet.auditlog.models import AuditEvent
from stintranet.training import models, services
from stintranet.training.models import COMPLETED, OPEN, Assignment
from stintranet.training.services import add_months
from tests import factories
from tests.training.factories import current, make_course

START = datetime.date(2026, 1, 5)  # a Monday


def run_job(runner, day):
    result = runner.invoke(args=['jobs', 'run', '--today', day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def cycles(course, user):
    return list(Assignment.select().where((Assignment.course == course.id)
                                          & (Assignment.user == user.id))
                .order_by(Assignment.cycle))


def test_add_months_clamps_to_the_month_end():
    """Does one month after 31 January fall on the last day of February?"""
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)
    assert add_months(datetime.date(2026, 5, 31), 12) == datetime.date(2027, 5, 31)


def test_a_year_of_quarterly_recurrence(runner):
    """Over a year of weekly job runs, does each completion bring the next cycle three months on, and is the laggard marked overdue once?"""
    diligent = factories.make_user(name='Diligent')
    laggard = factories.make_user(name='Laggard')
    course = make_course(recurrence_months=3, due_days=14, today=START)
    services.acknowledge(current(course, diligent), diligent, datetime.date(2026, 1, 10))

    day = START
    while day <= datetime.date(2027, 1, 4):
        run_job(runner, day)
        assignment = current(course, diligent)
        if assignment.status == OPEN:
            services.acknowledge(assignment, diligent, day)
        day += datetime.timedelta(days=7)

    rows = cycles(course, diligent)
    assert [(r.cycle, r.assigned_on, r.due_on, r.completed_on) for r in rows] == [
        (1, datetime.date(2026, 1, 5), datetime.date(2026, 1, 19), datetime.date(2026, 1, 10)),
        (2, datetime.date(2026, 4, 10), datetime.date(2026, 4, 24), datetime.date(2026, 4, 13)),
        (3, datetime.date(2026, 7, 13), datetime.date(2026, 7, 27), datetime.date(2026, 7, 13)),
        (4, datetime.date(2026, 10, 13), datetime.date(2026, 10, 27),
         datetime.date(2026, 10, 19)),
    ]
    assert [r.is_current for r in rows] == [False, False, False, True]
    assert all(r.status == COMPLETED and r.overdue_marked_on is None for r in rows)

    late = cycles(course, laggard)
    assert len(late) == 1
    assert late[0].status == OPEN and late[0].overdue_marked_on == datetime.date(2026, 1, 26)

    before = AuditEvent.select().count()
    output = run_job(runner, datetime.date(2027, 1, 4))
    assert 'training-recur: 0 new cycles' in output
    assert 'training-mark-overdue: 0 newly overdue' in output
    assert len(cycles(course, diligent)) == 4
    assert AuditEvent.select().where(AuditEvent.seq > before,
                                     AuditEvent.action.in_(['recur', 'mark_overdue', 'assign'])
                                     ).count() == 0


def test_a_skipped_month_catches_up_with_the_right_dates(runner):
    """When the job has not run for months, is the next cycle still dated from the renewal day and marked overdue at once?"""
    user = factories.make_user()
    course = make_course(recurrence_months=1, due_days=7, today=START)
    services.acknowledge(current(course, user), user, datetime.date(2026, 1, 31))
    output = run_job(runner, datetime.date(2026, 3, 20))
    assert 'training-recur: 1 new cycles' in output
    assert 'training-mark-overdue: 1 newly overdue' in output
    renewal = current(course, user)
    assert renewal.cycle == 2
    assert renewal.assigned_on == datetime.date(2026, 2, 28)
    assert renewal.due_on == datetime.date(2026, 3, 7)
    assert renewal.overdue_marked_on == datetime.date(2026, 3, 20)


def test_one_off_course_does_not_recur(runner):
    """Does a course with recurrence 0 stay completed for good?"""
    user = factories.make_user()
    course = make_course(recurrence_months=0, today=START)
    services.acknowledge(current(course, user), user, START)
    run_job(runner, datetime.date(2028, 1, 1))
    assert len(cycles(course, user)) == 1


def test_recurrence_skips_people_who_left_the_audience(runner):
    """Is no new cycle created for someone no longer in the course's audience?"""
    from stintranet.admin import services as admin_services
    user = factories.make_user(department='SALES')
    course = make_course(audience='departments', departments=('SALES',), recurrence_months=1,
                         today=START)
    services.acknowledge(current(course, user), user, START)
    admin_services.update_user(user, email=user.email, name=user.name,
                               department=factories.make_department('HR'), roles=['employee'],
                               managed=[], actor=None)
    run_job(runner, datetime.date(2026, 6, 1))
    assert [(r.cycle, r.is_current) for r in cycles(course, user)] == [(1, False)]
    rows = {r.code: r for r in models.compliance(factories.make_user(roles=('committee',)),
                                                 datetime.date(2026, 6, 1))}
    assert rows['HR'].assigned == 0 and rows['SALES'].assigned == 0
