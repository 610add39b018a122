"""Devices and media: registration, flags, carry-out approvals, returns and disposal."""
import json

import pytest
from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.notifications.models import Notification
from stintranet.registers import services
from stintranet.registers.models import Asset, AssetEntry, CarryOut, Disposal, RegisterDocument
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import make_entry
from tests.registers.factories import PDF, days, make_asset, make_contractor, manager_of, pdf_upload


@pytest.fixture
def manager(login_as, departments):
    return login_as('employee', 'manager', department='SALES', manages=('SALES',))


def sign_in(client, user):
    response = client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    assert response.status_code == 302


def carry_out_form(requester, **overrides):
    today = today_local()
    data = {'requested_by': str(requester.id), 'out_on': today.isoformat(),
            'expected_return_on': (today + days(2)).isoformat(),
            'destination': 'Customer office, Osaka', 'purpose': 'Order review meeting'}
    data.update(overrides)
    return data


def disposal_form(performer, witness, **overrides):
    data = {'disposed_on': today_local().isoformat(), 'method': 'physical_destruction',
            'performed_by': str(performer.id), 'witness': str(witness.id), 'note': ''}
    data.update(overrides)
    return data


def test_manager_registers_an_unencrypted_usb_stick(client, manager):
    """Is an unencrypted USB stick registered, linked to an entry, and flagged?"""
    entry = make_entry('SALES')
    response = client.post('/registers/assets/new', data={
        'tag': 'USB-SALES-100', 'kind': 'usb', 'department': str(manager.department_id),
        'location': 'Drawer 3', 'custodian': str(manager.id), 'entries': [str(entry.id)]})
    assert response.status_code == 303, response.text
    asset = Asset.get(Asset.tag == 'USB-SALES-100')
    assert asset.portable and not asset.encrypted and asset.unencrypted_portable
    assert [link.entry_id for link in AssetEntry.select()] == [entry.id]
    page = client.get(response.headers['Location']).text
    assert 'Unencrypted portable media' in page and entry.title in page
    listing = client.get('/registers/assets/?flag=unencrypted').text
    assert 'USB-SALES-100' in listing
    assert json.loads(AuditEvent.get(AuditEvent.action == 'create',
                                     AuditEvent.object_type == 'asset').details)['tag'] \
        == 'USB-SALES-100'


@pytest.mark.parametrize('overrides,message', [
    ({'tag': ''}, 'required'),
    ({'tag': 'bad tag!'}, 'letters, digits'),
    ({'kind': ''}, 'Choose the type'),
    ({'kind': 'paper', 'encrypted': 'y'}, 'Paper cannot be encrypted'),
    ({'custodian': ''}, 'person responsible'),
    ({'custodian': '99999'}, 'active person'),
    ({'location': ''}, 'required'),
])
def test_bad_asset_input_is_422(client, manager, overrides, message):
    """Does each bad value get a clear message and a 422, the input kept?"""
    data = {'tag': 'USB-SALES-101', 'kind': 'usb', 'department': str(manager.department_id),
            'location': 'Drawer 3', 'custodian': str(manager.id), 'note': 'Keep me'}
    data.update(overrides)
    response = client.post('/registers/assets/new', data=data)
    assert response.status_code == 422
    assert message in response.text and 'Keep me' in response.text
    assert not Asset.select().exists()


def test_duplicate_tag_and_foreign_department_are_refused(client, manager, departments):
    """Is a second asset with the same tag, or one in another department, refused?"""
    make_asset('SALES', tag='USB-SALES-200')
    data = {'tag': 'USB-SALES-200', 'kind': 'usb', 'department': str(manager.department_id),
            'location': 'Drawer', 'custodian': str(manager.id)}
    response = client.post('/registers/assets/new', data=data)
    assert response.status_code == 422 and 'already has this tag' in response.text
    data.update(tag='USB-HR-1', department=str(departments['HR'].id))
    response = client.post('/registers/assets/new', data=data)
    assert response.status_code == 422 and 'departments you manage' in response.text


def test_carry_out_approve_return_and_dispose(client, manager, departments):
    """The whole life: request by an employee, approval by the manager, return, destruction;
    then no carry-out and no second disposal (409)."""
    asset = make_asset('SALES', actor=manager, encrypted=True)
    employee = factories.make_user(department='SALES')
    witness = factories.make_user(department='SALES')
    base = '/registers/assets/%d' % asset.id

    response = client.post(base + '/carry-outs/new', data=carry_out_form(employee))
    assert response.status_code == 303
    carry = CarryOut.get()
    assert carry.status == 'requested' and Asset.get_by_id(asset.id).state == 'in_service'

    response = client.post(base + '/carry-outs/%d/approve' % carry.id, data={'note': ''})
    assert response.status_code == 303
    assert CarryOut.get_by_id(carry.id).status == 'out'
    assert CarryOut.get_by_id(carry.id).decided_by_id == manager.id
    assert Asset.get_by_id(asset.id).state == 'out'
    busy = client.post(base + '/dispose', data=disposal_form(manager, witness))
    assert busy.status_code == 409 and 'carry-out in progress' in busy.text

    response = client.post(base + '/carry-outs/%d/return' % carry.id, data={
        'returned_on': today_local().isoformat(), 'note': 'All there'})
    assert response.status_code == 303
    assert CarryOut.get_by_id(carry.id).status == 'returned'
    assert Asset.get_by_id(asset.id).state == 'in_service'

    response = client.post(base + '/dispose', data=disposal_form(manager, witness))
    assert response.status_code == 303, response.text
    assert Asset.get_by_id(asset.id).state == 'disposed'
    assert Disposal.get().witness_id == witness.id

    again = client.post(base + '/carry-outs/new', data=carry_out_form(employee))
    assert again.status_code == 409 and 'cannot be carried out' in again.text
    assert client.get(base + '/carry-outs/new').status_code == 409
    twice = client.post(base + '/dispose', data=disposal_form(manager, witness))
    assert twice.status_code == 409 and 'disposed of again' in twice.text
    assert client.get(base + '/edit').status_code == 409
    assert Disposal.select().count() == 1 and CarryOut.select().count() == 1
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
    for action in ('carry_out_request', 'carry_out_approve', 'carry_out_return', 'dispose'):
        assert action in actions


def test_the_requester_cannot_approve_their_own_carry_out(client, manager, departments):
    """Is a manager's approval of their own request refused (409), leaving it pending?"""
    asset = make_asset('SALES', actor=manager, encrypted=True)
    other = manager_of('SALES')
    carry = services.request_carry_out(asset, {
        'requested_by': manager.id, 'out_on': today_local(),
        'expected_return_on': today_local() + days(1), 'destination': 'Home',
        'purpose': 'Remote work'}, actor=manager)
    page = client.get('/registers/assets/%d' % asset.id).text
    assert 'another manager of SALES or the committee must decide' in page
    response = client.post('/registers/assets/%d/carry-outs/%d/approve' % (asset.id, carry.id),
                           data={'note': ''})
    assert response.status_code == 409 and 'requested this carry-out yourself' in response.text
    assert CarryOut.get_by_id(carry.id).status == 'requested'
    # Another manager of the department may approve it.
    client.post('/logout')
    sign_in(client, other)
    response = client.post('/registers/assets/%d/carry-outs/%d/approve' % (asset.id, carry.id),
                           data={'note': 'Encrypted laptop only'})
    assert response.status_code == 303
    assert CarryOut.get_by_id(carry.id).decided_by_id == other.id


def test_carry_out_request_notifies_the_other_managers(app, departments):
    """Are the department's other managers notified of a request awaiting them?"""
    first, second = manager_of('SALES'), manager_of('SALES')
    asset = make_asset('SALES', actor=first, encrypted=True)
    with app.test_request_context():
        services.request_carry_out(asset, {
            'requested_by': first.id, 'out_on': today_local(),
            'expected_return_on': today_local(), 'destination': 'Osaka', 'purpose': 'Fair'},
            actor=first)
    assert [n.user_id for n in Notification.select()] == [second.id]


def test_rejection_needs_a_reason(client, manager, departments):
    """Is a rejection without a reason refused (422), and with one recorded?"""
    asset = make_asset('SALES', actor=manager, encrypted=True)
    employee = factories.make_user(department='SALES')
    carry = services.request_carry_out(asset, {
        'requested_by': employee.id, 'out_on': today_local(),
        'expected_return_on': today_local(), 'destination': 'Osaka', 'purpose': 'Fair'},
        actor=manager)
    url = '/registers/assets/%d/carry-outs/%d/reject' % (asset.id, carry.id)
    assert client.post(url, data={'note': ''}).status_code == 422
    assert client.post(url, data={'note': 'Use an encrypted stick'}).status_code == 303
    assert CarryOut.get_by_id(carry.id).status == 'rejected'
    assert Asset.get_by_id(asset.id).state == 'in_service'
    stale = client.post('/registers/assets/%d/carry-outs/%d/approve' % (asset.id, carry.id),
                        data={'note': ''})
    assert stale.status_code == 409 and 'no longer awaiting approval' in stale.text


@pytest.mark.parametrize('overrides,message', [
    ({'requested_by': ''}, 'who takes it out'),
    ({'destination': ''}, 'required'),
    ({'out_on': 'tomorrow'}, 'YYYY-MM-DD'),
    ({'expected_return_on': '2001-01-01'}, 'cannot come back before'),
])
def test_bad_carry_out_input_is_422(client, manager, departments, overrides, message):
    """Does a bad carry-out request get a clear message and a 422?"""
    asset = make_asset('SALES', actor=manager)
    employee = factories.make_user(department='SALES')
    response = client.post('/registers/assets/%d/carry-outs/new' % asset.id,
                           data=carry_out_form(employee, **overrides))
    assert response.status_code == 422 and message in response.text
    assert not CarryOut.select().exists()


def test_return_before_carry_out_is_refused(client, manager, departments):
    """Is a return dated before the carry-out refused?"""
    asset = make_asset('SALES', actor=manager, encrypted=True)
    employee = factories.make_user(department='SALES')
    carry = services.request_carry_out(asset, {
        'requested_by': employee.id, 'out_on': today_local(),
        'expected_return_on': today_local(), 'destination': 'Osaka', 'purpose': 'Fair'},
        actor=manager)
    services.decide_carry_out(asset, carry.id, approve=True, actor=manager)
    response = client.post('/registers/assets/%d/carry-outs/%d/return' % (asset.id, carry.id),
                           data={'returned_on': (today_local() - days(5)).isoformat()})
    assert response.status_code == 409 and 'cannot be before the carry-out' in response.text
    assert CarryOut.get_by_id(carry.id).status == 'out'


@pytest.mark.parametrize('overrides,message', [
    ({'method': ''}, 'Choose the disposal method'),
    ({'witness': ''}, 'needs one'),
    ({'disposed_on': '2099-01-01'}, 'cannot be in the future'),
    ({'method': 'disposal_contractor'}, 'Choose the disposal contractor'),
])
def test_disposal_without_method_or_witness_is_422(client, manager, departments, overrides,
                                                   message):
    """Is a disposal without method or witness refused with a clear message, nothing lost?"""
    asset = make_asset('SALES', actor=manager)
    witness = factories.make_user(department='SALES')
    data = dict(disposal_form(manager, witness, note='Crushed'), **overrides)
    response = client.post('/registers/assets/%d/dispose' % asset.id, data=data)
    assert response.status_code == 422 and message in response.text
    assert 'Crushed' in response.text
    assert Asset.get_by_id(asset.id).state == 'in_service' and not Disposal.select().exists()


def test_witness_must_be_someone_else(client, manager, departments):
    """Is the person who performed the disposal refused as its witness?"""
    asset = make_asset('SALES', actor=manager)
    response = client.post('/registers/assets/%d/dispose' % asset.id,
                           data=disposal_form(manager, manager))
    assert response.status_code == 422 and 'someone other than' in response.text


def test_contractor_disposal_needs_its_certificate(client, manager, departments):
    """Does a disposal by a contractor require the certificate, stored encrypted?"""
    asset = make_asset('SALES', actor=manager)
    witness = factories.make_user(department='SALES')
    shredder = make_contractor(name='Shred K.K.')
    data = disposal_form(manager, witness, method='disposal_contractor',
                         contractor=str(shredder.id))
    response = client.post('/registers/assets/%d/dispose' % asset.id, data=data)
    assert response.status_code == 422 and 'certificate of destruction' in response.text
    data['certificate'] = pdf_upload('certificate.pdf')
    response = client.post('/registers/assets/%d/dispose' % asset.id, data=data,
                           content_type='multipart/form-data')
    assert response.status_code == 303, response.text
    disposal = Disposal.get()
    assert disposal.contractor_id == shredder.id
    assert RegisterDocument.get_by_id(disposal.certificate_id).content == PDF
    page = client.get('/registers/assets/%d' % asset.id).text
    assert 'Shred K.K.' in page and 'Download the certificate' in page
    download = client.get('/registers/documents/%d' % disposal.certificate_id)
    assert download.status_code == 200 and download.data == PDF
    # Another department's manager cannot fetch it.
    client.post('/logout')
    sign_in(client, manager_of('HR'))
    assert client.get('/registers/documents/%d' % disposal.certificate_id).status_code == 404


def test_htmx_approval_returns_the_fragment(client, manager, departments):
    """Does an htmx approval answer with the status fragment, an event and Vary?"""
    asset = make_asset('SALES', actor=manager, encrypted=True)
    employee = factories.make_user(department='SALES')
    carry = services.request_carry_out(asset, {
        'requested_by': employee.id, 'out_on': today_local(),
        'expected_return_on': today_local(), 'destination': 'Osaka', 'purpose': 'Fair'},
        actor=manager)
    headers = {'HX-Request': 'true', 'HX-Target': 'registers-asset-status'}
    response = client.post('/registers/assets/%d/carry-outs/%d/approve' % (asset.id, carry.id),
                           data={'note': ''}, headers=headers)
    assert response.status_code == 200
    assert '<html' not in response.text and 'id="registers-asset-status"' in response.text
    assert 'Record the return' in response.text
    assert response.headers['HX-Trigger'] == 'registers-asset-changed'
    assert 'HX-Request' in response.headers['Vary']
    again = client.post('/registers/assets/%d/carry-outs/%d/approve' % (asset.id, carry.id),
                        data={'note': ''}, headers=headers)
    assert again.status_code == 409 and '<html' not in again.text
    assert 'no longer awaiting approval' in again.text


def test_stale_asset_edit_is_409(client, manager, departments):
    """Does a save over someone else's newer save answer 409 with their value?"""
    asset = make_asset('SALES', actor=manager, location='Drawer 1')
    data = {'tag': asset.tag, 'kind': 'usb', 'department': str(asset.department_id),
            'custodian': str(manager.id), 'version': str(asset.version)}
    first = client.post('/registers/assets/%d/edit' % asset.id, data=dict(data, location='Safe'))
    assert first.status_code == 303
    second = client.post('/registers/assets/%d/edit' % asset.id, data=dict(
        data, location='Cabinet', encrypted='y'))
    assert second.status_code == 409 and 'Safe' in second.text and 'Cabinet' in second.text
    assert Asset.get_by_id(asset.id).location == 'Safe'


def test_one_open_carry_out_per_asset_in_the_database(app, departments):
    """Does the database itself refuse a second carry-out in progress for one asset?"""
    from peewee import IntegrityError

    from stintranet.db import database
    asset = make_asset('SALES')
    employee = factories.make_user(department='SALES')
    row = {'asset': asset.id, 'requested_by': employee.id, 'out_on': today_local(),
           'expected_return_on': today_local(), 'destination': 'x', 'purpose': 'y',
           'status': 'requested'}
    CarryOut.create(**row)
    with pytest.raises(IntegrityError):
        with database.atomic():
            CarryOut.create(**dict(row, status='approved'))
    CarryOut.create(**dict(row, status='returned'))


def test_asset_list_constant_queries(client, manager, departments):
    """Does the asset list cost the same queries (at most 8) for 3 and 45 assets (with
    carry-outs)?"""
    employee = factories.make_user(department='SALES')

    def populate(n):
        for i in range(n):
            asset = make_asset('SALES', actor=manager, custodian=employee.id, encrypted=True)
            if i % 3 == 0:
                services.request_carry_out(asset, {
                    'requested_by': employee.id, 'out_on': today_local(),
                    'expected_return_on': today_local(), 'destination': 'x',
                    'purpose': 'y'}, actor=manager)

    def count():
        with count_queries() as counter:
            assert client.get('/registers/assets/').status_code == 200
        return counter.count
    populate(3)
    few = count()
    populate(42)
    assert count() == few <= 8


def test_media_panel_lists_unencrypted_media_in_scope(client, manager, departments):
    """Does a manager's home page list their unencrypted portable media, not other
    departments', in constant queries?"""
    make_asset('SALES', actor=manager, tag='USB-SALES-OPEN')
    make_asset('HR', tag='USB-HR-OPEN')
    make_asset('SALES', actor=manager, tag='USB-SALES-SAFE', encrypted=True)
    home = client.get('/home/panels/registers-media').text
    assert 'Unencrypted portable media' in home
    assert 'USB-SALES-OPEN' in home and 'USB-HR-OPEN' not in home
    assert 'USB-SALES-SAFE' not in home
    from stintranet import panels
    with count_queries() as small:
        panels.context_for('registers-media', manager)
    for _ in range(20):
        make_asset('SALES', actor=manager)
    with count_queries() as large:
        panel = panels.context_for('registers-media', manager)
    assert small.count == large.count == 2 and len(panel['items']) == 10
    assert panel['counts']['unencrypted'] == 21


def test_links_to_entries_beyond_the_editors_departments_are_kept(client, login_as,
                                                                  departments):
    """When a manager edits an asset, are links to other departments' entries neither shown
    nor dropped?"""
    it_entry = make_entry('IT', title='Server administration logs')
    sales_entry = make_entry('SALES', title='Customer orders')
    both = factories.make_user(roles=('employee', 'manager'), department='SALES',
                               manages=('SALES', 'IT'))
    asset = make_asset('SALES', actor=both, entry_ids=[it_entry.id, sales_entry.id])
    manager = login_as('employee', 'manager', department='SALES', manages=('SALES',))
    page = client.get('/registers/assets/%d/edit' % asset.id).text
    assert 'Customer orders' in page and 'Server administration logs' not in page
    response = client.post('/registers/assets/%d/edit' % asset.id, data={
        'tag': asset.tag, 'kind': 'usb', 'department': str(asset.department_id),
        'location': 'Safe', 'custodian': str(manager.id), 'version': str(asset.version)})
    assert response.status_code == 303
    assert sorted(link.entry_id for link in AssetEntry.select()) == [it_entry.id]
