"""A Japanese browser works through every capability in Japanese (issue 18).

The app is served with DEFAULT_LOCALE=ja (the product's default) to a browser that asks
for Japanese. Each demo account signs in on the Japanese sign-in page and opens every
page of its navigation: the page must say lang="ja", and its navigation, headings,
table headings, labels and buttons must hold no English word (the demo data itself is
English and may appear in cells). bob@, who chose English, gets English whatever the
browser asks. Screenshots of four pages go to /work/notes/screens/18-*.png when that
folder exists (for review; not part of the check).
"""
import os
import re

import pytest
from playwright.sync_api import expect

from stintranet import seed
from tests.e2e.conftest import DEMO_PASSWORD

SCREENS = '/work/notes/screens'
# Words allowed in the interface's own text: names, codes and units.
ALLOWED = {'stintranet', 'PDF', 'CSV', 'XLSX', 'PPC', 'APPI', 'JIS', 'Q', 'ID', 'URL', 'JST',
           'UTC', 'SHA', 'KB', 'MB', 'HH', 'MM', 'YYYY', 'DD', 'Language', 'English', 'LE',
           'INC', 'DR', 'S.T.', 'Cookie', 'IP', 'Web', 'Excel', 'Shift_JIS', 'UTF', 'Ctrl',
           'A4', 'Q&A', 'My', 'Number', 'e', 'flask', 'audit', 'verify', 'yes', 'no', 'PC',
           'USB', 'AES'}
WORD = re.compile(r'[A-Za-z][A-Za-z_.&-]*[A-Za-z]|[A-Za-z]')
# The interface's own words: not the cells of tables, where the (English) demo data is.
CHROME = ('nav.main-nav a, h1, h2, h3, th, label, legend, button, '
          '.actions a.button, caption, .site-footer')


@pytest.fixture
def live_config():
    return {'DEFAULT_LOCALE': 'ja'}


@pytest.fixture
def context(browser):
    context = browser.new_context(locale='ja-JP', timezone_id='Asia/Tokyo',
                                  viewport={'width': 1280, 'height': 900})
    context.set_default_timeout(15000)
    yield context
    context.close()


def sign_in_japanese(page, live_server, local):
    """Sign in as a person would on the Japanese sign-in page."""
    page.goto(live_server('/login'))
    expect(page.locator('html')).to_have_attribute('lang', 'ja')
    expect(page.get_by_role('heading', level=1)).to_have_text('サインイン')
    page.get_by_label('メールアドレス').fill(seed.demo_email(local))
    page.get_by_label('パスワード').fill(DEMO_PASSWORD)
    page.get_by_role('button', name='サインイン').click()
    page.wait_for_load_state()


def data_texts(app):
    """The names and titles the demo organisation's records hold (the data a page may
    show in a heading or a label), longest first."""
    from stintranet import db as dbmod
    from tests.test_schema import table_models
    texts = set()
    with app.app_context():
        with dbmod.database.connection_context():
            for model in table_models():
                for name in ('name', 'title', 'summary', 'tag', 'description', 'code'):
                    field = model._meta.fields.get(name)
                    if field is not None and field.field_type in ('VARCHAR', 'TEXT'):
                        texts.update(v for (v,) in model.select(field).tuples() if v)
    return sorted(texts, key=len, reverse=True)


def english_words(page, data=()):
    """English words in the page's own text (navigation, headings, labels, buttons),
    with the element they are in; the records' own names and titles are left out."""
    found = []
    for element in page.locator(CHROME).all():
        if not element.is_visible():
            continue
        text = element.inner_text()
        for value in data:
            if value in text:
                text = text.replace(value, ' ')
        words = [w for w in WORD.findall(text) if w not in ALLOWED]
        # An e-mail address, a reference or a demo record named in a heading is data.
        words = [w for w in words if not re.search(r'@|^[A-Z]{2,}-?\d', w)]
        if words:
            found.append('%s: %s' % (text.strip()[:80], ' '.join(words)))
    return found


def check_japanese(page, where, data=()):
    expect(page.locator('html')).to_have_attribute('lang', 'ja')
    heading = page.get_by_role('heading', level=1).first.inner_text()
    assert re.search(r'[\u3040-\u30ff\u3400-\u9fff]', heading), (where, heading)
    return ['%s — %s' % (where, w) for w in english_words(page, data)]


def nav_targets(page):
    return [(a.inner_text().strip(), a.get_attribute('href'))
            for a in page.locator('nav.main-nav a').all()]


def shoot(page, name):
    if os.path.isdir(SCREENS):
        page.screenshot(path=os.path.join(SCREENS, '18-%s.png' % name), full_page=True)


@pytest.mark.parametrize('local', ['chair', 'cc', 'auditor', 'admin', 'manager.it', 'alice'])
def test_every_capability_in_japanese(page, live_server, local):
    """Does each account meet only Japanese on every page of its navigation?"""
    data = data_texts(live_server.app)
    sign_in_japanese(page, live_server, local)
    page.wait_for_load_state('networkidle')
    problems = check_japanese(page, '/', data)
    targets = nav_targets(page)
    assert targets, 'no navigation'
    for label, href in targets:
        assert re.search(r'[\u3040-\u30ff\u3400-\u9fff]', label), label
        page.goto(live_server(href))
        page.wait_for_load_state('networkidle')
        problems += check_japanese(page, href, data)
    if local in ('alice', 'chair'):
        page.goto(live_server('/incidents/new'))
        problems += check_japanese(page, '/incidents/new', data)
    assert not problems, '\n'.join(problems)


def test_screenshots_of_the_main_pages(page, live_server):
    """Home, the ledger, the report form and a request read in Japanese (screenshots)."""
    sign_in_japanese(page, live_server, 'chair')
    page.wait_for_load_state('networkidle')
    expect(page.get_by_role('heading', level=1)).to_contain_text('ようこそ')
    shoot(page, 'home')
    page.goto(live_server('/ledger/'))
    expect(page.get_by_role('heading', level=1)).to_have_text('個人情報管理台帳')
    shoot(page, 'ledger')
    page.goto(live_server('/incidents/new'))
    expect(page.get_by_role('heading', level=1)).to_contain_text('漏えい')
    shoot(page, 'incident-report')
    page.get_by_role('button', name=re.compile('サインアウト')).click()
    sign_in_japanese(page, live_server, 'cc')
    page.goto(live_server('/requests/'))
    page.locator('#requests-rows a', has_text=re.compile(r'^DR-')).first.click()
    page.wait_for_load_state('networkidle')
    assert not check_japanese(page, 'request detail', data_texts(live_server.app))
    shoot(page, 'disclosure-detail')


def test_bob_chose_english(page, live_server):
    """Does bob@, who chose English, get the English interface from a Japanese browser?"""
    sign_in_japanese(page, live_server, 'bob')
    expect(page.locator('html')).to_have_attribute('lang', 'en')
    expect(page.get_by_role('button', name='Sign out')).to_be_visible()
    expect(page.get_by_role('link', name='Incidents', exact=True)).to_be_visible()
    page.get_by_role('link', name='Language', exact=True).click()
    expect(page.get_by_label('English')).to_be_checked()
