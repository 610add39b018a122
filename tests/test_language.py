"""Which language a page is in: the account's choice, DEFAULT_LOCALE, Accept-Language."""
import os

import pytest

from stintranet import ROOT


@pytest.fixture
def app_config():
    return {'DEFAULT_LOCALE': 'ja'}


def test_translations_come_from_the_repository(app):
    """Does Flask-Babel read the repository's translations folder?"""
    assert app.config['BABEL_TRANSLATION_DIRECTORIES'] == os.path.join(ROOT, 'translations')


def test_sign_in_page_follows_the_default(client):
    """Without Accept-Language, is the sign-in page in DEFAULT_LOCALE (Japanese)?"""
    page = client.get('/login').get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert '<h1>サインイン</h1>' in page
    assert 'Sign in' not in page


def test_sign_in_page_follows_the_browser(client):
    """Does an English browser get the English sign-in page, and a Japanese one Japanese?"""
    english = client.get('/login', headers={'Accept-Language': 'en-GB,en;q=0.9'})
    assert '<h1>Sign in</h1>' in english.get_data(as_text=True)
    japanese = client.get('/login', headers={'Accept-Language': 'ja-JP,ja;q=0.9,en;q=0.5'})
    assert '<h1>サインイン</h1>' in japanese.get_data(as_text=True)
    other = client.get('/login', headers={'Accept-Language': 'fr-FR,fr;q=0.9'})
    assert '<h1>サインイン</h1>' in other.get_data(as_text=True)


def test_signed_in_account_follows_the_default_not_the_browser(client, login_as):
    """Does an account that chose no language see DEFAULT_LOCALE whatever the browser says?"""
    login_as('employee')
    page = client.get('/', headers={'Accept-Language': 'en'}).get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert 'サインアウト' in page


@pytest.mark.parametrize('app_config', [{'DEFAULT_LOCALE': 'en'}])
def test_default_locale_en_is_the_english_interface(client, login_as):
    """Does DEFAULT_LOCALE=en give the English interface to an account without a choice?"""
    assert '<h1>Sign in</h1>' in client.get('/login').get_data(as_text=True)
    login_as('employee')
    page = client.get('/').get_data(as_text=True)
    assert '<html lang="en">' in page
    assert 'Sign out' in page


def test_unknown_default_locale_is_refused(app):
    """Does a DEFAULT_LOCALE the app has no catalogue for stop the start, saying why?"""
    from stintranet import create_app
    with pytest.raises(RuntimeError, match='DEFAULT_LOCALE'):
        create_app(dict(app.config, DEFAULT_LOCALE='fr', STARTUP_CHECKS=False))


def test_environment_sets_the_default_locale(monkeypatch):
    """Does STINTRANET_DEFAULT_LOCALE=en reach the configuration?"""
    from stintranet import config
    monkeypatch.setenv('STINTRANET_DEFAULT_LOCALE', 'en')
    assert config.from_environment()['DEFAULT_LOCALE'] == 'en'
    assert config.DEFAULTS['DEFAULT_LOCALE'] == 'ja'


def test_an_account_chooses_its_language(client, login_as, app):
    """Can an account choose English and back, each change logged, the page following it?"""
    from stintranet.auditlog.models import AuditEvent
    user = login_as('employee')
    page = client.get('/account/language')
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '言語' in text and 'English' in text and '日本語' in text
    response = client.post('/account/language', data={'language': 'en'})
    assert response.status_code == 303
    followed = client.get('/account/language').get_data(as_text=True)
    assert '<html lang="en">' in followed
    assert 'The interface language was changed.' in followed
    assert client.get('/').get_data(as_text=True).count('Sign out') == 1
    client.post('/account/language', data={'language': 'default'})
    assert '<html lang="ja">' in client.get('/').get_data(as_text=True)
    events = list(AuditEvent.select().where(AuditEvent.action == 'language_changed')
                  .order_by(AuditEvent.seq))
    assert [(e.actor_id, e.object_id) for e in events] == [(user.id, str(user.id))] * 2
    assert [e.details_dict for e in events] == [{'from': None, 'to': 'en'},
                                                {'from': 'en', 'to': None}]
    from stintranet.auth.models import User
    assert User.get_by_id(user.id).locale is None


@pytest.mark.parametrize('value', ['fr', '', 'EN', 'x' * 500, 'default\x00'])
def test_bad_language_is_refused(client, login_as, value):
    """Is a language the app does not have refused with a 4xx, the choice unchanged?"""
    from stintranet.auth.models import User
    user = login_as('employee')
    response = client.post('/account/language', data={'language': value})
    assert 400 <= response.status_code < 500
    assert User.get_by_id(user.id).locale is None


def test_language_page_needs_sign_in(client):
    """Does an anonymous visitor get sent to the sign-in page?"""
    response = client.post('/account/language', data={'language': 'en'})
    assert response.status_code in (302, 303)
    assert '/login' in response.headers['Location']


def test_demo_bob_chose_english(app):
    """Has bob@ of the demo organisation chosen English, and nobody else a language?"""
    from stintranet import seed
    from stintranet.auth.models import User
    seed.seed_demo('Demo-password-for-tests-2026')
    chosen = {u.email: u.locale for u in User.select() if u.locale}
    assert chosen == {'bob@st-group.example': 'en'}


def test_japanese_dates_times_numbers_and_countdowns(app):
    """Are dates 2026年12月3日(木), times in JST, numbers grouped and countdowns natural?"""
    import datetime

    from flask_babel import force_locale

    from stintranet.incidents.appi import describe_remaining
    from stintranet.languages import date_text, datetime_text
    day = datetime.date(2026, 12, 3)
    moment = datetime.datetime(2026, 12, 3, 5, 5)  # stored UTC: 14:05 in Tokyo
    hours = datetime.timedelta(hours=1)
    render = app.jinja_env.from_string('{{ n|number }} {{ m|datetime("written")|striptags }}')
    with app.test_request_context():
        with force_locale('ja'):
            assert date_text(day) == '2026年12月3日(木)'
            assert date_text(moment) == '2026年12月3日(木)'
            assert datetime_text(moment) == '2026年12月3日(木) 14:05'
            assert render.render(n=1200, m=moment) == '1,200 2026年12月3日(木) 14時05分'
            assert describe_remaining(52 * hours) == 'あと2日4時間'
            assert describe_remaining(-96 * hours) == '4日超過'
            assert describe_remaining(-74 * hours) == '3日2時間超過'
            assert describe_remaining(datetime.timedelta(minutes=5)) == 'あと5分'
        with force_locale('en'):
            assert date_text(day) == '2026-12-03'
            assert datetime_text(moment) == '2026-12-03 14:05'
            assert describe_remaining(52 * hours) == '2 days 4 hours left'
            assert describe_remaining(-96 * hours) == 'OVERDUE by 4 days'


def test_notifications_speak_each_recipients_language(app):
    """Is one notification written in Japanese for one account and in English for
    another that chose English, its date too, whoever's request made it?"""
    import datetime

    from flask_babel import lazy_gettext as _l

    from stintranet.languages import lazy_date
    from stintranet.notifications.services import notify
    from tests import factories
    japanese = factories.make_user()
    english = factories.make_user()
    english.locale = 'en'
    english.save()
    subject = _l('Ledger review of %(ref)s due on %(day)s', ref='LE-00042',
                 day=lazy_date(datetime.date(2026, 12, 3)))
    with app.test_request_context():
        made = {n.user_id: n.subject for n in notify([japanese, english], 'k', subject)}
    assert made == {japanese.id: '台帳登録LE-00042の見直し期限は2026年12月3日(木)です',
                    english.id: 'Ledger review of LE-00042 due on 2026-12-03'}


def test_audit_log_reads_in_words_in_japanese(client, login_as):
    """Does a Japanese auditor read the audit log's actions and objects in words?"""
    auditor = login_as('employee', 'auditor', department='AUDIT')
    page = client.get('/audit-log/').get_data(as_text=True)
    assert '<td>サインイン</td>' in page
    assert '<td>login</td>' not in page
    assert auditor  # the sign-in above is the row read
