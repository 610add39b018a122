"""Daily tasks: reminders of internal due dates, and the destruction of submitted documents
past their keeping period."""
import datetime

from .. import jobs
from ..auth import roles as R
from ..auth.models import User, UserRole
from ..notifications.services import link_to, notify
from . import services
from .models import DisclosureRequest

SOON_DAYS = 2


def customer_center_staff():
    active = User.active == True  # noqa: E712
    return list(User.select().join(UserRole, on=(UserRole.user == User.id))
                .where((UserRole.role == R.CUSTOMER_CENTER) & active).order_by(User.id))


@jobs.register(290, 'disclosure due reminders')
def remind_due_requests(today):
    """Customer Center staff hear of a request due within two days, and once it is overdue.

    The subject carries the reference and the date only, never the requester; the key
    names the request and the stage, so a second run notifies nobody again.
    """
    staff = customer_center_staff()
    soon = today + datetime.timedelta(days=SOON_DAYS)
    query = (DisclosureRequest.select(DisclosureRequest.id, DisclosureRequest.due_on)
             .where(DisclosureRequest.awaiting_clause() & (DisclosureRequest.due_on <= soon))
             .order_by(DisclosureRequest.due_on))
    sent = 0
    for req in query:
        if req.due_on < today:
            stage = 'overdue'
            subject = '%s: Request for Disclosure overdue since %s' % (
                req.reference, req.due_on.isoformat())
        else:
            stage = 'due-soon'
            subject = '%s: Request for Disclosure due on %s' % (
                req.reference, req.due_on.isoformat())
        sent += len(notify(staff, 'disclosure:%d:%s' % (req.id, stage), subject,
                           link=link_to('disclosure.detail', request_id=req.id)))
    return '%d notifications' % sent


@jobs.register(300, 'destroy disclosure documents')
def destroy_expired_documents(today):
    """Destroy the documents of requests completed more than the keeping period ago
    (6 months by default: on the day after the anniversary, never before)."""
    return services.destroy_due(today)
