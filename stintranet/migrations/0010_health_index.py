"""The ledger's health counts from an index (issue 9; SQLite).

The home page's ledger panel counts, over every non-retired entry, the entries
missing a mandatory field, overdue or due for review, stored abroad without a note
on the foreign regime, or with a special-care override but no reason
(``LedgerEntry.health_counts_query``). Evaluated on the rows that is ~20 ms at
10,000 entries: every row is read and ~20 conditions tested on it.

``ledger_entry_health`` holds, for each non-retired entry (partial index), its
department, its next review and the three row-level problems as computed values.
The count walks this index (a manager's departments as a range of it) and SQLite
takes each problem's value from the index instead of reading the row: an index on
an expression stands in for that expression wherever a query spells it the same
way, constants included (a bound parameter does not match). The model writes them
so (``LedgerEntry.fields_missing_condition``, ``problem_conditions``,
``not_retired``) and ``tests/ledger/test_health_index.py`` checks that the count
reads no row of the table. Whether an entry has items is another table's, looked
up per entry.

The WHERE is ``+status != 'retired'``, unary plus included, and the health queries
spell it so. With a plain ``status != 'retired'`` every query of the non-retired
entries (the ledger list and search) would match the partial index too, and SQLite
would walk it and fetch each row from the table instead of reading the table: the
search's count went from 4 to 21 ms that way.

The expressions are SQLite's spelling of the model's; a change to the mandatory
fields or to these problems needs a migration that recreates the index.

PostgreSQL does not read expression values from an index for such a count (it
plans a scan of the table, ~10k rows), so the index would only slow its writes:
it is created on SQLite only.
"""
from peewee import SqliteDatabase

FIELDS_MISSING = (
    "responsible_id IS NULL OR TRIM(title) = '' OR TRIM(category) = '' "
    "OR TRIM(purposes) = '' OR TRIM(acquisition_route) = '' "
    "OR TRIM(acquisition_method) = '' OR TRIM(notice_method) = '' OR person_band IS NULL "
    "OR TRIM(medium) = '' OR storage_location IS NULL OR TRIM(storage_country) = '' "
    "OR access_persons IS NULL OR use_period_months IS NULL "
    "OR retention_period_months IS NULL OR TRIM(disposal_methods) = '' "
    "OR TRIM(security_measures) = '' OR next_review_due IS NULL")
FOREIGN_NOTE = "storage_country != 'JP' AND foreign_note IS NULL"
OVERRIDE_REASON = "special_care_override != '' AND TRIM(special_care_reason) = ''"

INDEXES = (
    # (name, table, SQLite columns, WHERE, PostgreSQL columns or None: not created)
    ('ledger_entry_health', 'ledger_entry',
     'department_id, next_review_due, (%s), (%s), (%s)'
     % (FIELDS_MISSING, FOREIGN_NOTE, OVERRIDE_REASON),
     "+status != 'retired'", None),
)


def up(migrator, db):
    sqlite = isinstance(db, SqliteDatabase)
    for name, table, sqlite_columns, where, pg_columns in INDEXES:
        columns = sqlite_columns if sqlite else pg_columns
        if columns:
            db.execute_sql('CREATE INDEX IF NOT EXISTS %s ON %s (%s) WHERE %s'
                           % (name, table, columns, where))


def down(migrator, db):
    for name, _table, _sqlite, _where, _pg in INDEXES:
        db.execute_sql('DROP INDEX IF EXISTS %s' % name)
