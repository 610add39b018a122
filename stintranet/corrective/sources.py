"""What each source type ('incident', 'finding') says about its actions."""


class Source:
    """Override the checks; every method gets the source's id and the user."""

    type = ''
    label = ''

    def exists(self, source_id):
        return False

    def can_read(self, user, source_id):
        """May ``user`` see the source's actions (besides their owners)?"""
        return False

    def can_manage(self, user, source_id):
        """May ``user`` raise, re-plan or reassign actions of this source?"""
        return False

    def can_update(self, user, source_id):
        """May ``user`` start or complete any action of this source (besides its owner)?"""
        return self.can_manage(user, source_id)

    def can_verify(self, user, source_id):
        """May ``user`` check that a done action was effective?"""
        return False

    def verifiable_ids(self, user):
        """A subquery of the source ids whose done actions ``user`` checks (what
        ``can_verify`` answers, for many at once), or None when there are none."""
        return None

    def is_open(self, source_id):
        """May actions still be added to the source?"""
        return True

    def title(self, source_id):
        return '%s #%s' % (self.label, source_id)

    def references(self, source_ids):
        """{source id: its reference (INC-2026-0007, AU-2026-03-F2)} for a list's rows;
        a source with references overrides it with one query for all of them (the list
        shows '#id' for a source without)."""
        return {}

    def url(self, source_id):
        return None

    def on_change(self, action, what, actor):
        """Called inside the transaction after each change (e.g. a timeline entry)."""


_sources = {}


def register(source):
    _sources[source.type] = source
    return source


def get(source_type):
    source = _sources.get(source_type)
    if source is None:
        raise LookupError('no corrective-action source %r' % source_type)
    return source


def registered():
    return dict(_sources)


def references_of(actions):
    """{(source type, source id): reference} of the actions' sources: one query per source
    type among them, whatever their number."""
    wanted = {}
    for action in actions:
        wanted.setdefault(action.source_type, set()).add(action.source_id)
    found = {}
    for source_type, ids in wanted.items():
        source = _sources.get(source_type)
        if source is None:
            continue
        for source_id, reference in source.references(sorted(ids)).items():
            found[(source_type, source_id)] = reference
    return found
