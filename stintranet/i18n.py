"""Which language a request is answered in.

A signed-in account that chose a language gets it; any other signed-in account gets
``DEFAULT_LOCALE`` (``ja`` unless configured). A request without an account (the
sign-in page) follows the browser's Accept-Language among the languages the app has,
and ``DEFAULT_LOCALE`` when the browser asks for none of them. Outside a request (the
daily job, commands) it is ``DEFAULT_LOCALE``.
"""
import os

from flask import current_app, has_request_context, request
from flask_login import current_user

# The languages the interface is written in, in the order the account page offers them.
LANGUAGES = ('ja', 'en')


def default_locale():
    return current_app.config['DEFAULT_LOCALE']


def select_locale():
    """Flask-Babel's locale selector (see the module's docstring)."""
    if not has_request_context():
        return default_locale()
    if current_user.is_authenticated:
        return getattr(current_user, 'locale', None) or default_locale()
    return request.accept_languages.best_match(LANGUAGES, default=default_locale())


def init_app(app, babel, root):
    """Bind Flask-Babel: the repository's translations folder and the selector."""
    app.config['BABEL_TRANSLATION_DIRECTORIES'] = os.path.join(root, 'translations')
    if app.config['DEFAULT_LOCALE'] not in LANGUAGES:
        raise RuntimeError('DEFAULT_LOCALE: %r is not one of %s'
                           % (app.config['DEFAULT_LOCALE'], ', '.join(LANGUAGES)))
    babel.init_app(app, locale_selector=select_locale)
