#!/bin/sh
# One database backup into $BACKUP_DIR, private (umask 077), then the backups older than
# $RETENTION_DAYS days are deleted: a backup keeps documents the daily job has destroyed,
# so no backup may outlive the retention (README: "Backups and the six-month destruction").
# The key files are NOT backed up here: they go elsewhere, once, when they are made.
set -eu
umask 077
: "${BACKUP_DIR:?}" "${RETENTION_DAYS:?}"
cd "$(dirname "$0")/.."
stamp=$(date +%Y-%m-%dT%H%M)
case "${STINTRANET_DATABASE_URL:-}" in
  postgres://*|postgresql://*)
    target="$BACKUP_DIR/stintranet-$stamp.dump"
    # pg_dump writes the file itself: with umask 077 it is 0600; a failed dump is removed.
    pg_dump --format=custom --file="$target" "$STINTRANET_DATABASE_URL" || { rm -f "$target"; exit 1; }
    ;;
  *)
    target="$BACKUP_DIR/stintranet-$stamp.sqlite3"
    .venv/bin/flask --app app backup "$target"
    ;;
esac
echo "backup: $target ($(du -h "$target" | cut -f1))"
find "$BACKUP_DIR" -maxdepth 1 -name 'stintranet-*' -type f -mtime "+$RETENTION_DAYS" -print -delete
