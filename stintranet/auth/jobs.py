"""Accounts' part of the daily job."""
import datetime

from ..db import database
from ..jobs import task
from .models import LoginAttempt

KEEP_DAYS = 90


@task('login-attempts-purge')
def purge_login_attempts(today):
    """Login attempts feed the throttle only; the audit log keeps the history."""
    cutoff = datetime.datetime.combine(today, datetime.time()) - datetime.timedelta(
        days=KEEP_DAYS)
    with database.atomic():
        count = LoginAttempt.delete().where(LoginAttempt.at < cutoff).execute()
    return '%d removed' % count
