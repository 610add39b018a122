"""Indexes for hot queries that ``bench/run.py``'s EXPLAIN QUERY PLAN flagged (issue 9).

- ``ledger_entry (department_id, title)``: a department's entries in the list's
  default order (department, title, id) — a manager's list, or the list filtered by
  department — are read in index order instead of being sorted.
- ``ledger_entry (next_review_due DESC NULLS LAST, title, id)`` and the same after
  ``department_id``: the list sorted by next review, latest first, whole or filtered by
  department, stops after one page of the index.
- ``ledger_review (approved_at, kind)``: the reviews awaiting the committee's approval
  are found without reading the (never approved) 'created' reviews of every entry.
- ``training_assignment (user_id, is_current, status, due_on, course_id)``: a person's
  open training in due order (every home page) without a sort, and the compliance
  counts per department from the index alone.

SQLite sorts NULLs first in ascending and last in descending order and takes no
NULLS clause in an index, so there ``DESC`` gives the same order as PostgreSQL's
``DESC NULLS LAST``; a row's id is part of every SQLite index already (the rowid).
"""
from peewee import SqliteDatabase

INDEXES = (
    # (name, table, SQLite columns, PostgreSQL columns)
    ('ledger_entry_department_title', 'ledger_entry',
     'department_id, title', 'department_id, title, id'),
    ('ledger_entry_next_review_title', 'ledger_entry',
     'next_review_due DESC, title', 'next_review_due DESC NULLS LAST, title, id'),
    ('ledger_entry_department_next_review_title', 'ledger_entry',
     'department_id, next_review_due DESC, title',
     'department_id, next_review_due DESC NULLS LAST, title, id'),
    ('ledger_review_approved_at_kind', 'ledger_review',
     'approved_at, kind', 'approved_at, kind'),
    ('training_assignment_user_current_status_due', 'training_assignment',
     'user_id, is_current, status, due_on, course_id',
     'user_id, is_current, status, due_on, course_id'),
)


def up(migrator, db):
    sqlite = isinstance(db, SqliteDatabase)
    for name, table, sqlite_columns, pg_columns in INDEXES:
        db.execute_sql('CREATE INDEX IF NOT EXISTS %s ON %s (%s)'
                       % (name, table, sqlite_columns if sqlite else pg_columns))


def down(migrator, db):
    for name, _table, _sqlite, _pg in INDEXES:
        db.execute_sql('DROP INDEX IF EXISTS %s' % name)
