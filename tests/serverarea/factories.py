"""Server-area test data with keyword defaults."""
import datetime
import itertools

from stintranet.serverarea import services
from stintranet.timezone import today_local
from tests import factories

_counter = itertools.count(1)


def manager_of(code):
    return factories.make_user(roles=('employee', 'manager'), department=code, manages=(code,))


def make_area(department='IT', name=None, actor=None, active=True):
    dept = factories.make_department(department)
    actor = actor or factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    return services.create_area({'name': name or 'Server room %d' % next(_counter),
                                 'department': dept.id, 'location': '3F', 'note': '',
                                 'active': active}, actor=actor)


def authorise(area, user, days_before=30, until=None, actor=None):
    actor = actor or factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    today = today_local()
    return services.authorise(area, user, today - datetime.timedelta(days=days_before), until,
                              '', actor)


def enter(area, person=None, visitor=('Visitor', 'Company K.K.'), escort=None, actor=None,
          now=None, purpose='maintenance'):
    actor = actor or factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    return services.record_entry(area, actor=actor, today=today_local(), person=person,
                                 visitor_name=visitor[0], visitor_company=visitor[1],
                                 escort=escort, purpose=purpose, now=now)
