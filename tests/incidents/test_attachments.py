"""Attachments: checked by content, size-limited, encrypted, downloaded by readers only."""
import io

import pytest

from stintranet import db as dbmod
from stintranet.auditlog.models import AuditEvent
from stintranet.incidents.models import IncidentAttachment, IncidentEvent
from tests import factories
from tests.incidents.factories import JPEG, PDF, PNG, make_incident


@pytest.fixture
def app_config():
    return {'INCIDENT_ATTACHMENT_MAX_BYTES': 4096}


def upload(client, incident, data, name):
    return client.post('/incidents/%d/attachments' % incident.id,
                       data={'file': (io.BytesIO(data), name)},
                       content_type='multipart/form-data')


@pytest.mark.parametrize('data, name, mime', [
    (PDF, 'report.pdf', 'application/pdf'),
    (PNG, 'screenshot.png', 'image/png'),
    (JPEG, 'photo.jpeg', 'image/jpeg'),
])
def test_accepted_files_are_stored_encrypted(client, login_as, data, name, mime):
    """Are PDF, PNG and JPEG accepted, typed by content and encrypted at rest?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident()
    assert upload(client, incident, data, name).status_code == 303
    attachment = IncidentAttachment.get()
    assert attachment.media_type == mime and attachment.size == len(data)
    raw = dbmod.database.execute_sql('SELECT content, filename FROM incident_attachment').fetchone()
    assert bytes(raw[0]) != data and name.encode() not in bytes(raw[1])
    assert IncidentEvent.select().where(IncidentEvent.kind == 'attachment').count() == 1


@pytest.mark.parametrize('data, name, message', [
    (b'MZ\x90\x00 this is a program', 'invoice.pdf', 'Only PDF, PNG and JPEG'),
    (b'<html><script>alert(1)</script></html>', 'photo.png', 'Only PDF, PNG and JPEG'),
    (b'%PDF-1.4 but cut off', 'cut.pdf', 'Only PDF, PNG and JPEG'),
    (PDF[:-7] + b'x' * 5000 + b'\n%%EOF\n', 'big.pdf', 'larger than'),
    (b'', 'empty.pdf', 'The file is empty'),
])
def test_disguised_oversized_or_empty_files_are_refused(client, login_as, data, name, message):
    """Is a disguised, oversized or empty file refused with 422 and a clear message?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident()
    response = upload(client, incident, data, name)
    assert response.status_code == 422
    assert message in response.text
    assert IncidentAttachment.select().count() == 0


def test_missing_file_is_422(client, login_as):
    """Is sending the form without a file answered with a message?"""
    login_as('employee', 'committee', department='LEGAL')
    incident = make_incident()
    response = client.post('/incidents/%d/attachments' % incident.id, data={},
                           content_type='multipart/form-data')
    assert response.status_code == 422 and 'Choose a file' in response.text


def test_download_is_an_attachment_for_readers_only(client, login_as):
    """Is a file served as a download to readers, logged, and 404 to anyone else?"""
    reporter = factories.make_user(department='SALES')
    incident = make_incident(reporter)
    member = login_as('employee', 'committee', department='LEGAL')
    upload(client, incident, PDF, 'evidence.pdf')
    attachment = IncidentAttachment.get()
    url = '/incidents/%d/attachments/%d' % (incident.id, attachment.id)
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers['Content-Disposition'].startswith('attachment;')
    assert response.mimetype == 'application/pdf'
    assert AuditEvent.select().where((AuditEvent.action == 'download')
                                     & (AuditEvent.actor_id == member.id)).count() == 1
    client.post('/logout')
    login_as('employee', department='HR')
    assert client.get(url).status_code == 404
    client.post('/logout')
    # The reporter follows the case but does not get the committee's files.
    client.post('/login', data={'email': reporter.email, 'password': factories.PASSWORD})
    assert client.get(url).status_code == 404
    assert 'evidence.pdf' not in client.get('/incidents/%d' % incident.id).text


def test_reporter_attaches_and_downloads_their_own_file(client):
    """Can the reporter attach a photo and get it back?"""
    reporter = factories.make_user()
    incident = make_incident(reporter)
    client.post('/login', data={'email': reporter.email, 'password': factories.PASSWORD})
    assert upload(client, incident, PNG, 'desk.png').status_code == 303
    attachment = IncidentAttachment.get()
    assert attachment.by_reporter and attachment.uploaded_by_id is None
    assert client.get('/incidents/%d/attachments/%d' % (incident.id, attachment.id)).data == PNG


def test_auditor_may_not_attach(client, login_as):
    """Are the read-only auditors refused when they try to attach?"""
    incident = make_incident()
    login_as('employee', 'auditor', department='AUDIT')
    assert upload(client, incident, PDF, 'x.pdf').status_code == 403
