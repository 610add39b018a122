"""Management-review decisions as a source of corrective actions.

The committee raises, re-plans and checks the actions a decision of the top management
calls for (their owners move them forward); the auditors read them. Actions are added
while the review is open; once it is closed they go on at /corrective-actions/.
"""
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..auth import roles as R
from ..corrective import sources
from . import catalogue as C
from .models import SOURCE_TYPE, ManagementReview, ReviewDecision


class ReviewDecisionSource(sources.Source):
    type = SOURCE_TYPE
    label = _l('Management review')

    def _decision(self, source_id):
        return (ReviewDecision.select(ReviewDecision, ManagementReview)
                .join(ManagementReview, on=(ReviewDecision.review == ManagementReview.id))
                .where(ReviewDecision.id == source_id).first())

    def exists(self, source_id):
        return self._decision(source_id) is not None

    def can_read(self, user, source_id):
        return user.has_role(R.COMMITTEE, R.AUDITOR)

    def can_manage(self, user, source_id):
        return user.has_role(R.COMMITTEE)

    def can_verify(self, user, source_id):
        return user.has_role(R.COMMITTEE)

    def verifiable_ids(self, user):
        return ReviewDecision.select(ReviewDecision.id) if user.has_role(R.COMMITTEE) else None

    def is_open(self, source_id):
        decision = self._decision(source_id)
        return decision is not None and decision.review.status in C.OPEN_STATUSES

    def title(self, source_id):
        decision = self._decision(source_id)
        if decision is None:
            return '%s #%s' % (self.label, source_id)
        return '%s: %s' % (decision.review.reference, decision.area_label)

    def url(self, source_id):
        decision = self._decision(source_id)
        if decision is None:
            return url_for('management.index')
        return url_for('management.review', review_id=decision.review_id) \
            + '#management-area-%s' % decision.area


sources.register(ReviewDecisionSource())
