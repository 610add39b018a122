"""A manager registers a USB drive, approves a carry-out requested by an employee, records
its return and its destruction; the asset then cannot be carried out again."""
import datetime
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect


def test_usb_drive_from_registration_to_destruction(page, live_server, login):
    """Can a manager take a USB drive through carry-out, return and destruction by label?"""
    today = datetime.datetime.now(ZoneInfo('Asia/Tokyo')).date()
    login(page, 'manager.sales')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Registers').click()
    page.get_by_role('link', name='Devices and media').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Devices and media')
    page.get_by_role('link', name='Register an asset').click()

    page.get_by_label('Asset tag').fill('USB-SALES-900')
    page.get_by_label('Type').select_option(label='USB memory')
    page.get_by_label('Location').fill('Order desk, drawer 2')
    page.get_by_label('Custodian').select_option(label='Alice Nakamura — SALES')
    page.get_by_label('Trade-show visitor business cards').check()
    page.get_by_role('button', name='Save').click()

    expect(page.get_by_role('heading', level=1)).to_contain_text('USB-SALES-900')
    status = page.locator('#registers-asset-status')
    expect(status).to_contain_text('Unencrypted portable media')

    page.get_by_role('link', name='Record a carry-out request').click()
    page.get_by_label('Requested by').select_option(label='Bob Kobayashi — SALES')
    page.get_by_label('Taken out on').fill(today.isoformat())
    page.get_by_label('Expected back on').fill((today + datetime.timedelta(days=2)).isoformat())
    page.get_by_label('Destination').fill('Customer office, Osaka')
    page.get_by_label('Purpose').fill('Handing over a product catalogue file')
    page.get_by_role('button', name='Record the request').click()
    expect(status).to_contain_text('Awaiting approval')
    expect(page.get_by_role('heading', name='Decide on the request of Bob Kobayashi')).to_be_visible()

    page.get_by_role('button', name='Approve the carry-out').click()
    expect(status).to_contain_text('Approved, out')
    expect(status).to_contain_text('Carried out')
    expect(page.get_by_role('link', name='Record its disposal')).to_have_count(0)

    page.get_by_label('Returned on').fill(today.isoformat())
    page.get_by_label('Condition on return').fill('Checked, nothing missing')
    page.get_by_role('button', name='Record the return').click()
    expect(status).to_contain_text('Returned')
    expect(status).to_contain_text('In service')

    page.get_by_role('link', name='Record its disposal').click()
    page.get_by_label('Method').select_option(label='Physical destruction')
    page.get_by_label('Witness').select_option(label='Alice Nakamura — SALES')
    page.get_by_label('Note').fill('Drilled through the memory chip')
    page.get_by_role('button', name='Record the disposal').click()

    expect(status).to_contain_text('Disposed of')
    expect(status).to_contain_text('Physical destruction')
    expect(status).to_contain_text('A disposed asset cannot be carried out or disposed of again.')
    expect(page.get_by_role('link', name='Record a carry-out request')).to_have_count(0)

    asset_url = page.url.split('#')[0]
    response = page.goto(asset_url + '/carry-outs/new')
    assert response.status == 409
    expect(page.get_by_role('alert')).to_contain_text(re.compile('cannot be carried out'))
