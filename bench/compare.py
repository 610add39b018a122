"""Put the results of two trees' bench runs side by side (bench/compare.sh writes them).

    .venv/bin/python bench/compare.py OUT_DIR

``OUT_DIR`` holds ``before-N.json`` and ``after-N.json`` (a ``run.py`` result per pass,
the passes alternating between the trees) and ``before-mixed.json`` /
``after-mixed.json``. Per route and tree the pass with the median throughput is
shown (as ``run.py`` does with its rounds). Routes are matched by name; the home page
of the tree before issue 13 (``committee_home``: the whole page with its 14 panels) is
shown against ``home_committee`` (the work list and the panels' placeholders), whose
panels are the ``panel_*`` rows. The verdict is the target of issue 13 for the tree
after (``run.py``'s ``TARGETS``), judged on the median pass.
"""
import glob
import json
import os
import sys

SAME_ROUTE = {'committee_home': 'home_committee'}  # before's name -> after's


def load_passes(out, tree):
    passes = []
    for path in sorted(glob.glob(os.path.join(out, '%s-[0-9]*.json' % tree))):
        with open(path) as fh:
            passes.append(json.load(fh))
    return passes


def median_routes(passes):
    """{route: its result in the pass of median throughput}, plus the queries."""
    by_route, queries = {}, {}
    for result in passes:
        for name, entry in result.get('routes', {}).items():
            by_route.setdefault(SAME_ROUTE.get(name, name), []).append(entry)
        for name, counts in result.get('queries', {}).items():
            queries[SAME_ROUTE.get(name, name)] = '%s / %s' % (
                max(counts['small']['peewee_queries'], counts['small']['sql_statements']),
                max(counts['full']['peewee_queries'], counts['full']['sql_statements']))
    out = {}
    for name, entries in by_route.items():
        ordered = sorted(entries, key=lambda e: e['rps'])
        mid = dict(ordered[len(ordered) // 2])
        mid['errors'] = sum(e['errors'] for e in entries)
        mid['passes'] = len(entries)
        out[name] = mid
    return out, queries


def mixed(out, tree):
    try:
        with open(os.path.join(out, '%s-mixed.json' % tree)) as fh:
            return json.load(fh)
    except OSError:
        return None


def cell(entry, key, fmt='%.1f'):
    return fmt % entry[key] if entry and key in entry else ''


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        raise SystemExit(__doc__)
    out = args[0]
    before, before_q = median_routes(load_passes(out, 'before'))
    after, after_q = median_routes(load_passes(out, 'after'))
    if not before or not after:
        raise SystemExit('no before-N.json or after-N.json in %s' % out)
    names = list(after) + [n for n in before if n not in after]
    lines = ['| route | kind | before req/s | after req/s | before p95 ms | after p95 ms | '
             'errors (before / after) | target p95 | verdict (after) | '
             'queries small / full (before → after) |',
             '|---|---|---:|---:|---:|---:|---:|---:|---|---|']
    for name in names:
        b, a = before.get(name), after.get(name)
        target = a.get('target_p95_ms') if a else None
        if a is None or target is None:
            verdict = ''
        elif a['errors']:
            verdict = 'MISSED (errors)'
        elif not a['requests']:
            verdict = 'MISSED (no answer in time)'
        else:
            verdict = 'met' if a['p95'] < target else 'MISSED'
        queries = ' → '.join(q for q in (before_q.get(name, '–'), after_q.get(name, '–')))
        lines.append('| %s | %s | %s | %s | %s | %s | %s / %s | %s | %s | %s |' % (
            name, (a or {}).get('kind', (b or {}).get('kind', '')),
            cell(b, 'rps', '%.0f'), cell(a, 'rps', '%.0f'), cell(b, 'p95'), cell(a, 'p95'),
            cell(b, 'errors', '%d') or '–', cell(a, 'errors', '%d') or '–',
            '< %d ms' % target if target else '', verdict,
            queries if name not in ('hello_wsgi', 'hello_flask') else ''))
    print('\n'.join(lines))
    print()
    print('Passes: before %d, after %d (the median pass per route is shown). '
          'committee_home (before, the whole page) is shown as home_committee.'
          % (len(load_passes(out, 'before')), len(load_passes(out, 'after'))))
    for tree in ('before', 'after'):
        m = mixed(out, tree)
        if m is None:
            print('Mixed test, %s: no result' % tree)
            continue
        print('Mixed test, %s: %d writes (p95 %.0f ms), %d reads (p95 %.0f ms), %d errors, '
              'audit chain %s (%d events)%s' % (
                  tree, m['writes']['requests'], m['writes']['p95'], m['reads']['requests'],
                  m['reads']['p95'], m['errors'], 'verified' if m['audit_chain_ok'] else
                  'BROKEN', m['audit_events'],
                  (' — target 0 errors: %s' % ('met' if not m['errors'] and
                                               m['audit_chain_ok'] else 'MISSED'))
                  if tree == 'after' else ''))


if __name__ == '__main__':
    main()
