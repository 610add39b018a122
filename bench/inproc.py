"""In-process timing of a few pages, one request at a time, on a tree's bench data set.

    .venv/bin/python bench/inproc.py <tree> [path ...]      # e.g. /work/before
    PROF=/ledger/ .venv/bin/python bench/inproc.py <tree>   # also a pyinstrument profile

Signs in as the bench's committee member with the Flask test client (no server, no
network), warms each path 3 times, then prints the median of 15 requests. ACTOR and ENTRY
in a path stand for the busiest audit-log actor and the first active ledger entry. The
tree's bench data set must exist (bench/dataset.py). A quick look at where time goes; the
figures that count are bench/run.py's.
"""
import os
import sqlite3
import statistics
import sys
import time

tree = os.path.abspath(sys.argv[1])
sys.path.insert(0, tree)
sys.path.insert(0, os.path.join(tree, 'bench'))
os.environ.setdefault('STINTRANET_DEFAULT_LOCALE', 'en')
os.chdir(tree)
import run  # noqa: E402  (the tree's own bench/run.py)

instance = os.path.join(tree, 'bench/out/instance')
app = run.make_app(instance)
client = run.client_login(app, run.COMMITTEE)
db = sqlite3.connect(os.path.join(instance, 'stintranet.sqlite3'))
actor = db.execute('SELECT actor_id, COUNT(*) AS n FROM audit_event WHERE actor_id IS NOT '
                   'NULL GROUP BY actor_id ORDER BY n DESC LIMIT 1').fetchone()[0]
entry = db.execute("SELECT id FROM ledger_entry WHERE status = 'active' ORDER BY id "
                   'LIMIT 1').fetchone()[0]
paths = sys.argv[2:] or ['/ledger/?category=customer&sort=-next_review', '/audit-log/?actor=ACTOR',
                         '/ledger/ENTRY', '/incidents/', '/']
profiled = os.environ.get('PROF')
for path in paths:
    path = path.replace('ACTOR', str(actor)).replace('ENTRY', str(entry))
    for _ in range(3):
        client.get(path)
    times = []
    for _ in range(15):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    print('%-55s %3d median %6.1f ms' % (path[:55], response.status_code,
                                         statistics.median(times)))
    if profiled and path.startswith(profiled):
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(10):
            client.get(path)
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
