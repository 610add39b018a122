"""The door tablet: entries by button, visitors with an escort, exits, devices."""
import datetime

from stintranet.auditlog.models import AuditEvent
from stintranet.serverarea.models import AreaDevice, AreaEntry
from tests import factories
from tests.serverarea.factories import enter

HTMX = {'HX-Request': 'true'}


def door(room):
    return '/server-area/%d/door' % room.id


def test_tapping_a_name_records_an_authorised_entry(client, room, operator, signed_in):
    """Does one tap on an authorised person's button (after a purpose) record the entry, and
    answer htmx with the form fragment and the change event?"""
    page = client.get(door(room))
    assert page.status_code == 200
    assert 'Ken Operator' in page.text and 'name="person" value="%d"' % operator.id in page.text
    response = client.post(door(room), data={'purpose': 'backup', 'person': str(operator.id)},
                           headers=HTMX)
    assert response.status_code == 200
    assert '<html' not in response.text and 'Ken Operator entered.' in response.text
    assert response.headers['HX-Trigger'] == 'serverarea-changed'
    assert 'HX-Request' in response.headers['Vary']
    entry = AreaEntry.get()
    assert entry.person_id == operator.id and entry.authorised and entry.exited_at is None
    assert entry.recorded_by_id == signed_in.id
    assert AuditEvent.select().where(AuditEvent.object_type == 'server_area_entry',
                                     AuditEvent.action == 'create').count() == 1


def test_the_purpose_comes_first(client, room, operator, signed_in):
    """Is a tap on a name without a purpose a 422 asking for the purpose, nothing recorded?"""
    response = client.post(door(room), data={'person': str(operator.id)})
    assert response.status_code == 422
    assert 'Choose the purpose first.' in response.text
    assert not AreaEntry.select().exists()


def test_other_purpose_needs_words(client, room, operator, signed_in):
    """Does "Other" without a few words come back 422 with the purpose still chosen?"""
    response = client.post(door(room), data={'purpose': 'other', 'person': str(operator.id)})
    assert response.status_code == 422
    assert 'Say what the other purpose is.' in response.text
    assert 'value="other" checked' in response.text


def test_a_visitor_with_an_escort(client, room, operator, signed_in):
    """Is a visitor recorded as not authorised, with the escort chosen by button?"""
    response = client.post(door(room), data={
        'purpose': 'vendor', 'person': 'visitor', 'visitor_name': '山本 健一',
        'visitor_company': '富士データシステム株式会社', 'escort': str(operator.id)})
    assert response.status_code == 303
    entry = AreaEntry.get()
    assert not entry.authorised and entry.escort_id == operator.id
    assert entry.who == '山本 健一 (富士データシステム株式会社)'
    assert not entry.unescorted


def test_a_visitor_without_escort_is_recorded_and_warned(client, room, operator, signed_in):
    """Is an unescorted visitor still recorded (what happened), with a warning?"""
    response = client.post(door(room), data={
        'purpose': 'maintenance', 'person': 'visitor', 'visitor_name': 'Sasaki'},
        headers=HTMX)
    assert response.status_code == 200
    assert 'has no escort' in response.text
    assert AreaEntry.get().unescorted


def test_a_visitor_needs_a_name_and_keeps_the_typing(client, room, operator, signed_in):
    """Is a visitor without a name a 422 that keeps the company typed and opens the section?"""
    response = client.post(door(room), data={
        'purpose': 'vendor', 'person': 'visitor', 'visitor_company': 'Tohto Network K.K.'})
    assert response.status_code == 422
    assert 'Enter the visitor' in response.text
    assert 'Tohto Network K.K.' in response.text and 'door-visitor" open' in response.text


def test_an_unlisted_person_is_refused(client, room, operator, signed_in):
    """Is a posted account that is not authorised today refused with 422?"""
    stranger = factories.make_user(department='SALES')
    response = client.post(door(room), data={'purpose': 'backup', 'person': str(stranger.id)})
    assert response.status_code == 422
    assert not AreaEntry.select().exists()


def test_nobody_enters_twice(client, room, operator, signed_in):
    """Is a second entry of someone inside a 409 that asks for the exit first?"""
    enter(room, person=operator)
    response = client.post(door(room), data={'purpose': 'backup', 'person': str(operator.id)})
    assert response.status_code == 409
    assert 'already inside' in response.text
    assert AreaEntry.select().count() == 1


def test_exit_button_closes_the_entry_and_its_devices(client, room, operator, signed_in):
    """Does "Exit" record the time out and take the person's devices out with them?"""
    entry = enter(room, person=operator)
    client.post('/server-area/%d/entries/%d/devices/new' % (room.id, entry.id), data={
        'kind': 'laptop', 'inspected': 'yes', 'approver': str(signed_in.id)})
    response = client.post('/server-area/%d/entries/%d/exit' % (room.id, entry.id),
                           headers=HTMX)
    assert response.status_code == 200
    assert 'id="serverarea-open"' in response.text and 'Ken Operator left.' in response.text
    entry = AreaEntry.get_by_id(entry.id)
    assert entry.exited_at is not None and entry.exit_recorded_by_id == signed_in.id
    device = AreaDevice.get()
    assert device.taken_out_at == entry.exited_at
    again = client.post('/server-area/%d/entries/%d/exit' % (room.id, entry.id), headers=HTMX)
    assert again.status_code == 409


def test_device_with_approval_and_inspection(client, room, operator, signed_in):
    """Is a device recorded with its kind, inspection and the approving manager?"""
    entry = enter(room, person=operator)
    url = '/server-area/%d/entries/%d/devices/new' % (room.id, entry.id)
    form = client.get(url, headers=HTMX)
    assert form.status_code == 200 and '<html' not in form.text
    response = client.post(url, data={'kind': 'usb', 'description': 'IT-USB-007',
                                      'inspected': 'yes', 'approver': str(signed_in.id)},
                           headers=HTMX)
    assert response.status_code == 200
    device = AreaDevice.get()
    assert device.kind == 'usb' and device.inspected and device.approved_by_id == signed_in.id
    assert device.owner == 'Ken Operator'


def test_device_approver_must_manage_the_area(client, room, operator, signed_in):
    """Is an approver who neither manages the area nor sits on the committee refused?"""
    entry = enter(room, person=operator)
    response = client.post('/server-area/%d/entries/%d/devices/new' % (room.id, entry.id),
                           data={'kind': 'laptop', 'inspected': 'no',
                                 'approver': str(operator.id)})
    assert response.status_code == 422
    assert not AreaDevice.select().exists()


def test_unapproved_device_approved_later(client, room, operator, signed_in):
    """Can the manager approve a device left unapproved, from the devices log?"""
    entry = enter(room, person=operator)
    client.post('/server-area/%d/entries/%d/devices/new' % (room.id, entry.id),
                data={'kind': 'laptop', 'inspected': 'no', 'approver': ''})
    device = AreaDevice.get()
    assert device.approved_by_id is None
    listing = client.get('/server-area/devices/?state=unapproved')
    assert 'not approved' in listing.text
    response = client.post('/server-area/%d/devices/%d/approve' % (room.id, device.id),
                           data={'back': 'devices'})
    assert response.status_code == 303 and response.headers['Location'].endswith(
        '/server-area/devices/')
    assert AreaDevice.get_by_id(device.id).approved_by_id == signed_in.id


def test_times_are_shown_in_tokyo(client, room, operator, signed_in):
    """Is an entry stored at 00:30 UTC shown at 09:30 (Asia/Tokyo)?"""
    enter(room, person=operator, now=datetime.datetime(2025, 4, 1, 0, 30))
    text = client.get('/server-area/entries/').text
    assert '2025-04-01 09:30' in text


def test_entry_left_open_from_an_earlier_day_is_flagged(client, room, operator, signed_in):
    """Is an entry without an exit from yesterday shown as needing attention?"""
    enter(room, person=operator, now=datetime.datetime(2025, 4, 1, 0, 30))
    assert 'No exit recorded' in client.get('/server-area/entries/?state=flagged').text
    assert 'No exit recorded since an earlier day' in client.get(door(room)).text


def test_authorise_and_end(client, room, signed_in):
    """Can the manager authorise a person (htmx fragment) and end it today?"""
    person = factories.make_user(department='IT', name='Mika Backup')
    response = client.post('/server-area/%d/persons' % room.id, data={
        'user': str(person.id), 'valid_from': '2025-01-01', 'note': 'Backup operator'},
        headers=HTMX)
    assert response.status_code == 200 and 'Mika Backup is authorised.' in response.text
    assert 'Mika Backup' in client.get(door(room)).text
    from stintranet.serverarea.models import AuthorisedPerson
    auth = AuthorisedPerson.get(AuthorisedPerson.user == person.id)
    response = client.post('/server-area/%d/persons/%d/end' % (room.id, auth.id),
                           headers=HTMX)
    assert response.status_code == 200
    assert AuthorisedPerson.get_by_id(auth.id).valid_until is not None
    bad = client.post('/server-area/%d/persons' % room.id, data={
        'user': str(person.id), 'valid_from': '2025-02-01', 'valid_until': '2025-01-01'})
    assert bad.status_code == 422 and 'The end cannot be before the start.' in bad.text


def test_area_create_and_stale_edit(client, room, signed_in):
    """Does a manager add an area of their department, and does a stale edit get 409?"""
    from stintranet.serverarea.models import ServerArea
    it = factories.make_department('IT')
    response = client.post('/server-area/new', data={'name': '書庫', 'department': str(it.id),
                                                     'location': '2F', 'active': 'y'})
    assert response.status_code == 303
    area = ServerArea.get(ServerArea.name == '書庫')
    duplicate = client.post('/server-area/new', data={'name': '書庫', 'department': str(it.id)})
    assert duplicate.status_code == 422
    edit = '/server-area/%d/edit' % area.id
    assert client.post(edit, data={'name': '書庫A', 'department': str(it.id),
                                   'version': '1'}).status_code == 303
    stale = client.post(edit, data={'name': '書庫B', 'department': str(it.id), 'version': '1'})
    assert stale.status_code == 409 and '書庫A' in stale.text and '書庫B' in stale.text
    hr = factories.make_department('HR')
    other = client.post('/server-area/new', data={'name': 'X', 'department': str(hr.id)})
    assert other.status_code == 422
