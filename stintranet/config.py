"""Settings: defaults < instance/config.py < STINTRANET_* environment < create_app(config).

Every setting below can be overridden by an environment variable named
``STINTRANET_<NAME>``; the value is parsed with the type of the default
(``true``/``false`` for booleans). README.md lists them all.
"""
import os
import secrets
import stat

DEFAULTS = {
    # Database URL; empty means SQLite at instance/stintranet.sqlite3.
    'DATABASE_URL': '',
    'SQLITE_BUSY_TIMEOUT_MS': 10000,
    # Open connections kept per process between requests; 0 connects for each request.
    'DATABASE_POOL_SIZE': 8,
    # Session cookie and lifetimes.
    'SESSION_COOKIE_SECURE': False,
    'IDLE_TIMEOUT_MINUTES': 30,
    'SESSION_LIFETIME_HOURS': 12,
    # Login protection.
    'LOCKOUT_THRESHOLD': 5,
    'LOCKOUT_MINUTES': 15,
    'CLIENT_FAILURE_LIMIT': 30,
    'CLIENT_FAILURE_WINDOW_MINUTES': 15,
    'PASSWORD_MIN_LENGTH': 12,
    # Refused access (403, or 404 for another's record): this many refusals of one
    # account within this many minutes notify the committee, once per window.
    'REFUSAL_ALERT_COUNT': 20,
    'REFUSAL_ALERT_MINUTES': 10,
    # argon2id (argon2-cffi); memory in KiB.
    'ARGON2_TIME_COST': 2,
    'ARGON2_MEMORY_COST': 19456,
    'ARGON2_PARALLELISM': 1,
    # Display.
    'TIMEZONE': 'Asia/Tokyo',
    # The interface language of an account that chose none, and of the sign-in page
    # when the browser asks for neither: 'ja' or 'en' (stintranet/languages.py).
    'DEFAULT_LOCALE': 'ja',
    'PAGE_SIZE': 50,
    # Honour X-Forwarded-For/-Proto from this many reverse proxies.
    'PROXY_COUNT': 0,
    # Ledger: months from a review to the next one ("at least yearly", 1 to 12),
    # and the limits of an import (an upload waits this long for its commit).
    'LEDGER_REVIEW_MONTHS': 12,
    'LEDGER_IMPORT_TTL_MINUTES': 60,
    'LEDGER_IMPORT_MAX_ROWS': 5000,
    'LEDGER_IMPORT_MAX_BYTES': 5 * 1024 * 1024,
    # Imported .xlsx workbooks (ledger, training): the most their archive may unpack to,
    # each part and all together, in bytes (stintranet/spreadsheets.py).
    'IMPORT_MAX_UNCOMPRESSED_BYTES': 20 * 1024 * 1024,
    # APPI breach clocks in days, the day of awareness being day 1 (legaldates.py):
    # preliminary report to the PPC (target, latest), final report (60 days when
    # a wrongful purpose is involved), and the internal target for the notice
    # to the individuals, which the law asks for "promptly".
    'PPC_PRELIMINARY_TARGET_DAYS': 3,
    'PPC_PRELIMINARY_MAX_DAYS': 5,
    'PPC_FINAL_DAYS': 30,
    'PPC_FINAL_WRONGFUL_DAYS': 60,
    'PPC_NOTICE_TARGET_DAYS': 5,
    # Requests for Disclosure: internal due date (days after receipt) and how
    # long the submitted documents are kept after completion (months).
    'DISCLOSURE_DUE_DAYS': 14,
    'DISCLOSURE_RETENTION_MONTHS': 6,
    # Inquiries and complaints: days after receipt by which the answer is due.
    'INQUIRY_DUE_DAYS': 7,
    # Incident attachments (PDF, PNG, JPEG): the largest accepted, in bytes.
    'INCIDENT_ATTACHMENT_MAX_BYTES': 10 * 1024 * 1024,
    # Links in e-mails point here.
    'BASE_URL': 'http://127.0.0.1:5000',
    # E-mail (SMTP); with no MAIL_SERVER, notifications stay in the app only.
    'MAIL_SERVER': '',
    'MAIL_PORT': 25,
    'MAIL_USE_TLS': False,
    'MAIL_USE_SSL': False,
    'MAIL_USERNAME': '',
    'MAIL_PASSWORD': '',
    'MAIL_FROM': 'stintranet@st-group.example',
    'MAIL_TIMEOUT_SECONDS': 10,
    # Background work (huey): empty is a SQLite queue file in the instance folder,
    # ``redis://HOST:6379/0`` a Redis server. QUEUE_IMMEDIATE runs each task at once
    # in the process that queues it (the tests).
    'QUEUE_URL': '',
    'QUEUE_IMMEDIATE': False,
    # When the queue's consumer runs the daily job (HH:MM in TIMEZONE).
    'DAILY_JOB_AT': '06:00',
}

SECRET_KEY_FILE = 'secret_key'


def _parse(raw, default):
    if isinstance(default, bool):
        value = raw.strip().lower()
        if value in ('1', 'true', 'yes', 'on'):
            return True
        if value in ('0', 'false', 'no', 'off', ''):
            return False
        raise ValueError('expected true or false, got %r' % raw)
    if isinstance(default, int):
        return int(raw)
    return raw


def from_environment(environ=None):
    """Return the STINTRANET_* settings found in the environment, typed."""
    environ = os.environ if environ is None else environ
    found = {}
    for name, default in DEFAULTS.items():
        key = 'STINTRANET_' + name
        if key in environ:
            try:
                found[name] = _parse(environ[key], default)
            except ValueError as exc:
                raise RuntimeError('%s: %s' % (key, exc)) from None
    if 'STINTRANET_SECRET_KEY' in environ:
        found['SECRET_KEY'] = environ['STINTRANET_SECRET_KEY']
    return found


def check_private(path):
    """Refuse a key file that group or others can read or write."""
    mode = os.stat(path).st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise RuntimeError(
            '%s is accessible by other users (mode %o); run chmod 600 on it.'
            % (path, stat.S_IMODE(mode)))


def write_private(path, data):
    """Create ``path`` with mode 0600 holding ``data`` (bytes), durably and all at once.

    The bytes go to a temporary file in the same folder, which is fsync'ed and then
    linked to ``path`` (FileExistsError if it exists: nothing is ever overwritten);
    the folder is fsync'ed too, so a crash leaves either no file or the whole file.
    """
    folder = os.path.dirname(os.path.abspath(path))
    temporary = os.path.join(folder, '.%s.%s.tmp' % (os.path.basename(path),
                                                    secrets.token_hex(4)))
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, 'wb') as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(temporary, path)
    finally:
        os.unlink(temporary)
    fsync_folder(folder)


def fsync_folder(folder):
    """Make a file's creation (or removal) in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_secret_key(instance_path):
    """The Flask secret key from its 0600 file (made by init-db), or None when it cannot be
    read: the start-up check then names the problem."""
    path = os.path.join(instance_path, SECRET_KEY_FILE)
    try:
        check_private(path)
        with open(path, 'rb') as fh:
            return fh.read().strip().decode('ascii') or None
    except (OSError, RuntimeError, UnicodeDecodeError):
        return None
