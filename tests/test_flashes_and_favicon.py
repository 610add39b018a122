"""A "Saved." shown when a page loaded does not stand above a later refused htmx change;
the favicon is served to anyone."""
from stintranet.registers import services
from stintranet.timezone import today_local
from tests import factories
from tests.registers.factories import make_asset, manager_of

EMPTY = '<div id="flashes" class="flashes" role="status" hx-swap-oob="true"></div>'


def test_refused_htmx_change_empties_the_message_area(client, app):
    """Does a 422 (or 409) htmx answer carry an out-of-band empty message area, while a
    200 one and a plain 422 page do not?"""
    manager = manager_of('SALES')
    asset = make_asset('SALES', actor=manager, kind='pc', encrypted=True)
    carry = services.request_carry_out(asset, {
        'requested_by': factories.make_user(department='SALES').id, 'out_on': today_local(),
        'expected_return_on': today_local(), 'destination': 'Osaka', 'purpose': 'Fair'},
        actor=manager)
    other = manager_of('SALES')
    client.post('/login', data={'email': other.email, 'password': factories.PASSWORD})
    url = '/registers/assets/%d/carry-outs/%d/reject' % (asset.id, carry.id)
    page = client.get('/registers/assets/%d' % asset.id).text
    assert '<div id="flashes" class="flashes" role="status">' in page
    refused = client.post(url, data={'note': ''}, headers={'HX-Request': 'true'})
    assert refused.status_code == 422 and refused.text.endswith(EMPTY)
    plain = client.post(url, data={'note': ''})
    assert plain.status_code == 422 and EMPTY not in plain.text
    done = client.post(url, data={'note': 'Use the spare laptop'},
                       headers={'HX-Request': 'true'})
    assert done.status_code == 200 and EMPTY not in done.text
    stale = client.post(url, data={'note': 'Again'}, headers={'HX-Request': 'true'})
    assert stale.status_code == 409 and stale.text.endswith(EMPTY)


def test_favicon_is_served_without_login(client):
    """Is the icon linked from every page and served to someone not signed in?"""
    login = client.get('/login').text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login
    icon = client.get('/static/favicon.svg')
    assert icon.status_code == 200 and icon.mimetype == 'image/svg+xml'
    assert icon.data.startswith(b'<svg')


def test_print_views_name_the_favicon(client, login_as):
    """Does a document's print view link the favicon too (no /favicon.ico 404 on a first
    visit), while its PDF does not need it?"""
    from tests.ledger.factories import make_entry
    manager = login_as('employee', 'manager', department='SALES', manages=['SALES'])
    entry = make_entry('SALES', actor=manager)
    page = client.get('/ledger/%d/print' % entry.id)
    assert page.status_code == 200
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
