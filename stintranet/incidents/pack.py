"""The PPC report pack: its content, live or as filed, and the copies of its PDFs.

The pack follows the items of the PPC's report form (別記様式第一). Its 速報 (preliminary)
and 確報 (final) versions show what was known at each filing: when the committee records a
report's filing date (``services.record_reports``), ``record_filings`` takes the pack's
facts into an ``IncidentFiling`` in the same transaction, and the pack of a filed stage is
made from those facts, so a later triage or text does not change what was filed. A stage
not filed yet is a draft made from the case as it stands. A filing recorded before these
records were kept has none: its pack is made from the case as it stands and says so.

Every PDF of the pack made is kept (encrypted with the key ring) and listed on the case.
"""
import datetime
import hashlib
import json
from types import SimpleNamespace

from peewee import DateField, DateTimeField

from .. import auditlog, pdf
from ..auth.models import Department
from ..corrective.models import CorrectiveAction
from ..db import database, utcnow
from .models import (
    FILED_ON_FIELD,
    PACK_STAGE_LABELS,
    Incident,
    IncidentFiling,
    IncidentLedgerLink,
    IncidentPackCopy,
)

# The incident's columns the pack shows, or decides reportability and the clocks from.
FIELDS = ('reference', 'kind', 'status', 'noticed_at', 'aware_at', 'aware_reason',
          'narrative', 'data_items', 'special_care', 'property_damage_risk',
          'wrongful_purpose', 'data_being_acquired', 'advanced_encryption', 'encryption_note',
          'key_leaked', 'persons_affected', 'reportable', 'preliminary_sent_on',
          'final_sent_on', 'notice_sent_on', 'notice_count', 'notice_method',
          'announcement_on', 'announcement_note', 'report_cause', 'report_secondary_damage',
          'report_recurrence', 'report_other')
# What of the incident the pack reads that is encrypted (for the audit log's read row).
ENCRYPTED_READ = ('narrative', 'report_cause', 'report_secondary_damage', 'report_recurrence',
                  'report_other')


def _plain(value):
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value


def facts_of(incident):
    """The pack's content now, as JSON-ready data (decrypts: the caller logs the read)."""
    links = IncidentLedgerLink.for_incident(incident)
    actions = CorrectiveAction.for_source('incident', incident.id)
    return {
        'fields': {name: _plain(getattr(incident, name)) for name in FIELDS},
        'department': {'code': incident.department.code, 'name': incident.department.name},
        'links': [{'reference': link.entry.reference, 'title': link.entry.title}
                  for link in links],
        'actions': [{'title': a.title, 'status': a.status, 'due_on': _plain(a.due_on)}
                    for a in actions],
    }


def _typed(name, value):
    field = Incident._meta.fields[name]
    if value is None:
        return None
    if isinstance(field, DateTimeField):
        return datetime.datetime.fromisoformat(value)
    if isinstance(field, DateField):
        return datetime.date.fromisoformat(value)
    return value


def _from_facts(facts):
    """(incident, links, actions) rebuilt from a filing's facts, never saved."""
    incident = Incident(**{name: _typed(name, value)
                           for name, value in facts['fields'].items()
                           if name in Incident._meta.fields})
    incident.department = Department(**facts['department'])
    links = [SimpleNamespace(entry=SimpleNamespace(**link)) for link in facts['links']]
    actions = [CorrectiveAction(title=a['title'], status=a['status'],
                                due_on=datetime.date.fromisoformat(a['due_on']))
               for a in facts['actions']]
    return incident, links, actions


def record_filings(incident, changes, actor):
    """Keep the pack of each report whose filing date ``changes`` set (inside the
    caller's transaction, after the incident was saved): a first date takes the facts, a
    corrected one keeps them, a cleared one removes the record."""
    filings = IncidentFiling.of_incident(incident.id)
    for stage, column in FILED_ON_FIELD.items():
        if column not in changes:
            continue
        filed_on = changes[column][1]
        filing = filings.get(stage)
        if filed_on is None:
            if filing is not None:
                filing.delete_instance()
        elif filing is None:
            IncidentFiling.create(incident=incident.id, stage=stage, filed_on=filed_on,
                                  recorded_at=utcnow(), recorded_by=actor,
                                  facts=json.dumps(facts_of(incident), ensure_ascii=False))
        elif filing.filed_on != filed_on:
            filing.filed_on = filed_on
            filing.save()


def context(incident, stage=None, now=None):
    """What the pack template shows: the case as it stands (``stage`` None), or the 速報
    or 確報 version, as filed when its filing was recorded."""
    filing = IncidentFiling.of_incident(incident.id).get(stage) if stage else None
    if filing is not None:
        shown, links, actions = _from_facts(json.loads(filing.facts))
        shown.id = incident.id
        made = filing.recorded_at
    else:
        shown = incident
        links = IncidentLedgerLink.for_incident(incident)
        actions = CorrectiveAction.for_source('incident', incident.id)
        made = now or utcnow()
    filed_on = getattr(incident, FILED_ON_FIELD[stage]) if stage else None
    return {
        'incident': shown, 'assessment': shown.assessment(), 'deadlines': shown.deadlines(),
        'links': links, 'actions': actions, 'now': made,
        'stage': stage, 'stage_label': PACK_STAGE_LABELS.get(stage), 'filing': filing,
        'filed_on': filed_on, 'reconstructed': bool(filed_on) and filing is None,
    }


def document_date(ctx, today):
    """The date a pack carries: its filing date, else the day it is made."""
    return ctx['filed_on'] or today


def keep_copy(incident, actor, stage, rendered, name, locale, filed):
    """Keep the PDF of a pack as it was made (encrypted) and log the making."""
    with database.atomic():
        copy = IncidentPackCopy.create(
            incident=incident.id, stage=stage, filed=filed, locale=str(locale)[:8],
            file_name=name.name[:200], pages=rendered.pages, size=len(rendered.data),
            sha256=hashlib.sha256(rendered.data).hexdigest(), content=rendered.data,
            made_by=actor, made_at=utcnow())
        pdf.log('ppc_report_pack', rendered, name, obj=incident, locale=locale,
                details={'stage': stage, 'filed': filed, 'copy': copy.id})
    return copy


def read_copy(incident, copy_id, actor):
    """A kept copy of the case's pack (with its content), the read audit-logged; None when
    there is no such copy."""
    copy = IncidentPackCopy.get_or_none((IncidentPackCopy.id == copy_id)
                                        & (IncidentPackCopy.incident == incident.id))
    if copy is None:
        return None
    data = copy.content
    with database.atomic():
        auditlog.record('read', copy, actor=actor, details={
            'incident': incident.id, 'stage': copy.stage, 'fields': ['content']})
    return copy, data
