"""Browser test: the chair's home page puts an overdue PPC clock at the top of the work
list, and the panels arrive by htmx after the page."""
import re

from playwright.sync_api import expect


def test_chair_sees_overdue_clock_first_and_panels_load(page, live_server, login):
    """Does the chair see the work list with an overdue PPC clock first, then panels that
    load by htmx, the first at once and the lower ones when scrolled to?"""
    login(page, 'chair')
    expect(page.get_by_role('heading', level=1)).to_contain_text('Welcome')
    work = page.get_by_role('region', name='What needs you')
    expect(work).to_be_in_viewport()
    first = work.get_by_role('row').nth(1)
    expect(first.get_by_role('cell').nth(1)).to_have_text('PPC report')
    expect(first.get_by_role('cell').nth(3)).to_have_text(re.compile(r'^Overdue by \d+ days?$'))
    link = first.get_by_role('link')
    expect(link).to_have_text(re.compile(r'^INC-\d{4}-\d{4} Preliminary report to the PPC'))
    expect(work.get_by_role('link', name=re.compile(r'PPC report or notice due'))).to_be_visible()

    incidents = page.get_by_role('region', name='Open incidents')
    expect(incidents.get_by_role('link', name=re.compile(r'^Reported: \d+'))).to_be_visible()
    expect(incidents.get_by_role('link', name='View “Open incidents”')).to_have_count(0)

    account = page.get_by_role('region', name='Your account')
    account.scroll_into_view_if_needed()
    expect(account.get_by_text('Previous sign-in')).to_be_visible()

    link.click()
    expect(page.get_by_role('heading', level=1)).to_contain_text('INC-')


def test_panel_link_works_without_javascript(browser, live_server, login):
    """With JavaScript off, does a panel's placeholder link open the panel as a page?"""
    context = browser.new_context(locale='en-GB', timezone_id='Asia/Tokyo',
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, 'manager.sales')
        page.get_by_role('link', name='View “Ledger health”').click()
        expect(page.get_by_role('heading', level=1)).to_have_text('Ledger health')
        expect(page.get_by_role('link', name=re.compile(r'reviews? overdue'))).to_be_visible()
    finally:
        context.close()
