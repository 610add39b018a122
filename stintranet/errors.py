"""Friendly error pages; htmx requests get a short fragment or a refresh."""
from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import refusals
from .htmx import is_htmx

TITLES = {
    400: lambda: _('The request could not be understood'),
    403: lambda: _('You may not open this page'),
    404: lambda: _('Page not found'),
    405: lambda: _('This action is not allowed here'),
    409: lambda: _('Someone else changed this meanwhile'),
    413: lambda: _('The file is too large'),
    422: lambda: _('Some input needs correcting'),
    429: lambda: _('Too many attempts'),
    500: lambda: _('Something went wrong on our side'),
}


def render_error(code, message=None):
    title = TITLES.get(code, TITLES[400])()
    template = 'errors/_error.html' if is_htmx() else 'errors/error.html'
    return render_template(template, code=code, title=title, message=message), code


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        """A stale or missing token: htmx reloads the page to get a fresh one."""
        body, code = render_error(400, _('The form expired or was sent from elsewhere. '
                                         'Reload the page and try again.'))
        response = app.make_response((body, code))
        if is_htmx():
            response.headers['HX-Refresh'] = 'true'
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if exc.code is None or exc.code < 400:
            return exc
        if exc.code == 403:
            _record_refusal(app)
        response = app.make_response(render_error(exc.code, None))
        if exc.code == 405 and exc.valid_methods:
            response.headers['Allow'] = ', '.join(exc.valid_methods)
        return response

    @app.errorhandler(500)
    def server_error(exc):
        return render_error(500)


def _record_refusal(app):
    """Every 403 is an audit-log event; failing to write it must not turn the answer
    into a 500, so the failure is logged instead."""
    try:
        refusals.record(403)
    except Exception:  # noqa: BLE001 — the refusal stands; the log says what failed
        app.logger.exception('A refused access could not be recorded in the audit log')
