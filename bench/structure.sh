#!/usr/bin/env bash
# Structure-analysis benchmarks (figures, not pass/fail), on SQLite and PostgreSQL:
# 1. through the store (example `bench_structure_store`): a member with 2,000 objects and
#    6,000 links (import, full recompute writing the changed values, one process changing),
#    and BENCH_SCALE generated members (20 objects each) sharing one provider object (its need
#    changing, one member's process reaching it);
# 2. the object list page (`/structure`) under 50 concurrent clients (wrk) on the generated
#    federation, for the office ISB and for a member's coordinator, with the server's CPU time
#    per request (user + system from /proc/PID/stat over the run; on PostgreSQL the database's
#    own CPU comes on top).
# The pure inheritance engine has its own example: cargo run --release -p verbund-domain --example bench_structure.
# Usage: bash bench/structure.sh   (needs: wrk, curl, psql; builds the release binary and examples)
# Env: BENCH_SCALE (default 11000), BENCH_PG (default postgres://postgres@127.0.0.1:5432/verbund_bench,
#      created or emptied; "off": SQLite only), BENCH_SECONDS (per wrk run, default 10),
#      VERBUND_BIN / BENCH_EXAMPLE (measure binaries built before).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/verbund-target}"
if [ -z "${VERBUND_BIN:-}" ] || [ -z "${BENCH_EXAMPLE:-}" ]; then
  cargo build --release --locked --workspace --bins --examples >/dev/null
fi
BIN="${VERBUND_BIN:-$CARGO_TARGET_DIR/release/verbund}"
EXAMPLE="${BENCH_EXAMPLE:-$CARGO_TARGET_DIR/release/examples/bench_structure_store}"
SCALE="${BENCH_SCALE:-11000}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432/verbund_bench}"
WORK=$(mktemp -d)
PORT=18557
BASE="http://127.0.0.1:$PORT"
PID=
trap 'if [ -n "$PID" ]; then kill $PID 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

echo "== store figures"
if [ "$PG" = off ]; then pg_url=off; else pg_url="${PG%/*}/postgres"; fi
BENCH_PG="$pg_url" BENCH_SCALE="$SCALE" "$EXAMPLE" | sed 's/^/   /'

pg_empty() {
  local admin="${PG%/*}/postgres" name="${PG##*/}"
  psql "$admin" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
    || psql "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null
  psql "$PG" -qc 'SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null
}

start() {
  VERBUND_DATABASE_URL="$1" VERBUND_BIND="127.0.0.1:$PORT" RUST_LOG=warn "$BIN" serve 2>>"$WORK/server.log" &
  PID=$!
  until curl -fs -o /dev/null "$BASE/readyz"; do sleep 0.05; done
}

stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

# Logs in as $1 and prints the session cookie header.
cookie_for() {
  local jar="$WORK/cookies-$1" csrf
  rm -f "$jar"
  csrf=$(curl -s -c "$jar" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -H "Origin: $BASE" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "email=$1" --data-urlencode "password=Verbund-Demo-2026" "$BASE/login"
  awk '$6 ~ /verbund/ {printf "%s=%s; ", $6, $7}' "$jar"
}

cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$PID/stat"; }

# load LABEL COOKIE PATH: 50 clients for BENCH_SECONDS; throughput, p50/p99, CPU per request.
load() {
  local out before n
  before=$(cpu_ms)
  out=$(wrk -t2 -c50 -d"${SECONDS_PER_RUN}s" --latency -H "Cookie: $2" "$BASE$3")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  printf '   %-44s %6s req/s  p50 %-8s p99 %-8s CPU %s ms/request%s\n' "$1" \
    "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" "$(awk -v c="$(( $(cpu_ms) - before ))" -v n="$n" 'BEGIN {printf "%.2f", c / n}')" \
    "$(awk '/Non-2xx/ {printf "  NON-2XX %s", $NF}' <<<"$out")"
}

pages() {
  start "$1"
  local office member nauheim
  office=$(cookie_for isb@verbund.example)
  member=$(cookie_for koordination@nauheim.example)
  nauheim=$(curl -s -H "Cookie: $member" "$BASE/structure" | grep -o 'href="/orgs/[0-9]*/structure/report' | head -1 | grep -o '[0-9]*')
  load "$2 /structure (office, all members)" "$office" /structure
  load "$2 /structure?q=server (office, search)" "$office" "/structure?q=server"
  load "$2 /structure (Nauheim's coordinator)" "$member" /structure
  load "$2 /structure?org=$nauheim (Nauheim's coordinator)" "$member" "/structure?org=$nauheim"
  stop
}

echo "== object list, 50 clients, $SCALE generated members (machine shared: see CPU per request)"
"$BIN" demo --reset --no-serve --db "$WORK/scale.db" --scale "$SCALE" --catalog-items 20 2>&1 | grep -E '^(Erzeugt|Hinweis)' | sed 's/^/   /'
pages "sqlite://$WORK/scale.db" SQLite
if [ "$PG" != off ]; then
  VERBUND_DATABASE_URL="sqlite://$WORK/scale.db" "$BIN" backup "$WORK/scale.vbk" >/dev/null 2>&1
  pg_empty
  VERBUND_DATABASE_URL="$PG" "$BIN" restore "$WORK/scale.vbk" >/dev/null 2>&1
  pages "$PG" PostgreSQL
fi
