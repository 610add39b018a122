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
