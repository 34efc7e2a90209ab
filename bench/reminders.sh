#!/usr/bin/env bash
# Reminder-run benchmark (figures, not pass/fail): a federation of generated members with 50
# measures each (deadlines from 60 days ago to 300 ahead, every fifth done, one owner per member),
# then the reminder run timed without sending: an ordinary day (first run and a repeat that finds
# everything enqueued) and the digest day (weekly digest per owner), on SQLite and PostgreSQL.
# Usage: bash bench/reminders.sh   (builds the release binary)
# Env: BENCH_SCALE (members, default 11000), BENCH_PER_MEMBER (default 50),
#      BENCH_PG (PostgreSQL URL, default postgres://postgres@127.0.0.1:5432/verbund_bench_reminders;
#      the database is dropped and created; "off" runs SQLite only), VERBUND_BIN (measure this binary).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/verbund-target}"
if [ -n "${VERBUND_BIN:-}" ]; then
  BIN="$VERBUND_BIN"
else
  cargo build --release --locked -p verbund >/dev/null
  BIN="$CARGO_TARGET_DIR/release/verbund"
fi
SCALE="${BENCH_SCALE:-11000}"
PER="${BENCH_PER_MEMBER:-50}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432/verbund_bench_reminders}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export RUST_LOG=error

echo "== SQLite"
"$BIN" bench-reminders --db "$WORK/bench.db" --members "$SCALE" --per-member "$PER"
if [ "$PG" != "off" ]; then
  echo "== PostgreSQL"
  DB="${PG##*/}"
  ADMIN="${PG%/*}/postgres"
  psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  "$BIN" bench-reminders --db "$PG" --members "$SCALE" --per-member "$PER"
fi
