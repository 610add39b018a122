"""Access control for views."""
from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def public(view):
    """Mark a view as reachable without logging in (the login page, errors)."""
    view.is_public = True
    return view


def roles_required(*roles):
    """Allow the view only to users holding at least one of ``roles`` (403 otherwise)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_roles = roles
        return wrapped
    return decorator
