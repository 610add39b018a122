"""Every demo account signs in, sees a home page for its roles, and signs out."""
import pytest
from playwright.sync_api import expect

from stintranet.seed import USERS

NAV = {
    'admin': ['Accounts', 'Departments'],
    'chair': ['Audit log'],
    'committee': ['Audit log'],
    'auditor': ['Audit log'],
}
NEVER = {
    'admin': ['Audit log'],
    'alice': ['Audit log', 'Accounts'],
    'cc': ['Audit log', 'Accounts'],
    'manager.sales': ['Audit log', 'Accounts'],
}


@pytest.mark.parametrize('spec', USERS, ids=[u.local for u in USERS])
def test_demo_account_signs_in_and_out(page, live_server, login, spec):
    """Does each demo account land on its home page with only its navigation?"""
    login(page, spec.local)
    expect(page.get_by_role('heading', level=1)).to_contain_text('Welcome, ' + spec.name)
    nav = page.get_by_role('navigation', name='Main')
    for label in NAV.get(spec.local, []):
        expect(nav.get_by_role('link', name=label)).to_be_visible()
    for label in NEVER.get(spec.local, []):
        expect(nav.get_by_role('link', name=label)).to_have_count(0)
    page.get_by_role('button', name='Sign out').click()
    expect(page.get_by_role('heading', name='Sign in')).to_be_visible()
    page.goto(live_server('/'))
    expect(page).to_have_url(live_server('/login?next=/'))
