"""Browser test of the four-eyes grant: the administrator asks for the committee role for
carol, cannot approve it, the chair approves it, and carol then holds it."""
import re

from playwright.sync_api import expect


def test_a_committee_role_needs_a_second_pair_of_eyes(page, live_server, login):
    """Does admin's grant of committee to carol wait, refuse admin's own approval, reach
    the chair's work list and bell, and take effect once the chair approves?"""
    login(page, 'admin')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Accounts').click()
    page.get_by_label('Name or e-mail').fill('carol')
    page.get_by_role('button', name='Search').click()
    page.get_by_role('link', name='carol@st-group.example').click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('Account of Carol Kato')
    page.get_by_label('Protection Committee').check()
    page.get_by_role('button', name='Save').click()
    expect(page.get_by_text("Waiting for a committee member's approval: Protection "
                            "Committee.")).to_be_visible()

    page.get_by_role('link', name='carol@st-group.example').click()
    expect(page.get_by_label('Protection Committee (awaiting approval)')).to_be_checked()
    pending = page.get_by_role('region', name='Role grants')
    expect(pending.locator('#admin-user-pending')).to_contain_text('Protection Committee')
    token = page.locator('input[name="csrf_token"]').first.get_attribute('value')

    # The administrator sees the grant but may not decide it, even by sending the form.
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Role grants').click()
    row = page.locator('#admin-grants tbody tr', has_text='carol@st-group.example')
    expect(row).to_contain_text('A committee member decides.')
    expect(row.get_by_role('button', name=re.compile('Approve'))).to_have_count(0)
    grant_id = row.get_attribute('id').rsplit('-', 1)[1]
    refused = page.request.post(live_server('/admin/role-grants/%s/approve' % grant_id),
                                form={'csrf_token': token})
    assert refused.status == 403
    page.get_by_role('button', name='Sign out').click()

    login(page, 'carol')
    expect(page.get_by_role('navigation', name='Main').get_by_role(
        'link', name='Audit log')).to_have_count(0)
    page.get_by_role('button', name='Sign out').click()

    login(page, 'chair')
    work = page.get_by_role('region', name='What needs you')
    expect(work.get_by_role('link', name=re.compile('^#%s Protection Committee for Carol Kato'
                                                    % grant_id))).to_be_visible()
    page.get_by_role('banner').get_by_role('link', name=re.compile('Notifications')).click()
    page.get_by_role('link', name=re.compile(
        'Role grant #%s awaits your approval: Protection Committee' % grant_id)).click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('Role grants awaiting approval')
    page.get_by_role('button', name='Approve grant #%s' % grant_id).click()
    expect(page.get_by_text('Role grant #%s was approved.' % grant_id)).to_be_visible()
    expect(page.locator('#admin-grants-none')).to_be_visible()
    page.get_by_role('button', name='Sign out').click()

    login(page, 'carol')
    expect(page.get_by_role('navigation', name='Main').get_by_role(
        'link', name='Audit log')).to_be_visible()
    page.goto(live_server('/audit-log/'))
    expect(page.get_by_role('heading', level=1)).to_contain_text('Audit log')
