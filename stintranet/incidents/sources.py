"""Incidents as a source of corrective actions."""
from flask import url_for

from ..auth import roles as R
from ..corrective import sources
from . import services
from .models import Incident, IncidentEvent

ACTION_WORDS = {
    'create': 'added', 'update': 're-planned', 'start': 'started', 'complete': 'done',
    'verify': 'verified effective', 'reject': 'found not effective',
}


class IncidentSource(sources.Source):
    type = 'incident'
    label = 'Incident'

    def _incident(self, source_id):
        return Incident.get_or_none(Incident.id == source_id)

    def exists(self, source_id):
        return self._incident(source_id) is not None

    def can_read(self, user, source_id):
        incident = Incident.visible_to(user).where(Incident.id == source_id).first()
        return incident is not None and services.is_reviewer(user, incident)

    def can_manage(self, user, source_id):
        return user.has_role(R.COMMITTEE)

    def can_verify(self, user, source_id):
        return user.has_role(R.COMMITTEE)

    def verifiable_ids(self, user):
        return Incident.select(Incident.id) if user.has_role(R.COMMITTEE) else None

    def is_open(self, source_id):
        incident = self._incident(source_id)
        return incident is not None and incident.is_open

    def title(self, source_id):
        incident = self._incident(source_id)
        return incident.reference if incident else 'Incident #%s' % source_id

    def references(self, source_ids):
        return {i.id: i.reference for i in Incident.select(Incident.id, Incident.reference)
                .where(Incident.id.in_(list(source_ids)))}

    def url(self, source_id):
        return url_for('incidents.detail', incident_id=source_id)

    def on_change(self, action, what, actor):
        incident = self._incident(action.source_id)
        if incident is not None:
            services.add_event(incident, IncidentEvent.ACTION, actor=actor,
                               summary='Corrective action "%s" %s' % (
                                   action.title[:200], ACTION_WORDS.get(what, what)),
                               details={'what': what, 'title': action.title[:200]})


sources.register(IncidentSource())
