"""Accounts: login, sessions, roles and the checks every request passes."""
import hmac
import time

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ..extensions import login_manager
from ..htmx import hx_redirect, is_htmx

bp = Blueprint('auth', __name__)

EXEMPT_ENDPOINTS = {'static', 'auth.login'}


@login_manager.user_loader
def load_user(session_id):
    """Session ids are ``<user id>:<nonce>``; a changed nonce ends the session."""
    from .models import User
    user_id, _sep, nonce = (session_id or '').partition(':')
    if not user_id.isdigit() or not nonce:
        return None
    user = User.load_for_session(int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_nonce, nonce):
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    """Send to the login page; htmx gets HX-Redirect instead of a swapped page."""
    target = url_for('auth.login', next=request.full_path.rstrip('?'))
    if is_htmx():
        return hx_redirect(current_app.response_class(status=401), target)
    return redirect(target)


def _expired(now):
    config = current_app.config
    login_at, seen_at = session.get('login_at'), session.get('seen_at')
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return True
    if now - login_at > config['SESSION_LIFETIME_HOURS'] * 3600:
        return True
    return now - seen_at > config['IDLE_TIMEOUT_MINUTES'] * 60


def enforce_login():
    """Every page needs a signed-in user unless its view is marked public."""
    endpoint = request.endpoint
    if endpoint is None:
        return None
    view = current_app.view_functions.get(endpoint)
    if endpoint in EXEMPT_ENDPOINTS or getattr(view, 'is_public', False):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    now = int(time.time())
    if _expired(now):
        logout_user()
        session.clear()
        flash(_('Your session has ended. Please sign in again.'), 'info')
        return login_manager.unauthorized()
    if now - session['seen_at'] >= 30:
        session['seen_at'] = now
    if current_user.must_change_password and endpoint not in (
            'auth.change_password', 'auth.logout'):
        return redirect(url_for('auth.change_password'))
    return None


from . import views  # noqa: E402,F401
