"""A manager registers a USB drive, approves a carry-out requested by an employee, records
its return and its destruction; the asset then cannot be carried out again. An employee
asks for a carry-out themselves; approved for tomorrow, it goes out with the daily job."""
import datetime
import os
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

# Screenshots of the pages for review, when STINTRANET_SCREENSHOTS names a folder.
SCREENS = os.environ.get('STINTRANET_SCREENSHOTS')


def shot(page, name):
    if SCREENS:
        page.screenshot(path=os.path.join(SCREENS, name + '.png'), full_page=True)


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
    page.get_by_label('Encrypted (full-disk or device encryption)').check()
    page.get_by_label('Trade-show visitor business cards').check()
    page.get_by_role('button', name='Save').click()

    expect(page.get_by_role('heading', level=1)).to_contain_text('USB-SALES-900')
    status = page.locator('#registers-asset-status')
    expect(status).not_to_contain_text('Unencrypted portable media')

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
    expect(status).to_contain_text('Out')
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


def test_employee_asks_and_it_goes_out_on_its_day(page, context, live_server, login):
    """Can bob ask to carry out an encrypted stick tomorrow, manager.sales approve it (it
    shows "approved", not out) and the daily job make it "out" on its day?"""
    today = datetime.datetime.now(ZoneInfo('Asia/Tokyo')).date()
    tomorrow = today + datetime.timedelta(days=1)
    login(page, 'bob')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Carry-outs').click()
    expect(page.get_by_role('heading', level=1)).to_have_text('Carry-outs')
    page.get_by_role('link', name='Ask to carry out a device or medium').click()
    page.get_by_label('Device or medium').select_option(
        label='USB-SALES-010 — USB memory (SALES) — Encrypted 16 GB USB stick')
    page.get_by_label('Taken out on').fill(tomorrow.isoformat())
    page.get_by_label('Expected back on').fill((tomorrow + datetime.timedelta(days=1)).isoformat())
    page.get_by_label('Destination').fill('Customer office, Osaka')
    page.get_by_label('Purpose').fill('Presentation files for the order review')
    shot(page, 'carry-out-request-bob')
    page.get_by_role('button', name='Send the request').click()
    expect(page.get_by_role('status').first).to_contain_text(
        'another manager of SALES decides on it')
    rows = page.locator('#registers-carry-out-rows')
    expect(rows).to_contain_text('USB-SALES-010')
    expect(rows).to_contain_text('Awaiting approval')
    shot(page, 'carry-outs-bob')

    page.get_by_role('button', name='Sign out').click()
    login(page, 'manager.sales')
    page.get_by_role('link', name=re.compile('carry-outs? awaiting your approval')).click()
    expect(page.locator('#registers-carry-out-rows')).to_contain_text('USB-SALES-010')
    shot(page, 'carry-outs-awaiting-manager')
    page.locator('#registers-carry-out-rows tr', has_text='USB-SALES-010').get_by_role(
        'link', name='Decide').click()
    status = page.locator('#registers-asset-status')
    expect(page.get_by_role('heading', name='Decide on the request of Bob Kobayashi')).to_be_visible()
    page.get_by_role('button', name='Approve the carry-out').click()
    expect(status).to_contain_text('Approved, not out yet')
    expect(status).to_contain_text('the daily job marks it out that day')
    expect(page.get_by_role('button', name='Record the return')).to_have_count(0)
    shot(page, 'carry-out-approved-future')

    result = live_server.app.test_cli_runner().invoke(
        args=['jobs', 'run', '--today', tomorrow.isoformat()])
    assert '1 carry-outs out' in result.output, result.output
    page.reload()
    expect(status).to_contain_text('Out')
    expect(status).to_contain_text('Carried out')
    expect(page.get_by_role('button', name='Record the return')).to_be_visible()
    shot(page, 'carry-out-out')
