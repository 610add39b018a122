"""The server area's part of the daily job: what it flags to the area's managers and the
committee, once each: an entry with no exit by the end of its day, a device brought in
without an approval, someone not authorised who entered without an escort."""
import datetime

from flask_babel import lazy_gettext as _l

from ..auth import roles as R
from ..jobs import task
from ..notifications.recipients import holders, managers_by_department
from ..notifications.services import link_to, notify
from ..timezone import local_date_to_utc
from .models import AreaDevice, AreaEntry, ServerArea

# How far back the job looks: anything older was flagged on an earlier day.
LOOK_BACK_DAYS = 31


@task('serverarea-flags', before=('mail-delivery',))
def flag_server_areas(today):
    """Notify the area's department managers and the committee of each entry left open
    past its day, each unescorted entry of someone not authorised and each unapproved
    device (one notification per thing, whatever the number of runs)."""
    since = local_date_to_utc(today - datetime.timedelta(days=LOOK_BACK_DAYS))
    cutoff = local_date_to_utc(today)
    entries = list(AreaEntry.select(AreaEntry, ServerArea)
                   .join(ServerArea, on=(AreaEntry.area == ServerArea.id))
                   .where((AreaEntry.entered_at >= since)
                          & ((AreaEntry.exited_at.is_null() & (AreaEntry.entered_at < cutoff))
                             | ((AreaEntry.authorised == False)  # noqa: E712
                                & AreaEntry.escort.is_null())))
                   .order_by(AreaEntry.id))
    devices = list(AreaDevice.select(AreaDevice, ServerArea)
                   .join(ServerArea, on=(AreaDevice.area == ServerArea.id))
                   .where((AreaDevice.brought_in_at >= since)
                          & AreaDevice.approved_by.is_null())
                   .order_by(AreaDevice.id))
    if not entries and not devices:
        return '0 notifications'
    committee = holders(R.COMMITTEE)
    managers = managers_by_department([e.area.department_id for e in entries]
                                      + [d.area.department_id for d in devices])

    def audience(area):
        return managers.get(area.department_id, []) + committee

    sent = 0
    for entry in entries:
        area = entry.area
        link = link_to('serverarea.entries', area=area.id, state='flagged')
        if entry.exited_at is None and entry.entered_at < cutoff:
            sent += len(notify(audience(area), 'serverarea:no-exit:%d' % entry.id, _l(
                '%(area)s: an entry has no exit recorded by the end of its day',
                area=area.name), link=link))
        if not entry.authorised and entry.escort_id is None:
            sent += len(notify(audience(area), 'serverarea:no-escort:%d' % entry.id, _l(
                '%(area)s: someone not authorised entered without an escort',
                area=area.name), link=link))
    for device in devices:
        area = device.area
        sent += len(notify(audience(area), 'serverarea:unapproved:%d' % device.id, _l(
            '%(area)s: a device was brought in without an approval', area=area.name),
            link=link_to('serverarea.devices', area=area.id, state='unapproved')))
    return '%d notifications' % sent
