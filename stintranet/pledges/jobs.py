"""Pledges' part of the daily job: a new version of the confidentiality pledge to sign."""
from flask_babel import lazy_gettext as _l

from ..auth.models import User
from ..jobs import task
from ..notifications.services import link_to, notify
from ..training import people
from .models import PledgeSignature, PledgeVersion


@task('pledge-reminders', before=('mail-delivery',))
def pledge_to_sign(today):
    """Everyone who must sign (active staff) and has not signed the current version hears
    of it once per version."""
    version = PledgeVersion.current()
    if version is None:
        return '0 notifications'
    unsigned = list(User.select().where(
        User.id.in_(people.staff_ids())
        & User.id.not_in(PledgeSignature.select(PledgeSignature.user)
                         .where(PledgeSignature.version == version.id)))
        .order_by(User.id))
    sent = len(notify(unsigned, 'pledge:%d:sign' % version.id,
                      _l('Please sign the confidentiality pledge (version %(n)d)',
                         n=version.number),
                      link=link_to('pledges.index')))
    return '%d notifications' % sent
