"""Ledger events: a review due within 30 days, and overdue (the entry's department
managers)."""
import datetime

from .. import jobs
from ..ledger.models import LedgerEntry
from ..notifications.services import link_to, notify
from .people import managers_by_department

DUE_SOON_DAYS = 30


@jobs.register(110, 'reminders: ledger reviews due and overdue')
def ledger_reviews(today):
    """The managers of the entry's department hear once when its review falls due within
    30 days and once when it is overdue; a new due date (after a review) starts again."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    entries = list(LedgerEntry.select(LedgerEntry.id, LedgerEntry.department,
                                      LedgerEntry.next_review_due)
                   .where((LedgerEntry.status != 'retired')
                          & (LedgerEntry.next_review_due <= soon))
                   .order_by(LedgerEntry.next_review_due, LedgerEntry.id))
    managers = managers_by_department(e.department_id for e in entries)
    sent = 0
    for entry in entries:
        due = entry.next_review_due
        if due < today:
            key, subject = 'overdue', 'Ledger review of %s overdue since %s'
        else:
            key, subject = 'due', 'Ledger review of %s due on %s'
        sent += len(notify(managers.get(entry.department_id, []),
                           'ledger:%d:review-%s:%s' % (entry.id, key, due.isoformat()),
                           subject % (entry.reference, due.isoformat()),
                           link=link_to('ledger.entry', entry_id=entry.id)))
    return '%d notifications' % sent
