#!/bin/sh
# Before/after benchmark of issue 13 in one sitting (bench/README.md, "Before and after").
#
#   bench/compare.sh [BEFORE_TREE] [AFTER_TREE]
#
# BEFORE_TREE (default /work/before: a worktree of 85c8e11, the code before issue 13)
# and AFTER_TREE (default: the tree this script is in) each have their own .venv with
# the bench extras (gunicorn, pyinstrument) and wrk on the PATH. Each tree builds its own
# data set with its own bench/dataset.py (its own schema), then the trees' bench/run.py
# take turns, one round per pass, PASSES times (before, after, before, after, ...), so a
# change in the machine's load falls on both; then each tree's bench/mixed.py, one after
# the other. Results go to OUT (default AFTER_TREE/bench/out/compare) and
# bench/compare.py prints them side by side with issue 13's targets.
#
# Both trees run in English (STINTRANET_DEFAULT_LOCALE=en; the tree before has no other
# language and ignores the setting): set LOCALE=ja to measure the tree after in Japanese.
# SMOKE=1: the 1 % data set, 1-second rounds, 3-second mixed tests (checks the
# script, measures nothing). Other settings: PASSES (3), ROUTE_SECONDS (5 per route
# per pass), MIXED_SECONDS (30).
set -eu

AFTER=$(cd "$(dirname "$0")/.." && pwd)
BEFORE=${1:-/work/before}
AFTER=${2:-$AFTER}
PASSES=${PASSES:-3}
ROUTE_SECONDS=${ROUTE_SECONDS:-5}
MIXED_SECONDS=${MIXED_SECONDS:-30}
OUT=${OUT:-$AFTER/bench/out/compare}
export STINTRANET_DEFAULT_LOCALE=${LOCALE:-en}

if [ "${SMOKE:-0}" = 1 ]; then
  SCALE=0.01; VERIFY=; RUN_ARGS=--smoke; MIXED_SECONDS=3; INSTANCE=bench/out/smoke-instance
else
  SCALE=1; VERIFY=--verify; RUN_ARGS="--seconds $ROUTE_SECONDS --no-profile"; INSTANCE=bench/out/instance
fi

for tree in "$BEFORE" "$AFTER"; do
  test -x "$tree/.venv/bin/python" || { echo "no $tree/.venv: create it first" >&2; exit 2; }
  test -x "$tree/.venv/bin/gunicorn" || { echo "no gunicorn in $tree/.venv" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo 'wrk is missing: apt-get install -y wrk' >&2; exit 2; }

mkdir -p "$OUT"
rm -f "$OUT"/before-*.json "$OUT"/after-*.json "$OUT"/*.log
echo "before: $BEFORE ($(git -C "$BEFORE" rev-parse --short HEAD))"
echo "after:  $AFTER ($(git -C "$AFTER" rev-parse --short HEAD)$(test -z "$(git -C "$AFTER" status --porcelain --untracked-files=no)" || echo ', with uncommitted changes'))"
echo "out:    $OUT; locale $STINTRANET_DEFAULT_LOCALE; load average $(cut -d' ' -f1-3 /proc/loadavg)"

tree_of() { if [ "$1" = before ]; then echo "$BEFORE"; else echo "$AFTER"; fi; }

step() {  # tree label command...: run in the tree with its own venv, log to OUT
  tree=$1; label=$2; shift 2
  echo "==> $label ($(date +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"
  (cd "$tree" && "$@") >"$OUT/$label.log" 2>&1 || { echo "    failed: see $OUT/$label.log"; return 1; }
}

for name in before after; do
  tree=$(tree_of "$name")
  step "$tree" "$name-dataset" .venv/bin/python bench/dataset.py --scale "$SCALE" \
    --instance "$INSTANCE" $VERIFY
done

n=1
while [ "$n" -le "$PASSES" ]; do
  for name in before after; do
    tree=$(tree_of "$name")
    step "$tree" "$name-$n" .venv/bin/python bench/run.py $RUN_ARGS --rounds 1 \
      --instance "$INSTANCE" --output "$OUT/$name-$n.json"
    grep -E '^(Targets|Load average)' "$OUT/$name-$n.log" | sed 's/^/    /' || true
  done
  n=$((n + 1))
done

for name in before after; do
  tree=$(tree_of "$name")
  # mixed.py exits 1 when it saw errors: keep going, the summary shows them.
  step "$tree" "$name-mixed" .venv/bin/python bench/mixed.py --seconds "$MIXED_SECONDS" \
    --instance "$INSTANCE" --output "$OUT/$name-mixed.json" || true
done

echo
"$AFTER/.venv/bin/python" "$AFTER/bench/compare.py" "$OUT" | tee "$OUT/summary.md"
echo "Each pass's table: $OUT/<tree>-<n>.log; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
