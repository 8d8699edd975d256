#!/usr/bin/env bash
# Nightly backup: `kaoping backup` into DIR/kaoping-YYYYmmdd-HHMMSS.zip, keep 30 days.
#   deploy/backup.sh DIR          (the systemd timer, or cron: see docs/deployment.md)
set -euo pipefail
dir=${1:?usage: deploy/backup.sh DIR}
keep_days=${KAOPING_BACKUP_KEEP_DAYS:-30}
cd "$(dirname "$0")/.."
mkdir -p "$dir"
file="$dir/kaoping-$(date -u +%Y%m%d-%H%M%S).zip"
# Written under a temporary name first: a crash never leaves a half file that looks done.
.venv/bin/kaoping backup "$file.part"
mv "$file.part" "$file"
chmod 0600 "$file"  # every record, evidence included: readable by the service user only
find "$dir" -name 'kaoping-*.zip' -mtime "+$keep_days" -delete
echo "backup written: $file"
