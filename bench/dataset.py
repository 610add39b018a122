"""Build the benchmark data set: the S.T. Group at its real scale, with a fixed seed.

20 departments, 500 users, 10,000 ledger entries (encrypted fields sealed, items,
a revision and a review each), 500 incidents, 2,000 Requests for Disclosure each
with a sealed document of about 200 kB, 50,000 training assignments and 100,000
audit events forming a valid hash chain (``flask audit verify`` passes).

Rows go in with ``insert_many`` in batches; sealed values are built with the
instance's key ring and each row's uid, exactly as ``EncryptedModel.save()``
would seal them, so the app opens them as its own. The schema comes from the
app's migrations. Everything lands in its own instance folder (``bench/out/
instance`` by default), never in the developer's ``instance/``.

    .venv/bin/python bench/dataset.py [--instance DIR] [--scale 0.01] [--verify]
"""
import argparse
import datetime
import json
import os
import random
import shutil
import sys
import time
import types
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

OUT = os.path.join(ROOT, 'bench', 'out')
DEFAULT_INSTANCE = os.path.join(OUT, 'instance')
PASSWORD = 'bench-Passphrase-2024!'  # every account; the benchmark logs in with it
DOMAIN = 'st-group.example'
SEED = 20240401
BATCH = 500

DEPARTMENTS = [
    ('SALES', 'Sales'), ('HR', 'Human Resources'), ('IT', 'Information Technology'),
    ('CC', 'Customer Center'), ('AUDIT', 'Audit Department'), ('LEGAL', 'Legal'),
    ('MKT', 'Marketing'), ('FIN', 'Finance'), ('PROC', 'Procurement'),
    ('RND', 'Research and Development'), ('LOG', 'Logistics'), ('QA', 'Quality Assurance'),
    ('PR', 'Public Relations'), ('GA', 'General Affairs'), ('OSAKA', 'Osaka Branch'),
    ('NAGOYA', 'Nagoya Branch'), ('FUKUOKA', 'Fukuoka Branch'), ('SAPPORO', 'Sapporo Branch'),
    ('ECOM', 'E-commerce'), ('SUPPORT', 'Technical Support'),
]
FAMILY = ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura',
          'Kobayashi', 'Kato', 'Yoshida', 'Yamada', 'Sasaki', 'Yamaguchi', 'Matsumoto', 'Inoue',
          'Kimura', 'Hayashi', 'Shimizu', 'Yamazaki', 'Mori', 'Abe', 'Ikeda', 'Hashimoto']
GIVEN = ['Haruko', 'Takeshi', 'Yumi', 'Daisuke', 'Akiko', 'Hiroshi', 'Naoko', 'Kenji',
         'Emi', 'Shota', 'Aya', 'Ryo', 'Mai', 'Yuki', 'Kaori', 'Taro', 'Hanako', 'Sho',
         'Misaki', 'Kazuki', 'Rina', 'Daiki', 'Saki', 'Tomoya']
PROCESSES = ['Customer orders', 'Membership programme', 'Recruitment', 'Payroll',
             'Newsletter', 'Event registration', 'Support tickets', 'Supplier contacts',
             'Shareholder register', 'Visitor log', 'Health checks', 'Call recordings',
             'Loyalty points', 'Product returns', 'Warranty claims', 'Survey responses',
             'Training records', 'Access badges', 'Expense claims', 'Delivery addresses']
PURPOSES = ['Fulfilling orders and contacting customers about them',
            'Managing employment, payroll and social insurance',
            'Selecting applicants and contacting them about interviews',
            'Sending information on products and events, with consent',
            'Answering enquiries and complaints',
            'Meeting legal obligations and keeping statutory records']
LOCATIONS = ['Core system (Tokyo data centre), role-based access',
             'Locked cabinet on the 3rd floor, key held by the section manager',
             'SaaS CRM, tenant in the vendor\'s cloud, SSO with MFA',
             'File server share, access group only, encrypted backups']
ACTIONS = [('login', 30), ('read', 40), ('update', 10), ('create', 8), ('export', 3),
           ('review', 4), ('login_failed', 2), ('delete', 1), ('approve', 2)]
# An estimate inside its band (the form checks that they agree).
ESTIMATES = {1: (10, 99), 2: (100, 999), 3: (1000, 9999), 4: (10000, 50000)}
OBJECT_TYPES = ['ledger_entry', 'incident', 'disclosure_request', 'training_assignment',
                'user', 'pledge_signature']


def batched(rows, size=BATCH):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def insert(model, rows, size=BATCH):
    for chunk in batched(rows, size):
        model.insert_many(chunk).execute()


def sealer(model, field_name):
    """seal(uid, plaintext) -> a Sealed value for ``model.field_name`` in the row ``uid``."""
    field = getattr(model, field_name)

    def seal(uid, plaintext):
        return field.seal(types.SimpleNamespace(uid=uid), plaintext)
    return seal


def make_uid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


class Builder:
    def __init__(self, scale, rng, log):
        self.scale, self.rng, self.log = scale, rng, log
        self.now = datetime.datetime(2025, 3, 31, 9, 0, 0)
        self.today = self.now.date()

    def n(self, full, minimum=1):
        return max(minimum, int(round(full * self.scale)))

    # people ----------------------------------------------------------------------
    def people(self):
        from stintranet.auth import roles as R
        from stintranet.auth.models import Department, ManagedDepartment, User, UserRole
        from stintranet.auth.passwords import hash_password

        insert(Department, [{'id': i, 'code': code, 'name': name, 'created_at': self.now}
                            for i, (code, name) in enumerate(DEPARTMENTS, 1)])
        self.dept_ids = {code: i for i, (code, _name) in enumerate(DEPARTMENTS, 1)}
        password_hash = hash_password(PASSWORD)  # once: argon2id is slow by design
        specs = [('admin', 'IT', [R.ADMIN], []),
                 ('chair', 'LEGAL', [R.EMPLOYEE, R.COMMITTEE], []),
                 ('committee', 'LEGAL', [R.EMPLOYEE, R.COMMITTEE], []),
                 ('auditor', 'AUDIT', [R.EMPLOYEE, R.AUDITOR], []),
                 ('cc', 'CC', [R.EMPLOYEE, R.CUSTOMER_CENTER], [])]
        for code, _name in DEPARTMENTS:
            specs.append(('manager.%s' % code.lower(), code, [R.EMPLOYEE, R.MANAGER], [code]))
        total = self.n(500, minimum=len(specs) + 5)
        codes = [code for code, _name in DEPARTMENTS]
        number = 0
        while len(specs) < total:
            number += 1
            specs.append(('staff%03d' % number, codes[number % len(codes)], [R.EMPLOYEE], []))
        users, roles, managed = [], [], []
        for i, (local, dept, user_roles, manages) in enumerate(specs, 1):
            users.append({'id': i, 'email': '%s@%s' % (local, DOMAIN),
                          'name': '%s %s' % (self.rng.choice(GIVEN), self.rng.choice(FAMILY)),
                          'department': self.dept_ids[dept], 'active': True,
                          'password_hash': password_hash, 'session_nonce': make_uid(self.rng),
                          'password_changed_at': self.now, 'created_at': self.now})
            roles.extend({'user': i, 'role': role} for role in user_roles)
            managed.extend({'user': i, 'department': self.dept_ids[code]} for code in manages)
        insert(User, users)
        insert(UserRole, roles)
        insert(ManagedDepartment, managed)
        self.users = users
        self.user_ids = [u['id'] for u in users]
        self.by_local = {u['email'].split('@')[0]: u['id'] for u in users}
        self.users_by_dept = {}
        for u in users:
            self.users_by_dept.setdefault(u['department'], []).append(u['id'])
        self.log('users', len(users))

    # ledger ----------------------------------------------------------------------
    def ledger(self):
        from stintranet.ledger import catalogue as C
        from stintranet.ledger.models import (
            LedgerEntry,
            LedgerEntryItem,
            LedgerReview,
            LedgerRevision,
        )
        rng = self.rng
        seal = {name: sealer(LedgerEntry, name) for name in
                ('storage_location', 'access_persons', 'foreign_note', 'security_details')}
        seal_changes = sealer(LedgerRevision, 'changes')
        item_codes = [item.code for item in C.ITEMS]
        special = set(C.SPECIAL_CARE_CODES)
        categories = [c for c, _l in C.CATEGORIES]
        media = [c for c, _l in C.MEDIA]
        routes = [c for c, _l in C.ACQUISITION_ROUTES]
        notices = [c for c, _l in C.NOTICE_METHODS]
        # 'other' needs a note of its own; the generator uses the listed methods only.
        disposals = [c for c, _l in C.DISPOSAL_METHODS if c != 'other']
        measures = [c for c, _l in C.SECURITY_MEASURES]
        bands = [b for b, _l in C.BANDS]
        entries, items, revisions, reviews = [], [], [], []
        count = self.n(10000)
        for i in range(1, count + 1):
            # The first entries go one to each department, so even the smallest data
            # set has entries for the SALES manager the update threads sign in as.
            dept = i if i <= len(DEPARTMENTS) else rng.randint(1, len(DEPARTMENTS))
            uid = make_uid(rng)
            abroad = rng.random() < 0.12
            country = rng.choice(['US', 'SG', 'IE', 'DE']) if abroad else C.HOME_COUNTRY
            codes = sorted(rng.sample(item_codes, rng.randint(2, 7)))
            status = rng.choices(['active', 'draft', 'retired'], [85, 10, 5])[0]
            band = rng.choice(bands)
            reviewed = self.today - datetime.timedelta(days=rng.randint(0, 500))
            due = reviewed + datetime.timedelta(days=365)
            created = self.now - datetime.timedelta(days=rng.randint(400, 1500))
            responsible = rng.choice(self.users_by_dept[dept])
            location = '%s (%s-%04d)' % (rng.choice(LOCATIONS), DEPARTMENTS[dept - 1][0], i)
            access = 'Members of %s; the section manager' % DEPARTMENTS[dept - 1][1]
            details = 'AES-256 at rest, TLS 1.3 in transit, quarterly access review'
            use_months = rng.choice([12, 24, 36, 60])
            outsourced = rng.random() < 0.3
            provided = rng.random() < 0.1
            row = {
                'id': i, 'uid': uid, 'department': dept,
                'title': '%s %04d' % (rng.choice(PROCESSES), i),
                'category': rng.choice(categories), 'purposes': rng.choice(PURPOSES),
                'acquisition_route': rng.choice(routes),
                'acquisition_method': 'Web form and paper application',
                'notice_method': rng.choice(notices), 'notice_details': 'Privacy notice v3',
                'person_band': band, 'person_estimate': rng.randint(*ESTIMATES[band]),
                'medium': rng.choice(media),
                'storage_location': seal['storage_location'](uid, location),
                'storage_country': country,
                'foreign_note': seal['foreign_note'](uid, 'Vendor bound by SCCs; regime '
                                                     'checked by Legal') if abroad else None,
                'access_persons': seal['access_persons'](uid, access),
                'use_period_months': use_months,
                'use_period_note': 'from acquisition',
                'retention_period_months': rng.choice([m for m in (36, 60, 84, 120)
                                                       if m >= use_months]),
                'retention_period_note': 'from the end of use',
                'disposal_methods': ','.join(sorted(rng.sample(disposals, 1))),
                'disposal_note': '',
                'security_measures': ','.join(sorted(rng.sample(measures, 2))),
                'security_details': seal['security_details'](uid, details),
                'outsourced': outsourced,
                'outsourcing_note': 'Data entry outsourced to a contracted vendor'
                if outsourced else '',
                'third_party_provision': provided,
                'third_party_note': 'Group company, joint use notified' if provided else '',
                'special_care': bool(special.intersection(codes)),
                'special_care_override': '', 'special_care_reason': '',
                'responsible': responsible, 'status': status,
                'last_reviewed_on': reviewed, 'next_review_due': due,
                'retired_on': self.today if status == 'retired' else None,
                'retired_reason': 'Process ended' if status == 'retired' else '',
                'version': 1, 'created_at': created, 'created_by': responsible,
                'updated_at': created, 'updated_by': responsible,
            }
            entries.append(row)
            items.extend({'entry': i, 'code': code, 'label': ''} for code in codes)
            if rng.random() < 0.2:
                items.append({'entry': i, 'code': '', 'label': 'Membership number'})
            rev_uid = make_uid(rng)
            changes = {'title': [None, row['title']], 'items': [None, codes],
                       'storage_location': [None, location], 'access_persons': [None, access],
                       'status': [None, status]}
            revisions.append({'uid': rev_uid, 'entry': i, 'version': 1, 'at': created,
                              'actor': responsible, 'action': 'create',
                              'fields': ','.join(changes),
                              'changes': seal_changes(rev_uid, json.dumps(
                                  changes, ensure_ascii=False))})
            reviews.append({'entry': i, 'reviewed_at': created, 'reviewed_on': reviewed,
                            'reviewer': responsible, 'kind': 'created',
                            'next_review_due': due})
        insert(LedgerEntry, entries, 200)
        insert(LedgerEntryItem, items)
        insert(LedgerRevision, revisions)
        insert(LedgerReview, reviews)
        self.entry_count = count
        self.log('ledger entries', count)

    # incidents -------------------------------------------------------------------
    def incidents(self):
        from stintranet.incidents import models as M
        rng = self.rng
        seal = {name: sealer(M.Incident, name) for name in ('narrative', 'reporter_identity')}
        kinds = [k for k, _l in M.KINDS]
        rows, events, links, per_year = [], [], [], {}
        count = self.n(500)
        for i in range(1, count + 1):
            reported = self.now - datetime.timedelta(days=rng.randint(0, 1000),
                                                     minutes=rng.randint(0, 1440))
            year = reported.year
            number = per_year[year] = per_year.get(year, 0) + 1
            status = rng.choices(M.STATUSES, [5, 5, 5, 5, 70, 10])[0]
            reporter = rng.choice(self.user_ids)
            reporter_user = self.users[reporter - 1]
            uid = make_uid(rng)
            identity = json.dumps({'id': reporter, 'name': reporter_user['name'],
                                   'email': reporter_user['email']}, ensure_ascii=False)
            rows.append({
                'id': i, 'uid': uid, 'reference': 'INC-%04d-%04d' % (year, number),
                'year': year, 'number': number, 'status': status, 'kind': rng.choice(kinds),
                'severity': rng.choice(['low', 'medium', 'high', None]),
                'summary': 'Report %d' % i,
                'narrative': seal['narrative'](uid, 'A USB drive with a customer list was '
                                               'missing after the offsite meeting (%d).' % i),
                'reporter_ref': '%064x' % rng.getrandbits(256),
                'reporter_identity': seal['reporter_identity'](uid, identity),
                'department': reporter_user['department'], 'noticed_at': reported,
                'reported_at': reported, 'aware_at': reported,
                'estimated_persons': rng.randint(1, 3000),
                'reportable': rng.random() < 0.2,
                'closed_at': reported + datetime.timedelta(days=20)
                if status in M.FINAL_STATUSES else None,
                'updated_at': reported, 'version': 1,
            })
            ev_uid = make_uid(rng)
            events.append({'uid': ev_uid, 'incident': i, 'at': reported,
                           'kind': M.IncidentEvent.REPORTED, 'author': reporter,
                           'by_reporter': True, 'to_status': M.REPORTED,
                           'summary': 'Reported', 'body': None, 'internal': False})
            if rng.random() < 0.5:
                links.append({'incident': i, 'entry': rng.randint(1, self.entry_count),
                              'linked_by': reporter, 'linked_at': reported})
        insert(M.Incident, rows, 200)
        insert(M.IncidentSequence, [{'year': y, 'last_number': n} for y, n in per_year.items()])
        insert(M.IncidentEvent, events)
        insert(M.IncidentLedgerLink, links)
        self.log('incidents', count)

    # Requests for Disclosure ----------------------------------------------------------
    def disclosure(self):
        from stintranet.disclosure import catalogue as C
        from stintranet.disclosure import envelope
        from stintranet.disclosure.models import DisclosureEvent, DisclosureRequest, RequestDocument
        rng = self.rng
        seal = {name: sealer(DisclosureRequest, name) for name in
                ('requester_name', 'requester_address', 'requester_email', 'data_key')}
        cc = self.by_local['cc']
        # Scans do not compress; a few random pages, cut to each document's size.
        pages = [rng.randbytes(260 * 1024) for _ in range(4)]
        count = self.n(2000)
        types_ = [t for t, _l in C.TYPES]
        requests, documents, events = [], [], []
        database = DisclosureRequest._meta.database
        for i in range(1, count + 1):
            received = self.today - datetime.timedelta(days=rng.randint(0, 900))
            status = rng.choices([C.RECEIVED, C.VERIFYING, C.IN_PROGRESS, C.RESPONDED,
                                  C.COMPLETED], [5, 5, 5, 5, 80])[0]
            completed = received + datetime.timedelta(days=12) if status == C.COMPLETED else None
            uid = make_uid(rng)
            data_key = envelope.new_data_key()
            requests.append({
                'id': i, 'uid': uid, 'received_on': received, 'mail_number': 'RM%09d' % i,
                'types': rng.choice(types_), 'requested_method': C.UNSPECIFIED,
                'requester_name': seal['requester_name'](uid, '%s %s' % (
                    rng.choice(GIVEN), rng.choice(FAMILY))),
                'requester_address': seal['requester_address'](uid, '1-2-%d Chiyoda, Tokyo' % i),
                'requester_email': seal['requester_email'](uid, 'requester%d@example.jp' % i),
                'proxy_kind': C.IN_PERSON, 'id_document_type': '',
                'form_complete': True, 'address_matches': True,
                'status': status, 'due_on': received + datetime.timedelta(days=14),
                'completed_on': completed,
                'destroy_after': completed + datetime.timedelta(days=183) if completed else None,
                'data_key': seal['data_key'](uid, data_key),
                'created_by': cc, 'created_at': datetime.datetime.combine(
                    received, datetime.time(10)), 'updated_at': self.now, 'version': 1,
            })
            size = rng.randint(150 * 1024, 250 * 1024)
            content = rng.choice(pages)[:size]
            documents.append({
                'id': i, 'request': i, 'kind': C.APPLICATION_FORM, 'mime': 'application/pdf',
                'size': size,
                'filename': envelope.seal(data_key, b'application-%d.pdf' % i,
                                          envelope.document_aad(i, i, 'filename')),
                'content': envelope.seal(data_key, content,
                                         envelope.document_aad(i, i, 'content')),
                'uploaded_by': cc, 'uploaded_at': requests[-1]['created_at'],
            })
            events.append({'request': i, 'at': requests[-1]['created_at'], 'actor': cc,
                           'action': 'created', 'to_status': C.RECEIVED})
            if len(documents) == 50:  # ~10 MB a batch keeps memory flat
                with database.atomic():
                    insert(DisclosureRequest, requests, 100)
                    insert(RequestDocument, documents, 10)
                requests, documents = [], []
        with database.atomic():
            insert(DisclosureRequest, requests, 100)
            insert(RequestDocument, documents, 10)
            insert(DisclosureEvent, events)
        self.log('requests for disclosure', count)

    # training ---------------------------------------------------------------------
    def training(self):
        from stintranet.training import models as T
        rng = self.rng
        target = self.n(50000)
        cycles = 4
        courses_needed = max(1, -(-target // (len(self.user_ids) * cycles)))
        courses = [{'id': c, 'code': 'PI-%02d' % c, 'title': 'Personal information course %d' % c,
                    'audience': T.ALL, 'recurrence_months': 12, 'due_days': 30,
                    'status': T.PUBLISHED, 'version': 1, 'created_at': self.now,
                    'updated_at': self.now, 'published_at': self.now}
                   for c in range(1, courses_needed + 1)]
        insert(T.Course, courses)
        rows = []
        for course in courses:
            for user in self.user_ids:
                for cycle in range(1, cycles + 1):
                    if len(rows) >= target:
                        break
                    assigned = self.today - datetime.timedelta(days=365 * (cycles - cycle) + 30)
                    current = cycle == cycles
                    done = not current or rng.random() < 0.8
                    completed_on = assigned + datetime.timedelta(days=rng.randint(1, 40))
                    rows.append({
                        'course': course['id'], 'user': user, 'cycle': cycle,
                        'is_current': current, 'status': T.COMPLETED if done else T.OPEN,
                        'assigned_on': assigned, 'due_on': assigned + datetime.timedelta(days=30),
                        'completed_at': datetime.datetime.combine(completed_on, datetime.time(12))
                        if done else None,
                        'completed_on': completed_on if done else None,
                        'completion_source': T.ACKNOWLEDGEMENT if done else '',
                        'created_at': self.now})
        insert(T.Assignment, rows)
        self.log('training assignments', len(rows))

    # audit log --------------------------------------------------------------------
    def audit(self):
        from stintranet.auditlog import models as A
        rng = self.rng
        key = A.hmac_key()
        count = self.n(100000)
        names, weights = zip(*ACTIONS, strict=True)
        start = self.now - datetime.timedelta(days=3 * 365)
        step = (self.now - start) / count
        prev, rows = A.GENESIS, []
        emails = {u['id']: u['email'] for u in self.users}
        for seq in range(1, count + 1):
            actor = rng.choice(self.user_ids)
            action = rng.choices(names, weights)[0]
            object_type = rng.choice(OBJECT_TYPES)
            object_id = str(rng.randint(1, max(1, self.entry_count)))
            details = json.dumps({'fields': ['storage_location']} if action == 'read' else {},
                                 sort_keys=True)
            event = A.AuditEvent(seq=seq, at=(start + step * seq).replace(microsecond=0),
                                 actor_id=actor, actor_email=emails[actor], action=action,
                                 object_type=object_type, object_id=object_id,
                                 details=details, ip='10.1.%d.%d' % (actor // 250, actor % 250),
                                 prev_hash=prev, hash='')
            event.hash = prev = event.compute_hash(key)
            rows.append(event.__data__)
            if len(rows) == 5000:
                insert(A.AuditEvent, rows)
                rows = []
        insert(A.AuditEvent, rows)
        self.log('audit events', count)


def build(instance=DEFAULT_INSTANCE, scale=1.0, seed=SEED, verify=False, quiet=False):
    """Create ``instance`` afresh and fill it; return a summary dict."""
    started = time.monotonic()

    def log(what, count):
        if not quiet:
            print('  %-26s %8d  (%.1f s)' % (what, count, time.monotonic() - started),
                  flush=True)

    if os.path.exists(instance):
        shutil.rmtree(instance)
    os.makedirs(instance, mode=0o700)
    from stintranet import create_app
    from stintranet.db import database
    app = create_app({'INSTANCE_PATH': instance, 'DATABASE_URL': 'sqlite:///' + os.path.join(
        instance, 'stintranet.sqlite3'), 'STARTUP_CHECKS': False})
    made = app.test_cli_runner().invoke(args=['init-db'])  # the schema and the key files
    if made.exit_code:
        raise SystemExit(made.output)
    with app.app_context():
        rng = random.Random(seed)
        builder = Builder(scale, rng, log)
        with database.connection_context():
            # A throwaway build: no fsync per batch (the app's own pragmas apply when served).
            database.execute_sql('PRAGMA synchronous = OFF')
            for step in (builder.people, builder.ledger, builder.incidents,
                         builder.disclosure, builder.training, builder.audit):
                with database.atomic():
                    step()
            database.execute_sql('PRAGMA wal_checkpoint(TRUNCATE)')
        result = {'instance': instance, 'seconds': round(time.monotonic() - started, 1),
                  'scale': scale, 'password': PASSWORD}
        if verify:
            from stintranet.auditlog import verify as verify_chain
            with database.connection_context():
                outcome = verify_chain()
            result['audit_chain_ok'] = outcome.ok
            if not outcome.ok:
                raise SystemExit('audit chain broken: %s' % outcome.reason)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--instance', default=DEFAULT_INSTANCE)
    parser.add_argument('--scale', type=float, default=1.0,
                        help='fraction of the full size (0.01 for a quick smoke set)')
    parser.add_argument('--seed', type=int, default=SEED)
    parser.add_argument('--verify', action='store_true',
                        help='walk the audit chain afterwards, as `flask audit verify` does')
    args = parser.parse_args(argv)
    print('Building the benchmark data set in %s (scale %s)' % (args.instance, args.scale))
    result = build(args.instance, args.scale, args.seed, args.verify)
    print('Done in %.1f s%s' % (result['seconds'], '; audit chain verified'
                                if result.get('audit_chain_ok') else ''))


if __name__ == '__main__':
    main()
