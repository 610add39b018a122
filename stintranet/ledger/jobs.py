"""The ledger's part of the daily job: expired uploads, and reviews due and overdue."""
import datetime

from flask_babel import lazy_gettext as _l

from ..jobs import task
from ..languages import lazy_date
from ..notifications.recipients import managers_by_department
from ..notifications.services import link_to, notify
from . import importing
from .models import LedgerEntry

REVIEW_DUE_SOON_DAYS = 30


@task('ledger-imports-purge')
def purge_import_uploads(today):
    """Uploaded ledger files nobody committed are deleted once they expire."""
    return '%d expired uploads deleted' % importing.purge_expired()


@task('ledger-review-reminders', before=('mail-delivery',))
def ledger_reviews(today):
    """The managers of the entry's department hear once when its review falls due within
    30 days and once when it is overdue; a new due date (after a review) starts again."""
    soon = today + datetime.timedelta(days=REVIEW_DUE_SOON_DAYS)
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
            key, subject = 'overdue', _l('Ledger review of %(ref)s overdue since %(day)s',
                                         ref=entry.reference, day=lazy_date(due))
        else:
            key, subject = 'due', _l('Ledger review of %(ref)s due on %(day)s',
                                     ref=entry.reference, day=lazy_date(due))
        sent += len(notify(managers.get(entry.department_id, []),
                           'ledger:%d:review-%s:%s' % (entry.id, key, due.isoformat()),
                           subject,
                           link=link_to('ledger.entry', entry_id=entry.id)))
    return '%d notifications' % sent
