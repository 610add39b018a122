"""The server area's list pages read the same few queries at 10 and at 1,000 rows."""
import datetime

import pytest
from playhouse.test_utils import assert_query_count, count_queries

from stintranet.db import database, utcnow
from stintranet.serverarea.models import AreaDevice, AreaEntry, ServerArea
from tests import factories

CEILING = 8
HTMX = {'HX-Request': 'true'}


def grow_entries(area, person, escort, recorder, start, stop):
    now = utcnow()
    with database.atomic():
        AreaEntry.insert_many([{
            'area': area.id, 'person': person.id if n % 3 else None,
            'visitor_name': '' if n % 3 else 'Visitor %d' % n,
            'visitor_company': '' if n % 3 else 'Company %d' % n,
            'authorised': bool(n % 3), 'escort': escort.id if n % 6 == 0 else None,
            'purpose': 'maintenance', 'entered_at': now - datetime.timedelta(hours=n),
            'exited_at': None if n % 5 == 0 else now - datetime.timedelta(hours=n - 1),
            'recorded_by': recorder.id, 'created_at': now, 'updated_at': now,
        } for n in range(start, stop)]).execute()


def grow_devices(area, approver, recorder, start, stop):
    now = utcnow()
    with database.atomic():
        AreaDevice.insert_many([{
            'area': area.id, 'kind': 'laptop', 'owner': 'Owner %d' % n,
            'approved_by': approver.id if n % 2 else None,
            'approved_at': now if n % 2 else None,
            'brought_in_at': now - datetime.timedelta(hours=n), 'inspected': bool(n % 3),
            'recorded_by': recorder.id, 'created_at': now, 'updated_at': now,
        } for n in range(start, stop)]).execute()


def grow_areas(department, start, stop):
    now = utcnow()
    with database.atomic():
        ServerArea.insert_many([{'name': 'Area %04d' % n, 'department': department.id,
                                 'created_at': now, 'updated_at': now}
                                for n in range(start, stop)]).execute()


def queries(client, url, htmx):
    headers = HTMX if htmx else {}
    client.get(url, headers=headers)
    with count_queries() as counter:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text[-300:]
    return counter.count


CASES = [
    ('areas', '/server-area/', False),
    ('entries', '/server-area/entries/', False),
    ('entries-flagged-htmx', '/server-area/entries/?state=flagged&q=Visitor', True),
    ('devices', '/server-area/devices/', False),
    ('devices-htmx', '/server-area/devices/?state=unapproved', True),
]


@pytest.mark.parametrize('name,url,htmx', CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize('role', ['manager', 'committee'])
def test_list_pages_are_constant_at_10_and_1000_rows(client, room, operator, it_manager,
                                                     name, url, htmx, role):
    """Does the list page use at most eight queries, the same at 10 rows as at 1,000?"""
    user = it_manager if role == 'manager' else factories.make_user(
        roles=('employee', 'committee'), department='LEGAL')
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})

    def grow(start, stop):
        if name == 'areas':
            grow_areas(room.department, start, stop)
            grow_entries(room, operator, operator, user, start, stop)
        elif name.startswith('entries'):
            grow_entries(room, operator, operator, user, start, stop)
            grow_devices(room, it_manager, user, start, stop)
        else:
            grow_devices(room, it_manager, user, start, stop)

    grow(0, 10)
    small = queries(client, url, htmx)
    assert small <= CEILING, (name, small)
    grow(10, 1000)
    headers = HTMX if htmx else {}
    with assert_query_count(small):
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    if name != 'areas':
        assert 'rel="next"' in response.text
