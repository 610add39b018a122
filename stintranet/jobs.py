"""The daily job: each capability's tasks live in its own ``jobs.py``; ``run_all`` runs them.

A task is a function ``task(today)`` marked with ``@task(name, after=..., before=...)``
that returns what it did in a few words ("3 notifications"). It must be idempotent:
a failed task is run again, and the job may run twice on one day.

A task reads what it needs first (a list, not an open cursor) and then writes in its
own short transactions. On SQLite a write made while a read is still being iterated
fails at once with "database is locked" as soon as anyone else has written meanwhile,
whatever the busy timeout.

Tasks run in the order their dependencies declare (``after``: the tasks that must
have run first; ``before``: the tasks that must run later); tasks that declare
nothing between them keep the order of ``job_modules()`` and of their definitions.
"""
import time
from dataclasses import dataclass
from typing import Callable

from flask import current_app

# Seconds to wait before the 2nd and the 3rd attempt of a failed task.
RETRY_DELAYS = (1.0, 5.0)


@dataclass(frozen=True)
class Task:
    name: str
    func: Callable
    after: tuple = ()
    before: tuple = ()


@dataclass(frozen=True)
class Result:
    """What one task did (``ok``) or why it failed, after how many attempts."""
    name: str
    ok: bool
    summary: str
    attempts: int
    seconds: float

    def line(self):
        if not self.ok:
            return '%s: FAILED after %d attempts: %s' % (self.name, self.attempts,
                                                          self.summary)
        if self.attempts > 1:
            return '%s: %s (at attempt %d)' % (self.name, self.summary, self.attempts)
        return '%s: %s' % (self.name, self.summary)


class TaskOrderError(Exception):
    """The declared dependencies name an unknown task or go round in a cycle."""


def task(name, after=(), before=()):
    """Mark ``func(today)`` as the daily task ``name``, to run after the tasks named in
    ``after`` and before those named in ``before``."""
    def decorator(func):
        func.daily_task = Task(name, func, tuple(after), tuple(before))
        return func
    return decorator


def job_modules():
    """Every capability's job module. Imported here rather than at the top so that a
    job module may import this one for ``task``."""
    from .auditlog import jobs as auditlog
    from .audits import jobs as audits
    from .auth import jobs as auth
    from .corrective import jobs as corrective
    from .disclosure import jobs as disclosure
    from .incidents import jobs as incidents
    from .inquiries import jobs as inquiries
    from .ledger import jobs as ledger
    from .management import jobs as management
    from .notifications import jobs as notifications
    from .pledges import jobs as pledges
    from .registers import jobs as registers
    from .serverarea import jobs as serverarea
    from .training import jobs as training
    return [auth, ledger, incidents, corrective, disclosure, inquiries, training, pledges,
            registers, serverarea, audits, management, auditlog, notifications]


def collect(modules):
    """The tasks defined in ``modules``, module by module in definition order."""
    found = []
    for module in modules:
        for value in vars(module).values():
            spec = getattr(value, 'daily_task', None)
            if isinstance(spec, Task) and value.__module__ == module.__name__:
                found.append(spec)
    return found


def in_order(tasks):
    """``tasks`` sorted so that every task comes after the tasks it depends on; among
    independent tasks the given order is kept. TaskOrderError on a duplicate name, an
    unknown name or a cycle."""
    names = set()
    for t in tasks:
        if t.name in names:
            raise TaskOrderError('Two daily tasks are named %r.' % t.name)
        names.add(t.name)
    waits_for = {t.name: set() for t in tasks}
    for t in tasks:
        for other in t.after + t.before:
            if other not in names:
                raise TaskOrderError('Daily task %r names %r, which no job module defines.'
                                     % (t.name, other))
        waits_for[t.name].update(t.after)
        for later in t.before:
            waits_for[later].add(t.name)
    ordered, done, pending = [], set(), list(tasks)
    while pending:
        ready = next((t for t in pending if waits_for[t.name] <= done), None)
        if ready is None:
            raise TaskOrderError('Daily tasks wait for each other in a cycle: %s.'
                                 % ' -> '.join(_cycle(pending[0].name, waits_for, done)))
        ordered.append(ready)
        done.add(ready.name)
        pending.remove(ready)
    return ordered


def _cycle(start, waits_for, done):
    """A cycle among the tasks not done, found by following what each one waits for."""
    path = [start]
    while True:
        name = min(waits_for[path[-1]] - done)
        if name in path:
            return path[path.index(name):] + [name]
        path.append(name)


def tasks():
    """Every daily task, in the order it runs."""
    return in_order(collect(job_modules()))


def run_all(today, on_result=None):
    """Run every daily task for ``today`` and return a ``Result`` per task, in run order.

    A task that raises is tried again after ``RETRY_DELAYS``; a task that still fails
    does not stop the others. ``on_result(result)`` is called after each task (the
    command prints its line as it goes). The caller holds the database connection
    and an app context.
    """
    results = []
    for spec in tasks():
        result = run_task(spec, today)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def run_task(spec, today):
    """Run one task, trying again after each delay of ``RETRY_DELAYS`` while it fails."""
    attempts = len(RETRY_DELAYS) + 1
    started = time.monotonic()
    for attempt in range(1, attempts + 1):
        try:
            summary = spec.func(today)
        except Exception as exc:  # noqa: BLE001 — any failure is retried, then reported
            reason = ('%s: %s' % (type(exc).__name__, exc)).splitlines()[0][:300]
            if attempt == attempts:
                current_app.logger.error('Daily task %s failed %d times', spec.name, attempt,
                                         exc_info=True)
                return Result(spec.name, False, reason, attempt,
                              time.monotonic() - started)
            current_app.logger.warning('Daily task %s failed (attempt %d of %d): %s',
                                       spec.name, attempt, attempts, reason)
            time.sleep(RETRY_DELAYS[attempt - 1])
        else:
            return Result(spec.name, True, 'done' if summary is None else str(summary),
                          attempt, time.monotonic() - started)
