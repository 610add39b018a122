"""Measure the app against the targets of issue 13, and write bench/out/results.json.

Serves bench/hello.py (bare WSGI, Flask) and bench/benchapp.py (the app plus its
raw-SQL twins) with gunicorn, 2 sync workers each, on loopback; logs in with a
real POST /login; drives every route with wrk at 8 connections, interleaved, in
rounds; drives the ledger update from 8 Python threads (edit form, then post).
The routes: the home page of the committee, a manager and an employee (the first
response: the work list and the panels' placeholders, without the panels), each
panel of the committee's home as its own route (``/home/panels/<name>``, as htmx
asks for it), a list page of every capability with a big table in the data set,
the ledger's search and entry page, a document download and the raw-SQL twins.
Before the load it runs one instrumented request per route in-process, at a small
and at the full data set, to count queries and EXPLAIN QUERY PLAN them, and
profiles the entry page with pyinstrument. The table at the end says per route
whether its target is met (``TARGETS``).

    .venv/bin/python bench/run.py [--seconds 5] [--rounds 3] [--smoke]
"""
import argparse
import html.parser
import http.cookiejar
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench import dataset  # noqa: E402

OUT = os.path.join(ROOT, 'bench', 'out')
BIN = os.path.dirname(sys.executable)
APP = 'bench.benchapp:make_app()'  # gunicorn calls the factory in each worker's parent
CONNECTIONS = 8
WORKERS = 2
LARGE_TABLE = 1000  # rows; a scan of a bigger table is a finding
SLOW_MS = 5  # a statement slower than this is marked in the EXPLAIN output
COMMITTEE = 'committee@' + dataset.DOMAIN
CUSTOMER_CENTER = 'cc@' + dataset.DOMAIN
MANAGER = 'manager.sales@' + dataset.DOMAIN
EMPLOYEE = 'staff001@' + dataset.DOMAIN
ADMIN = 'admin@' + dataset.DOMAIN
HTMX = {'HX-Request': 'true'}
PANELS = '/home/panels/'

# Issue 13, point 6: p95 in ms at 8 connections, full data set, 2 gunicorn workers.
# A home page's first response (the page without its panels) under 50 ms, each panel
# (fragment) and every other page under 150 ms. The raw-SQL twins and the hello apps
# are reference figures, not targets. (The mixed write test's target, 0 errors, is
# judged by bench/mixed.py.)
TARGETS = {'home': 50, 'fragment': 150, 'page': 150, 'write': 150}
KIND_LABELS = {'home': 'home page, first response', 'fragment': 'home panel',
               'page': 'page', 'write': 'write (POST)', 'twin': 'raw-SQL twin (reference)',
               'limit': 'stack limit (reference)'}


# routes --------------------------------------------------------------------------

class Route:
    def __init__(self, name, server, path, user=COMMITTEE, headers=None, twin=None,
                 kind='page'):
        self.name, self.server, self.path, self.user = name, server, path, user
        self.headers, self.twin, self.kind = headers or {}, twin, kind

    @property
    def target(self):
        return TARGETS.get(self.kind)


def routes(ids, panels):
    """The measured routes; ``ids`` picks the entry, actor and document of the data set,
    ``panels`` are the names of the committee's home panels (``panel_names``)."""
    entry, actor, req, doc = ids['entry'], ids['actor'], ids['request'], ids['document']
    list_path = '/ledger/?category=customer&sort=-next_review'
    return [
        Route('hello_wsgi', 'wsgi', '/', user=None, kind='limit'),
        Route('hello_flask', 'flask', '/', user=None, kind='limit'),
        # The home pages: the work list and a placeholder per panel (no panel inside).
        Route('home_committee', 'app', '/', kind='home'),
        Route('home_manager', 'app', '/', user=MANAGER, kind='home'),
        Route('home_employee', 'app', '/', user=EMPLOYEE, kind='home'),
    ] + [
        # Each panel of the committee's home, as the page's htmx asks for it.
        Route('panel_' + name.replace('-', '_'), 'app', PANELS + name, headers=HTMX,
              kind='fragment')
        for name in panels
    ] + [
        # A list page of each capability with a big table in the data set.
        Route('ledger_list', 'app', list_path, twin='ledger_list_raw'),
        Route('ledger_list_raw', 'app', '/raw' + list_path, kind='twin'),
        Route('ledger_search_htmx', 'app', '/ledger/?q=Payroll&sort=title', headers=HTMX),
        Route('incident_list', 'app', '/incidents/'),
        Route('disclosure_list', 'app', '/requests/?status=', user=CUSTOMER_CENTER),
        Route('training_overdue', 'app', '/training/overdue'),
        Route('audit_log', 'app', '/audit-log/'),
        Route('audit_log_by_person', 'app', '/audit-log/?actor=%d' % actor),
        Route('admin_users', 'app', '/admin/users', user=ADMIN),
        # One record's pages.
        Route('ledger_entry', 'app', '/ledger/%d' % entry, twin='ledger_entry_raw'),
        Route('ledger_entry_raw', 'app', '/raw/ledger/%d' % entry, kind='twin'),
        Route('document_download', 'app', '/requests/%d/documents/%d' % (req, doc),
              user=CUSTOMER_CENTER),
    ]


class PanelLinks(html.parser.HTMLParser):
    """The ``hx-get`` targets of a page under /home/panels/, in page order."""

    def __init__(self):
        super().__init__()
        self.names = []

    def handle_starttag(self, tag, attrs):
        target = dict(attrs).get('hx-get') or ''
        if target.startswith(PANELS):
            name = target[len(PANELS):].split('?')[0]
            if name not in self.names:
                self.names.append(name)


def panel_names(page):
    """The panels a home page loads apart (its placeholders' ``hx-get``)."""
    parser = PanelLinks()
    parser.feed(page)
    return parser.names


def pick_ids(instance):
    """Stable ids of the data set: an active entry abroad with revisions, a busy actor,
    a request with a document, and the manager's entries for the update threads."""
    db = sqlite3.connect(os.path.join(instance, 'stintranet.sqlite3'))
    try:
        entry = db.execute("SELECT id FROM ledger_entry WHERE status = 'active' "
                           "ORDER BY storage_country = 'JP', id LIMIT 1").fetchone()[0]
        actor = db.execute("SELECT id FROM user WHERE email = ?", [MANAGER]).fetchone()[0]
        req, doc = db.execute('SELECT request_id, id FROM disclosure_document '
                              'ORDER BY id LIMIT 1').fetchone()
        sales = db.execute("SELECT e.id FROM ledger_entry e JOIN department d "
                           "ON e.department_id = d.id WHERE d.code = 'SALES' "
                           "AND e.status != 'retired' ORDER BY e.id LIMIT ?",
                           [CONNECTIONS]).fetchall()
        sizes = {t: db.execute('SELECT COUNT(*) FROM "%s"' % t).fetchone()[0] for (t,) in
                 db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                            "AND name NOT LIKE 'sqlite_%'")}
    finally:
        db.close()
    return {'entry': entry, 'actor': actor, 'request': req, 'document': doc,
            'update_entries': [r[0] for r in sales], 'table_rows': sizes}


# HTML forms (as a browser would submit them) ---------------------------------------

class FormParser(html.parser.HTMLParser):
    """The fields of every POST form of a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms, self.inside = [], False
        self._select, self._textarea = None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'form':
            self.inside = a.get('method', '').lower() == 'post'
            if self.inside:
                self.forms.append([])
            return
        if not self.inside:
            return
        fields = self.forms[-1]
        if tag == 'input':
            kind = (a.get('type') or 'text').lower()
            if kind in ('submit', 'button', 'file', 'reset') or 'name' not in a:
                return
            if kind in ('checkbox', 'radio') and 'checked' not in a:
                return
            fields.append((a['name'], a.get('value', 'on' if kind == 'checkbox' else '')))
        elif tag == 'select':
            self._select = {'name': a.get('name'), 'chosen': [], 'first': None,
                            'multiple': 'multiple' in a}
        elif tag == 'option' and self._select is not None:
            value = a.get('value', '')
            if self._select['first'] is None:
                self._select['first'] = value
            if 'selected' in a:
                self._select['chosen'].append(value)
        elif tag == 'textarea':
            self._textarea = [a.get('name'), '']

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        fields = self.forms[-1]
        if tag == 'select' and self._select is not None:
            s = self._select
            chosen = s['chosen'] or ([] if s['multiple'] or s['first'] is None else [s['first']])
            fields.extend((s['name'], v) for v in chosen)
            self._select = None
        elif tag == 'textarea' and self._textarea is not None:
            name, text = self._textarea
            fields.append((name, text[1:] if text.startswith('\n') else text))
            self._textarea = None
        elif tag == 'form':
            self.inside = False


def form_fields(page):
    """The biggest POST form of the page (the edit form, not the sign-out button)."""
    parser = FormParser()
    parser.feed(page)
    return max(parser.forms, key=len) if parser.forms else []


def csrf_of(page):
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    return found.group(1) if found else ''


# in-process measurements ------------------------------------------------------------

def make_app(instance):
    from bench.benchapp import make_app as build
    return build({'INSTANCE_PATH': instance, 'DATABASE_URL': 'sqlite:///' + os.path.join(
        instance, 'stintranet.sqlite3')})


def client_login(app, email):
    client = app.test_client()
    page = client.get('/login').get_data(as_text=True)
    response = client.post('/login', data={'email': email, 'password': dataset.PASSWORD,
                                           'csrf_token': csrf_of(page)})
    if response.status_code not in (302, 303):
        raise SystemExit('in-process login as %s failed: %s' % (email, response.status_code))
    return client


def instrument(instance, label, panels=None):
    """One request per route with a peewee query counter and a sqlite3 statement trace.

    The committee's panels are read from its home page unless ``panels`` names them.
    """
    from playhouse.test_utils import count_queries

    from stintranet.db import database
    ids = pick_ids(instance)
    app = make_app(instance)
    trace = {'on': False, 'sql': []}

    def attach_trace():
        if trace['on']:
            database.connect(reuse_if_open=True)
            database.connection().set_trace_callback(trace['sql'].append)
    app.before_request_funcs.setdefault(None, []).insert(0, attach_trace)
    clients = {}

    def client_for(user):
        if user not in clients:
            clients[user] = client_login(app, user)
        return clients[user]
    if panels is None:
        panels = panel_names(client_for(COMMITTEE).get('/').get_data(as_text=True))
    results = {}
    for route in routes(ids, panels):
        if route.server != 'app':
            continue
        client = client_for(route.user)
        client.get(route.path, headers=route.headers)  # warm caches, as under load
        trace.update(on=True, sql=[])
        with count_queries() as counter:
            response = client.get(route.path, headers=route.headers)
        trace['on'] = False
        results[route.name] = summarise(response.status_code, counter, trace['sql'])
    # The ledger update: the edit form, then the post (counted).
    client = client_for(MANAGER)
    entry_id = ids['update_entries'][0]
    page = client.get('/ledger/%d/edit' % entry_id).get_data(as_text=True)
    fields = changed(form_fields(page), 'instrumented')
    trace.update(on=True, sql=[])
    with count_queries() as counter:
        response = client.post('/ledger/%d/edit' % entry_id, data=urllib.parse.urlencode(fields),
                               content_type='application/x-www-form-urlencoded')
    trace['on'] = False
    results['ledger_update'] = summarise(response.status_code, counter, trace['sql'])
    return {'label': label, 'ledger_entries': ids['table_rows'].get('ledger_entry'),
            'panels': panels, 'pages': results}


STATEMENT = re.compile(r'^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b', re.I)


def summarise(status, counter, traced):
    statements = [s for s in traced if STATEMENT.match(s)]
    return {'status': status, 'peewee_queries': counter.count,
            'sql_statements': len(statements), 'sql': statements}


def statements(info):
    """A page's queries: peewee's count, or the sqlite3 statements when more went out
    (a raw twin's own SQL does not pass through peewee)."""
    return max(info['peewee_queries'], info['sql_statements'])


def changed(fields, marker):
    """The form with its free-text purposes changed, so the save is a real update."""
    out, done = [], False
    for name, value in fields:
        if name == 'purposes' and not done:
            value = re.sub(r' \[bench [^\]]*\]$', '', value) + ' [bench %s]' % marker
            done = True
        out.append((name, value))
    return out


# EXPLAIN QUERY PLAN ------------------------------------------------------------------
#
# Each distinct statement of the measured routes is explained and timed on its own
# (median of a few runs on a read-only connection), so that every finding comes with
# what it costs.
#
# Findings: a SCAN of a table with more than LARGE_TABLE rows, unless the statement
# reads a bounded number of rows in rowid order (``FROM t ORDER BY <rowid> LIMIT n``
# with no WHERE and no aggregate: the audit log's head); a temporary B-tree when the
# statement reads a large table other than by primary-key lookups (sorting a handful
# of rows of small tables is not a finding). ACCEPTED lists findings examined and
# left as they are, with the reason and the cost measured (bench/README.md).

ACCEPTED = [
    # (statement SQL pattern, finding pattern, reason)
    (r'LIKE \'%', r'SCAN',
     "substring search (LIKE '%q%') over title and purposes reads every entry: ~4 ms "
     "for the count at 10,000 entries; the page walks the title index and stops after 50 "
     "matches (~0.4 ms for a frequent word, ~17 ms when almost nothing matches). "
     "An FTS index would remove it."),
    (r'category"? = .*ORDER BY \S*next_review_due"? DESC', r'TEMP B-TREE',
     'a category filter with another sort: without ANALYZE statistics SQLite prefers the '
     "category index and keeps the page's rows of the ~1,650 matches in a bounded sorter "
     '(~3-4 ms at 10,000 entries). An index per filter and sort pair is not worth it; '
     'PostgreSQL (with statistics) can walk the next-review index of migration 0009.'),
    (r'AS "missing", .*\) AS "health"', r'SCAN',
     "the ledger's counts per health problem (home panel, health view): one pass over the "
     'non-retired entries, walking the partial index ledger_entry_health of migration '
     '0010, which holds the row-level problems as computed values (no row is read), plus '
     'a probe of the items index per entry: ~6 ms at 10,000 entries (was ~20 ms reading '
     'and testing every row). The probe (~3 ms) and the date comparisons remain; counts '
     'kept up to date on ledger writes would remove them.'),
    (r'"training_assignment".*GROUP BY "t\d+"\."id", "t\d+"\."code"', r'TEMP B-TREE',
     'compliance per department: the sort is of the ~20 department rows after grouping; '
     'the assignments are read from the covering index of migration 0009.'),
    (r'FROM "disclosure_request" AS "t\d+" WHERE .*"status" IN', r'TEMP B-TREE',
     'the open requests (a status list) sorted by due date: a few hundred of 2,000 rows.'),
]


def plan_rows(db, sql):
    try:
        return db.execute('EXPLAIN QUERY PLAN ' + sql).fetchall()
    except sqlite3.Error as exc:
        return [(0, 0, 0, 'could not explain: %s' % exc)]


TABLE_REF = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?(?:\s+(?:AS\s+)?"?(\w+)"?)?', re.I)
KEYWORDS = {'where', 'on', 'inner', 'left', 'right', 'outer', 'cross', 'join', 'order',
            'group', 'limit', 'using', 'natural', 'union', 'as', 'select'}


def aliases_of(sql):
    """{alias: table} of the tables a statement reads."""
    found = {}
    for table, alias in TABLE_REF.findall(sql):
        found[table] = table
        if alias and alias.lower() not in KEYWORDS:
            found[alias] = table
    return found


def bounded_tables(sql, rowids):
    """Tables read as ``FROM t [AS a] ORDER BY a.<rowid> [DESC] LIMIT n`` with no WHERE,
    join or aggregate in that SELECT: at most n rows, in rowid order."""
    out = set()
    pattern = re.compile(r'FROM "?(\w+)"?(?: AS "?(\w+)"?)? ORDER BY (?:"?\w+"?\.)?"?(\w+)"?'
                         r'(?: ASC| DESC)? LIMIT (\d+)\b')
    for match in pattern.finditer(sql):
        table, _alias, column, _limit = match.groups()
        if rowids.get(table) != column:
            continue
        head = select_list_before(sql, match.start())
        if re.search(r'\b(COUNT|SUM|MIN|MAX|AVG|TOTAL|GROUP_CONCAT|json_group_array)\s*\(|'
                     r'\bDISTINCT\b', head, re.I):
            continue
        out.add(table)
    return out


def select_list_before(sql, pos):
    """The text between the SELECT that owns position ``pos`` and ``pos``."""
    depth, i = 0, pos - 1
    while i >= 0:
        if sql[i] == ')':
            depth += 1
        elif sql[i] == '(':
            if depth == 0:
                break
            depth -= 1
        i -= 1
    return sql[i + 1:pos]


def time_ms(db, sql, runs=5, budget=0.2):
    """Median milliseconds of ``sql`` (a SELECT) over a few runs."""
    times, started = [], time.perf_counter()
    try:
        for _ in range(runs):
            t = time.perf_counter()
            db.execute(sql).fetchall()
            times.append(time.perf_counter() - t)
            if time.perf_counter() - started > budget:
                break
    except sqlite3.Error:
        return None
    return round(statistics.median(times) * 1000, 3)


def findings_of(lines, sql, sizes, rowids):
    aliases = aliases_of(sql)
    bounded = bounded_tables(sql, rowids)
    large_reads, found = False, []
    for line in lines:
        read = re.match(r'\s*(SCAN|SEARCH) (\w+)(.*)', line)
        if not read:
            continue
        table = aliases.get(read.group(2), read.group(2))
        big = sizes.get(table, 0) > LARGE_TABLE
        if big and 'INTEGER PRIMARY KEY' not in read.group(3):
            large_reads = True
        if read.group(1) == 'SCAN' and big and table not in bounded:
            found.append('%s (%s: %d rows)' % (line.strip(), table, sizes[table]))
    if large_reads:
        found.extend(line for line in lines if 'USE TEMP B-TREE' in line)
    return found


def accepted_reason(sql, finding):
    for sql_pattern, finding_pattern, reason in ACCEPTED:
        if re.search(sql_pattern, sql, re.S) and re.search(finding_pattern, finding):
            return reason
    return None


def explain(instance, pages, sizes):
    """EXPLAIN QUERY PLAN of every distinct statement, timed; flag scans of large tables
    and temporary B-trees of large reads."""
    path = os.path.join(instance, 'stintranet.sqlite3')
    db = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    plans, seen = [], set()
    try:
        rowids = {}
        for table in sizes:
            for _cid, name, kind, _nn, _default, pk in db.execute(
                    'PRAGMA table_info("%s")' % table):
                if pk == 1 and kind.upper() == 'INTEGER':
                    rowids[table] = name
        for page, info in pages.items():
            for sql in info['sql']:
                key = re.sub(r"'[^']*'|\b\d+\b", '?', sql)
                if key in seen or not sql.lstrip().upper().startswith(('SELECT', 'WITH')):
                    continue
                seen.add(key)
                lines = [row[3] for row in plan_rows(db, sql)]
                findings, accepted = [], []
                for finding in findings_of(lines, sql, sizes, rowids):
                    reason = accepted_reason(sql, finding)
                    if reason:
                        accepted.append({'finding': finding, 'reason': reason})
                    else:
                        findings.append(finding)
                plans.append({'page': page, 'sql': sql[:2000], 'plan': lines,
                              'ms': time_ms(db, sql), 'findings': findings,
                              'accepted': accepted})
    finally:
        db.close()
    return plans


def profile_entry(instance, repeat=200):
    """pyinstrument over ``repeat`` entry pages in-process: the share of field decryption."""
    from pyinstrument import Profiler
    ids = pick_ids(instance)
    app = make_app(instance)
    client = client_login(app, COMMITTEE)
    path = '/ledger/%d' % ids['entry']
    for _ in range(10):
        client.get(path)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        client.get(path)
    profiler.stop()
    session = profiler.last_session
    root = session.root_frame()
    total = root.time if root else 0.0

    def decrypt_time(frame):
        if frame.function in ('decrypt', 'open') and frame.file_path_short and \
                frame.file_path_short.replace('\\', '/').endswith('stintranet/crypto.py'):
            return frame.time
        return sum(decrypt_time(child) for child in frame.children)

    spent = decrypt_time(root) if root else 0.0
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    with open(os.path.join(OUT, 'profile_entry.txt'), 'w') as fh:
        fh.write(text)
    with open(os.path.join(OUT, 'profile_entry.html'), 'w') as fh:
        fh.write(profiler.output_html())
    return {'requests': repeat, 'seconds': round(total, 3),
            'ms_per_request': round(total / repeat * 1000, 2),
            'decrypt_seconds': round(spent, 4),
            'decrypt_share': round(spent / total, 4) if total else None,
            'report': 'bench/out/profile_entry.txt'}


# servers ----------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name, target, env=None):
        self.name, self.port = name, free_port()
        self.log = open(os.path.join(OUT, 'gunicorn-%s.log' % name), 'w')
        self.proc = subprocess.Popen(
            [os.path.join(BIN, 'gunicorn'), '--chdir', ROOT, '--workers', str(WORKERS),
             '--worker-class', 'sync', '--bind', '127.0.0.1:%d' % self.port,
             '--timeout', '60', '--graceful-timeout', '5', target],
            env=dict(os.environ, **(env or {})), stdout=self.log, stderr=subprocess.STDOUT)
        self.base = 'http://127.0.0.1:%d' % self.port

    def wait(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit('gunicorn %s exited; see bench/out/gunicorn-%s.log'
                                 % (self.name, self.name))
            try:
                urllib.request.urlopen(self.base + '/', timeout=2).read()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit('gunicorn %s did not answer' % self.name)

    def workers(self):
        pids = []
        for entry in os.listdir('/proc'):
            if entry.isdigit():
                try:
                    with open('/proc/%s/stat' % entry) as fh:
                        fields = fh.read().rsplit(')', 1)[1].split()
                    if int(fields[1]) == self.proc.pid:
                        pids.append(int(entry))
                except (OSError, IndexError, ValueError):
                    continue
        return sorted(pids)

    def rss_mb(self):
        out = {}
        for pid in self.workers():
            try:
                with open('/proc/%d/status' % pid) as fh:
                    for line in fh:
                        if line.startswith('VmRSS:'):
                            out[pid] = round(int(line.split()[1]) / 1024, 1)
            except OSError:
                continue
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def login(base, email):
    """A session cookie from a real POST /login with the form's CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + '/login', timeout=30).read().decode()
    data = urllib.parse.urlencode({'email': email, 'password': dataset.PASSWORD,
                                   'csrf_token': csrf_of(page)}).encode()
    opener.open(base + '/login', data, timeout=30).read()
    cookie = '; '.join('%s=%s' % (c.name, c.value) for c in jar)
    if 'stintranet_session' not in cookie:
        raise SystemExit('login as %s failed' % email)
    check = opener.open(base + '/', timeout=30)
    if '/login' in check.geturl():
        raise SystemExit('login as %s did not stick' % email)
    return cookie, opener


def run_wrk(url, seconds, cookie='', headers=None):
    env = dict(os.environ, BENCH_COOKIE=cookie,
               BENCH_HEADERS=';'.join('%s:%s' % kv for kv in (headers or {}).items()))
    proc = subprocess.run(
        ['wrk', '-t', '2', '-c', str(CONNECTIONS), '-d', '%ds' % seconds, '--timeout', '10s',
         '-s', os.path.join(ROOT, 'bench', 'report.lua'), url],
        env=env, capture_output=True, text=True, timeout=seconds + 60)
    for line in proc.stdout.splitlines():
        if line.startswith('BENCH_JSON '):
            return json.loads(line[len('BENCH_JSON '):])
    raise SystemExit('wrk gave no result for %s:\n%s%s' % (url, proc.stdout, proc.stderr))


def run_update(base, entry_ids, seconds):
    """8 threads, each editing its own entry: GET the edit form, POST it changed.
    Latency and throughput are the POST's (optimistic lock + revision + audit row)."""
    latencies, errors, lock = [], [], threading.Lock()
    stop_at = [0.0]

    def worker(index, entry_id, opener):
        n = 0
        while time.monotonic() < stop_at[0]:
            n += 1
            try:
                page = opener.open('%s/ledger/%d/edit' % (base, entry_id), timeout=30).read()
                fields = changed(form_fields(page.decode()), '%d-%d' % (index, n))
                data = urllib.parse.urlencode(fields).encode()
                started = time.monotonic()
                response = opener.open('%s/ledger/%d/edit' % (base, entry_id), data,
                                       timeout=30)
                response.read()
                elapsed = time.monotonic() - started
                ok = '/edit' not in response.geturl()
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors.append('post for %d stayed on the form' % entry_id)
            except urllib.error.HTTPError as exc:
                with lock:
                    errors.append('HTTP %d for %d' % (exc.code, entry_id))
            except OSError as exc:
                with lock:
                    errors.append(str(exc))

    # Log in first (argon2 is slow on purpose), then start the clock.
    stop_at[0] = time.monotonic() + 3600
    threads = []
    ready = threading.Barrier(len(entry_ids) + 1)

    def start(index, entry_id):
        try:
            opener = login(base, MANAGER)[1]
        except SystemExit as exc:
            with lock:
                errors.append(str(exc))
            opener = None
        ready.wait()
        if opener is not None:
            worker(index, entry_id, opener)
    for index, entry_id in enumerate(entry_ids):
        t = threading.Thread(target=start, args=(index, entry_id), daemon=True)
        t.start()
        threads.append(t)
    ready.wait()
    started = time.monotonic()
    stop_at[0] = started + seconds
    for t in threads:
        t.join(seconds + 120)
    elapsed = time.monotonic() - started
    return stats(latencies, len(errors), elapsed, errors[:5])


def stats(latencies, error_count, elapsed, samples=()):
    ordered = sorted(latencies)

    def pct(p):
        if not ordered:
            return 0.0
        return round(ordered[min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1)]
                     * 1000, 2)
    result = {'requests': len(ordered), 'seconds': round(elapsed, 3),
              'rps': round(len(ordered) / elapsed, 1) if elapsed else 0.0,
              'p50': pct(50), 'p95': pct(95), 'p99': pct(99), 'errors': error_count}
    if samples:
        result['error_samples'] = list(samples)
    return result


def load_average():
    with open('/proc/loadavg') as fh:
        return [float(x) for x in fh.read().split()[:3]]


# the run ----------------------------------------------------------------------------

def combine(rounds):
    """Per route: the median round's throughput and latencies, errors summed."""
    out = {}
    for name, results in rounds.items():
        ordered = sorted(results, key=lambda r: r['rps'])
        mid = ordered[len(ordered) // 2]
        out[name] = {'rps': mid['rps'], 'p50': mid['p50'], 'p95': mid['p95'], 'p99': mid['p99'],
                     'errors': sum(r['errors'] for r in results),
                     'requests': sum(r['requests'] for r in results),
                     'rounds_rps': [r['rps'] for r in results]}
    return out


def verdict(entry):
    """'met', 'MISSED' or '' (no target) for one route's combined result."""
    target = entry.get('target_p95_ms')
    if target is None:
        return ''
    if entry['errors']:
        return 'MISSED (errors)'
    if not entry['requests']:
        return 'MISSED (no answer in time)'
    return 'met' if entry['p95'] < target else 'MISSED'


def table(summary, queries, memory):
    """The results as a Markdown table, a route a row, with its target and verdict."""
    lines = ['| route | kind | req/s | p50 ms | p95 ms | p99 ms | errors | target p95 | '
             'verdict | queries (small / full) | vs twin | vs Flask hello |',
             '|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|']
    hello = summary.get('hello_flask', {}).get('rps') or 0
    for name, r in summary.items():
        route_twin = r.get('twin')
        twin = summary.get(route_twin, {}).get('rps') if route_twin else None
        q = queries.get(name)
        target = r.get('target_p95_ms')
        lines.append('| %s | %s | %.0f | %.1f | %.1f | %.1f | %d | %s | %s | %s | %s | %s |' % (
            name, r.get('kind', ''), r['rps'], r['p50'], r['p95'], r['p99'], r['errors'],
            '< %d ms' % target if target else '', verdict(r),
            ('%s / %s' % q + (' (grows)' if q[0] != q[1] else '')) if q else '',
            '%.2f×' % (r['rps'] / twin) if twin else '',
            '%.3f×' % (r['rps'] / hello) if hello and name != 'hello_flask' else ''))
    lines.append('')
    judged = [(name, r) for name, r in summary.items() if r.get('target_p95_ms')]
    missed = [name for name, r in judged if verdict(r) != 'met']
    lines.append('Targets (issue 13, point 6: p95 at %d connections, %d gunicorn workers; '
                 'home first response < %d ms, home panels and pages < %d ms): %d of %d '
                 'routes met%s.' % (CONNECTIONS, WORKERS, TARGETS['home'], TARGETS['page'],
                                    len(judged) - len(missed), len(judged),
                                    '; missed: ' + ', '.join(missed) if missed else ''))
    lines.append('Worker RSS (MB): ' + ', '.join('%s %s' % (k, '/'.join(str(v) for v in vals))
                                                 for k, vals in memory.items()))
    return '\n'.join(lines)


def print_round(name, result):
    print('  %-30s %8.1f req/s  p50 %6.1f  p95 %6.1f  p99 %6.1f ms  errors %d' % (
        name, result['rps'], result['p50'], result['p95'], result['p99'], result['errors']),
        flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--instance', default=dataset.DEFAULT_INSTANCE)
    parser.add_argument('--small-instance', default=os.path.join(OUT, 'small-instance'))
    parser.add_argument('--seconds', type=int, default=5, help='per route per round')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--update-seconds', type=int, default=None)
    parser.add_argument('--smoke', action='store_true',
                        help='1 round of 1 s per route, no profile (about 40 s of load)')
    parser.add_argument('--no-profile', action='store_true')
    parser.add_argument('--explain-only', action='store_true',
                        help='count queries and print EXPLAIN QUERY PLAN at the full data '
                             'set, then stop (no small data set, no profile, no load)')
    parser.add_argument('--profile-only', action='store_true',
                        help='profile the entry page at the full data set, then stop')
    parser.add_argument('--output', default=os.path.join(OUT, 'results.json'))
    args = parser.parse_args(argv)
    if args.smoke:
        args.seconds, args.rounds, args.no_profile = 1, 1, True
    os.makedirs(OUT, exist_ok=True)
    if not os.path.exists(os.path.join(args.instance, 'stintranet.sqlite3')):
        raise SystemExit('no data set in %s: run bench/dataset.py first' % args.instance)
    if args.explain_only:
        full = instrument(args.instance, 'full')
        for name, info in full['pages'].items():
            print('%-30s status %s, %d queries' % (name, info['status'], statements(info)))
        plans = explain(args.instance, full['pages'], pick_ids(args.instance)['table_rows'])
        print_plans(plans)
        return
    if args.profile_only:
        profile = profile_entry(args.instance)
        print('decryption: %.1f%% of %.2f ms per entry page; %s' % (
            100 * (profile['decrypt_share'] or 0), profile['ms_per_request'], profile['report']))
        return
    if shutil.which('wrk') is None:
        raise SystemExit('wrk is missing: apt-get install -y wrk (make bench does it)')

    results = {'started': time.strftime('%Y-%m-%dT%H:%M:%S%z'), 'cpus': os.cpu_count(),
               'load_average_before': load_average(), 'connections': CONNECTIONS,
               'workers': WORKERS, 'seconds_per_round': args.seconds, 'rounds': args.rounds,
               'smoke': args.smoke, 'targets_p95_ms': TARGETS,
               'locale': os.environ.get('STINTRANET_DEFAULT_LOCALE', "the tree's default")}

    print('Counting queries at the small data set...', flush=True)
    dataset.build(args.small_instance, scale=0.001, quiet=True)
    small = instrument(args.small_instance, 'small')
    print('Counting queries at the full data set...', flush=True)
    full = instrument(args.instance, 'full', panels=small['panels'])
    ids = pick_ids(args.instance)
    plans = explain(args.instance, full['pages'], ids['table_rows'])
    queries = {name: (statements(small['pages'][name]), statements(info))
               for name, info in full['pages'].items()}
    bad_status = {name: info['status'] for name, info in full['pages'].items()
                  if not 200 <= info['status'] < 400}
    if bad_status:
        raise SystemExit('these routes do not answer in-process: %s' % bad_status)
    results['queries'] = {
        name: {'small': {k: small['pages'][name][k] for k in ('peewee_queries',
                                                             'sql_statements', 'status')},
               'full': {k: info[k] for k in ('peewee_queries', 'sql_statements', 'status')},
               'sql': info['sql']}
        for name, info in full['pages'].items()}
    results['small_ledger_entries'] = small['ledger_entries']
    results['full_ledger_entries'] = full['ledger_entries']
    results['home_panels'] = full['panels']
    results['explain'] = plans
    print_plans(plans)
    if not args.no_profile:
        print('Profiling the entry page (pyinstrument)...', flush=True)
        results['profile_entry'] = profile_entry(args.instance)
        print('  decryption: %.1f%% of %.2f ms per entry page' % (
            100 * (results['profile_entry']['decrypt_share'] or 0),
            results['profile_entry']['ms_per_request']))

    servers = {'wsgi': Server('wsgi', 'bench.hello:wsgi_app'),
               'flask': Server('flask', 'bench.hello:flask_app'),
               'app': Server('app', APP,
                             {'STINTRANET_INSTANCE_PATH': args.instance,
                              'STINTRANET_DATABASE_URL': 'sqlite:///' + os.path.join(
                                  args.instance, 'stintranet.sqlite3')})}
    try:
        for server in servers.values():
            server.wait()
        measured = routes(ids, full['panels'])
        rounds = {r.name: [] for r in measured}
        rounds['ledger_update'] = []
        for number in range(1, args.rounds + 1):
            print('Round %d/%d (load average %s)' % (number, args.rounds, load_average()),
                  flush=True)
            cookies = {}  # a sign-in per account and round (the idle timeout is 30 minutes)
            for route in measured:
                if route.user and route.user not in cookies:
                    cookies[route.user] = login(servers['app'].base, route.user)[0]
                result = run_wrk(servers[route.server].base + route.path, args.seconds,
                                 cookies.get(route.user, ''), route.headers)
                rounds[route.name].append(result)
                print_round(route.name, result)
            result = run_update(servers['app'].base, ids['update_entries'],
                                args.update_seconds or args.seconds)
            rounds['ledger_update'].append(result)
            print_round('ledger_update', result)
        memory = {name: list(server.rss_mb().values()) for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()

    summary = combine(rounds)
    hello = summary['hello_flask']['rps']
    for route in measured:
        entry = summary[route.name]
        entry['kind'] = route.kind
        entry['path'] = route.path
        entry['target_p95_ms'] = route.target
        if route.twin:
            entry['twin'] = route.twin
            entry['vs_twin'] = round(entry['rps'] / summary[route.twin]['rps'], 3) \
                if summary[route.twin]['rps'] else None
        if route.name != 'hello_flask':
            entry['vs_flask_hello'] = round(entry['rps'] / hello, 4) if hello else None
    update = summary['ledger_update']
    update['kind'] = 'write'
    update['target_p95_ms'] = TARGETS['write']
    update['vs_flask_hello'] = round(update['rps'] / hello, 4) if hello else None
    for entry in summary.values():
        entry['verdict'] = verdict(entry)
    results['routes'] = summary
    results['rounds_raw'] = rounds
    results['worker_rss_mb'] = memory
    results['load_average_after'] = load_average()
    results['table'] = table(summary, queries, memory)
    with open(args.output, 'w') as fh:
        json.dump(results, fh, indent=2, default=str)
    print()
    print(results['table'])
    print()
    if args.smoke:
        print('Smoke run: a tiny data set and 1-second rounds; the verdicts above say the '
              'bench works, not whether the targets hold (they are judged on the full data '
              'set: make bench).')
    print('Load average before %s, after %s; results in %s' % (
        results['load_average_before'], results['load_average_after'],
        os.path.relpath(args.output, ROOT)))


def print_plans(plans):
    print('EXPLAIN QUERY PLAN of every statement of the measured routes (full data set):')
    for plan in plans:
        flag = '  <-- ' + '; '.join(plan['findings']) if plan['findings'] else ''
        slow = ' [slow]' if (plan['ms'] or 0) > SLOW_MS else ''
        print('- [%s] %s ms%s: %s%s' % (plan['page'], plan['ms'], slow,
                                       plan['sql'][:220].replace('\n', ' '), flag))
        for line in plan['plan']:
            print('      %s' % line)
        for item in plan['accepted']:
            print('      accepted: %s: %s' % (item['finding'], item['reason']))
    bad = [p for p in plans if p['findings']]
    accepted = [p for p in plans if p['accepted'] and not p['findings']]
    print('%d statements explained, %d with a scan of a large table or a temporary B-tree '
          'over one, %d more with accepted findings only'
          % (len(plans), len(bad), len(accepted)), flush=True)


if __name__ == '__main__':
    main()
