"""The pledge's daily reminder: a new version to sign."""
from stintranet.notifications.models import Notification
from stintranet.pledges import jobs
from stintranet.pledges import services as pledge_services
from stintranet.timezone import today_local
from tests import factories


def keys_of(user):
    return {n.key for n in Notification.select().where(Notification.user == user.id)}


def test_new_pledge_version_asks_everyone_who_has_not_signed():
    """Does a new pledge version notify every staff member who has not signed it, and nobody twice?"""
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    alice = factories.make_user()
    admin_only = factories.make_user(roles=('admin',), department='IT')
    version = pledge_services.publish_version('Pledge', 'I keep personal data confidential.',
                                              '', committee, 0)
    jobs.pledge_to_sign(today_local())
    jobs.pledge_to_sign(today_local())
    key = 'pledge:%d:sign' % version.id
    assert key in keys_of(alice) and key in keys_of(committee)
    assert key not in keys_of(admin_only)
    assert Notification.select().where(Notification.key == key).count() == 2
