"""Requests for Disclosure: due within 3 days (Customer Center staff).

``disclosure.jobs`` (order 290) reminds of requests due within two days and overdue
under the same ``due-soon`` key, so running first with the issue's three days makes
one reminder per request, three days ahead.
"""
import datetime

from .. import jobs
from ..auth import roles as R
from ..disclosure.models import DisclosureRequest
from ..notifications.services import link_to, notify
from .people import holders

DUE_SOON_DAYS = 3


@jobs.register(285, 'reminders: requests for disclosure due within 3 days')
def requests_due(today):
    """Customer Center staff hear once of a request whose internal due date is within
    3 days; the message holds the reference and the date, never the requester."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    requests = list(DisclosureRequest.select(DisclosureRequest.id, DisclosureRequest.due_on)
                    .where(DisclosureRequest.awaiting_clause()
                           & (DisclosureRequest.due_on >= today)
                           & (DisclosureRequest.due_on <= soon))
                    .order_by(DisclosureRequest.due_on, DisclosureRequest.id))
    if not requests:
        return '0 notifications'
    staff = holders(R.CUSTOMER_CENTER)
    sent = 0
    for req in requests:
        sent += len(notify(staff, 'disclosure:%d:due-soon' % req.id,
                           '%s: Request for Disclosure due on %s' % (
                               req.reference, req.due_on.isoformat()),
                           link=link_to('disclosure.detail', request_id=req.id)))
    return '%d notifications' % sent
