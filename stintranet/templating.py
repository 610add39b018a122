"""Template globals and filters: navigation, roles, dates and times in Asia/Tokyo in the
user's language."""
from flask import request
from flask_babel import format_date, format_decimal, get_locale
from flask_login import current_user
from markupsafe import Markup

from . import htmx, nav
from .auth import roles as R
from .auth.forms import LANGUAGE_NAMES
from .languages import date_text, datetime_text, join_words


def _unread_notifications():
    """Called by base.html only, so fragments cost no query."""
    from .notifications.models import Notification
    if not current_user.is_authenticated:
        return 0
    cached = getattr(current_user, '_unread', None)  # loaded with the user, same query
    return cached if cached is not None else Notification.unread_count(current_user)


def unbroken(text):
    """A Japanese date kept on one line (a narrow table column would otherwise break it
    as 2026年11月 / 14日(土)); English dates have no place to break and stay plain text."""
    if not text or str(get_locale() or 'en') == 'en':
        return text
    return Markup('<span class="date">%s</span>') % text


def init_app(app):
    app.after_request(htmx.clear_flashes_on_refusal)

    @app.context_processor
    def globals_for_templates():
        return {
            'nav_items': nav.items_for(current_user),
            'nav_current': nav.current,
            'role_labels': R.LABELS,
            'R': R,
            'current_locale': str(get_locale() or 'en'),
            'language_names': LANGUAGE_NAMES,
            'unread_notifications': _unread_notifications,
        }

    @app.template_filter('datetime')
    def datetime_filter(value, fmt='datetime'):
        """A UTC datetime shown in the configured zone (Asia/Tokyo); ``fmt`` is a name
        of ``FORMATS`` ('date', 'seconds', 'month_day', 'time', 'written'...)."""
        return unbroken(datetime_text(value, fmt))

    @app.template_filter('date')
    def date_filter(value):
        """A date: 2026-12-03 in English, 2026年12月3日(木) in Japanese."""
        return unbroken(date_text(value))

    @app.template_filter('words')
    def words_filter(items):
        """Labels or names listed as the reader's language lists them (、 in Japanese)."""
        return join_words(items or ())

    @app.template_filter('number')
    def number_filter(value):
        """A number with the language's grouping (1,200)."""
        return format_decimal(value) if value is not None else ''

    @app.template_filter('weekday')
    def weekday_filter(value):
        """The day of the week in the user's language ("Sunday", "日曜日")."""
        return format_date(value, 'EEEE') if value else ''

    @app.template_global()
    def url_with(**changes):
        """The current URL with some query arguments changed (pagination, sorting)."""
        args = request.args.to_dict(flat=True)
        args.update({k: v for k, v in changes.items()})
        args = {k: v for k, v in args.items() if v not in (None, '')}
        from urllib.parse import urlencode
        return request.path + ('?' + urlencode(args) if args else '')
