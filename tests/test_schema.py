"""The models declare the schema the migrations made: the same tables, columns (name,
type, nullability, default, primary key) and foreign keys (target and ON DELETE).

The models' schema is made by ``create_tables`` in a scratch place (a second SQLite
file, or a PostgreSQL schema in a transaction rolled back) and both are read back
through the database's own catalogue, so the two sides are compared alike.
"""
from peewee import SqliteDatabase

from stintranet import db as dbmod
from stintranet.crypto import EncryptedModel
from stintranet.db import BaseModel
from stintranet.models import Bookkeeping, Tracked

# Bases that have no table of their own.
ABSTRACT = {EncryptedModel, Bookkeeping, Tracked}
SCRATCH_SCHEMA = 'models_check'


def table_models():
    found, todo = [], list(BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        # The app's models only: a test's own model (tests/test_crypto.py's Secret) has
        # no migration and is a subclass too when its module ran first in this process.
        if model not in ABSTRACT and model not in found \
                and model.__module__.startswith('stintranet.'):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.table_name)


def on_delete_rules(database, table, schema):
    """{column: ON DELETE rule} of ``table``'s foreign keys."""
    if isinstance(database, SqliteDatabase):
        rows = database.execute_sql('PRAGMA foreign_key_list("%s")' % table).fetchall()
        return {row[3]: row[6].upper() for row in rows}
    rows = database.execute_sql(
        'SELECT kcu.column_name, rc.delete_rule '
        'FROM information_schema.referential_constraints rc '
        'JOIN information_schema.key_column_usage kcu '
        'ON kcu.constraint_name = rc.constraint_name '
        'AND kcu.constraint_schema = rc.constraint_schema '
        'WHERE kcu.table_schema = %s AND kcu.table_name = %s', (schema, table)).fetchall()
    return dict(rows)


def describe(database, tables, schema=None):
    """{table: {'columns': {...}, 'foreign_keys': {...}}} as the database reports them."""
    found = {}
    for table in tables:
        columns = {}
        for column in database.get_columns(table, schema=schema):
            default = column.default
            if column.primary_key or (default or '').startswith('nextval('):
                default = None  # the id sequence's name carries the schema
            columns[column.name] = (column.data_type.lower(), column.null,
                                    column.primary_key, default)
        rules = on_delete_rules(database, table, schema)
        foreign_keys = {fk.column: (fk.dest_table, fk.dest_column, rules.get(fk.column))
                        for fk in database.get_foreign_keys(table, schema=schema)}
        found[table] = {'columns': columns, 'foreign_keys': foreign_keys}
    return found


def models_schema(models, tables, tmp_path):
    """The schema ``create_tables`` makes from the models' declarations."""
    database = dbmod.database.obj
    if isinstance(database, SqliteDatabase):
        scratch = SqliteDatabase(str(tmp_path / 'models.sqlite3'),
                                 pragmas={'foreign_keys': 1})
        with scratch.bind_ctx(models):
            scratch.create_tables(models)
            return describe(scratch, tables)
    with database.atomic() as transaction:
        database.execute_sql('CREATE SCHEMA %s' % SCRATCH_SCHEMA)
        database.execute_sql('SET LOCAL search_path TO %s' % SCRATCH_SCHEMA)
        database.create_tables(models)
        found = describe(database, tables, schema=SCRATCH_SCHEMA)
        transaction.rollback()
    return found


def test_models_declare_what_the_migrations_made(app, tmp_path):
    """Does every model declare exactly the columns and foreign keys its migrated table
    has (so a shared column mixin or any model edit cannot drift from the schema)?"""
    database = dbmod.database.obj
    models = table_models()
    tables = [m._meta.table_name for m in models]
    migrated_tables = set(database.get_tables())
    assert not set(tables) - migrated_tables, 'models without a migrated table'
    schema = None if isinstance(database, SqliteDatabase) else 'public'
    migrated = describe(database, tables, schema=schema)
    declared = models_schema(models, tables, tmp_path)
    for table in tables:
        assert declared[table] == migrated[table], table

