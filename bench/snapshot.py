"""Snapshot the HTML of every page the demo accounts can reach, normalised, and compare two.

A refactor that must not change what users see is checked by a snapshot of the
original code (a worktree of its commit, with its own venv) and one of the tree
under change, compared:

    git worktree add /work/before <commit>      # once; then its venv:
    cd /work/before && python3 -m venv .venv && .venv/bin/pip install -e '.[test,serve]'
    # both at the same time (or back to back within one hour of the clock, see below)
    (cd /work/before && PYTHONPATH=/work/before \
        .venv/bin/python /work/main/bench/snapshot.py --out /work/snap/before) &
    (cd /work/main && PYTHONPATH=/work/main \
        .venv/bin/python bench/snapshot.py --out /work/snap/after) &
    wait
    /work/main/.venv/bin/python /work/main/bench/snapshot.py \
        --compare /work/snap/before /work/snap/after

``--compare`` exits 1 when a page other than the home page ``/`` (or one under an
``--ignore PREFIX``) differs or is on one side only, and prints the differences.

Take the two snapshots within one hour of the office's clock (Asia/Tokyo), e.g. at
the same time: the demo organisation is seeded relative to the moment of seeding
(``now`` minus whole days or hours), so its dates, which days its incidents' APPI
clocks count from and how many hours are left until a deadline at midnight depend
on the hour. The tool warns when a snapshot runs across a whole hour and
``--compare`` warns when the two did not run within the same hour. The baseline can
be taken again at any time from the original worktree.

The package imported is the one on ``sys.path`` (the script never adds its own
tree): run it with the interpreter and ``PYTHONPATH`` of the tree to snapshot. It
prints ``stintranet.__file__`` and keeps it in ``meta.json`` with the tree's commit
and when the snapshot ran.

How: a temporary instance folder (SQLite, cheap argon2, CSRF checks off), then the
commands ``init-db`` and ``seed-demo --password PW`` (Flask's CLI test runner), as an
administrator sets up the demo. Then for each demo account: the database goes back
to the seeded demo, the account signs in (POST /login) and the crawl goes
breadth-first from ``/``, each level in sorted order: every same-site ``<a href>``
(GET), every ``hx-get`` URL (GET with ``HX-Request: true``, kept apart from the plain
page of the same URL), every redirect's ``Location``; ``--max-pages`` URLs per
account at most. Every GET starts from the state just after the sign-in: the session
cookie is set back to the one the sign-in gave, and after a GET that wrote to the
database (reads of personal data and exports are written to the audit log) the
database is put back. So what a page shows does not depend on which pages were
fetched before it, by this account or another: a home page with other links changes
no other page.

Not fetched: ``/logout``, ``/static/``, ``/notifications/<id>/open`` (a GET that marks
the notification read). A connection of the tool's own compares the database with
the signed-in state after each GET: an append to the audit log is expected
(``audit+N`` in the index, compared too); a change to any other table is reported as
``CHANGED:<table>`` and makes the snapshot exit 1, since a GET must not change state.

Output in ``--out`` (replaced): ``<account>/<name>.html`` per page (``.hx.html`` for an
htmx fragment, ``.csv`` for a CSV export, ``.xlsx.txt`` for the cells of an XLSX
export; other downloads, like PDF attachments, are in the index only), ``index.tsv``
(account, kind, URL, status, content type, file, sha256 of the file, notes) and
``meta.json``.

Normalisation (``Normaliser``) replaces only what differs between two runs of the
same code within one hour, and counts each replacement in the index's notes:

- CSRF tokens (Flask-WTF's signed, timestamped token), by their exact shape;
- the audit log's HMAC chain hashes (the key is generated per instance): each value
  found in ``audit_event.hash`` becomes ``[audit-hash:SEQ]``, so a hash shown in the
  wrong row still differs;
- a date-time whose time falls within this run, modulo whole hours (the seed dates
  records ``now`` minus whole days or hours, and reads are logged as they happen),
  is written as its offset from the start of the run, in hours, with its shape:
  ``2026-12-03 19:44`` of a run started at 00:44 becomes ``[t0-5h yyyy-mm-dd hh:mm]``,
  ``2026-12-03T15:44:07Z`` becomes ``[t0+0h yyyy-mm-ddThh:mm:ssZ]``. A date-time
  shown in the wrong zone, on the wrong day or in another format still differs;
  one outside the run (a day's midnight, a fixed time) is kept as it is.

Nothing else is touched (whitespace included): the seed is deterministic otherwise.

Time: 2,604 URLs for the demo of the original commit (the committee and the chair
493 each, alice 26); 4.5 to 5.5 minutes each on a 2-core machine busy with other
work (load 17), about 1 minute of CPU; ``seconds`` in ``meta.json``.
"""
import argparse
import datetime
import difflib
import hashlib
import html.parser
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from zoneinfo import ZoneInfo

DEMO_DOMAIN = 'st-group.example'
ACCOUNTS = ['admin', 'chair', 'committee', 'auditor', 'cc', 'manager.sales', 'manager.hr',
            'manager.it', 'alice', 'bob', 'carol']
DEFAULT_PASSWORD = 'Snapshot-Pass-2026!'
MAX_PAGES = 1000  # per account; the whole demo is about 500 for the committee
HOME = '/'
MARKER = '.stintranet-snapshot'  # in every snapshot directory: --out may replace it

# Paths never fetched: sign-out, static files, and GETs that change state.
SKIP = [
    re.compile(r'^/logout$'),
    re.compile(r'^/static/'),
    re.compile(r'^/notifications/\d+/open$'),  # marks the notification read, then redirects
]

INDEX_COLUMNS = ['account', 'kind', 'url', 'status', 'content_type', 'file', 'sha256', 'notes']


# normalisation -------------------------------------------------------------------

# Flask-WTF's token: itsdangerous' URL-safe base64 of the JSON string of 40 hex digits
# (56 characters: '"' and a hex digit give "Ij" or "Im"), a timestamp and a
# 27-character HMAC-SHA1 signature.
CSRF_TOKEN = re.compile(r'(?<![A-Za-z0-9_-])I[jm][A-Za-z0-9_-]{54}\.[A-Za-z0-9_-]{4,8}\.'
                        r'[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])')

# A date with a time of day: "2026-12-04 00:08", "2026-12-04 00:08:17",
# "2026-12-03T15:08:06Z", "2026-12-04T00:08:06+09:00", "2026-12-04T00:08" (an input).
DATE_TIME = re.compile(r'(?<![\d-])(\d{4}-\d{2}-\d{2})([ T])(\d{2}):(\d{2})'
                       r'(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?(?![\d:])')

SHA256_HEX = re.compile(r'(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])')


class Normaliser:
    """Replaces what differs between two runs; see the module's docstring."""

    def __init__(self, zone, t0):
        self.zone = zone  # the app's TIMEZONE: date-times without an offset are in it
        self.t0 = t0  # aware; before anything was written
        self.audit_hashes = {}  # hash -> seq

    def __call__(self, text):
        """``text`` normalised, and the count of each kind of replacement."""
        counts = {}
        text, counts['csrf'] = CSRF_TOKEN.subn('[csrf]', text)
        hashes = []
        text = SHA256_HEX.sub(lambda m: self._audit_hash(m, hashes), text)
        counts['audit-hash'] = len(hashes)
        now = datetime.datetime.now(datetime.timezone.utc)
        times = []
        text = DATE_TIME.sub(lambda m: self._date_time(m, now, times), text)
        counts['time'] = len(times)
        return text, {k: v for k, v in counts.items() if v}

    def _audit_hash(self, match, found):
        seq = self.audit_hashes.get(match.group(0))
        if seq is None:
            return match.group(0)  # another SHA-256 (a pledge's text): compared as is
        found.append(seq)
        return '[audit-hash:%s]' % seq

    def _date_time(self, match, now, found):
        day, sep, hour, minute, second, fraction, offset = match.groups()
        try:
            value = datetime.datetime.strptime('%s %s:%s:%s' % (day, hour, minute, second or '00'),
                                               '%Y-%m-%d %H:%M:%S')
        except ValueError:
            return match.group(0)
        if offset == 'Z':
            value = value.replace(tzinfo=datetime.timezone.utc)
        elif offset:
            sign = 1 if offset[0] == '+' else -1
            value = value.replace(tzinfo=datetime.timezone(sign * datetime.timedelta(
                hours=int(offset[1:3]), minutes=int(offset[4:6]))))
        else:
            value = value.replace(tzinfo=self.zone)
        if value.astimezone(self.zone).time() == datetime.time():
            return match.group(0)  # a day's midnight: from a date, not from the clock
        # The run as it shows at this precision: t0 truncated to the minute or second.
        start = self.t0.replace(microsecond=0, second=self.t0.second if second else 0)
        delta = (value - start).total_seconds()
        within = delta % 3600
        if within > (now - start).total_seconds():
            return match.group(0)  # not a time of this run, even moved by whole hours
        hours = round((delta - within) / 3600)
        found.append(hours)
        shape = 'yyyy-mm-dd%shh:mm%s%s%s' % (
            sep, ':ss' if second else '', '.' + 'f' * (len(fraction) - 1) if fraction else '',
            offset or '')
        return '[t0%+dh %s]' % (hours, shape)


# crawling ------------------------------------------------------------------------

class LinkParser(html.parser.HTMLParser):
    """The targets of ``<a href>`` and of ``hx-get`` (any element)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'a' and attrs.get('href'):
            self.links.append(('page', attrs['href']))
        if attrs.get('hx-get'):
            self.links.append(('htmx', attrs['hx-get']))


def same_site_path(base, href):
    """The path and query of ``href`` (relative to ``base``) on this site, else None."""
    href = href.strip()
    if not href or href.startswith(('#', 'mailto:', 'tel:', 'javascript:', 'data:')):
        return None
    parts = urllib.parse.urlsplit(urllib.parse.urljoin('http://localhost' + base, href))
    if parts.scheme not in ('http', 'https') or parts.netloc != 'localhost':
        return None
    return parts.path + ('?' + parts.query if parts.query else '')


def skipped(url):
    path = urllib.parse.urlsplit(url).path
    return any(pattern.search(path) for pattern in SKIP)


def fetch(client, kind, url):
    return client.get(url, headers={'HX-Request': 'true'} if kind == 'htmx' else {})


def links_of(url, response):
    """The (kind, URL) pairs to follow from a response: its links or its redirect."""
    if 300 <= response.status_code < 400:
        target = same_site_path(url, response.headers.get('Location', ''))
        found = [('page', target)] if target else []
    elif response.mimetype == 'text/html':
        parser = LinkParser()
        parser.feed(response.get_data(as_text=True))
        found = [(kind, same_site_path(url, href)) for kind, href in parser.links]
    else:
        found = []
    return [(kind, target) for kind, target in found if target and not skipped(target)]


def sort_key(item):
    kind, url = item
    path, _sep, query = url.partition('?')
    return (path, query, kind)


class Watcher:
    """Sees the writes to the database since the account's signed-in state, from a
    connection of its own."""

    def __init__(self, path):
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.tables = [row[0] for row in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        self.pristine = self._state()
        self.pristine_hashes = self.audit_hashes()
        self.reset()

    def _version(self):
        return self.conn.execute('PRAGMA data_version').fetchone()[0]

    def _state(self):
        state = {}
        for table in self.tables:
            digest = hashlib.sha256()
            rows = sorted(repr(r) for r in self.conn.execute('SELECT * FROM "%s"' % table))
            for row in rows:
                digest.update(row.encode())
            state[table] = (len(rows), digest.hexdigest())
        return state

    def audit_hashes(self):
        """Each hash of the audit log's chain, and its sequence number."""
        return {h: seq for seq, h in self.conn.execute('SELECT seq, hash FROM audit_event')}

    def reset(self):
        """The database was put back to the signed-in state."""
        self.version = self._version()

    def changes(self):
        """The tables that differ from the signed-in state: {table: rows added}."""
        if self._version() == self.version:
            return {}
        state = self._state()
        return {t: state[t][0] - self.pristine[t][0] for t in self.tables
                if state[t] != self.pristine[t]}

    def close(self):
        self.conn.close()


def copy_database(source, target):
    """Copy an SQLite database (its WAL included) with the backup API, without fsync:
    the copies live for one run."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        dst.execute('PRAGMA synchronous = OFF')
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def sign_in(client, account, password):
    email = '%s@%s' % (account, DEMO_DOMAIN)
    response = client.post('/login', data={'email': email, 'password': password})
    if response.status_code != 302:
        raise SystemExit('Sign-in as %s failed: %s' % (email, response.status_code))


def file_name(kind, url, extension, taken):
    """A readable, unique file name for ``url``."""
    path, _sep, query = url.partition('?')
    slug = path.strip('/').replace('/', '_') or 'home'
    own = '.' + extension.split('.')[1]  # ".csv" of ".csv", ".xlsx" of ".xlsx.txt"
    if slug.endswith(own):
        slug = slug[:-len(own)]  # "ledger_export.csv" + ".csv", not ".csv.csv"
    if query:
        slug += '@' + query
    slug = re.sub(r'[^A-Za-z0-9._@=,-]+', '-', slug)[:120]
    if kind == 'htmx':
        slug += '.hx'
    name = slug + extension
    if name in taken:
        name = '%s.%s%s' % (slug, hashlib.sha1(url.encode()).hexdigest()[:8], extension)
    taken.add(name)
    return name


def xlsx_text(body):
    """The cells of every sheet of an XLSX file, one row a line, tab-separated."""
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append('## %s' % sheet.title)
        for row in sheet.iter_rows(values_only=True):
            lines.append('\t'.join('' if v is None else str(v) for v in row))
    book.close()
    return '\n'.join(lines) + '\n'


class Crawler:
    """One app on a temporary SQLite database that goes back to a saved state on demand."""

    def __init__(self, app, database, normalise, out_dir, max_pages):
        self.app, self.database = app, database
        self.normalise, self.out_dir, self.max_pages = normalise, out_dir, max_pages
        self.cookie = app.config['SESSION_COOKIE_NAME']

    def restore(self, saved):
        from stintranet import db
        with self.app.app_context():
            db.close_all()  # the pooled connections: nothing holds the file but the watcher
        copy_database(saved, self.database)

    def save(self, saved):
        from stintranet import db
        with self.app.app_context():
            db.close_all()
        copy_database(self.database, saved)

    def crawl(self, account, password, seeded):
        """Sign in as ``account``; GET every page it reaches, each from the signed-in state.

        Breadth-first from ``/``, each level in sorted order. Before each GET the session
        cookie is the one the sign-in gave, and after a GET that wrote to the database
        (a read of personal data is logged) the database goes back to the state just
        after the sign-in: what a page shows does not depend on the pages fetched before.
        """
        self.restore(seeded)
        client = self.app.test_client()
        sign_in(client, account, password)
        session = client.get_cookie(self.cookie).value
        signed_in = self.database + '.' + account
        self.save(signed_in)
        watcher = Watcher(self.database)
        os.makedirs(os.path.join(self.out_dir, account))
        taken, rows, unsafe = set(), [], []
        known = {('page', HOME)}
        level = [('page', HOME)]
        while level and len(rows) < self.max_pages:
            following = set()
            for kind, url in sorted(level, key=sort_key):
                if len(rows) >= self.max_pages:
                    break
                client.set_cookie(self.cookie, session)
                response = fetch(client, kind, url)
                written = watcher.changes()
                rows.append(self.keep(account, kind, url, response, written, watcher, taken))
                unsafe.extend('%s %s %s changed %s' % (account, kind, url, table)
                              for table in sorted(written) if table != 'audit_event')
                if written:
                    self.restore(signed_in)
                    watcher.reset()
                for link in links_of(url, response):
                    if link not in known:
                        known.add(link)
                        following.add(link)
            level = following
        watcher.close()
        os.remove(signed_in)
        rows.sort(key=lambda row: sort_key((row[1], row[2])))
        return rows, unsafe, len(known) - len(rows)

    def keep(self, account, kind, url, response, written, watcher, taken):
        """Write what is kept of a response; its index row."""
        status, content_type = response.status_code, response.mimetype or ''
        notes = []
        for table, added in sorted(written.items()):
            notes.append('audit+%d' % added if table == 'audit_event' else 'CHANGED:%s' % table)
        self.normalise.audit_hashes = (watcher.audit_hashes() if 'audit_event' in written
                                       else watcher.pristine_hashes)
        text = extension = None
        if 300 <= status < 400:
            notes.append('location=%s' % self.normalise(response.headers.get('Location', ''))[0])
        elif content_type == 'text/html':
            text, extension = response.get_data(as_text=True), '.html'
        elif content_type == 'text/csv':
            text, extension = response.get_data(as_text=True), '.csv'
        elif content_type.endswith('spreadsheetml.sheet'):
            text, extension = xlsx_text(response.get_data()), '.xlsx.txt'
        name = digest = ''
        if text is not None:
            text, counts = self.normalise(text)
            notes.extend('%s=%d' % item for item in sorted(counts.items()))
            name = '%s/%s' % (account, file_name(kind, url, extension, taken))
            with open(os.path.join(self.out_dir, name), 'w', encoding='utf-8', newline='') as fh:
                fh.write(text)
            digest = hashlib.sha256(text.encode()).hexdigest()
        return [account, kind, url, str(status), content_type, name, digest, ' '.join(notes)]


def flask_command(app, *words):
    """Run ``flask --app app WORDS...`` on ``app``; stop when it fails."""
    with app.app_context():  # as the flask command pushes one for every command
        result = app.test_cli_runner().invoke(args=list(words))
    if result.exit_code != 0:
        raise SystemExit('flask %s failed (%s):\n%s%s' % (
            ' '.join(words), result.exit_code, result.output, result.exception or ''))


def tree_commit(root):
    try:
        head = subprocess.run(['git', '-C', root, 'rev-parse', 'HEAD'], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(['git', '-C', root, 'status', '--porcelain',
                                '--untracked-files=no'],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ('+dirty' if dirty else '')


def snapshot(args):
    started = time.monotonic()
    import stintranet
    from stintranet import db
    print('stintranet: %s' % stintranet.__file__)
    root = os.path.dirname(os.path.dirname(os.path.abspath(stintranet.__file__)))
    out_dir = os.path.abspath(args.out)
    if os.path.exists(out_dir):
        if os.listdir(out_dir) and not os.path.exists(os.path.join(out_dir, MARKER)):
            raise SystemExit('%s is not empty and not a snapshot; not removing it.' % out_dir)
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    open(os.path.join(out_dir, MARKER), 'w').close()

    # The defaults of the tree, whatever the shell sets: both snapshots alike.
    for name in sorted(n for n in os.environ if n.startswith('STINTRANET_')):
        print('ignoring %s' % name)
        del os.environ[name]
    instance = tempfile.mkdtemp(prefix='stintranet-snapshot-')
    database = os.path.join(instance, 'stintranet.sqlite3')
    seeded = os.path.join(instance, 'seeded.sqlite3')
    config = {
        'INSTANCE_PATH': instance,
        'DATABASE_URL': 'sqlite:///' + database,
        'SECRET_KEY': 'snapshot-secret-key',
        'TESTING': True,
        'WTF_CSRF_ENABLED': False,
        'ARGON2_TIME_COST': 1,
        'ARGON2_MEMORY_COST': 1024,
        'STARTUP_CHECKS': False,  # the app is built before init-db has run
    }
    if args.locale:
        config['DEFAULT_LOCALE'] = args.locale
    t0 = datetime.datetime.now(datetime.timezone.utc)
    rows, unsafe, left = [], [], {}
    try:
        # As an administrator would: flask init-db, then flask seed-demo --password PW
        # (the second app finds the key files that init-db made).
        flask_command(stintranet.create_app(config), 'init-db')
        app = stintranet.create_app(config)
        flask_command(app, 'seed-demo', '--password', args.password)
        zone = ZoneInfo(app.config['TIMEZONE'])
        locale = app.config['DEFAULT_LOCALE']
        crawler = Crawler(app, database, Normaliser(zone, t0), out_dir, args.max_pages)
        crawler.save(seeded)
        setup = time.monotonic() - started
        for account in args.accounts or ACCOUNTS:
            account_rows, account_unsafe, rest = crawler.crawl(account, args.password, seeded)
            rows.extend(account_rows)
            unsafe.extend(account_unsafe)
            if rest:
                left[account] = rest
            print('%-14s %4d URLs%s' % (account, len(account_rows),
                                        ' (cap reached, %d not fetched)' % rest if rest else ''))
        with app.app_context():
            db.close_all()
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    end = datetime.datetime.now(datetime.timezone.utc)

    with open(os.path.join(out_dir, 'index.tsv'), 'w', encoding='utf-8') as fh:
        fh.write('\t'.join(INDEX_COLUMNS) + '\n')
        for row in rows:
            fh.write('\t'.join(row) + '\n')
    day = t0.astimezone(zone).date().isoformat()
    elapsed = time.monotonic() - started
    meta = {
        'stintranet': stintranet.__file__,
        'commit': tree_commit(root),
        'day': day,
        'timezone': str(zone),
        't0': t0.astimezone(zone).isoformat(timespec='seconds'),
        'end': end.astimezone(zone).isoformat(timespec='seconds'),
        'locale': locale,
        'urls': {a: sum(1 for r in rows if r[0] == a) for a in args.accounts or ACCOUNTS},
        'cap_reached': left,
        'max_pages': args.max_pages,
        'get_changed_state': unsafe,
        'seconds': {'setup': round(setup, 1), 'total': round(elapsed, 1)},
    }
    with open(os.path.join(out_dir, 'meta.json'), 'w') as fh:
        json.dump(meta, fh, indent=1, sort_keys=True)
        fh.write('\n')
    for line in unsafe:
        print('WARNING: GET changed state: %s' % line)
    if clock_hour(t0, zone) != clock_hour(end, zone):
        print('WARNING: the snapshot ran across a whole hour (%s); pages that count hours '
              'from now may differ from another run. Take it again.' % zone)
    print('%d URLs for %d accounts in %.1f s -> %s' % (
        len(rows), len(args.accounts or ACCOUNTS), elapsed, out_dir))
    return 1 if unsafe else 0


def clock_hour(moment, zone):
    """The hour of the office's clock that ``moment`` is in, as text."""
    return moment.astimezone(zone).strftime('%Y-%m-%d %H:00')


# comparing -----------------------------------------------------------------------

def read_index(directory):
    with open(os.path.join(directory, 'index.tsv'), encoding='utf-8') as fh:
        lines = fh.read().splitlines()
    header = lines[0].split('\t')
    index = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split('\t'), strict=True))
        index[(row['account'], row['kind'], row['url'])] = row
    return index


def read_meta(directory):
    try:
        with open(os.path.join(directory, 'meta.json')) as fh:
            return json.load(fh)
    except OSError:
        return {}


def read_kept(directory, row):
    if not row['file']:
        return []
    with open(os.path.join(directory, row['file']), encoding='utf-8', newline='') as fh:
        return fh.read().splitlines(keepends=True)


def ignored(url, prefixes):
    path = urllib.parse.urlsplit(url).path
    return path == HOME or any(path.startswith(p) for p in prefixes)


def compare(args):
    dir_a, dir_b = args.compare
    meta_a, meta_b = read_meta(dir_a), read_meta(dir_b)
    for label, directory, meta in (('A', dir_a, meta_a), ('B', dir_b, meta_b)):
        print('%s: %s  (%s to %s, locale %s, commit %s)' % (
            label, directory, meta.get('t0'), meta.get('end'), meta.get('locale'),
            meta.get('commit')))
        if meta.get('cap_reached'):
            print('WARNING: %s stopped at --max-pages for %s' % (
                label, ', '.join(sorted(meta['cap_reached']))))
    hours = {meta.get(key, '')[:13] for meta in (meta_a, meta_b) for key in ('t0', 'end')}
    if len(hours) != 1 or '' in hours:
        print('WARNING: the snapshots did not both run within one hour of the clock (%s): '
              'the demo data is dated from the moment of seeding, and some pages count the '
              'hours to a deadline at midnight, so those differ. Take both again, '
              'at the same time.' % ', '.join(sorted(hours)))
    if meta_a.get('locale') != meta_b.get('locale'):
        print('WARNING: the snapshots are in different locales.')
    index_a, index_b = read_index(dir_a), read_index(dir_b)
    only_a = sorted(set(index_a) - set(index_b))
    only_b = sorted(set(index_b) - set(index_a))
    differing = []
    for key in sorted(set(index_a) & set(index_b)):
        fields = [f for f in ('status', 'content_type', 'sha256', 'notes')
                  if index_a[key][f] != index_b[key][f]]
        if fields:
            differing.append((key, fields))
    failing = ignored_count = 0
    for key, fields in differing:
        account, kind, url = key
        row_a, row_b = index_a[key], index_b[key]
        skip = ignored(url, args.ignore)
        ignored_count += skip
        failing += not skip
        print('\n=== %s %s %s%s: %s differ' % (
            account, kind, url, ' (ignored)' if skip else '', ', '.join(fields)))
        for field in ('status', 'content_type', 'notes'):
            if field in fields:
                print('  %s: %r -> %r' % (field, row_a[field], row_b[field]))
        if 'sha256' in fields and not skip:
            diff = list(difflib.unified_diff(
                read_kept(dir_a, row_a), read_kept(dir_b, row_b),
                'A/' + (row_a['file'] or url), 'B/' + (row_b['file'] or url), n=args.context))
            for line in diff[:args.max_diff_lines]:
                sys.stdout.write(line if line.endswith('\n') else line + '\n')
            if len(diff) > args.max_diff_lines:
                print('  ... %d more diff lines' % (len(diff) - args.max_diff_lines))
    for label, keys, index in (('A', only_a, index_a), ('B', only_b, index_b)):
        if keys:
            print('\nOnly in %s (%d):' % (label, len(keys)))
        for key in keys:
            skip = ignored(key[2], args.ignore)
            ignored_count += skip
            failing += not skip
            print('  %s %s %s [%s]%s' % (*key, index[key]['status'],
                                         ' (ignored)' if skip else ''))
    print('\n%d URLs in A, %d in B; %d differ, %d only in A, %d only in B; '
          '%d ignored (/ and --ignore), %d failing.' % (
              len(index_a), len(index_b), len(differing), len(only_a), len(only_b),
              ignored_count, failing))
    return 1 if failing else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        epilog='See the module docstring (bench/snapshot.py) for the method.')
    parser.add_argument('--out', help='snapshot directory (replaced)')
    parser.add_argument('--password', default=DEFAULT_PASSWORD,
                        help='password of the demo accounts (default: %(default)s)')
    parser.add_argument('--locale', choices=['en', 'ja'],
                        help="DEFAULT_LOCALE (default: the tree's default)")
    parser.add_argument('--account', dest='accounts', action='append', choices=ACCOUNTS,
                        metavar='NAME',
                        help='only this demo account (repeatable; default: all eleven)')
    parser.add_argument('--max-pages', type=int, default=MAX_PAGES,
                        help='URLs per account at most (default: %(default)s)')
    parser.add_argument('--compare', nargs=2, metavar=('DIR_A', 'DIR_B'),
                        help='compare two snapshots instead of taking one')
    parser.add_argument('--ignore', action='append', default=[], metavar='PREFIX',
                        help='with --compare: a URL path prefix whose differences are '
                             'expected (repeatable); / itself always is')
    parser.add_argument('--context', type=int, default=3, help='diff context lines')
    parser.add_argument('--max-diff-lines', type=int, default=200,
                        help='diff lines shown per page at most (default: %(default)s)')
    args = parser.parse_args(argv)
    if args.compare:
        return compare(args)
    if not args.out:
        parser.error('give --out DIR or --compare DIR_A DIR_B')
    return snapshot(args)


if __name__ == '__main__':
    sys.exit(main())
