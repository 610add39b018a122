"""Training's part of the daily job: assignments for the audiences, the next cycles of
recurring courses, overdue marks, expired CSV uploads, and reminders of what is due."""
import datetime

from flask_babel import lazy_gettext as _l

from ..auth.models import User
from ..jobs import task
from ..languages import lazy_date
from ..notifications.recipients import managers_by_department
from ..notifications.services import link_to, notify
from . import importer, people, services
from .models import OPEN, PUBLISHED, Assignment, Course

DUE_SOON_DAYS = 7


@task('training-assign')
def assign_audiences(today):
    """Every published course assigned to whoever joined its audience, withdrawn from
    whoever left it."""
    assigned, withdrawn = services.sync_all(today)
    return '%d assigned, %d withdrawn' % (assigned, withdrawn)


@task('training-recur')
def next_cycles(today):
    """Recurring courses start their next cycle where a completion falls due again."""
    return '%d new cycles' % services.recur(today)


@task('training-mark-overdue', after=('training-assign',))
def mark_overdue(today):
    """Open assignments past their due date are marked; after the audiences are synced,
    so that a leaver's assignment is withdrawn rather than marked."""
    return '%d newly overdue' % services.mark_overdue(today)


@task('training-imports-purge')
def purge_imports(today):
    return '%d purged' % importer.purge_expired()


def _open_assignments(until):
    """Open current assignments of published courses for active staff, due by ``until``."""
    return (Assignment.select(Assignment, Course, User)
            .join(Course, on=(Assignment.course == Course.id))
            .switch(Assignment).join(User, on=(Assignment.user == User.id))
            .where((Assignment.is_current == True) & (Assignment.status == OPEN)  # noqa: E712
                   & (Course.status == PUBLISHED) & (Assignment.due_on <= until)
                   & User.id.in_(people.staff_ids()))
            .order_by(Assignment.due_on, Assignment.id))


@task('training-reminders', after=('training-assign', 'training-recur'),
      before=('mail-delivery',))
def training_due(today):
    """Each person hears once of a course due within 7 days and once when it is overdue;
    the managers of their department hear of the overdue one by its certificate number,
    without the person's name."""
    assignments = list(_open_assignments(today + datetime.timedelta(days=DUE_SOON_DAYS)))
    managers = managers_by_department(
        a.user.department_id for a in assignments if a.due_on < today)
    sent = 0
    for a in assignments:
        title = a.course.title
        link = link_to('training.assignment', assignment_id=a.id)
        if a.due_on >= today:
            sent += len(notify([a.user], 'training:%d:due-soon' % a.id,
                               _l('Training due on %(day)s: %(title)s',
                                  day=lazy_date(a.due_on), title=title),
                               link=link))
            continue
        sent += len(notify([a.user], 'training:%d:overdue' % a.id,
                           _l('Training overdue since %(day)s: %(title)s',
                              day=lazy_date(a.due_on), title=title),
                           link=link))
        staff_managers = [m for m in managers.get(a.user.department_id, []) if m.id != a.user_id]
        sent += len(notify(staff_managers, 'training:%d:overdue-department' % a.id,
                           _l('Training overdue in your department: %(title)s (%(number)s, '
                              'due %(day)s)', title=title, number=a.certificate_number,
                              day=lazy_date(a.due_on)),
                           link=link_to('training.overdue', course=a.course_id)))
    return '%d notifications' % sent
