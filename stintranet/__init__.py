"""stintranet: the S.T. Group's personal-information protection programme."""
import datetime
import os

import click
from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings
from .extensions import babel, csrf, login_manager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Capabilities, in navigation order; each is a sub-package with a ``bp``.
BLUEPRINTS = ('auth', 'dashboard', 'ledger', 'auditlog', 'admin', 'notifications', 'disclosure',
              'incidents', 'corrective', 'training', 'pledges', 'guidelines', 'audits',
              'registers', 'serverarea', 'inquiries', 'management')

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(config=None):
    """Build the app: defaults < instance/config.py < STINTRANET_* < ``config``."""
    instance_path = (config or {}).get('INSTANCE_PATH') or os.environ.get(
        'STINTRANET_INSTANCE_PATH') or os.path.join(ROOT, 'instance')
    instance_path = os.path.abspath(instance_path)
    os.makedirs(instance_path, mode=0o700, exist_ok=True)

    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True,
                template_folder=os.path.join(ROOT, 'templates'),
                static_folder=os.path.join(ROOT, 'static'))
    app.config.from_mapping(settings.DEFAULTS)
    app.config.from_pyfile('config.py', silent=True)
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.from_mapping(config)
    # Without SECRET_KEY configured the key file is used (checked by startup.check_keys).
    app.config['SECRET_KEY_FROM_FILE'] = not app.config.get('SECRET_KEY')
    if app.config['SECRET_KEY_FROM_FILE']:
        app.config['SECRET_KEY'] = settings.read_secret_key(instance_path)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE='Lax',
        SESSION_COOKIE_SECURE=app.config['SESSION_COOKIE_SECURE'],
        SESSION_COOKIE_NAME='stintranet_session',
        PERMANENT_SESSION_LIFETIME=datetime.timedelta(
            hours=app.config['SESSION_LIFETIME_HOURS']),
        REMEMBER_COOKIE_DURATION=datetime.timedelta(seconds=0),
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE=app.config['DEFAULT_LOCALE'],
        BABEL_DEFAULT_TIMEZONE=app.config['TIMEZONE'],
        MAX_CONTENT_LENGTH=app.config.get('MAX_CONTENT_LENGTH') or 20 * 1024 * 1024,
    )
    if app.config['PROXY_COUNT']:
        n = app.config['PROXY_COUNT']
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    from . import auditlog, crypto, db, inputs, languages
    inputs.init_app(app)  # before the blueprints: their <int:...> rules use its converter
    db.init_app(app)
    crypto.init_app(app)
    auditlog.models.init_app(app)

    login_manager.init_app(app)
    login_manager.session_protection = None  # sessions end through the user's nonce
    csrf.init_app(app)
    languages.init_app(app, babel, ROOT)

    import importlib

    from .auth import enforce_login
    for name in BLUEPRINTS:
        module = importlib.import_module('.' + name, __name__)
        app.register_blueprint(module.bp)
    app.before_request(enforce_login)

    from . import cli, errors, startup, tasks, templating
    errors.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    startup.init_app(app)
    tasks.init_app(app)

    app.after_request(security_headers)
    # Commands check for themselves (init-db must run first); STARTUP_CHECKS=False is
    # for tools that build an app before its database exists (the tests' template).
    if app.config.get('STARTUP_CHECKS', True) and _serving():
        startup.require(app)
    return app


def _serving():
    """True unless the app is loaded by ``flask COMMAND`` (``flask run`` serves)."""
    context = click.get_current_context(silent=True)
    return context is None or context.info_name in ('run', 'shell')


def security_headers(response):
    """The baseline headers of every response; nothing personal is cached."""
    headers = response.headers
    headers.setdefault('Content-Security-Policy', CSP)
    headers.setdefault('X-Content-Type-Options', 'nosniff')
    headers.setdefault('Referrer-Policy', 'same-origin')
    headers.setdefault('X-Frame-Options', 'DENY')
    headers.setdefault('Cross-Origin-Opener-Policy', 'same-origin')
    if request.endpoint != 'static':
        headers['Cache-Control'] = 'no-store'
        headers['Pragma'] = 'no-cache'
    return response
