"""Incident test data: ``make_incident`` files a report through the service."""
import datetime

from stintranet.corrective.models import CorrectiveAction
from stintranet.db import utcnow
from stintranet.incidents import services
from stintranet.incidents.models import Incident
from stintranet.ledger.models import LedgerEntry, LedgerEntryItem
from stintranet.timezone import today_local
from tests import factories

PDF = (b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n'
       b'%%EOF\n')
PNG = (b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02'
       b'\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00'
       b'\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82')
JPEG = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9'


def make_incident(reporter=None, *, narrative='A customer list was e-mailed to the wrong '
                  'address.', kind='leak', noticed_ago=datetime.timedelta(hours=1),
                  estimated_persons=None, name_shown=True, entry=None, department='SALES',
                  **fields):
    """A reported incident; ``fields`` are then set directly (status, facts, dates...)."""
    reporter = reporter or factories.make_user(department=department)
    incident = services.report(reporter, narrative=narrative,
                               noticed_at=utcnow() - noticed_ago, kind=kind,
                               estimated_persons=estimated_persons, name_shown=name_shown,
                               entry=entry)
    if fields:
        incident = Incident.get_by_id(incident.id)
        for name, value in fields.items():
            setattr(incident, name, value)
        incident.reportable = incident.assessment().reportable
        incident.save()
    return Incident.get_by_id(incident.id)


def make_entry(department='SALES', title='Customer list of the web shop', items=(),
               special_care=False, person_band=None, person_estimate=None, status='active'):
    """A ledger entry with free items of personal data."""
    dept = factories.make_department(department)
    entry = LedgerEntry(department=dept, title=title, special_care=special_care,
                        person_band=person_band, person_estimate=person_estimate,
                        status=status)
    entry.save()
    for label in items:
        LedgerEntryItem.create(entry=entry, label=label)
    return entry


def make_action(incident, owner, *, title='Encrypt the USB drives', due_in_days=10,
                status='open', created_by=None):
    return CorrectiveAction.create(
        source_type='incident', source_id=incident.id, title=title, owner=owner,
        due_on=today_local() + datetime.timedelta(days=due_in_days), status=status,
        created_by=created_by)
