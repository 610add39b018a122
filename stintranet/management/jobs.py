"""The management review's part of the daily job: the committee hears once when the
yearly review falls due within 30 days and once when it is overdue (JIS Q 15001 9.3)."""
import datetime

from flask_babel import lazy_gettext as _l

from ..auth import roles as R
from ..jobs import task
from ..languages import lazy_date
from ..notifications.recipients import holders
from ..notifications.services import link_to, notify
from . import catalogue as C
from .models import ManagementReview, next_due

DUE_SOON_DAYS = 30


@task('management-review-reminders', before=('mail-delivery',))
def remind_review(today):
    """No review held in the last 12 months: the committee hears 30 days ahead and once
    overdue (the keys name the due date, so each new year is told again)."""
    last = (ManagementReview.select(ManagementReview.held_on)
            .where(ManagementReview.status.in_((C.HELD, C.CLOSED)))
            .order_by(ManagementReview.held_on.desc()).first())
    due = next_due(last.held_on if last else None, today)
    if due > today + datetime.timedelta(days=DUE_SOON_DAYS):
        return '0 notifications'
    if last is None:
        key, subject = 'management-review:never', _l('Management review: none has been held '
                                                      'yet')
    elif due < today:
        key = 'management-review:overdue:%s' % due
        subject = _l('Management review: none was held in the last 12 months (due %(day)s)',
                     day=lazy_date(due))
    else:
        key = 'management-review:due:%s' % due
        subject = _l('Management review due by %(day)s', day=lazy_date(due))
    sent = notify(holders(R.COMMITTEE), key, subject, link=link_to('management.index'))
    return '%d notifications' % len(sent)
