"""Notifications' part of the daily job: the e-mail outbox goes out after the reminders
(tasks that notify declare ``before=('mail-delivery',)``)."""
from ..jobs import task
from . import services


@task('mail-delivery')
def deliver_mail(today):
    """Send the due outbox messages; failed ones wait longer each time (``deliver``)."""
    result = services.deliver()
    if 'skipped' in result:
        return result['skipped']
    return '%(sent)d sent, %(failed)d failed' % result
