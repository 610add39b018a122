"""What an incident's timeline entry changed, as data (issue 18).

``incident_event.details``: a JSON object naming the fields changed and their new values
(codes, numbers, dates, a ledger entry's reference; never the narrative, a comment or a
reporter's identity), from which the timeline writes its sentence in the reader's
language. NULL for the entries made before: their English ``summary`` is shown.

The column is append-only like the rest of the entry: the triggers of 0003 are made
again with it in their list.
"""
from peewee import SqliteDatabase, TextField

COLUMNS = ('uid', 'incident_id', 'at', 'kind', 'author_id', 'by_reporter', 'from_status',
           'to_status', 'summary', 'attachment_id', 'internal', 'details')


def up(migrator, db):
    migrator.migrate(migrator.add_column('incident_event', 'details', TextField(null=True)))
    if isinstance(db, SqliteDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS incident_event_no_update')
        db.execute_sql(
            "CREATE TRIGGER incident_event_no_update BEFORE UPDATE OF %s ON incident_event "
            "BEGIN SELECT RAISE(ABORT, 'incident_event is append-only'); END"
            % ', '.join(COLUMNS))
    else:
        changed = ' OR '.join('NEW.%s IS DISTINCT FROM OLD.%s' % (c, c) for c in COLUMNS)
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION incident_event_append_only() RETURNS trigger AS $$ "
            "BEGIN IF TG_OP = 'DELETE' OR %s THEN "
            "RAISE EXCEPTION 'incident_event is append-only'; END IF; RETURN NEW; END; "
            "$$ LANGUAGE plpgsql" % changed)
