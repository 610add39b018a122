"""Command-line interface: init-db, create-user, seed-demo, jobs, audit, keys, backup."""
import datetime
import os
import re
import secrets
import sqlite3
import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import AppGroup

from . import auditlog, crypto, db, jobs, seed
from .auth import roles as R
from .auth import passwords
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


@click.command('init-db')
def init_db():
    """Create or upgrade the schema (idempotent)."""
    applied = db.migrate()
    if applied:
        click.echo('Applied: %s' % ', '.join(applied))
    else:
        click.echo('The schema is up to date.')


@click.command('create-user')
@click.argument('email')
@click.option('--name', required=True)
@click.option('--department', 'department_code', required=True, help='Department code.')
@click.option('--role', 'roles', multiple=True, required=True, type=click.Choice(R.ROLES))
@click.option('--manages', multiple=True, help='Code of a department the manager manages.')
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
@click.option('--password', help='Password of every demo account (generated if omitted).')
@click.option('--if-empty', is_flag=True, help='Do nothing when accounts exist already.')
def seed_demo(password, if_empty):
    """Create the demo organisation of DESIGN.md."""
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


@keys_cli.command('rotate')
def keys_rotate():
    """Add a new key and re-encrypt every encrypted value with it."""
    with db.database.connection_context():
        key_id, count = crypto.rotate()
        auditlog.append('keys_rotated', details={'key': key_id, 'values': count})
    click.echo('Key %d is now current; %d values re-encrypted.' % (key_id, count))


@click.command('backup')
@click.argument('path', type=click.Path(dir_okay=False, writable=True))
def backup(path):
    """Copy the SQLite database with the online backup API (use pg_dump for PostgreSQL)."""
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
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
        auditlog.append('backup', details={'file': os.path.basename(path),
                                           'at': datetime.datetime.now().isoformat()})
    click.echo('Backed up to %s.' % path)
