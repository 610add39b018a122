"""Malformed input to every server-area form endpoint: a 4xx (mostly 422), never a 5xx,
and nothing stored."""
import pytest
from werkzeug.datastructures import MultiDict

from stintranet.serverarea import forms as F
from stintranet.serverarea.models import AreaDevice, AreaEntry, AuthorisedPerson, ServerArea
from tests.forms_crawl import hidden_names
from tests.serverarea.factories import enter
from tests.test_bad_input import HUGE, LONG, UNICODE

# The visible fields of each endpoint; the hidden ones (the version) come from its form
# class, so a new hidden field is sent malformed too.
FIELDS = {
    'area_new': ['name', 'department', 'location', 'note', 'active'],
    'area_edit': ['name', 'department', 'location', 'note', 'active'],
    'authorise': ['user', 'valid_from', 'valid_until', 'note'],
    'door': ['purpose', 'purpose_detail', 'person', 'visitor_name', 'visitor_company',
             'escort'],
    'device': ['kind', 'description', 'inspected', 'approver'],
    'entries': ['q', 'area', 'state', 'day_from', 'day_to'],
    'devices': ['q', 'area', 'state'],
}
FORMS = {'area_new': F.AreaForm, 'area_edit': F.AreaEditForm, 'authorise': F.AuthoriseForm,
         'door': F.EntryForm, 'device': F.DeviceForm}
KINDS = ['empty', 'overlong', 'unicode', 'lists', 'huge-numbers', 'negative', 'wrong-types']
GET_ENDPOINTS = ('entries', 'devices')


def build(kind, fields):
    if kind == 'empty':
        return {}
    if kind == 'lists':
        return MultiDict([(f, v) for f in fields for v in ('first', 'second')])
    value = {'overlong': LONG, 'unicode': UNICODE, 'huge-numbers': HUGE, 'negative': '-1',
             'wrong-types': '3.5'}[kind]
    return {f: value for f in fields}


@pytest.mark.parametrize('kind', KINDS)
@pytest.mark.parametrize('endpoint', list(FIELDS))
def test_malformed_input_is_a_4xx(client, room, operator, signed_in, endpoint, kind):
    """Does malformed data to any server-area form get a 4xx, never a 5xx, nothing stored?"""
    entry = enter(room, person=operator)
    paths = {
        'area_new': '/server-area/new', 'area_edit': '/server-area/%d/edit' % room.id,
        'authorise': '/server-area/%d/persons' % room.id,
        'door': '/server-area/%d/door' % room.id,
        'device': '/server-area/%d/entries/%d/devices/new' % (room.id, entry.id),
        'entries': '/server-area/entries/', 'devices': '/server-area/devices/',
    }
    counts = (ServerArea.select().count(), AreaEntry.select().count(),
              AreaDevice.select().count(), AuthorisedPerson.select().count())
    fields = FIELDS[endpoint] + (hidden_names(FORMS[endpoint]) if endpoint in FORMS else [])
    payload = build(kind, fields)
    if endpoint in GET_ENDPOINTS:
        response = client.get(paths[endpoint], query_string=payload)
        assert response.status_code in (200, 422), response.text[-500:]
    else:
        response = client.post(paths[endpoint], data=payload)
        assert 400 <= response.status_code < 500, response.text[-500:]
    assert counts == (ServerArea.select().count(), AreaEntry.select().count(),
                      AreaDevice.select().count(), AuthorisedPerson.select().count())


def test_overlong_visitor_name_keeps_the_typing(client, room, operator, signed_in):
    """Is a 10,000-character visitor name a 422 at the field, the typing kept?"""
    response = client.post('/server-area/%d/door' % room.id, data={
        'purpose': 'vendor', 'person': 'visitor', 'visitor_name': UNICODE * 20,
        'visitor_company': 'Fuji K.K.'})
    assert response.status_code == 422
    assert 'Fuji K.K.' in response.text


@pytest.mark.parametrize('path', ['/server-area/99999999999', '/server-area/2147483647/door',
                                  '/server-area/1/entries/99999999999/exit'])
def test_huge_ids_are_404(client, room, signed_in, path):
    """Are ids beyond the integer range a 404, never a 500?"""
    response = client.post(path) if path.endswith('exit') else client.get(path)
    assert response.status_code == 404
