"""Which language a request is answered in, and dates and times written in it.

A signed-in account that chose a language gets it; any other signed-in account gets
``DEFAULT_LOCALE`` (``ja`` unless configured). A request without an account (the
sign-in page) follows the browser's Accept-Language among the languages the app has,
and ``DEFAULT_LOCALE`` when the browser asks for none of them. Outside a request (the
daily job, commands) it is ``DEFAULT_LOCALE``.
"""
import os

from flask import current_app, has_request_context, request
from flask_babel import LazyString, force_locale, format_date, format_datetime, get_locale, pgettext
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


# Named date and time formats (Babel/CLDR patterns) by language. English keeps the ISO
# forms the interface always had; Japanese writes 2026年12月3日(木). A pattern that is not a
# name here is used as given.
FORMATS = {
    'en': {
        'date': 'yyyy-MM-dd',            # a day
        'datetime': 'yyyy-MM-dd HH:mm',  # a moment
        'seconds': 'yyyy-MM-dd HH:mm:ss',
        'month_day': 'MM-dd',            # a day of this year, in a narrow column
        'month_day_time': 'MM-dd HH:mm',
        'time': 'HH:mm',
        'written': 'yyyy-MM-dd HH:mm',   # a moment in running text
    },
    'ja': {
        'date': 'y年M月d日(E)',
        'datetime': 'y年M月d日(E) H:mm',
        'seconds': 'y年M月d日(E) H:mm:ss',
        'month_day': 'M月d日(E)',
        'month_day_time': 'M月d日 H:mm',
        'time': 'H:mm',
        'written': 'y年M月d日(E) H時mm分',
    },
}


def pattern(name):
    """The pattern called ``name`` in the current language."""
    language = str(get_locale() or 'en').split('_')[0]
    return FORMATS.get(language, FORMATS['en']).get(name, name)


def date_text(value):
    """A date (or a datetime's day in Asia/Tokyo) as the user reads it; '' for None."""
    if not value:
        return ''
    if hasattr(value, 'hour'):
        return format_datetime(value, pattern('date'))
    return format_date(value, pattern('date'))


def datetime_text(value, name='datetime'):
    """A stored naive-UTC datetime shown in Asia/Tokyo as the user reads it; '' for None."""
    return format_datetime(value, pattern(name)) if value else ''


def lazy_date(day):
    """``date_text(day)`` written when the text is read, in the reader's language (for the
    variables of a lazy_gettext message, such as a notification's subject)."""
    return LazyString(date_text, day)


def in_language_of(user):
    """A context in which gettext and the formats speak ``user``'s language."""
    return force_locale(getattr(user, 'locale', None) or default_locale())


def join_words(items):
    """Words joined as the reader's language lists them: "a, b" in English, 「a、b」 in
    Japanese."""
    return pgettext('list separator', ', ').join(str(item) for item in items)


def in_every_language(text):
    """``text`` (a lazy_gettext string) as each language of the app writes it, for reading
    back what a person typed or a file held in either language."""
    forms = []
    for language in LANGUAGES:
        with force_locale(language):
            forms.append(str(text))
    return forms


def init_app(app, babel, root):
    """Bind Flask-Babel: the repository's translations folder and the selector."""
    app.config['BABEL_TRANSLATION_DIRECTORIES'] = os.path.join(root, 'translations')
    if app.config['DEFAULT_LOCALE'] not in LANGUAGES:
        raise RuntimeError('DEFAULT_LOCALE: %r is not one of %s'
                           % (app.config['DEFAULT_LOCALE'], ', '.join(LANGUAGES)))
    babel.init_app(app, locale_selector=select_locale)
