"""Accounts' part of the daily job."""
import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..db import database
from ..jobs import task
from . import roles as R
from .models import LoginAttempt, User

KEEP_DAYS = 90


@task('login-attempts-purge')
def purge_login_attempts(today):
    """Login attempts feed the throttle only; the audit log keeps the history."""
    cutoff = datetime.datetime.combine(today, datetime.time()) - datetime.timedelta(
        days=KEEP_DAYS)
    with database.atomic():
        count = LoginAttempt.delete().where(LoginAttempt.at < cutoff).execute()
    return '%d removed' % count


def _role_names(roles):
    return ', '.join(str(R.LABELS[r]) for r in roles)


@task('separation-of-duties', before=('mail-delivery',))
def separation_of_duties(today):
    """The committee hears of each account holding ``admin`` with a role that reads
    content (given before the rule was enforced): the administrator would see content.
    Once per account and set of roles; the accounts page warns the administrators."""
    from ..notifications.recipients import holders
    from ..notifications.services import link_to, notify
    accounts = User.admins_with_content_roles()
    if not accounts:
        return '0 accounts'
    committee = holders(R.COMMITTEE)
    sent = 0
    for user in accounts:
        roles = sorted(set(user.roles).intersection(R.NOT_WITH_ADMIN))
        sent += len(notify(
            [u for u in committee if u.id != user.id],
            'separation:%d:%s' % (user.id, '+'.join(roles)),
            _l('Account #%(id)d holds the administrator role together with %(roles)s',
               id=user.id, roles=LazyString(_role_names, roles)),
            link=link_to('auditlog.index', object_type='user', object_id=user.id)))
    return '%d accounts, %d notifications' % (len(accounts), sent)
