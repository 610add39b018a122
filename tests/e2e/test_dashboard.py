"""Browser test: a committee member sees a new report in the work list and in the bell."""
import re

from playwright.sync_api import expect


def test_chair_sees_a_new_report_on_home_and_in_the_bell(page, live_server, login):
    """Does the chair find alice's new report in the work list and in the bell (count and list)?"""
    login(page, 'chair')
    bell = page.get_by_role('banner').get_by_role('link', name=re.compile('Notifications'))
    badge = bell.locator('.badge')
    before = int(badge.inner_text().split()[0]) if badge.count() else 0
    page.get_by_role('button', name='Sign out').click()

    login(page, 'alice')
    page.goto(live_server('/incidents/new'))
    page.get_by_label('What happened?').fill('A USB stick with the sales contact list is missing.')
    page.get_by_label('Loss (e.g. a lost laptop').check()
    page.get_by_role('button', name='Send the report').click()
    reference = page.locator('.reference-number').inner_text()
    page.get_by_role('button', name='Sign out').click()

    login(page, 'chair')
    page.goto(live_server('/'))
    work = page.get_by_role('region', name='What needs you')
    expect(work.get_by_role('link', name=re.compile('^%s ' % reference))).to_be_visible()
    panel = page.get_by_role('region', name='Open incidents')
    expect(panel.get_by_role('link', name=re.compile(r'^Reported: \d+'))).to_be_visible()
    expect(bell.locator('.badge')).to_contain_text(str(before + 1))
    bell.click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('Notifications')
    page.get_by_role('link', name=re.compile('New incident report %s' % reference)).click()
    expect(page.get_by_role('heading', level=1)).to_contain_text(reference)
