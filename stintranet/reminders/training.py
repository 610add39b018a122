"""Training events: an assignment due within 7 days, and overdue (the person, then the
managers of their department)."""
import datetime

from .. import jobs
from ..auth.models import User
from ..notifications.services import link_to, notify
from ..training import people
from ..training.models import OPEN, PUBLISHED, Assignment, Course
from .people import managers_by_department

DUE_SOON_DAYS = 7


def _open_assignments(until):
    """Open current assignments of published courses for active staff, due by ``until``."""
    return (Assignment.select(Assignment, Course, User)
            .join(Course, on=(Assignment.course == Course.id))
            .switch(Assignment).join(User, on=(Assignment.user == User.id))
            .where((Assignment.is_current == True) & (Assignment.status == OPEN)  # noqa: E712
                   & (Course.status == PUBLISHED) & (Assignment.due_on <= until)
                   & User.id.in_(people.staff_ids()))
            .order_by(Assignment.due_on, Assignment.id))


@jobs.register(340, 'reminders: training due and overdue')
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
                               'Training due on %s: %s' % (a.due_on.isoformat(), title),
                               link=link))
            continue
        sent += len(notify([a.user], 'training:%d:overdue' % a.id,
                           'Training overdue since %s: %s' % (a.due_on.isoformat(), title),
                           link=link))
        staff_managers = [m for m in managers.get(a.user.department_id, []) if m.id != a.user_id]
        sent += len(notify(staff_managers, 'training:%d:overdue-department' % a.id,
                           'Training overdue in your department: %s (%s, due %s)' % (
                               title, a.certificate_number, a.due_on.isoformat()),
                           link=link_to('training.overdue', course=a.course_id)))
    return '%d notifications' % sent
