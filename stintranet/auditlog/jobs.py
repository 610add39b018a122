"""The audit log's part of the daily job: the hash chain checked from where the last
good check stopped, and a break told to the auditors and the committee."""
from flask_babel import lazy_gettext as _l

from ..auth import roles as R
from ..db import database
from ..jobs import task
from .models import GENESIS, AuditCheck, verify_from


@task('audit-chain-check', before=('mail-delivery',))
def check_chain(today):
    """Verify the entries appended since the last good check (``audit verify`` walks the
    whole chain); record the check, and on a break notify the auditors and the committee
    once per broken entry."""
    from ..notifications.recipients import holders
    from ..notifications.services import link_to, notify
    good = AuditCheck.last_good()
    start_seq, start_hash = (good.last_seq, good.last_hash) if good else (0, GENESIS)
    result = verify_from(start_seq, start_hash)
    with database.atomic():
        AuditCheck.create(first_seq=start_seq + 1,
                          last_seq=result.head_seq if result.ok else start_seq,
                          last_hash=result.head_hash if result.ok else start_hash,
                          ok=result.ok, bad_seq=result.bad_seq, reason=result.reason[:300])
    if result.ok:
        return '%d new entries verified, up to %d' % (result.count, result.head_seq)
    readers = {u.id: u for u in holders(R.AUDITOR) + holders(R.COMMITTEE)}
    notify(list(readers.values()), 'audit-chain:broken:%d' % result.bad_seq,
           _l('The audit log fails verification at entry %(seq)d', seq=result.bad_seq),
           link=link_to('auditlog.index'))
    # The task itself succeeded (it is not retried); its line says what it found.
    return 'BROKEN at entry %d: %s' % (result.bad_seq, result.reason)
