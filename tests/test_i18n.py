"""Translations kept per locale (stintranet.i18n): the right language for each app and
request, force_locale inside a request, bounded memory, dates as Babel writes them."""
import datetime

import flask_babel
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import render_template_string
from markupsafe import Markup

from stintranet import i18n
from stintranet.extensions import babel
from stintranet.ledger import catalogue as C
from tests.conftest import make_app
from tests.ledger.factories import make_entry

JA = {
    'Ledger': '台帳',
    'Customers': '顧客',
    'Special-care': '要配慮',
    'Holds item': '保有項目',
    'Name': '氏名',
    'Hello %(name)s': 'こんにちは %(name)s',
    '100%%': '百%%',
}


@pytest.fixture
def translations(tmp_path):
    """A Japanese catalogue in its own directory; Flask-Babel's catalogue cache (one per
    process, keyed by locale only) is emptied around the test."""
    catalog = Catalog(locale='ja', domain='messages')
    for message, translation in JA.items():
        catalog.add(message, translation)
    catalog.add(('%(num)d entry', '%(num)d entries'), ('%(num)d 件',))
    folder = tmp_path / 'translations' / 'ja' / 'LC_MESSAGES'
    folder.mkdir(parents=True)
    with open(folder / 'messages.mo', 'wb') as f:
        write_mo(f, catalog)
    _forget_catalogues()
    yield str(tmp_path / 'translations')
    _forget_catalogues()


def _forget_catalogues():
    domain = babel.__dict__.get('domain_instance')  # made at the first lookup
    if domain is not None:
        domain.cache.clear()


@pytest.fixture
def app_config(translations):
    return {'DEFAULT_LOCALE': 'ja', 'BABEL_TRANSLATION_DIRECTORIES': translations}


@pytest.fixture
def english_app(database_url, tmp_path, translations):
    instance = tmp_path / 'instance-en'
    instance.mkdir(mode=0o700)
    return make_app(database_url, instance, DEFAULT_LOCALE='en',
                    BABEL_TRANSLATION_DIRECTORIES=translations)


PAGE = ("{{ _('Ledger') }}|{{ label }}|{{ gettext('Special-care') }}"
        "|{{ ngettext('%(num)d entry', '%(num)d entries', 3) }}|{{ _('Hello %(name)s', name=who) }}"
        "|{{ _('100%%') }}")


def render(app):
    with app.test_request_context('/'):
        return render_template_string(PAGE, label=C.CATEGORIES[0][1], who='<b>')


def test_each_app_and_request_gets_its_own_language(app, english_app):
    """Do alternating requests to a Japanese and an English app each get their language,
    through the templates' _(), gettext, ngettext and lazy labels?"""
    for _ in range(3):
        assert render(app) == ('台帳|顧客|要配慮|3 件|こんにちは &lt;b&gt;|百%')
        assert render(english_app) == ('Ledger|Customers|Special-care|3 entries'
                                       '|Hello &lt;b&gt;|100%')


def test_python_gettext_and_lazy_strings_follow_the_locale(app, english_app):
    """Do gettext and lazy strings in Python code give each app's language?"""
    for current, ledger, customers in ((app, '台帳', '顧客'), (english_app, 'Ledger', 'Customers'),
                                       (app, '台帳', '顧客')):
        with current.test_request_context('/'):
            assert i18n.gettext('Ledger') == ledger
            assert str(C.CATEGORIES[0][1]) == customers
            assert C.CATEGORIES[0][1].__html__() == customers
            assert i18n.gettext('Hello %(name)s', name='x').endswith(' x')
            assert i18n.ngettext('%(num)d entry', '%(num)d entries', 1) in ('1 件', '1 entry')


def test_force_locale_and_refresh_inside_a_request(app):
    """Does force_locale switch the language for its block only, and refresh() keep it right?"""
    with app.test_request_context('/'):
        assert i18n.gettext('Ledger') == '台帳'
        with flask_babel.force_locale('en'):
            assert i18n.gettext('Ledger') == 'Ledger'
            assert str(C.CATEGORIES[0][1]) == 'Customers'
            assert render_template_string("{{ _('Ledger') }}") == 'Ledger'
        assert i18n.gettext('Ledger') == '台帳'
        assert render_template_string("{{ _('Ledger') }}") == '台帳'
        flask_babel.refresh()
        assert i18n.gettext('Ledger') == '台帳'


def test_outside_an_app_context_the_message_itself(app):
    """Without an app context (a fresh thread), is the message returned untranslated, as
    Flask-Babel does?"""
    import threading
    seen = []
    thread = threading.Thread(target=lambda: seen.extend([
        i18n.gettext('Ledger'), str(C.CATEGORIES[0][1]), i18n.catalogue()]))
    thread.start()
    thread.join()
    assert seen == ['Ledger', 'Customers', None]


def test_the_kept_translations_are_bounded(app, monkeypatch):
    """Does a flood of distinct messages stop being kept at the limit, still translated?"""
    monkeypatch.setattr(i18n, 'MAX_MESSAGES', 10)
    with app.test_request_context('/'):
        catalogue = i18n.catalogue()
        catalogue.messages.clear()
        catalogue.markup.clear()
        for n in range(50):
            assert i18n.gettext('message %d' % n) == 'message %d' % n
            assert render_template_string("{{ _(m) }}", m='<m %d>' % n) == '<m %d>' % n
        assert i18n.gettext('Ledger') == '台帳'
        assert len(catalogue.messages) <= 10
        assert len(catalogue.markup) <= 10


def test_template_gettext_escapes_variables_and_keeps_autoescape_off(app):
    """Is a variable escaped in an HTML template and not in a text one, as Jinja's own?"""
    with app.test_request_context('/'):
        html = render_template_string("{{ _('Hello %(name)s', name='<b>') }}{{ _('Ledger') }}")
        assert html == 'こんにちは &lt;b&gt;台帳'
        html = render_template_string(
            "{% for n in [1, 2] %}{{ ngettext('%(num)d entry', '%(num)d entries', n) }}"
            "{{ _('Hello %(name)s', name=n) }}{% endfor %}")
        assert html == '1 件こんにちは 12 件こんにちは 2'
        env = app.jinja_env.overlay(autoescape=False)
        text = env.from_string("{{ _('Hello %(name)s', name='<b>') }}{{ _('100%%') }}"
                               "{{ ngettext('%(num)d entry', '%(num)d entries', 2) }}").render()
        assert text == 'こんにちは <b>百%2 件'
        assert isinstance(i18n.catalogue().template_text('Ledger', True), Markup)


@pytest.mark.parametrize('zone', ['Asia/Tokyo', 'Europe/Berlin', 'America/New_York'])
@pytest.mark.parametrize('locale', ['en', 'ja'])
def test_dates_as_babel_writes_them(database_url, tmp_path, zone, locale):
    """Do the date and datetime filters give exactly Flask-Babel's text, across midnight
    and summer time, for naive (UTC) and aware values, known and other patterns?"""
    instance = tmp_path / 'instance'
    instance.mkdir(mode=0o700)
    app = make_app(database_url, instance, TIMEZONE=zone, DEFAULT_LOCALE=locale)
    utc = datetime.timezone.utc
    moments = [datetime.datetime(2026, 3, 29, 0, 59, 59), datetime.datetime(2026, 3, 8, 6, 30),
               datetime.datetime(2026, 10, 25, 0, 30), datetime.datetime(2026, 11, 1, 5, 59),
               datetime.datetime(2025, 12, 31, 15, 0, 1), datetime.datetime(999, 1, 2, 3, 4, 5),
               datetime.datetime(2026, 6, 1, 12, 0, tzinfo=utc)]
    patterns = ['yyyy-MM-dd HH:mm', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', 'medium',
                'd MMM yyyy HH:mm', 'yyyy-MM-dd HH:mm zzz']
    with app.test_request_context('/'):
        for moment in moments:
            for pattern in patterns:
                assert i18n.format_datetime(moment, pattern) == \
                    flask_babel.format_datetime(moment, pattern), (moment, pattern)
            assert i18n.format_date(moment) == flask_babel.format_date(moment, 'yyyy-MM-dd')
            day = moment.date()
            assert i18n.format_date(day) == flask_babel.format_date(day, 'yyyy-MM-dd')
            assert i18n.format_date(day, 'd MMMM yyyy') == \
                flask_babel.format_date(day, 'd MMMM yyyy')
        template = "{{ m|datetime }} {{ m|datetime('yyyy-MM-dd HH:mm:ss') }} {{ m|date }}"
        assert render_template_string(template, m=moments[0]) == '%s %s %s' % (
            flask_babel.format_datetime(moments[0], 'yyyy-MM-dd HH:mm'),
            flask_babel.format_datetime(moments[0], 'yyyy-MM-dd HH:mm:ss'),
            flask_babel.format_date(moments[0], 'yyyy-MM-dd'))


def test_ledger_list_in_japanese(app, client, login_as):
    """Does the ledger list show the Japanese labels of its rows and filter selects?"""
    login_as('committee')
    make_entry(category='customer', items=['name'])
    page = client.get('/ledger/?item=name').get_data(as_text=True)
    assert '<td>顧客</td>' in page
    assert '<label for="ledger-item">保有項目</label>' in page
    assert '<option selected value="name">氏名</option>' in page
    assert '<html lang="ja">' in page
