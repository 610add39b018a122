"""The home page's shape: one h1, the work list first, then one placeholder per panel the
user's roles may see, loaded by htmx and a plain link without JavaScript."""
import re

import pytest

from stintranet import panels


def test_layout_and_placeholders(client, login_as):
    """Is the work list the first section after the h1, followed by a placeholder per
    visible panel (hx-get on load for the first row, when revealed for the others, with a
    plain link to the same URL), headings in order?"""
    user = login_as('employee', 'committee', department='LEGAL')
    html = client.get('/').text
    main = html[html.index('<main'):html.index('</main>')]
    levels = [int(level) for level in re.findall(r'<h([1-6])', main)]
    assert levels[0] == 1 and levels.count(1) == 1 and set(levels[1:]) == {2}
    assert main.index('id="home-worklist"') < main.index('id="home-panels"')

    placeholders = re.findall(
        r'<section class="panel home-placeholder" id="home-panel-([\w-]+)" [^>]*'
        r'hx-get="([^"]+)" hx-trigger="(\w+)" hx-swap="outerHTML">\s*<h2[^>]*>([^<]+)</h2>'
        r'\s*<p><a href="([^"]+)">', main)
    expected = [p.name for p in panels.visible_to(user)]
    assert [p[0] for p in placeholders] == expected
    assert 'incidents-open' in expected and 'admin' not in expected
    for index, (name, url, trigger, title, link) in enumerate(placeholders):
        assert url == link == '/home/panels/%s' % name
        assert trigger == ('load' if index < 2 else 'revealed')
        assert title == str(panels.get(name).title)


def test_employee_sees_only_their_panels(client, login_as):
    """Does an employee's home page offer only their reports and account, and an admin's
    no content panel?"""
    login_as('employee')
    assert re.findall(r'id="home-panel-([\w-]+)" ', client.get('/').text) == [
        'incidents-own', 'account']
    client.post('/logout')
    login_as('admin', department='IT')
    assert re.findall(r'id="home-panel-([\w-]+)" ', client.get('/').text) == [
        'admin', 'account']


def test_registering_a_panel_outside_the_order_is_refused(app):
    """Must every panel be placed in the page order before it can be registered?"""
    with pytest.raises(ValueError):
        panels.register('unplaced', 'x.html', ['employee'], lambda user: {}, title='X')
