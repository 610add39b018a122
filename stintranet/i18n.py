"""Translations and dates for pages, looked up once per locale.

Flask-Babel finds the locale, the domain and the catalogue again on every
``gettext`` (about 8 µs: several ``g`` proxy lookups and ``str(locale)``); a
list page with 500 labels paid 4 ms for it. Here a request finds the catalogue
Flask-Babel chose once, and every message is translated once per catalogue
(one per locale) and kept for the life of the process: translations never
change while the app runs. Flask-Babel stays the library: it picks the locale
and loads the catalogues; ``force_locale`` and ``refresh`` keep working, since
a changed locale, domain or zone makes the request look its catalogue up again.

Use ``from ..i18n import gettext as _, lazy_gettext as _l`` in the app; the
templates' ``_``, ``gettext`` and ``ngettext`` and the ``date`` and
``datetime`` filters go through here too (``install``).
"""
import datetime
import re
import weakref

import flask_babel
from flask import g
from flask.globals import _cv_app  # the app context without the g proxy (0.1 µs, not 0.8)
from flask_babel.speaklater import LazyString as _BabelLazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

# Messages kept per catalogue. The app has about 2,100; should messages be built at
# run time, they are still translated but no longer kept once this is reached.
MAX_MESSAGES = 5000

_catalogues = weakref.WeakKeyDictionary()  # Flask-Babel Translations -> Catalogue


class Catalogue:
    """The translations of one Flask-Babel catalogue (one locale), each kept once
    looked up."""

    __slots__ = ('translations', 'messages', 'markup', 'plain')

    def __init__(self, translations):
        self.translations = translations
        self.messages = {}  # message -> translation
        self.markup = {}  # message -> what a template's _(message) gives, autoescaped
        self.plain = {}  # ... and in a template without autoescape

    def gettext(self, message):
        try:
            return self.messages[message]
        except KeyError:
            text = self.translations.ugettext(message)
            if len(self.messages) < MAX_MESSAGES:
                self.messages[message] = text
            return text

    def template_text(self, message, autoescape):
        """Jinja's newstyle ``_(message)`` without variables: ``Markup(t) % {}``."""
        memo = self.markup if autoescape else self.plain
        try:
            return memo[message]
        except KeyError:
            text = self.gettext(message)
            text = (Markup(text) if autoescape else text) % {}
            if len(memo) < MAX_MESSAGES:
                memo[message] = text
            return text


def catalogue_for(translations):
    catalogue = _catalogues.get(translations)
    if catalogue is None:
        catalogue = _catalogues[translations] = Catalogue(translations)
    return catalogue


class _State:
    """What a request resolved: valid while Flask-Babel keeps the same locale,
    domain and zone on ``g``."""

    __slots__ = ('locale', 'domain', 'tzinfo', 'catalogue')

    def __init__(self, locale, domain, tzinfo, catalogue):
        self.locale, self.domain, self.tzinfo = locale, domain, tzinfo
        self.catalogue = catalogue


def _state():
    """The current request's state, or None outside an app context."""
    app_ctx = _cv_app.get(None)
    if app_ctx is None:
        return None
    ns = app_ctx.g.__dict__.get('_flask_babel')  # Flask-Babel's per-request namespace
    if ns is not None:
        attrs = ns.__dict__
        state = attrs.get('stintranet_i18n')
        if (state is not None and state.locale is attrs.get('babel_locale')
                and state.domain is attrs.get('babel_domain')
                and state.tzinfo is attrs.get('babel_tzinfo')):
            return state
    translations = flask_babel.get_translations()  # sets the locale and domain on g
    flask_babel.get_timezone()
    attrs = g._flask_babel.__dict__
    state = _State(attrs.get('babel_locale'), attrs.get('babel_domain'),
                   attrs.get('babel_tzinfo'), catalogue_for(translations))
    attrs['stintranet_i18n'] = state
    return state


def catalogue():
    """The current locale's Catalogue, or None outside an app context."""
    state = _state()
    return state.catalogue if state is not None else None


# gettext and friends, as Flask-Babel's ---------------------------------------------

def gettext(string, **variables):
    state = _state()
    if state is None:
        return flask_babel.gettext(string, **variables)
    text = state.catalogue.gettext(string)
    return text % variables if variables else text


_ = gettext


def ngettext(singular, plural, num, **variables):
    state = _state()
    if state is None:
        return flask_babel.ngettext(singular, plural, num, **variables)
    variables.setdefault('num', num)
    return state.catalogue.translations.ungettext(singular, plural, num) % variables


class LazyString(_BabelLazyString):
    """Flask-Babel's lazy string, translated through the catalogue kept here."""

    def __init__(self, string, variables):
        super().__init__(flask_babel.gettext, string, **variables)
        self._message = string
        self._variables = variables

    def __str__(self):
        state = _state()
        if state is None:
            return str(flask_babel.gettext(self._message, **self._variables))
        text = state.catalogue.gettext(self._message)
        return text % self._variables if self._variables else text

    def __html__(self):  # as Flask-Babel's: the translation is taken as markup
        return self.__str__()


def lazy_gettext(string, **variables):
    return LazyString(string, variables)


# templates -------------------------------------------------------------------------

@pass_eval_context  # not pass_context: in a loop that makes Jinja derive a context (10 µs)
def _template_gettext(__eval_ctx, __string, **variables):
    """Jinja's newstyle ``gettext`` (``Markup(translation) % variables``)."""
    autoescape = __eval_ctx.autoescape
    state = _state()
    if state is not None and not variables:
        return state.catalogue.template_text(__string, autoescape)
    text = state.catalogue.gettext(__string) if state is not None else \
        flask_babel.get_translations().ugettext(__string)
    return (Markup(text) if autoescape else text) % variables


@pass_eval_context
def _template_ngettext(__eval_ctx, __singular, __plural, __num, **variables):
    """Jinja's newstyle ``ngettext`` (``num`` is a variable too)."""
    variables.setdefault('num', __num)
    text = _translations().ungettext(__singular, __plural, __num)
    return (Markup(text) if __eval_ctx.autoescape else text) % variables


def _plain_ngettext(singular, plural, num):
    return _translations().ungettext(singular, plural, num)


def _plain_gettext(string):
    state = _state()
    return (state.catalogue.gettext(string) if state is not None
            else flask_babel.get_translations().ugettext(string))


def _translations():
    state = _state()
    return (state.catalogue.translations if state is not None
            else flask_babel.get_translations())


def _plain_pgettext(context, string):
    return _translations().upgettext(context, string)


def _plain_npgettext(context, singular, plural, num):
    return _translations().unpgettext(context, singular, plural, num)


# Date patterns whose every field Babel writes as zero-padded digits in any locale
# ('%0*d' in babel.dates.DateTimeFormat), so that they need no Babel call: the app's
# three. Any other pattern goes to Flask-Babel.
_FIELDS = {'yyyy': ('%04d', 'year'), 'MM': ('%02d', 'month'), 'dd': ('%02d', 'day'),
           'HH': ('%02d', 'hour'), 'mm': ('%02d', 'minute'), 'ss': ('%02d', 'second')}
_TOKEN = re.compile(r'yyyy|MM|dd|HH|mm|ss|[-: ]')
_compiled = {}


def _compile(pattern):
    """(%-format, attribute names) for a digits-only Babel date pattern, else None."""
    try:
        return _compiled[pattern]
    except KeyError:
        pass
    tokens = _TOKEN.findall(pattern)
    compiled = None
    if ''.join(tokens) == pattern:
        fields = [_FIELDS.get(token, (token, None)) for token in tokens]
        compiled = (''.join(fmt for fmt, _name in fields),
                    tuple(name for _fmt, name in fields if name))
    if len(_compiled) < 100:
        _compiled[pattern] = compiled
    return compiled


def _local(value, tzinfo):
    """A datetime in the user's zone, as Babel rebases it (naive is UTC). Babel also
    calls pytz's normalize(), which after astimezone() gives the same datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(tzinfo)


def format_datetime(value, pattern='yyyy-MM-dd HH:mm'):
    """Flask-Babel's ``format_datetime(value, pattern)`` (rebased to the user's zone)."""
    compiled = _compile(pattern)
    state = _state() if compiled is not None else None
    if state is None or type(value) is not datetime.datetime:
        return flask_babel.format_datetime(value, pattern)
    value = _local(value, state.tzinfo)
    fmt, names = compiled
    return fmt % tuple([getattr(value, name) for name in names])


def format_date(value, pattern='yyyy-MM-dd'):
    """Flask-Babel's ``format_date(value, pattern)`` (a datetime rebased first)."""
    compiled = _compile(pattern)
    state = _state() if compiled is not None else None
    kind = type(value)
    if state is None or kind not in (datetime.date, datetime.datetime) or \
            any(name in ('hour', 'minute', 'second') for name in compiled[1]):
        return flask_babel.format_date(value, pattern)
    if kind is datetime.datetime:
        value = _local(value, state.tzinfo)
    fmt, names = compiled
    return fmt % tuple([getattr(value, name) for name in names])


def install(app):
    """The templates' ``_``, ``gettext`` and ``ngettext`` through the catalogue here
    (after ``babel.init_app``, which installs Flask-Babel's); ``pgettext`` and
    ``npgettext`` as Jinja wraps them."""
    env = app.jinja_env
    env.install_gettext_callables(gettext=_plain_gettext, ngettext=_plain_ngettext,
                                  pgettext=_plain_pgettext, npgettext=_plain_npgettext,
                                  newstyle=True)
    env.globals.update(gettext=_template_gettext, _=_template_gettext,
                       ngettext=_template_ngettext)
