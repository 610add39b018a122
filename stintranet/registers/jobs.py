"""The registers' part of the daily job: expired third-party provision records, approved
carry-outs going out on their day, notices of a change of purpose taking effect, and
reminders of agreements, supervision checks and carry-outs not returned."""
from flask_babel import lazy_gettext as _l

from ..auth import roles as R
from ..jobs import task
from ..languages import lazy_date
from ..notifications.recipients import holders, managers_by_department
from ..notifications.services import notify
from . import services
from .models import Asset, CarryOut, Contractor


@task('provision-records-purge')
def purge_provision_records(today):
    """Records past their keep-until date are deleted, each leaving an audit-log row."""
    return '%d expired provision records deleted' % services.delete_expired_provisions(today)


@task('carry-outs', before=('registers-reminders', 'mail-delivery'))
def carry_outs(today):
    """Approved carry-outs go out on their day (the daily job is the one place that
    moves them: the change is made once, by the system, audit-logged, whoever looks at
    the asset, and a page view stays a read). A request left with no manager who may
    decide on it goes to the committee."""
    started = services.start_carry_outs(today)
    moved = services.reroute_without_manager()
    return '%d carry-outs out, %d requests sent to the committee' % (started, moved)


@task('purpose-changes', before=('mail-delivery',))
def purpose_changes(today):
    """Notices of a change of purpose take effect on their day: the ledger entry's purposes
    change, with a revision; withdrawn notices never do."""
    applied, skipped = services.apply_due_purpose_changes(today)
    summary = '%d notices took effect' % applied
    if skipped:
        summary += ', %d wait (their entries are retired)' % skipped
    return summary


@task('registers-reminders', before=('mail-delivery',))
def registers_reminders(today):
    """The committee hears once of an agreement expiring within 30 days, once when it
    has expired and once of an overdue supervision check; the asset's department
    managers hear once of a carry-out not returned in time."""
    conditions = Contractor.flag_conditions(today)
    expiring = list(Contractor.select().where(conditions['expiring'] | conditions['expired'])
                    .order_by(Contractor.id))
    overdue = list(Contractor.select().where(conditions['overdue']).order_by(Contractor.id))
    late = list(CarryOut.select(CarryOut, Asset.id, Asset.tag, Asset.department)
                .join(Asset, on=(CarryOut.asset == Asset.id))
                .where((CarryOut.status == 'out') & (CarryOut.expected_return_on < today))
                .order_by(CarryOut.id))
    committee = holders(R.COMMITTEE) if expiring or overdue else []
    managers = managers_by_department(c.asset.department_id for c in late)
    sent = 0
    for contractor in expiring:
        expires_on = contractor.agreement_expires_on
        expired = expires_on < today
        key = 'registers:agreement:%d:%s:%s' % (contractor.id, expires_on,
                                                'expired' if expired else 'expiring')
        subject = (_l('The confidentiality agreement of %(ref)s expired on %(day)s',
                      ref=contractor.reference, day=lazy_date(expires_on))
                   if expired else
                   _l('The confidentiality agreement of %(ref)s expires on %(day)s',
                      ref=contractor.reference, day=lazy_date(expires_on)))
        sent += len(notify(committee, key, subject,
                           link='/registers/contractors/%d' % contractor.id))
    for contractor in overdue:
        key = 'registers:check:%d:%s' % (contractor.id, contractor.next_check_due)
        sent += len(notify(committee, key, _l(
            'The supervision check of %(ref)s was due on %(day)s', ref=contractor.reference,
            day=lazy_date(contractor.next_check_due)),
            link='/registers/contractors/%d' % contractor.id))
    for carry_out in late:
        asset = carry_out.asset
        sent += len(notify(managers.get(asset.department_id, []),
                           'registers:return:%d' % carry_out.id,
                           _l('%(tag)s was due back on %(day)s', tag=asset.tag,
                              day=lazy_date(carry_out.expected_return_on)),
                           link='/registers/assets/%d' % asset.id))
    return '%d notifications' % sent
