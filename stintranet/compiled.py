"""Hot, fixed-shape queries whose SQL text is compiled once per process.

peewee builds a query's SQL text anew every time it runs: a walk over every
node of the query, ~10 µs per selected column. The ledger entry page's entry
(60 columns and four EXISTS) cost ~0.7 ms of compiling for a 20 µs read. A
query whose text never changes, only its parameters, can skip that::

    ITEMS = CompiledQuery('ledger entry items', lambda shape, entry_id: (
        LedgerEntryItem.select().where(LedgerEntryItem.entry == entry_id)
        .order_by(LedgerEntryItem.id)))

    ITEMS.rows(None, entry.id)    # [LedgerEntryItem, ...]
    ITEMS.first(None, entry.id)   # the first row (LIMIT 1) or None

``execute(shape, *args)`` runs an INSERT, UPDATE or DELETE the same way, for its
effect only.

How. The first call for a key -- the database backend, ``shape``, the
arguments' types and the method (``rows``, ``first``, ``execute``) -- calls the
builder with *sentinels* in place of the arguments (fresh objects of the same
types) and compiles the query, recording for each parameter the value peewee
was handed and the converter it applied (a field's ``db_value``). Every
parameter must be one of the sentinels, by identity, and no sentinel may appear
in the SQL text; otherwise the key is refused and always runs uncached, as
plain peewee (with a warning in the log). Later calls execute the cached text
with the real arguments passed through the recorded converters, and hand the
cursor to the query's own cursor wrapper, so rows come out exactly as peewee
builds them: models, joined models, ``.tuples()``, encrypted fields. The
wrapper's column set-up (matching ~60 cursor columns to fields and converters,
which depends only on the query and the SQL text) is kept from the first run.

Rules for a builder ``build(shape, *args)``:

- The SQL text may depend on ``shape``, the number and types of the arguments
  and the backend, and on nothing else: never on an argument's value (no
  ``if entry_id:``), never on the request, the user or the configuration. Put
  whatever else decides the text into ``shape`` (e.g. whether the user reads
  every department, and how many departments are listed in an ``IN``).
- Arguments go into the query unchanged (``Model.id == entry_id``, ``.in_(ids)``);
  a derived value (``entry_id + 1``, ``str(entry_id)``) is not a sentinel and
  the key is refused. A constant must not be a parameter: write
  ``SQL("status <> 'retired'")`` or take it as an argument.
- Arguments are ``int`` (not ``bool``), ``str`` or ``datetime.datetime``; a call
  with anything else (None included) runs uncached.
- The builder only builds: it must not run a query (it is handed sentinels).
- ``shape`` must be hashable; keep its values few (at most ``MAX_PLANS`` keys are
  kept per compiled query, the rest run uncached).

Results are lists of rows (or one row), never the query: a query object built
from sentinels must not leak, since refining it (``.where()``, ``.count()``)
would run it with the sentinels.
"""
import datetime
import logging

from peewee import (CursorWrapper, ModelCursorWrapper, ModelDictCursorWrapper,
                    ModelObjectCursorWrapper, ModelTupleCursorWrapper)

from .db import database

log = logging.getLogger(__name__)

MAX_PLANS = 256  # keys per compiled query; more (an unbounded shape?) run uncached
_SENTINEL_BASE = 7_391_046_280_000
_TYPES = (int, str, datetime.datetime)


class _Plan:
    """The cached SQL text, where each parameter comes from, the query whose cursor
    wrapper builds the rows, and that wrapper's column set-up once it has run."""

    __slots__ = ('sql', 'sources', 'query', 'columns')

    def __init__(self, sql, sources, query):
        self.sql, self.sources, self.query = sql, sources, query
        self.columns = None  # (wrapper class, the attributes its initialize() set)


# Wrappers whose initialize() depends only on the query and cursor.description (the
# same for the same SQL text) and whose process_row() only reads what it set.
_WRAPPERS = (ModelObjectCursorWrapper, ModelCursorWrapper, ModelTupleCursorWrapper,
             ModelDictCursorWrapper)
_PER_RUN = frozenset(CursorWrapper(None).__dict__)  # cursor, count, row_cache...


class Refused(Exception):
    """The query does not follow the builder rules; its key runs uncached."""


def _sentinel(kind, index):
    # Built at run time, so each is a fresh object: identity tells them apart.
    if kind is int:
        return int('%d' % (_SENTINEL_BASE + 1009 * index))
    if kind is str:
        return '\x1fcompiled-argument-%d\x1f' % index
    if kind is datetime.datetime:
        return datetime.datetime(1901, 2, 3, 4, 5, 6, 1009 * index + 7)
    raise Refused('arguments must be int, str or datetime, not %s' % kind.__name__)


_contexts = {}


def _recording_context_class(base):
    """A subclass of the backend's context class that records, for each parameter,
    the value it was handed and the converter it applied."""
    cls = _contexts.get(base)
    if cls is None:
        class RecordingContext(base):
            __slots__ = ('recorded',)

            def value(self, value, converter=None, add_param=True):
                if converter:
                    applied = converter
                elif converter is None and self.state.converter:
                    applied = self.state.converter
                else:
                    applied = None
                before = len(self._values)
                result = super().value(value, converter, add_param)
                if len(self._values) == before + 1:
                    self.recorded.append((value, applied, self._values[-1]))
                elif len(self._values) != before:
                    self.recorded.append((None, None, None))  # not one of ours
                return result

        cls = _contexts[base] = RecordingContext
    return cls


def compile_with_sources(query, sentinels, db):
    """(sql, [(argument index, converter or None) per parameter]) of ``query``, whose
    parameters must all be ``sentinels``; raises ``Refused`` otherwise."""
    ctx = _recording_context_class(db.context_class)(**db.get_context_options())
    ctx.recorded = []
    sql, params = ctx.sql(query).query()
    if len(ctx.recorded) != len(params):
        raise Refused('a parameter was added without passing through Context.value')
    sources = []
    for (raw, converter, converted), param in zip(ctx.recorded, params):
        if converted is not param:
            raise Refused('a parameter was added without passing through Context.value')
        index = next((i for i, s in enumerate(sentinels) if raw is s), None)
        if index is None:
            raise Refused('parameter %r is not an argument' % (raw,))
        sources.append((index, converter))
    for sentinel in sentinels:
        if str(sentinel) in sql:
            raise Refused('an argument was written into the SQL text')
    return sql, sources


class CompiledQuery:
    """A query shape compiled once per (backend, shape, argument types)."""

    def __init__(self, name, build):
        self.name, self.build = name, build
        self._plans = {}  # key -> _Plan, or None when refused

    def rows(self, shape, *args):
        """Every row of ``build(shape, *args)``."""
        return self._run(shape, args, 'rows')

    def first(self, shape, *args):
        """The first row of ``build(shape, *args)`` (LIMIT 1), or None."""
        rows = self._run(shape, args, 'first')
        return rows[0] if rows else None

    def execute(self, shape, *args):
        """Run ``build(shape, *args)``, a write, for its effect (returns None)."""
        self._run(shape, args, 'execute')

    def plan(self, shape, *args, method='rows'):
        """The cached plan for these arguments' key (built if new), or None if refused."""
        return self._plan(self._key(shape, args, method), shape, args, method)

    def _key(self, shape, args, method):
        return (type(database.obj), shape, tuple(type(a) for a in args), method)

    def _plan(self, key, shape, args, method):
        try:
            return self._plans[key]
        except KeyError:
            pass
        if len(self._plans) >= MAX_PLANS:
            return None
        try:
            plan = self._compile(shape, args, method)
        except Refused as refusal:
            log.warning('compiled query %r runs uncached for shape %r: %s',
                        self.name, shape, refusal)
            plan = None
        self._plans[key] = plan
        return plan

    def _compile(self, shape, args, method):
        sentinels = [_sentinel(type(a), i) for i, a in enumerate(args)]
        query = self.build(shape, *sentinels)
        if method == 'first':
            limit = _sentinel(int, len(sentinels))
            sentinels.append(limit)
            query = query.limit(limit)
        sql, sources = compile_with_sources(query, sentinels, database.obj)
        return _Plan(sql, tuple(sources), query)

    def _run(self, shape, args, method):
        key = self._key(shape, args, method)
        plan = self._plans.get(key, False)
        if plan is False:
            if any(type(a) not in _TYPES for a in args):
                plan = None  # not cacheable, and not stored: None, bools... stay uncached
            else:
                plan = self._plan(key, shape, args, method)
        if plan is None:
            query = self.build(shape, *args)
            if method == 'execute':
                query.execute()
                return None
            return list(query.limit(1) if method == 'first' else query)
        values = args + (1,) if method == 'first' else args
        params = [converter(values[i]) if converter else values[i]
                  for i, converter in plan.sources]
        cursor = database.execute_sql(plan.sql, params)
        if method == 'execute':
            return None
        wrapper = plan.query._get_cursor_wrapper(cursor)
        columns = plan.columns
        if columns is not None and type(wrapper) is columns[0]:
            # Resolving ~60 columns against the select list costs more than reading them.
            wrapper.__dict__.update(columns[1])
            wrapper.initialized = True
        elif type(wrapper) not in _WRAPPERS:
            return list(wrapper)
        raw = cursor.fetchall()
        if raw and not wrapper.initialized:
            wrapper.initialize()  # reads cursor.description: before close()
            wrapper.initialized = True
            plan.columns = (type(wrapper), {k: v for k, v in wrapper.__dict__.items()
                                            if k not in _PER_RUN})
        cursor.close()
        # What iterating the wrapper does per row, less its per-row bookkeeping.
        process_row = wrapper.process_row
        return [process_row(row) for row in raw]
