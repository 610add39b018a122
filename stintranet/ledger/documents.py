"""/ledger/: the ledger as PDFs (stintranet/pdf.py), in the person's language.

- One entry, as its print view lays it out (every field, the approval boxes).
- A department's register (個人情報管理台帳): its entries in force (draft and active;
  retired ones are left out), one row per entry on landscape A4, with its print view.
  The departments a person may read are listed at /ledger/register/.

Reading the encrypted fields is audit-logged as on the entry page; every PDF is an
'export' row naming the entries and the encrypted fields it holds.
"""
from flask import render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import fn

from .. import auditlog, pdf, refusals
from ..auth.decorators import roles_required
from ..auth.models import Department
from ..db import database
from ..timezone import today_local
from . import READERS, bp, display, services
from . import catalogue as C
from .models import FIELD_LABELS, FIELDS, LedgerEntry, LedgerReview
from .views import get_entry_or_404, shown_fields

ENTRY_TITLE = _l('Ledger entry')
REGISTER_TITLE = _l('Personal information management ledger')

# The register's columns: (key, heading); their widths are in ledger-register.css.
REGISTER_COLUMNS = (
    ('reference', _l('No.')),
    ('title', FIELD_LABELS['title']),
    ('category', _l('Category')),
    ('items', FIELD_LABELS['items']),
    ('purposes', FIELD_LABELS['purposes']),
    ('acquisition', FIELD_LABELS['acquisition_route']),
    ('persons', FIELD_LABELS['person_band']),
    ('medium', FIELD_LABELS['medium']),
    ('storage_location', FIELD_LABELS['storage_location']),
    ('storage_country', FIELD_LABELS['storage_country']),
    ('access_persons', FIELD_LABELS['access_persons']),
    ('periods', _l('Use / retention period')),
    ('disposal', FIELD_LABELS['disposal_methods']),
    ('outsourcing', _l('Outsourcing / provision')),
    ('responsible', FIELD_LABELS['responsible']),
    ('review', _l('Status / next review')),
)
# The encrypted fields the register shows.
REGISTER_ENCRYPTED = ('storage_location', 'access_persons')


@bp.route('/<int:entry_id>/entry.pdf')
@roles_required(*READERS)
def entry_pdf(entry_id):
    """One entry as a PDF, as the print view shows it (the read of its encrypted fields
    is logged)."""
    entry = get_entry_or_404(entry_id)
    LedgerEntry.attach_items([entry])
    fields = shown_fields(entry)
    services.record_read(entry, fields, context='pdf')
    today = today_local()
    return pdf.download('ledger/print.html', report='ledger_entry', reference=entry.reference,
                        title=ENTRY_TITLE, day=today, obj=entry,
                        details={'version': entry.version, 'fields': fields},
                        entry=entry, fields=FIELDS, today=today,
                        reviews=list(LedgerReview.for_entry(entry.id).limit(3)))


def _yes_no(value):
    return display.value('outsourced', bool(value))


def register_row(entry):
    """{column key: text} of an entry in the register (decrypts)."""
    items = [str(C.item_label(code)) for code in entry.item_codes] + entry.free_items
    periods = ' / '.join(display.months(getattr(entry, name)) or '—'
                         for name in ('use_period_months', 'retention_period_months'))
    person = entry.responsible if entry.responsible_id else None
    return {
        'reference': entry.reference,
        'title': entry.title,
        'category': display.value('category', entry.category),
        'items': ', '.join(items),
        'special_care': entry.special_care,
        'purposes': entry.purposes or '',
        'acquisition': ' — '.join(text for text in (
            display.value('acquisition_route', entry.acquisition_route),
            entry.acquisition_method or '') if text),
        'persons': display.value('person_band', entry.person_band),
        'medium': display.value('medium', entry.medium),
        'storage_location': entry.storage_location or '',
        'storage_country': (C.country_name(entry.storage_country, get_locale() or 'en')
                            if entry.storage_country else ''),
        'access_persons': entry.access_persons or '',
        'periods': periods,
        'disposal': display.value('disposal_methods', entry.disposal_methods),
        'outsourcing': '%s / %s' % (_yes_no(entry.outsourced),
                                    _yes_no(entry.third_party_provision)),
        'responsible': person.name if person else '',
        'status': str(entry.status_label),
        'next_review': entry.next_review_due.isoformat() if entry.next_review_due else '—',
    }


def department_or_404(department_id):
    """A department whose ledger the person may read; another is a 404, recorded."""
    department = (Department.visible_to(current_user)
                  .where(Department.id == department_id).first())
    if department is None:
        refusals.not_found(Department, department_id)
    return department


def register_context(department):
    """The register of ``department``: its entries in force, oldest number first, with
    their items (three queries whatever their number)."""
    query = (LedgerEntry.visible_with_responsible(current_user)
             .where((LedgerEntry.department == department.id)
                    & (LedgerEntry.status != 'retired'))
             .order_by(LedgerEntry.id))
    entries = LedgerEntry.attach_items(list(query), query=query)
    return {'department': department, 'entries': entries,
            'rows': [register_row(entry) for entry in entries],
            'columns': REGISTER_COLUMNS, 'today': today_local()}


def _register_details(context):
    return {'department': context['department'].code,
            'entries': [entry.id for entry in context['entries']],
            'fields': list(REGISTER_ENCRYPTED)}


@bp.route('/register/')
@roles_required(*READERS)
def registers():
    """The departments whose register the person may print, with their entries in force."""
    counts = dict(LedgerEntry.visible_to(current_user)
                  .select(LedgerEntry.department, fn.COUNT(LedgerEntry.id))
                  .where(LedgerEntry.status != 'retired')
                  .group_by(LedgerEntry.department).tuples())
    departments = [(d, counts.get(d.id, 0)) for d in Department.visible_to(current_user)]
    return render_template('ledger/registers.html', departments=departments)


@bp.route('/register/<int:department_id>')
@roles_required(*READERS)
def register(department_id):
    """A department's register laid out for landscape A4 (the read is logged)."""
    context = register_context(department_or_404(department_id))
    with database.atomic():
        auditlog.record('read', context['department'],
                        details=dict(_register_details(context), view='register'))
    return render_template('ledger/register.html', **context)


@bp.route('/register/<int:department_id>.pdf')
@roles_required(*READERS)
def register_pdf(department_id):
    """A department's register as a PDF, landscape A4, one row per entry."""
    context = register_context(department_or_404(department_id))
    return pdf.download('ledger/register.html', report='ledger_register',
                        reference=context['department'].code, title=REGISTER_TITLE,
                        day=context['today'], obj=context['department'],
                        details=_register_details(context), **context)
