"""The daily job: tasks ordered by their declared dependencies, a failing task retried and
reported without stopping the others, and a run that survives concurrent writers."""
import datetime
import multiprocessing
import queue
import time
import traceback
import types

import pytest

from stintranet import jobs, seed
from stintranet.auditlog.models import AuditEvent
from stintranet.jobs import Task, TaskOrderError, in_order
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests.conftest import TEST_CONFIG

WRITERS = 4


def spec(name, after=(), before=()):
    return Task(name, lambda today: None, tuple(after), tuple(before))


def names(tasks):
    return [t.name for t in tasks]


def test_dependencies_order_the_tasks_and_keep_the_given_order_otherwise():
    """Does a task run after what it names in ``after`` and before what it names in ``before``, the rest in the given order?"""
    tasks = [spec('mail', after=('remind',)), spec('purge'), spec('remind'),
             spec('destroy', before=('purge',)), spec('assign', before=('remind',))]
    assert names(in_order(tasks)) == ['destroy', 'purge', 'assign', 'remind', 'mail']


def test_an_unknown_dependency_is_named():
    """Is a dependency on a task that no module defines refused with both names?"""
    with pytest.raises(TaskOrderError, match="'destroy' names 'requests-overdue'"):
        in_order([spec('destroy', after=('requests-overdue',))])


def test_a_cycle_is_refused_with_its_path():
    """Is a cycle of dependencies refused, naming the tasks that wait for each other?"""
    tasks = [spec('a', after=('c',)), spec('b', after=('a',)), spec('c', after=('b',)),
             spec('d')]
    with pytest.raises(TaskOrderError, match='cycle: a -> c -> b -> a'):
        in_order(tasks)


def test_two_tasks_with_one_name_are_refused():
    """Are two tasks of the same name refused?"""
    with pytest.raises(TaskOrderError, match="named 'a'"):
        in_order([spec('a'), spec('a')])


def test_the_real_tasks_sort_and_notify_before_the_mail_goes_out(app):
    """Do the capabilities' tasks sort, each once, with every reminder task before the mail delivery?"""
    order = names(jobs.tasks())
    assert len(order) == len(set(order))
    reminders = [n for n in order if n.endswith('-reminders')]
    assert len(reminders) >= 9
    assert all(order.index(n) < order.index('mail-delivery') for n in reminders)
    assert order.index('training-assign') < order.index('training-mark-overdue')
    assert {'login-attempts-purge', 'disclosure-documents-destroy',
            'provision-records-purge'} <= set(order)


def failing_module(calls, failures):
    """A job module whose task 'broken' fails its first ``failures`` calls."""
    module = types.ModuleType('tests.fake_jobs')

    @jobs.task('broken', before=('login-attempts-purge',))
    def broken(today):
        calls.append(today)
        if len(calls) <= failures:
            raise RuntimeError('the disk is on fire\nsecond line')
        return '1 thing done'

    broken.__module__ = module.__name__
    module.broken = broken
    return module


@pytest.fixture
def with_broken_task(monkeypatch):
    """``with_broken_task(failures)``: the real tasks plus 'broken', retried at once."""
    monkeypatch.setattr(jobs, 'RETRY_DELAYS', (0, 0))
    real = jobs.job_modules

    def install(failures):
        calls = []
        monkeypatch.setattr(jobs, 'job_modules',
                            lambda: [failing_module(calls, failures)] + real())
        return calls
    return install


def test_a_failing_task_does_not_stop_the_others_and_the_exit_code_is_1(app, runner,
                                                                        with_broken_task):
    """Does a task that keeps raising get three attempts, a FAILED line, the other tasks still run, and exit code 1?"""
    calls = with_broken_task(failures=99)
    result = runner.invoke(args=['jobs', 'run', '--today', '2026-05-01'])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == 'broken: FAILED after 3 attempts: RuntimeError: the disk is on fire'
    assert len(calls) == 3
    assert 'login-attempts-purge: 0 removed' in lines
    assert 'disclosure-documents-destroy: 0 requests destroyed (0 documents)' in lines
    assert lines[-1].startswith('mail-delivery: ')
    assert len(lines) == len(jobs.tasks())
    assert '1 of %d daily tasks failed: broken' % len(lines) in result.stderr


def test_a_task_that_fails_once_is_retried_and_succeeds(app, runner, with_broken_task):
    """Does a task that fails once succeed at its second attempt, say so, and leave the exit code 0?"""
    calls = with_broken_task(failures=1)
    result = runner.invoke(args=['jobs', 'run', '--today', '2026-05-01'])
    assert result.exit_code == 0, result.output
    assert 'broken: 1 thing done (at attempt 2)' in result.stdout.splitlines()
    assert len(calls) == 2


def test_run_all_returns_a_result_per_task(app, with_broken_task):
    """Does ``run_all`` (the entry point of the command and the queue) return each task's result in order?"""
    with_broken_task(failures=99)
    results = jobs.run_all(datetime.date(2026, 5, 1))
    assert [r.name for r in results] == names(jobs.tasks())
    assert [r.name for r in results if not r.ok] == ['broken']
    assert results[0].attempts == 3 and results[0].summary.startswith('RuntimeError')


def writer(config, name, results, started, running, done):
    """Short write transactions, as people's requests make them, until ``done``;
    counts the writes made while ``running`` (the job) is set."""
    try:
        from stintranet import auditlog, create_app
        from stintranet.auth.models import LoginAttempt
        from stintranet.db import database
        app = create_app(config)
        during = total = 0
        with app.app_context():
            while not done.is_set():
                with database.atomic():
                    AuditEvent.select().count()  # read, then write
                    auditlog.append('writer', actor_email=name, object_type='writer',
                                    object_id=total)
                LoginAttempt.create(ip='10.1.0.%d' % (total % 250), email=name, success=False)
                total += 1
                if running.is_set():
                    during += 1
                if total == 5:
                    started.release()
                time.sleep(0.002)
            database.close()
        results.put(('ok', name, during, total))
    except BaseException:  # report everything, the parent asserts
        results.put(('error', name, traceback.format_exc(), 0))


def test_jobs_run_while_four_writers_write(app, runner, capsys):
    """Does ``jobs run`` finish every task, exit code 0, while four processes keep writing?"""
    seed.seed_demo('Demo-password-for-tests-2026')
    config = dict(TEST_CONFIG, DATABASE_URL=app.config['DATABASE_URL'],
                  INSTANCE_PATH=app.instance_path)
    from stintranet.db import database
    database.close()
    ctx = multiprocessing.get_context('spawn')
    results, started = ctx.Queue(), ctx.Semaphore(0)
    running, done = ctx.Event(), ctx.Event()
    writers = [ctx.Process(target=writer, args=(config, 'writer%d@st-group.example' % i,
                                                results, started, running, done))
               for i in range(WRITERS)]
    for process in writers:
        process.start()
    outputs, codes = [], []
    try:
        for _ in writers:
            assert started.acquire(timeout=120), 'a writer did not start writing'
        running.set()
        began = time.monotonic()
        for day in (today_local(), today_local() + datetime.timedelta(days=200)):
            result = runner.invoke(args=['jobs', 'run', '--today', day.isoformat()])
            outputs.append(result.output)
            codes.append(result.exit_code)
        seconds = time.monotonic() - began
        running.clear()
        done.set()
        outcomes = [results.get(timeout=120) for _ in writers]
    except queue.Empty:
        pytest.fail('a writer did not report back')
    finally:
        done.set()
        for process in writers:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
    errors = [text for status, _, text, _ in outcomes if status != 'ok']
    assert not errors, '\n'.join(errors)
    writes = sum(during for _, _, during, _ in outcomes)
    with capsys.disabled():
        print('\njobs run x2 under %d writers: %d writes during %.1f s, exit codes %s'
              % (WRITERS, writes, seconds, codes))
    assert codes == [0, 0], '\n'.join(outputs)
    assert 'FAILED' not in ''.join(outputs)
    assert writes >= WRITERS * 5
    assert Notification.select().count() > 20
