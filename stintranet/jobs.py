"""The daily job: capabilities register tasks; ``flask jobs run`` runs them in order."""
from collections import namedtuple

Task = namedtuple('Task', 'order name func')

_tasks = []


def register(order, name):
    """Decorator: ``func(today)`` runs once per ``jobs run``; it must be idempotent."""
    def decorator(func):
        if not any(t.name == name for t in _tasks):
            _tasks.append(Task(order, name, func))
            _tasks.sort()
        return func
    return decorator


def tasks():
    return list(_tasks)


def run_all(today):
    """Run every task for ``today``; return [(name, result)]."""
    return [(task.name, task.func(today)) for task in _tasks]
