"""Audit findings as a source of corrective actions.

Any auditor from another department raises and re-plans a finding's actions
and checks their effectiveness; the managers of the department concerned see
them and move them forward (start, done with evidence) besides their owners;
the committee reads them.
"""
from flask import url_for

from ..auth import roles as R
from ..corrective import sources
from . import services
from .models import SOURCE_TYPE, Finding, Inspection, own_department_ids


class FindingSource(sources.Source):
    type = SOURCE_TYPE
    label = 'Audit finding'

    def _finding(self, source_id):
        return Finding.get_or_none(Finding.id == source_id)

    def exists(self, source_id):
        return self._finding(source_id) is not None

    def can_read(self, user, source_id):
        finding = self._finding(source_id)
        return finding is not None and (user.reads_all_departments()
                                        or user.manages(finding.department_id))

    def can_manage(self, user, source_id):
        finding = self._finding(source_id)
        return finding is not None and services.may_follow_up(user, finding)

    def can_update(self, user, source_id):
        finding = self._finding(source_id)
        return finding is not None and (user.manages(finding.department_id)
                                        or services.may_follow_up(user, finding))

    def can_verify(self, user, source_id):
        finding = self._finding(source_id)
        return (finding is not None and user.has_role(R.AUDITOR)
                and services.may_follow_up(user, finding))

    def verifiable_ids(self, user):
        if not user.has_role(R.AUDITOR):
            return None
        return Finding.select(Finding.id).where(
            Finding.department.not_in(sorted(own_department_ids(user))))

    def is_open(self, source_id):
        finding = self._finding(source_id)
        if finding is None or finding.closed_at is not None:
            return False
        inspection = Inspection.get_by_id(finding.inspection_id)
        return inspection.status in ('in_progress', 'reported')

    def title(self, source_id):
        finding = (Finding.select(Finding, Inspection)
                   .join(Inspection, on=(Finding.inspection == Inspection.id))
                   .where(Finding.id == source_id).first())
        if finding is None:
            return 'Audit finding #%s' % source_id
        return '%s: %s' % (finding.reference_in(finding.inspection), finding.title)

    def references(self, source_ids):
        findings = (Finding.select(Finding.id, Finding.number, Inspection)
                    .join(Inspection, on=(Finding.inspection == Inspection.id))
                    .where(Finding.id.in_(list(source_ids))))
        return {f.id: f.reference_in(f.inspection) for f in findings}

    def url(self, source_id):
        return url_for('audits.finding', finding_id=source_id)

    def on_change(self, action, what, actor):
        finding = self._finding(action.source_id)
        if finding is not None:
            services.refresh_finding(finding, actor, action=action, what=what)


sources.register(FindingSource())
