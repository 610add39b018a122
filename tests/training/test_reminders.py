"""Training's daily reminders: due soon, overdue, and the department's managers."""
import datetime

from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from stintranet.training import jobs
from tests import factories
from tests.training.factories import current, make_course


def keys_of(user):
    return {n.key for n in Notification.select().where(Notification.user == user.id)}


def test_training_due_soon_then_overdue_reaches_the_manager():
    """Is the employee reminded 7 days ahead and when overdue, and their manager only when overdue, without the name?"""
    manager = factories.make_user(roles=('employee', 'manager'), manages=('SALES',), name='Mina Boss')
    employee = factories.make_user(name='Rina Staff')
    course = make_course(title='Handling customer data', due_days=30, today=today_local())
    assignment = current(course, employee)
    due = assignment.due_on
    jobs.training_due(due - datetime.timedelta(days=8))
    assert not keys_of(employee)
    jobs.training_due(due - datetime.timedelta(days=7))
    assert keys_of(employee) == {'training:%d:due-soon' % assignment.id}
    jobs.training_due(due + datetime.timedelta(days=1))
    jobs.training_due(due + datetime.timedelta(days=2))
    assert 'training:%d:overdue' % assignment.id in keys_of(employee)
    notes = [n for n in Notification.select().where(Notification.user == manager.id)
             if n.key == 'training:%d:overdue-department' % assignment.id]
    assert len(notes) == 1
    assert 'Handling customer data' in notes[0].subject
    assert 'Rina' not in notes[0].subject + notes[0].body
