"""PDF documents (issue 19): the time to make a 3-page letter, and every document in
Japanese and English, with its pages and size.

Builds the demo organisation in a temporary instance (``init-db``, ``seed-demo``, the
daily job's destruction of the old request, a 速報 filing recorded for the running
incident, a refusal letter long enough for three pages in each language), then asks the
app for each document as the demo account that may read it, once with the Japanese
interface and once with the English one (a letter follows the requester's language
whatever the interface). The 3-page letters are then made ``--runs`` more times, timing
the whole request (GET /requests/<id>/letter.pdf: the read of the identity, the Jinja
template, WeasyPrint, the kept copy sealed and stored, the audit rows).

    .venv/bin/python bench/pdf.py [--runs 10] [--out DIR] [--png DIR]

``--out`` keeps the PDFs; ``--png`` renders each page at 60 dpi with pdftoppm, named
``19-<document>-<language>-<page>.png``, for a look at every page.
"""
import argparse
import datetime
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import unquote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from pypdf import PdfReader  # noqa: E402

from stintranet import create_app  # noqa: E402
from stintranet import db as dbmod  # noqa: E402

PASSWORD = 'bench-Passphrase-2024!'
DOMAIN = 'st-group.example'
# The reason a long refusal letter gives, repeated until the letter runs to three pages.
LONG_REASON = {
    'ja': ('ご提出いただいた本人確認書類に記載のご住所が、当社に登録されているご住所と異なって'
           'いたため、ご本人からのご請求であることを確認できませんでした。'),
    'en': ('The address on the identity document you sent differs from the address we hold, '
           'so we could not confirm that the request comes from you. '),
}


def make_app(instance, locale, checks=True):
    return create_app({'INSTANCE_PATH': instance, 'DEFAULT_LOCALE': locale,
                       'STARTUP_CHECKS': checks,
                       'DATABASE_URL': 'sqlite:///%s' % os.path.join(instance,
                                                                    'stintranet.sqlite3'),
                       'SECRET_KEY': 'bench-pdf', 'WTF_CSRF_ENABLED': False,
                       'QUEUE_IMMEDIATE': True})


def prepare(instance):
    """The demo organisation and the few records the documents need; their ids."""
    app = make_app(instance, 'ja', checks=False)  # init-db makes the schema
    runner = app.test_cli_runner()
    for args in (['init-db'], ['seed-demo', '--password', PASSWORD]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    with app.app_context(), dbmod.database.connection_context():
        from stintranet.audits.models import Inspection
        from stintranet.auth.models import Department, User
        from stintranet.disclosure import catalogue as C
        from stintranet.disclosure import services as requests
        from stintranet.disclosure.models import DisclosureRequest
        from stintranet.incidents import services as incidents
        from stintranet.incidents.models import Incident
        from stintranet.ledger.models import LedgerEntry
        from stintranet.management.models import ManagementReview
        from stintranet.pledges.models import PledgeSignature
        from stintranet.timezone import today_local
        from stintranet.training.models import Assignment
        today = today_local()
        requests.destroy_due(today)
        cc = User.get(User.email == 'cc@' + DOMAIN)
        chair = User.get(User.email == 'chair@' + DOMAIN)
        running = (Incident.select().where(Incident.reportable & Incident.closed_at.is_null())
                   .order_by(Incident.id).first())
        incidents.record_reports(running, actor=chair, preliminary_sent_on=today)
        long_letters = {}
        for language, reason in LONG_REASON.items():
            req = requests.create_request(
                cc, received_on=today - datetime.timedelta(days=5),
                mail_number='1101-2233-9%03d' % len(long_letters), types=[C.DISCLOSURE],
                requested_method=C.PAPER,
                requester_name='山田 花子' if language == 'ja' else 'Hanako Yamada',
                requester_address='〒100-0005\n東京都千代田区丸の内1-2-3',
                proxy_kind=C.IN_PERSON, language=language,
                documents=[(C.APPLICATION_FORM, b'%PDF-1.4\n%%EOF\n', 'application/pdf',
                            'form.pdf')], today=today)
            requests.start_verification(req.id, cc, None)
            requests.refuse(req.id, cc, None, 'identity_not_confirmed', reason * 30, today,
                            today)
            long_letters[language] = req.id
        accepted = (DisclosureRequest.select()
                    .where((DisclosureRequest.decision == C.ACCEPTED)
                           & DisclosureRequest.destroyed_at.is_null())
                    .order_by(DisclosureRequest.language.desc(), DisclosureRequest.id))
        refused = (DisclosureRequest.select()
                   .where((DisclosureRequest.decision == C.REFUSAL)
                          & DisclosureRequest.destroyed_at.is_null())
                   .order_by(DisclosureRequest.id).first())
        destroyed = DisclosureRequest.select().where(
            DisclosureRequest.destroyed_at.is_null(False)).first()
        assignment = (Assignment.select().where(Assignment.completed_on.is_null(False))
                      .order_by(Assignment.id).first())
        signature = PledgeSignature.select().order_by(PledgeSignature.id).first()
        entry = (LedgerEntry.select().where(LedgerEntry.status == 'active')
                 .order_by(LedgerEntry.id).first())
        inspection = Inspection.select().order_by(Inspection.reported_at.desc(nulls='last'),
                                                  Inspection.id).first()
        review = ManagementReview.select().order_by(ManagementReview.id).first()
        closed = Incident.select().where(Incident.final_sent_on.is_null(False)).first()
        committee = 'committee@' + DOMAIN
        owner = User.get_by_id(assignment.user_id).email
        signer = User.get_by_id(signature.user_id).email
        sales = Department.get(Department.code == 'SALES').id
        accepted_ja = next(r.id for r in accepted if r.language == 'ja')
        accepted_en = next(r.id for r in accepted if r.language == 'en')
        documents = [
            ('letter-response-ja', 'cc@' + DOMAIN, '/requests/%d/letter.pdf' % accepted_ja),
            ('letter-response-en', 'cc@' + DOMAIN, '/requests/%d/letter.pdf' % accepted_en),
            ('letter-refusal-ja', 'cc@' + DOMAIN, '/requests/%d/letter.pdf' % refused.id),
            ('letter-3-pages-ja', 'cc@' + DOMAIN, '/requests/%d/letter.pdf'
             % long_letters['ja']),
            ('letter-3-pages-en', 'cc@' + DOMAIN, '/requests/%d/letter.pdf'
             % long_letters['en']),
            ('destruction', 'cc@' + DOMAIN, '/requests/%d/destruction.pdf' % destroyed.id),
            ('pack-preliminary-filed', committee, '/incidents/%d/ppc-report/preliminary.pdf'
             % running.id),
            ('pack-final-draft', committee, '/incidents/%d/ppc-report/final.pdf'
             % running.id),
            ('pack-final-closed', committee, '/incidents/%d/ppc-report/final.pdf'
             % closed.id),
            ('inspection', 'auditor@' + DOMAIN, '/audits/%d/report.pdf' % inspection.id),
            ('certificate', owner, '/training/assignments/%d/certificate.pdf'
             % assignment.id),
            ('pledge', signer, '/pledges/signatures/%d.pdf' % signature.id),
            ('ledger-entry', committee, '/ledger/%d/entry.pdf' % entry.id),
            ('ledger-register', committee, '/ledger/register/%d.pdf' % sales),
            ('management-review', committee, '/management-reviews/%d/review.pdf' % review.id),
        ]
    dbmod.close_all()
    return documents, long_letters


def client_for(app, email):
    client = app.test_client()
    response = client.post('/login', data={'email': email, 'password': PASSWORD})
    assert response.status_code == 302, (email, response.status_code)
    return client


def fetch(client, path):
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return response, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--out', help='keep the PDFs in this folder')
    parser.add_argument('--png', help='render every page to PNG (60 dpi) in this folder')
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix='stintranet-pdf-')
    os.chmod(instance, 0o700)
    try:
        documents, long_letters = prepare(instance)
        # ui: the interface's language; req: a letter, in the requester's language.
        print('%-24s %-4s %5s %8s %8s  %s' % ('document', 'ui', 'pages', 'KB', 'ms', 'file'))
        for locale in ('ja', 'en'):
            app = make_app(instance, locale)
            clients = {}
            for name, email, path in documents:
                if name.startswith('letter') and locale == 'en':
                    continue  # a letter follows the requester's language
                if email not in clients:
                    clients[email] = client_for(app, email)
                client = clients[email]
                response, elapsed = fetch(client, path)
                pages = len(PdfReader(io.BytesIO(response.data)).pages)
                disposition = response.headers['Content-Disposition']
                file_name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
                letter = name.startswith('letter')
                label = name if letter else '%s-%s' % (name, locale)
                print('%-24s %-4s %5d %8.1f %8.0f  %s' % (
                    name, 'req' if letter else locale, pages, len(response.data) / 1024,
                    elapsed * 1000, file_name))
                if args.out:
                    os.makedirs(args.out, exist_ok=True)
                    with open(os.path.join(args.out, label + '.pdf'), 'wb') as fh:
                        fh.write(response.data)
                if args.png:
                    os.makedirs(args.png, exist_ok=True)
                    with tempfile.NamedTemporaryFile(suffix='.pdf') as fh:
                        fh.write(response.data)
                        fh.flush()
                        subprocess.run(['pdftoppm', '-png', '-r', '60', fh.name,
                                        os.path.join(args.png, '19-' + label)],
                                       check=True)
            dbmod.close_all()
        app = make_app(instance, 'ja')
        client = client_for(app, 'cc@' + DOMAIN)
        for language, request_id in sorted(long_letters.items()):
            path = '/requests/%d/letter.pdf' % request_id
            response, _elapsed = fetch(client, path)  # warm: fonts loaded once
            pages = len(PdfReader(io.BytesIO(response.data)).pages)
            whole = [fetch(client, path)[1] for _run in range(args.runs)]
            print('\n3-page letter (%s): %d pages, %.1f KB; GET %s x %d: median %.0f ms, '
                  'max %.0f ms' % (language, pages, len(response.data) / 1024, path,
                                   args.runs, statistics.median(whole) * 1000,
                                   max(whole) * 1000))
        dbmod.close_all()
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == '__main__':
    main()
