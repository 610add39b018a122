"""Browser tests: the app served on loopback, driven by Playwright in Debian's chromium.

``live_server`` serves a fresh app seeded with the demo organisation (password
``DEMO_PASSWORD``) in a background thread; ``page`` is a new browser page; ``login``
signs a page in as a demo account by its labels, as a person would.
"""
import os
import threading

import pytest
from werkzeug.serving import make_server

from stintranet import db as dbmod
from stintranet import seed
from tests.conftest import _reset_postgres, make_app

CHROMIUM = os.environ.get('STINTRANET_CHROMIUM', '/usr/bin/chromium')
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--disable-quic',
                 '--no-first-run']
DEMO_PASSWORD = 'Demo-password-for-tests-2026'


def pytest_collection_modifyitems(items):
    for item in items:
        if 'tests/e2e/' in str(item.fspath).replace(os.sep, '/'):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope='session')
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail('%s is missing: `make test` installs Debian\'s chromium package' % CHROMIUM)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app, url):
        self.app, self.url = app, url

    def __call__(self, path=''):
        return self.url + path


@pytest.fixture
def live_config():
    """Override in a module to change the served app's settings (DEFAULT_LOCALE...)."""
    return {}


@pytest.fixture
def live_server(database_url, tmp_path, live_config):
    """A seeded app on a free loopback port, for one test."""
    instance = tmp_path / 'instance'
    instance.mkdir(mode=0o700)
    app = make_app(database_url, instance, WTF_CSRF_ENABLED=True, TESTING=False,
                   STARTUP_CHECKS=database_url.startswith('template:'), **live_config)
    with app.app_context():
        if not database_url.startswith('template:'):
            _reset_postgres(database_url)
        seed.seed_demo(DEMO_PASSWORD)
    dbmod.database.close()
    server = make_server('127.0.0.1', 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, 'http://127.0.0.1:%d' % server.server_port)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        dbmod.database.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale='en-GB', timezone_id='Asia/Tokyo')
    context.set_default_timeout(10000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def login(live_server):
    """``login(page, 'alice')`` signs in as alice@st-group.example."""
    def sign_in(page, local, password=DEMO_PASSWORD):
        page.goto(live_server('/login'))
        page.get_by_label('E-mail').fill(seed.demo_email(local))
        page.get_by_label('Password').fill(password)
        page.get_by_role('button', name='Sign in').click()
        page.wait_for_load_state()
        return page
    return sign_in
