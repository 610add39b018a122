"""Template globals and filters: navigation, roles, times in Asia/Tokyo."""
from flask import request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from . import htmx, nav
from .auth import roles as R
from .auth.forms import LANGUAGE_NAMES


def _unread_notifications():
    """Called by base.html only, so fragments cost no query."""
    from .notifications.models import Notification
    if not current_user.is_authenticated:
        return 0
    cached = getattr(current_user, '_unread', None)  # loaded with the user, same query
    return cached if cached is not None else Notification.unread_count(current_user)


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
    def datetime_filter(value, fmt='yyyy-MM-dd HH:mm'):
        """A UTC datetime shown in the configured zone (Asia/Tokyo)."""
        return format_datetime(value, fmt) if value else ''

    @app.template_filter('date')
    def date_filter(value):
        return format_date(value, 'yyyy-MM-dd') if value else ''

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
