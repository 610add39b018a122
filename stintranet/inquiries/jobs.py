"""Inquiries' part of the daily job: the Customer Center hears of each answer due tomorrow,
and once when it is overdue."""
import datetime

from flask_babel import lazy_gettext as _l

from ..auth import roles as R
from ..jobs import task
from ..languages import lazy_date
from ..notifications.recipients import holders
from ..notifications.services import link_to, notify
from . import catalogue as C
from .models import Inquiry


@task('inquiry-reminders', before=('mail-delivery',))
def remind_inquiries(today):
    """Every Customer Center member hears once that an inquiry's answer is due tomorrow and
    once that it is overdue (keys name the due date, so a new due date is told again)."""
    tomorrow = today + datetime.timedelta(days=1)
    due = list(Inquiry.select(Inquiry.id, Inquiry.kind, Inquiry.due_on)
               .where((Inquiry.status == C.OPEN) & (Inquiry.due_on <= tomorrow))
               .order_by(Inquiry.due_on, Inquiry.id))
    if not due:
        return '0 notifications'
    staff = holders(R.CUSTOMER_CENTER)
    sent = 0
    for inquiry in due:
        link = link_to('inquiries.detail', inquiry_id=inquiry.id)
        if inquiry.due_on < today:
            key = 'inquiries:%d:overdue:%s' % (inquiry.id, inquiry.due_on)
            subject = _l('%(ref)s: the answer was due on %(day)s', ref=inquiry.reference,
                         day=lazy_date(inquiry.due_on))
        elif inquiry.due_on == tomorrow:
            key = 'inquiries:%d:due-tomorrow:%s' % (inquiry.id, inquiry.due_on)
            subject = _l('%(ref)s: the answer is due tomorrow (%(day)s)',
                         ref=inquiry.reference, day=lazy_date(inquiry.due_on))
        else:
            continue  # due today: the work list shows it; told yesterday
        sent += len(notify(staff, key, subject, link=link))
    return '%d notifications' % sent
