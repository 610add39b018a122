"""Command-line interface: init-db, create-user, seed-demo, jobs, audit, keys, backup.

Every command but ``init-db`` runs the start-up checks first (``checked``): it
refuses to work on a database that is unreachable or not migrated, or with key
files that are missing or wrong.
"""
import datetime
import functools
import os
import re
import secrets
import sqlite3
import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from . import auditlog, crypto, db, jobs, keys, seed, startup, tasks
from .auth import passwords
from .auth import roles as R
from .auth.models import Department, User
from .auth.services import create_user
from .config import write_private

DEMO_PASSWORD_FILE = 'demo-password.txt'


def init_app(app):
    app.cli.add_command(init_db)
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(backup)


def checked(command):
    """Run the start-up checks before ``command``; refuse with their message."""
    @functools.wraps(command)
    def run_checked(*args, **kwargs):
        try:
            startup.require(current_app)
        except startup.StartupError as exc:
            raise click.ClickException(str(exc)) from None
        return command(*args, **kwargs)
    return run_checked


@click.command('init-db')
@with_appcontext
def init_db():
    """Create or upgrade the schema (idempotent); on an empty database, create the keys.

    Keys are created only here and only for an empty database: on any other the key
    files must be there and match it (restore them first).
    """
    app = current_app
    secret = app.config['SECRET_KEY_FROM_FILE']
    try:
        startup.require(app, skip=('migrations', 'keys'))
    except startup.StartupError as exc:
        raise click.ClickException(str(exc)) from None
    with db.database.connection_context():
        tables = db.database.get_tables()
        created = []
        if not tables:
            created = keys.create_missing(app.instance_path, secret)
        elif keys.KeyCheck._meta.table_name in tables and keys.KeyCheck.select().exists():
            problem = startup.check_keys(app)
            if problem:
                raise click.ClickException(problem)
        applied = db.migrate()
        if tables and not os.path.exists(os.path.join(app.instance_path, keys.REPORTER_KEY)):
            created += _reporter_key_for_upgrade(app)
        try:
            recorded = keys.record_checks(app.instance_path, secret)
        except keys.KeyProblem as exc:
            raise click.ClickException(str(exc)) from None
        conflicts = User.admins_with_content_roles()
    tasks.create_queue(app)
    if applied:
        click.echo('Applied: %s' % ', '.join(applied))
    else:
        click.echo('The schema is up to date.')
    if created:
        click.echo('Created the key files %s in %s. Back them up now, apart from the '
                   'database backups (README: "Running it in production").'
                   % (', '.join(created), app.instance_path))
    elif recorded:
        click.echo('Recorded the check values of %s.' % ', '.join(recorded))
    if conflicts:
        click.echo('WARNING: separation of duties: %s hold(s) the admin role together with '
                   'committee, customer_center or auditor. Have another administrator remove '
                   'one of the two (/admin/users lists them; the daily job tells the '
                   'committee).' % ', '.join(u.email for u in conflicts), err=True)


def _reporter_key_for_upgrade(app):
    """A database from before key checks whose reporter key was never made (it was made at
    the first incident report): make it, as long as no incident could need the old one."""
    from .incidents.models import Incident
    if keys.KeyCheck.select().where(keys.KeyCheck.name == keys.REPORTER_KEY).exists():
        return []
    if Incident.select().exists():
        return []  # record_checks names the missing file
    return keys.create_missing(app.instance_path, secret=False)


@click.command('create-user')
@with_appcontext
@click.argument('email')
@click.option('--name', required=True)
@click.option('--department', 'department_code', required=True, help='Department code.')
@click.option('--role', 'roles', multiple=True, required=True, type=click.Choice(R.ROLES))
@click.option('--manages', multiple=True, help='Code of a department the manager manages.')
@checked
def create_user_command(email, name, department_code, roles, manages):
    """Create an account; the password is read from standard input."""
    # The same rules as the admin form (admin/forms.py).
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.ClickException('%s: %s' % (email, exc)) from None
    if not name.strip() or len(name) > 120 or len(email) > 254:
        raise click.ClickException('Give a name (at most 120 characters) and an e-mail '
                                   '(at most 254).')
    if R.MANAGER in roles and not manages:
        raise click.ClickException('--role manager needs --manages.')
    if R.separation_conflicts(roles):
        raise click.ClickException('--role admin cannot go with --role %s: the administrator '
                                   'sees no content (separation of duties).'
                                   % ', '.join(R.separation_conflicts(roles)))
    with db.database.connection_context():
        department = Department.get_or_none(Department.code == department_code.upper())
        if department is None:
            raise click.ClickException('No department with code %s.' % department_code)
        if User.by_email(email) is not None:
            raise click.ClickException('An account with this e-mail exists already.')
        managed = []
        for code in manages:
            found = Department.get_or_none(Department.code == code.upper())
            if found is None:
                raise click.ClickException('No department with code %s.' % code)
            managed.append(found)
        if managed and R.MANAGER not in roles:
            raise click.ClickException('--manages needs --role manager.')
        password = sys.stdin.readline().rstrip('\n')
        errors = passwords.policy_errors(password, email)
        if errors:
            raise click.ClickException(' '.join(errors))
        user = create_user(email, name, department, list(roles), managed,
                           password=password, must_change_password=False)
        click.echo('Created %s (%s).' % (user.email, ', '.join(sorted(roles))))


@click.command('seed-demo')
@with_appcontext
@click.option('--password', help='Password of every demo account (generated if omitted).')
@click.option('--if-empty', is_flag=True, help='Do nothing when accounts exist already.')
@checked
def seed_demo(password, if_empty):
    """Create the demo organisation of docs/design.md."""
    with db.database.connection_context():
        if not seed.is_empty():
            if if_empty:
                click.echo('The database has accounts already; no demo data added.')
                _print_demo_logins(None)
                return
            raise click.ClickException('The database is not empty.')
        generated = password is None
        if generated:
            password = 'demo-' + secrets.token_urlsafe(9)
        seed.seed_demo(password)
    if generated:
        path = os.path.join(current_app.instance_path, DEMO_PASSWORD_FILE)
        if os.path.exists(path):
            os.remove(path)
        write_private(path, (password + '\n').encode())
    click.echo('Demo organisation created.')
    _print_demo_logins(password)


def _print_demo_logins(password):
    click.echo('Demo accounts (sign in at /login):')
    for spec in seed.USERS:
        click.echo('  %-32s %s' % (seed.demo_email(spec.local), ', '.join(spec.roles)))
    if password is None:
        path = os.path.join(current_app.instance_path, DEMO_PASSWORD_FILE)
        if os.path.exists(path):
            with open(path) as fh:
                password = fh.read().strip()
    if password:
        click.echo('Password for every demo account: %s' % password)
    else:
        click.echo('The demo password was given with --password when the demo was seeded.')


jobs_cli = AppGroup('jobs', help='The daily job.')


@jobs_cli.command('run')
@click.option('--today', type=click.DateTime(formats=['%Y-%m-%d']),
              help='Run as if today were this date (YYYY-MM-DD).')
@checked
def jobs_run(today):
    """Run every daily task once (idempotent): one line per task, what it did or why it
    failed; exit 1 when any task failed (the others still ran)."""
    from .timezone import today_local
    day = today.date() if today else today_local()
    with db.database.connection_context():
        results = jobs.run_all(day, on_result=lambda result: click.echo(result.line()))
    failed = [r.name for r in results if not r.ok]
    if failed:
        click.echo('%d of %d daily tasks failed: %s' % (len(failed), len(results),
                                                        ', '.join(failed)), err=True)
        sys.exit(1)


audit_cli = AppGroup('audit', help='The audit log.')


@audit_cli.command('verify')
@click.option('--head', help='SEQ:HASH of a head kept elsewhere; catches a cut-off tail.')
@checked
def audit_verify(head):
    """Check the hash chain; exit 1 and name the first bad entry when broken."""
    kept = None
    if head:
        seq, _sep, digest = head.partition(':')
        if not re.fullmatch(r'[0-9]+', seq) or not re.fullmatch(r'[0-9a-fA-F]{64}', digest):
            raise click.BadParameter('expected SEQ:HASH', param_hint='--head')
        kept = (int(seq), digest.lower())
    with db.database.connection_context():
        result = auditlog.verify(head=kept)
    if not result.ok:
        click.echo('BROKEN at entry %d: %s' % (result.bad_seq, result.reason), err=True)
        sys.exit(1)
    click.echo('OK: %d entries.' % result.count)
    click.echo('Head: %d:%s' % (result.head_seq, result.head_hash))


keys_cli = AppGroup('keys', help='Data-encryption keys.')


@keys_cli.command('add')
@checked
def keys_add():
    """Prepare the next data key without using it yet (several app servers: copy its file
    to each of them, then run keys rotate)."""
    with db.database.connection_context():
        key_id = keys.create_data_key(current_app.instance_path)
        auditlog.append('key_added', details={'key': key_id})
    click.echo('Key %d added; it is not used yet. Copy %s (mode 0600) to the instance folder '
               'of every server running the app, then run "keys rotate".'
               % (key_id, os.path.join(current_app.instance_path, keys.data_key_name(key_id))))


@keys_cli.command('rotate')
@click.option('--resume', is_flag=True,
              help='Add no key: re-encrypt what is still on an older one (after an '
                   'interrupted rotation).')
@click.option('--batch-size', default=200, show_default=True, type=click.IntRange(1, 10000),
              help='Values re-encrypted per transaction (writers wait for one batch at most).')
@checked
def keys_rotate(resume, batch_size):
    """Make a new key current everywhere (the one keys add prepared, or a new one) and
    re-encrypt every value with it.

    Runs while the app serves: each batch is a short transaction and a value edited
    meanwhile is left to the next pass, never overwritten. Ends with the number of
    values on each key.
    """
    with db.database.connection_context():
        if resume:
            count, passes, failures = crypto.finish_rotation(batch_size)
            key_id = crypto.keyring().current_id
        else:
            key_id, count, passes, failures = crypto.rotate(batch_size)
        auditlog.append('keys_rotated', details={'key': key_id, 'values': count,
                                                 'passes': passes, 'resumed': resume})
        counts = crypto.values_per_key()
        in_use = [k for k, row in keys.KeyCheck.data_keys().items() if not row.retired_at]
    click.echo('Key %d is current; %d values re-encrypted in %d pass(es).'
               % (key_id, count, passes))
    _echo_counts(counts, key_id, in_use)
    for failure in failures:
        click.echo('Could not open %s' % failure, err=True)
    left = sum(n for k, n in counts.items() if k != key_id)
    if left:
        click.echo('%d values are still on older keys: run "keys rotate --resume" again.'
                   % left, err=True)
        sys.exit(1)


def _echo_counts(counts, current, in_use):
    click.echo('Values per key:')
    for key_id in sorted(set(counts) | set(in_use)):
        click.echo('  key %d: %d%s' % (key_id, counts.get(key_id, 0),
                                       ' (current)' if key_id == current else ''))


@keys_cli.command('status')
@checked
def keys_status():
    """The data keys, which one is current, and how many values each one seals."""
    with db.database.connection_context():
        ring = crypto.keyring()
        ring.load()
        rows = keys.KeyCheck.data_keys()
        counts = crypto.values_per_key()
    for key_id, row in sorted(rows.items()):
        if key_id == ring.current_id:
            state = 'current'
        elif row.retired_at:
            state = 'retired %s' % row.retired_at.date()
        elif key_id > ring.current_id:
            state = 'added, not used yet'
        else:
            state = 'older: retire it once it seals no value'
        click.echo('key %d: %d values, %s' % (key_id, counts.get(key_id, 0), state))


@keys_cli.command('retire')
@click.argument('key_id', type=int)
@checked
def keys_retire(key_id):
    """Let go of an old key: refused while it is current or any value uses it."""
    with db.database.connection_context():
        ring = crypto.keyring()
        ring.load()
        if key_id not in keys.KeyCheck.data_keys():
            raise click.ClickException('There is no data key %d.' % key_id)
        if key_id == ring.current_id:
            raise click.ClickException('Key %d is the current key: rotate first.' % key_id)
        left = crypto.values_per_key().get(key_id, 0)
        if left:
            raise click.ClickException(
                '%d values are still sealed with key %d: run "keys rotate --resume" first.'
                % (left, key_id))
        if keys.retire_data_key(key_id):
            auditlog.append('key_retired', details={'key': key_id})
    click.echo('Key %d is retired: no value uses it and the app no longer needs %s. Keep the '
               'file only as long as a backup you may restore needs it, then destroy it.'
               % (key_id, os.path.join(current_app.instance_path, keys.data_key_name(key_id))))


@click.command('backup')
@with_appcontext
@click.argument('path', type=click.Path(dir_okay=False, writable=True))
@checked
def backup(path):
    """Copy the SQLite database with the online backup API (use pg_dump for PostgreSQL).

    The copy is created 0600; a backup that fails leaves no file behind.
    """
    if not db.is_sqlite():
        raise click.ClickException('This is PostgreSQL: use pg_dump (see README.md).')
    if os.path.exists(path):
        raise click.ClickException('%s exists; choose a new file.' % path)
    with db.database.connection_context():
        source = db.database.connection()
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as exc:
            raise click.ClickException('%s: %s' % (path, exc.strerror)) from None
        try:
            target = sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                target.close()
            with open(path, 'rb') as fh:
                os.fsync(fh.fileno())
        except BaseException as exc:
            os.unlink(path)
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise click.ClickException('The backup failed (%s); no file was left at %s.'
                                           % (exc, path)) from None
            raise
        auditlog.append('backup', details={'file': os.path.basename(path),
                                           'at': datetime.datetime.now().isoformat()})
    click.echo('Backed up to %s.' % path)
