"""CSV import of completions: a checked preview, then all rows or none."""
import datetime
import io
from zoneinfo import ZoneInfo

from stintranet.admin import services as admin_services
from stintranet.auditlog.models import AuditEvent
from stintranet.db import database, utcnow
from stintranet.training import importer
from stintranet.training.models import COMPLETED, OPEN, Assignment, TrainingImport
from tests import factories
from tests.training.factories import current, make_course, make_quiz_course

TODAY = datetime.datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the office day (config TIMEZONE)


def upload(client, text, name='completions.csv', encoding='utf-8'):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post('/training/imports/new',
                       data={'file': (io.BytesIO(data), name)},
                       content_type='multipart/form-data')


def setup_people():
    alice = factories.make_user(email='alice@st-group.example', name='Alice')
    bob = factories.make_user(email='bob@st-group.example', name='Bob')
    basics = make_quiz_course(code='PI-BASICS', today=TODAY)
    media = make_course(code='MEDIA', today=TODAY)
    return alice, bob, basics, media


def good_csv(day=None):
    day = (day or TODAY).isoformat()
    return ('email,course_code,completed_on,score\n'
            'alice@st-group.example,PI-BASICS,%s,80\n'
            'BOB@st-group.example,pi-basics,%s,100\n'
            'alice@st-group.example,MEDIA,%s,\n' % (day, day, day))


def test_valid_file_previews_then_imports_every_row(client, login_as):
    """Does a clean file show a preview and, once confirmed, complete every row?"""
    alice, bob, basics, media = setup_people()
    login_as('committee', department='LEGAL')
    response = upload(client, good_csv())
    assert response.status_code == 303
    stored = TrainingImport.get()
    assert stored.status == 'pending' and stored.row_count == 3
    preview = client.get(response.headers['Location'])
    assert preview.status_code == 200
    assert 'Import all 3 rows' in preview.text
    assert current(basics, alice).status == OPEN  # nothing applied yet
    assert AuditEvent.select().where(AuditEvent.action == 'read').count() == 1

    applied = client.post('/training/imports/%d/apply' % stored.id)
    assert applied.status_code == 303
    for user, course, score in ((alice, basics, 80), (bob, basics, 100), (alice, media, None)):
        done = current(course, user)
        assert done.status == COMPLETED and done.completion_source == 'import'
        assert done.completed_on == TODAY and done.score == score
        assert done.source_import_id == stored.id
    stored = TrainingImport.get_by_id(stored.id)
    assert stored.status == 'applied' and stored.content is None
    event = AuditEvent.select().where(AuditEvent.action == 'import').get()
    assert event.details_dict['rows'] == 3 and 'alice@' not in event.details


def test_upload_is_sealed_at_rest(client, login_as):
    """Is the kept upload encrypted in the database, not stored as plain CSV?"""
    setup_people()
    login_as('committee', department='LEGAL')
    upload(client, good_csv())
    raw = database.execute_sql('SELECT content FROM training_import').fetchone()[0]
    assert b'alice@st-group.example' not in bytes(raw)


def test_errors_are_listed_for_every_row_and_nothing_is_kept(client, login_as):
    """Does a file with unknown e-mails and courses list every row's error, 422, with nothing saved?"""
    alice, bob, basics, media = setup_people()
    login_as('committee', department='LEGAL')
    text = ('email,course_code,completed_on,score\n'
            'nobody@st-group.example,PI-BASICS,%(d)s,90\n'
            'alice@st-group.example,NO-SUCH,%(d)s,90\n'
            'alice@st-group.example,PI-BASICS,%(d)s,60\n'
            'bob@st-group.example,PI-BASICS,2999-01-01,90\n'
            'bob@st-group.example,MEDIA,01/02/2026,abc\n'
            'alice@st-group.example,MEDIA,%(d)s,\n'
            'alice@st-group.example,MEDIA,%(d)s,\n' % {'d': TODAY.isoformat()})
    response = upload(client, text)
    assert response.status_code == 422
    page = response.text
    assert 'No account has the e-mail nobody@st-group.example' in page
    assert 'No course has the code NO-SUCH' in page
    assert 'below the pass mark of 75 %' in page
    assert 'is in the future' in page
    assert 'is not a date like 2026-04-01' in page
    assert 'is not a whole number from 0 to 100' in page
    assert 'Row 7 has the same person and course' in page
    assert '6 rows have errors: nothing was imported' in page
    assert TrainingImport.select().count() == 0
    assert Assignment.select().where(Assignment.status == COMPLETED).count() == 0


def test_file_problems_are_422(client, login_as):
    """Are an empty file, a wrong header and a missing file refused with a clear message?"""
    login_as('committee', department='LEGAL')
    empty = upload(client, '')
    assert empty.status_code == 422 and 'The file is empty' in empty.text
    header = upload(client, 'mail,course\nx,y\n')
    assert header.status_code == 422 and 'missing: completed_on, score' in header.text
    nothing = client.post('/training/imports/new', data={},
                          content_type='multipart/form-data')
    assert nothing.status_code == 422 and 'Choose a CSV or XLSX file' in nothing.text
    binary = upload(client, b'\x00\xff\xfe\x81\x00garbage')
    assert binary.status_code == 422


def test_excel_japanese_csv_is_read(client, login_as):
    """Is a Shift_JIS (cp932) file from Excel with Japanese headers' neighbours read?"""
    setup_people()
    login_as('committee', department='LEGAL')
    text = ('Employee Email,Course Code,Completed Date,Score,備考\n'
            'alice@st-group.example,MEDIA,%s,,受講済み\n' % TODAY.strftime('%Y/%m/%d'))
    response = upload(client, text, encoding='cp932')
    assert response.status_code == 303, response.text


def test_something_changed_since_the_preview_imports_nothing(client, login_as):
    """If an account is deactivated between preview and confirmation, is nothing imported (409)?"""
    alice, bob, basics, media = setup_people()
    login_as('committee', department='LEGAL')
    response = upload(client, good_csv())
    stored = TrainingImport.get()
    admin_services.set_active(bob, False, None)
    applied = client.post('/training/imports/%d/apply' % stored.id)
    assert applied.status_code == 409
    assert 'nothing was imported' in applied.text
    assert 'The account BOB@st-group.example is deactivated' in applied.text
    assert Assignment.select().where(Assignment.status == COMPLETED).count() == 0
    assert TrainingImport.get_by_id(stored.id).status == 'pending'
    assert response.status_code == 303


def test_import_twice_is_409(client, login_as):
    """Is confirming the same upload a second time refused?"""
    setup_people()
    login_as('committee', department='LEGAL')
    upload(client, good_csv())
    stored = TrainingImport.get()
    assert client.post('/training/imports/%d/apply' % stored.id).status_code == 303
    again = client.post('/training/imports/%d/apply' % stored.id)
    assert again.status_code == 409
    assert 'imported already' in again.text
    same_file = upload(client, good_csv())
    assert same_file.status_code == 422
    assert 'completed PI-BASICS already' in same_file.text


def test_expired_preview_is_409(client, login_as):
    """Is an upload confirmed after its hour refused, and erased by the daily job?"""
    setup_people()
    login_as('committee', department='LEGAL')
    upload(client, good_csv())
    stored = TrainingImport.get()
    stored.expires_at = utcnow() - datetime.timedelta(minutes=1)
    stored.save()
    response = client.post('/training/imports/%d/apply' % stored.id)
    assert response.status_code == 409 and 'expired' in response.text
    assert importer.purge_expired() == 1
    stored = TrainingImport.get_by_id(stored.id)
    assert stored.status == 'expired' and stored.content is None


def test_only_the_uploader_sees_the_upload(client, login_as):
    """Is another committee member's upload a 404 for preview, apply and discard?"""
    setup_people()
    uploader = factories.make_user(roles=('committee',), department='LEGAL')
    content = good_csv().encode()
    stored = importer.store(content, 'x.csv', uploader, 3)
    login_as('committee', department='LEGAL')
    assert client.get('/training/imports/%d' % stored.id).status_code == 404
    assert client.post('/training/imports/%d/apply' % stored.id).status_code == 404
    assert client.post('/training/imports/%d/discard' % stored.id).status_code == 404
    assert TrainingImport.get_by_id(stored.id).status == 'pending'


def test_discard_keeps_nothing(client, login_as):
    """Does discarding erase the upload and import nothing?"""
    setup_people()
    login_as('committee', department='LEGAL')
    upload(client, good_csv())
    stored = TrainingImport.get()
    assert client.post('/training/imports/%d/discard' % stored.id).status_code == 303
    stored = TrainingImport.get_by_id(stored.id)
    assert stored.status == 'discarded' and stored.content is None
    assert client.post('/training/imports/%d/apply' % stored.id).status_code == 409


def test_member_without_assignment_yet_is_assigned_and_completed(client, login_as):
    """Is someone in the audience whose assignment the job has not made yet assigned and completed?"""
    setup_people()
    newcomer = factories.make_user(email='new@st-group.example')
    login_as('committee', department='LEGAL')
    text = 'email,course_code,completed_on,score\nnew@st-group.example,MEDIA,%s,\n' % (
        TODAY.isoformat())
    response = upload(client, text)
    assert response.status_code == 303
    assert 'will be assigned, then completed' in client.get(response.headers['Location']).text
    stored = TrainingImport.get()
    assert client.post('/training/imports/%d/apply' % stored.id).status_code == 303
    media = Assignment.get(Assignment.user == newcomer.id)
    assert media.status == COMPLETED


def test_person_outside_the_audience_is_an_error(client, login_as):
    """Is a completion for someone outside the course's audience refused?"""
    factories.make_user(email='hr@st-group.example', department='HR')
    make_course(code='SALES-ONLY', audience='departments', departments=('SALES',), today=TODAY)
    login_as('committee', department='LEGAL')
    response = upload(client, 'email,course_code,completed_on,score\n'
                              'hr@st-group.example,SALES-ONLY,%s,\n' % TODAY.isoformat())
    assert response.status_code == 422
    assert 'is not in the audience of SALES-ONLY' in response.text


def test_only_the_committee_imports(client, login_as):
    """Are managers and employees refused the import pages?"""
    login_as('employee', 'manager')
    assert client.get('/training/imports/new').status_code == 403
    assert upload(client, good_csv()).status_code == 403
