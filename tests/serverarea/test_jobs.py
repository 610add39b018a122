"""The server area's daily flags: no exit by the end of the day, unescorted entries of
someone not authorised, devices not approved; once each, to the managers and the committee."""
import datetime

from stintranet.auth import roles as R
from stintranet.notifications.models import Notification
from stintranet.notifications.recipients import holders
from stintranet.serverarea import jobs, services
from stintranet.timezone import local_date_to_utc, today_local
from tests import factories
from tests.serverarea.factories import enter, manager_of


def keys_of(user):
    return {n.key for n in Notification.select().where(Notification.user == user.id)}


def test_flags_reach_the_area_managers_and_the_committee_once(room, operator):
    """Are the three flags sent to the IT managers and the committee, not to HR's manager
    nor to anyone else, and only once however often the job runs?"""
    it, hr = manager_of('IT'), manager_of('HR')
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    today = today_local()
    yesterday_noon = local_date_to_utc(today) - datetime.timedelta(hours=12)
    left_open = enter(room, person=operator, now=yesterday_noon)
    unescorted = enter(room, visitor=('Sasaki', 'Tohto K.K.'), now=yesterday_noon)
    services.record_exit(unescorted, room, chair,
                         now=yesterday_noon + datetime.timedelta(hours=1))
    escorted = enter(room, visitor=('Yamamoto', 'Fuji K.K.'), escort=operator,
                     now=yesterday_noon)
    services.record_exit(escorted, room, chair,
                         now=yesterday_noon + datetime.timedelta(hours=1))
    device = services.add_device(left_open, room, kind='laptop', description='',
                                 inspected=False, approver=None, actor=chair,
                                 now=yesterday_noon)
    jobs.flag_server_areas(today)
    jobs.flag_server_areas(today)
    expected = {'serverarea:no-exit:%d' % left_open.id,
                'serverarea:no-escort:%d' % unescorted.id,
                'serverarea:unapproved:%d' % device.id}
    assert keys_of(it) == expected
    assert keys_of(chair) == expected
    assert not keys_of(hr) and not keys_of(operator)
    committee = len(holders(R.COMMITTEE))
    assert Notification.select().count() == 3 * (committee + 1)


def test_an_entry_of_today_is_not_flagged_yet(room, operator):
    """Is someone who entered today and is still inside left alone until the day ends?"""
    it = manager_of('IT')
    entry = enter(room, person=operator)
    assert jobs.flag_server_areas(today_local()) == '0 notifications'
    assert not keys_of(it)
    tomorrow = today_local() + datetime.timedelta(days=1)
    jobs.flag_server_areas(tomorrow)
    assert keys_of(it) == {'serverarea:no-exit:%d' % entry.id}
