"""Several small reads in one round trip.

A home page shows a dozen panels and a list page its rows, their count and
the filter choices. Each is a small query; run one by one they cost a round
trip each. ``Reads`` collects them and runs them as ONE statement, each
query a scalar subquery of a single SELECT::

    reads = Reads()
    cases = reads.rows(Incident.listing(user, status='open').limit(10))
    total = reads.count(Incident.listing(user, status='open'))
    reads.run()
    cases.value   # [Incident, ...] built by peewee as if the query had run
    total.value   # int

A row query's rows travel as a JSON array (``json_array`` per row joined by
``group_concat`` on SQLite, ``json_agg`` on PostgreSQL) and are handed back to peewee's own cursor
wrapper, so models, joined models, ``.tuples()`` and ``.dicts()`` come out
exactly as from a normal execution, encrypted fields included. The query
object itself is left executed: iterating it afterwards issues no query.

Being one statement, all reads see the same snapshot of the database.
"""
import json

from peewee import (BlobField, Case, DateField, DateTimeField, NodeList, Select,
                    SelectBase, SQL, TimeField, fn)

from .db import database, is_sqlite


class Deferred:
    """A value that exists once ``Reads.run()`` has run."""

    __slots__ = ('_value', '_ready')

    def __init__(self):
        self._ready = False
        self._value = None

    def _set(self, value):
        self._value, self._ready = value, True

    @property
    def value(self):
        if not self._ready:
            raise RuntimeError('Reads.run() has not run yet')
        return self._value


class _RowsCursor:
    """Just enough of a DB-API cursor for peewee's cursor wrappers."""

    def __init__(self, rows, description):
        self._rows = iter(rows)
        self.description = description

    def fetchone(self):
        return next(self._rows, None)

    def close(self):
        pass


def _column_name(node, index):
    """The name the database driver would report for a selected node."""
    if node.is_alias():
        return node._alias
    if isinstance(node, SelectBase) and node._alias:  # a scalar subquery, .alias('name')
        return node._alias
    name = getattr(node.unwrap(), 'column_name', None)
    # A Field has a column name; a Function answers any attribute with a callable.
    return name if isinstance(name, str) and name else 'c%d' % index


class Reads:
    """Collect queries with ``rows``/``first``/``scalar``/``count``, then ``run()`` once."""

    def __init__(self):
        self._parts = []  # (kind, query or expression, deferred)

    def __bool__(self):
        return bool(self._parts)

    def rows(self, query):
        """All rows of ``query`` (models, tuples or dicts, as the query says)."""
        if query._simple_distinct or query._distinct is not None:
            raise ValueError('Reads.rows does not take DISTINCT queries')
        deferred = Deferred()
        self._parts.append(('rows', query, deferred))
        return deferred

    def first(self, query):
        """The first row of ``query``, or None."""
        deferred = Deferred()
        self._parts.append(('first', query.limit(1), deferred))
        return deferred

    def scalar(self, query, default=None):
        """The single value ``query`` selects (``default`` when it finds no row)."""
        deferred = Deferred()
        self._parts.append(('scalar', (query, default), deferred))
        return deferred

    def count(self, query):
        """How many rows ``query`` finds, ignoring its order, limit and offset."""
        wrapped = query.order_by().alias('_counted')
        wrapped._limit = wrapped._offset = None
        return self.scalar(Select([wrapped], [fn.COUNT(SQL('1'))]), default=0)

    def run(self):
        """Run everything collected so far as one statement."""
        if not self._parts:
            return
        parts, self._parts = self._parts, []
        sqlite = is_sqlite()
        columns, decoders = [], []
        for index, (kind, subject, _) in enumerate(parts):
            if kind == 'scalar':
                query, default = subject
                columns.append(query.alias('v%d' % index))
                decoders.append(None)
            else:
                column, decode = _json_rows(subject, sqlite)
                columns.append(column.alias('v%d' % index))
                decoders.append(decode)
        cursor = database.execute(Select(columns=columns))
        row = cursor.fetchone()
        for (kind, subject, deferred), decode, value in zip(parts, decoders, row):
            if kind == 'scalar':
                deferred._set(subject[1] if value is None else value)
                continue
            result = decode(value)
            deferred._set(result if kind == 'rows' else (result[0] if result else None))


def _json_rows(query, sqlite):
    """(a scalar subquery giving ``query``'s rows as JSON, a decoder back to peewee rows).

    Each row becomes a JSON array built in ``query`` itself, its position first::

        SELECT '[' || group_concat("t"."j", ',') || ']' FROM (
            SELECT json_array(ROW_NUMBER() OVER (ORDER BY ...), <the query's columns>) AS "j"
            FROM ... WHERE ... ORDER BY ... LIMIT ...) AS "t"

    (PostgreSQL: ``json_agg("t"."j")`` of ``json_build_array(...)``.)

    (The aggregate does not promise the subquery's order, hence the position.) The
    columns are written once, as the query selects them: peewee compiles every node
    of every part on every page, so a wrapper that named each column again would
    cost as much as the query's own column list.
    """
    selected = list(query._returning)
    if len(selected) > 90:  # PostgreSQL takes at most 100 function arguments
        raise ValueError('Reads.rows takes at most 90 columns')
    values, hexed = [fn.ROW_NUMBER().over(order_by=query._order_by or None)], []
    for i, node in enumerate(selected):
        column = node.unalias() if node.is_alias() else node  # no "AS" inside a function
        field = node.unwrap()
        if isinstance(field, BlobField):
            hexed.append(i)
            # SQLite's hex(NULL) is '' (an empty blob's too): keep NULL apart from b''.
            column = (Case(None, [(column.is_null(), SQL('NULL'))], fn.hex(column)) if sqlite
                      else fn.encode(column, 'hex'))
        elif not sqlite and isinstance(field, (DateTimeField, DateField, TimeField)):
            column = column.cast('text')  # '2026-11-28 13:29:08', as peewee parses it
        values.append(column)
    inner = query.clone()
    if sqlite:
        inner._returning = [fn.json_array(*values).alias('j')]
        table = inner.alias('t')
        # Joined as text: a row's array is plain text once out of the subquery, which
        # json_group_array would quote as a string (json() would parse each again).
        aggregate = NodeList((SQL("'[' ||"), fn.group_concat(table.c.j, SQL("','")),
                              SQL("|| ']'")))
    else:
        inner._returning = [fn.json_build_array(*values).alias('j')]
        table = inner.alias('t')
        aggregate = fn.json_agg(table.c.j)
    description = [(_column_name(node, i),) for i, node in enumerate(selected)]

    def decode(value):
        if value is None:
            items = []
        elif isinstance(value, (str, bytes)):
            items = json.loads(value)
        else:
            items = value  # psycopg has already parsed the JSON
        items.sort(key=lambda item: item[0])
        rows = []
        for item in items:
            row = item[1:]
            for i in hexed:
                if row[i] is not None:
                    row[i] = bytes.fromhex(row[i])
            rows.append(tuple(row))
        query._cursor_wrapper = query._get_cursor_wrapper(_RowsCursor(rows, description))
        return list(query)

    return Select([table], [aggregate]), decode
