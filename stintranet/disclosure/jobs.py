"""Requests for Disclosure's part of the daily job: reminders of internal due dates, and
the destruction of submitted documents past their keeping period."""
import datetime

from flask_babel import lazy_gettext as _l

from .. import legaldates
from ..auth import roles as R
from ..jobs import task
from ..languages import lazy_date
from ..notifications.recipients import holders
from ..notifications.services import link_to, notify
from . import catalogue as C
from . import services
from .models import DisclosureRequest

DUE_SOON_DAYS = 3
# How long before the keeping period's last day the Customer Center hears of it.
KEPT_UNTIL_NOTICE_DAYS = 7


@task('disclosure-due-reminders', before=('mail-delivery',))
def remind_due_requests(today):
    """Customer Center staff hear once of a request due within three days, and once it
    is overdue.

    The subject carries the reference and the date only, never the requester; the key
    names the request and the stage, so a second run notifies nobody again.
    """
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    requests = list(DisclosureRequest.select(DisclosureRequest.id, DisclosureRequest.due_on)
                    .where(DisclosureRequest.awaiting_clause()
                           & (DisclosureRequest.due_on <= soon))
                    .order_by(DisclosureRequest.due_on, DisclosureRequest.id))
    if not requests:
        return '0 notifications'
    staff = holders(R.CUSTOMER_CENTER)
    sent = 0
    for req in requests:
        if req.due_on < today:
            stage = 'overdue'
            subject = _l('%(ref)s: Request for Disclosure overdue since %(day)s',
                         ref=req.reference, day=lazy_date(req.due_on))
        else:
            stage = 'due-soon'
            subject = _l('%(ref)s: Request for Disclosure due on %(day)s',
                         ref=req.reference, day=lazy_date(req.due_on))
        sent += len(notify(staff, 'disclosure:%d:%s' % (req.id, stage), subject,
                           link=link_to('disclosure.detail', request_id=req.id)))
    return '%d notifications' % sent


@task('disclosure-documents-kept-until', before=('disclosure-documents-destroy',
                                                 'mail-delivery'))
def remind_documents_kept_until(today):
    """Customer Center staff hear once, a week ahead, until which day a completed request's
    documents are kept and from which day they are destroyed.

    ``destroy_after`` is the keeping period's last day
    (``legaldates.disclosure_documents_kept_until``); the daily job destroys them the day
    after it, never earlier. The subject carries the reference and the dates only.
    """
    soon = today + datetime.timedelta(days=KEPT_UNTIL_NOTICE_DAYS)
    requests = list(DisclosureRequest.select(DisclosureRequest.id, DisclosureRequest.destroy_after)
                    .where((DisclosureRequest.status == C.COMPLETED)
                           & DisclosureRequest.destroyed_at.is_null()
                           & (DisclosureRequest.destroy_after >= today)
                           & (DisclosureRequest.destroy_after <= soon))
                    .order_by(DisclosureRequest.destroy_after, DisclosureRequest.id))
    if not requests:
        return '0 notifications'
    staff = holders(R.CUSTOMER_CENTER)
    sent = 0
    for req in requests:
        kept_until = req.destroy_after
        subject = _l('%(ref)s: documents kept until %(day)s, destroyed from %(after)s',
                     ref=req.reference, day=lazy_date(kept_until),
                     after=lazy_date(kept_until + legaldates.DAY))
        sent += len(notify(staff, 'disclosure:%d:kept-until:%s' % (req.id, kept_until.isoformat()),
                           subject, link=link_to('disclosure.detail', request_id=req.id)))
    return '%d notifications' % sent


@task('disclosure-documents-destroy')
def destroy_expired_documents(today):
    """Destroy the documents of requests past their keeping period: from the day after
    its last day (``destroy_after``), never earlier."""
    return services.destroy_due(today)
