"""Mixed write test: 4 writers and 4 readers for 30 s against one SQLite database,
through the app under gunicorn (2 sync workers). The goal is zero errors: no
"database is locked", no 5xx, no stale-version conflict (each writer owns its
entries), no lost audit row (the chain is verified afterwards).

Writers edit ledger entries of their own department (edit form, then post:
optimistic lock + revision + audit row); readers page through the ledger list,
open entries (each read appends an audit row too), the home page with each of its
panels (as htmx loads them) and the audit log. Issue 13's target: 0 errors.

    .venv/bin/python bench/mixed.py [--seconds 30] [--instance DIR]
"""
import argparse
import json
import os
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench import dataset, run  # noqa: E402

WRITER_DEPARTMENTS = ('SALES', 'HR', 'IT', 'LEGAL')
READERS = 4


def writer_entries(instance, code, count=5):
    db = sqlite3.connect(os.path.join(instance, 'stintranet.sqlite3'))
    try:
        return [r[0] for r in db.execute(
            "SELECT e.id FROM ledger_entry e JOIN department d ON e.department_id = d.id "
            "WHERE d.code = ? AND e.status != 'retired' ORDER BY e.id DESC LIMIT ?",
            [code, count])]
    finally:
        db.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--instance', default=dataset.DEFAULT_INSTANCE)
    parser.add_argument('--seconds', type=int, default=30)
    parser.add_argument('--output', default=os.path.join(run.OUT, 'mixed.json'))
    args = parser.parse_args(argv)
    ids = run.pick_ids(args.instance)
    server = run.Server('mixed', run.APP, {
        'STINTRANET_INSTANCE_PATH': args.instance,
        'STINTRANET_DATABASE_URL': 'sqlite:///' + os.path.join(args.instance,
                                                              'stintranet.sqlite3')})
    lock = threading.Lock()
    results = {'write': [], 'read': []}
    errors = []
    stop_at = [time.monotonic() + 3600]

    def note_error(kind, text):
        with lock:
            errors.append('%s: %s' % (kind, text))

    ready = threading.Barrier(len(WRITER_DEPARTMENTS) + READERS + 1)

    def writer(code):
        opener = run.login(server.base, 'manager.%s@%s' % (code.lower(), dataset.DOMAIN))[1]
        entries = writer_entries(args.instance, code)
        ready.wait()
        n = 0
        while time.monotonic() < stop_at[0]:
            entry_id = entries[n % len(entries)]
            n += 1
            try:
                url = '%s/ledger/%d/edit' % (server.base, entry_id)
                page = opener.open(url, timeout=60).read().decode()
                data = urllib.parse.urlencode(run.changed(run.form_fields(page),
                                                          '%s-%d' % (code, n))).encode()
                started = time.monotonic()
                response = opener.open(url, data, timeout=60)
                response.read()
                if '/edit' in response.geturl():
                    note_error('write', 'the edit of %d was not saved' % entry_id)
                else:
                    with lock:
                        results['write'].append(time.monotonic() - started)
            except urllib.error.HTTPError as exc:
                note_error('write', 'HTTP %d on %d' % (exc.code, entry_id))
            except OSError as exc:
                note_error('write', str(exc))

    def read(opener, path, headers=None):
        started = time.monotonic()
        request = urllib.request.Request(server.base + path, headers=headers or {})
        body = opener.open(request, timeout=60).read()
        with lock:
            results['read'].append(time.monotonic() - started)
        return body

    def reader(index):
        opener = run.login(server.base, run.COMMITTEE)[1]
        ready.wait()
        paths = ['/ledger/?page=%d' % (index % 2 + 1), '/ledger/%d' % ids['entry'], '/',
                 '/audit-log/?actor=%d' % ids['actor'], '/ledger/?q=Payroll&sort=title']
        n = 0
        while time.monotonic() < stop_at[0]:
            path = paths[n % len(paths)]
            n += 1
            try:
                page = read(opener, path)
                if path == '/':  # the panels, as the page's htmx asks for them
                    for name in run.panel_names(page.decode()):
                        path = run.PANELS + name
                        read(opener, path, run.HTMX)
            except urllib.error.HTTPError as exc:
                note_error('read', 'HTTP %d on %s' % (exc.code, path))
            except OSError as exc:
                note_error('read', str(exc))

    try:
        server.wait()
        threads = [threading.Thread(target=writer, args=(code,)) for code in WRITER_DEPARTMENTS]
        threads += [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
        for t in threads:
            t.start()
        ready.wait()  # everyone signed in: start the clock
        started = time.monotonic()
        stop_at[0] = started + args.seconds
        print('Mixed test: %d writers, %d readers, %d s (load average %s)' % (
            len(WRITER_DEPARTMENTS), READERS, args.seconds, run.load_average()), flush=True)
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:
        server.stop()

    from stintranet.auditlog import verify
    from stintranet.db import database
    app = run.make_app(args.instance)
    with app.app_context(), database.connection_context():
        chain = verify()
    write_errors = [e for e in errors if e.startswith('write')]
    read_errors = [e for e in errors if e.startswith('read')]
    summary = {
        'seconds': args.seconds, 'writers': len(WRITER_DEPARTMENTS), 'readers': READERS,
        'writes': run.stats(results['write'], len(write_errors), elapsed),
        'reads': run.stats(results['read'], len(read_errors), elapsed),
        'errors': len(errors), 'error_samples': errors[:10],
        'audit_chain_ok': chain.ok, 'audit_events': chain.count,
        'load_average': run.load_average(),
    }
    with open(args.output, 'w') as fh:
        json.dump(summary, fh, indent=2)
    for kind in ('writes', 'reads'):
        s = summary[kind]
        print('  %-6s %6d done  %6.1f/s  p50 %6.1f  p95 %6.1f  p99 %6.1f ms  errors %d' % (
            kind, s['requests'], s['rps'], s['p50'], s['p95'], s['p99'], s['errors']))
    print('  errors: %d%s; audit chain %s (%d events)' % (
        summary['errors'], (' e.g. ' + '; '.join(errors[:3])) if errors else '',
        'verified' if chain.ok else 'BROKEN: ' + chain.reason, chain.count))
    print('Target (issue 13, point 6): 0 errors in the mixed write test: %s.' % (
        'met' if not errors and chain.ok else 'MISSED'))
    if errors or not chain.ok:
        raise SystemExit(1)


if __name__ == '__main__':
    main()
