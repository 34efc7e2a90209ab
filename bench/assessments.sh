#!/usr/bin/env bash
# Assessment benchmarks (figures, not pass/fail), on SQLite and on PostgreSQL side by side:
# catalog imports, answering every item of NIST SP 800-53 one request at a time, summary and
# item-list latency under load, a stall check after the burst, the heatmap of 11,000 generated
# members, moving that federation with backup + restore, and the PostgreSQL query plans of the
# heatmap and the item list.
# Usage: bash bench/assessments.sh   (needs: wrk, curl, python3, psql; builds the release binary)
# Env: VERBUND_DATASETS (default ../shared/datasets), BENCH_SCALE (members, default 11000; 0 skips the heatmap),
#      BENCH_PG (a PostgreSQL URL, default postgres://postgres@127.0.0.1:5432/verbund_bench; the database is
#      created or emptied; "off" runs SQLite only), BENCH_SECONDS (per wrk run, default 10),
#      VERBUND_BIN (measure this binary instead of building the release binary).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/verbund-target}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
if [ -n "${VERBUND_BIN:-}" ]; then
  BIN="$VERBUND_BIN" # a binary built before (e.g. to measure an older revision)
else
  cargo build --release --locked -p verbund >/dev/null
  BIN="$CARGO_TARGET_DIR/release/verbund"
fi
DATASETS="${VERBUND_DATASETS:-$(pwd)/../shared/datasets}"
SCALE="${BENCH_SCALE:-11000}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432/verbund_bench}"
WORK=$(mktemp -d)
PORT=18556
BASE="http://127.0.0.1:$PORT"
PID=
trap 'if [ -n "$PID" ]; then kill $PID 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Figures are collected per database ("sqlite" or "pg") as KEY<TAB>VALUE lines and printed side
# by side at the end; each line is also printed as it is measured.
DBK=
record() {
  printf '%s\t%s\n' "$1" "$2" >>"$WORK/figures-$DBK"
  printf '[%s] %-40s %s\n' "$DBK" "$1" "$2"
}

# An empty PostgreSQL database at $PG (created if missing).
pg_empty() {
  local admin="${PG%/*}/postgres" name="${PG##*/}"
  psql "$admin" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
    || psql "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null
  psql "$PG" -qc 'SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null
}

# Starts the server on a database URL and waits until it answers (extra env as arguments).
start() {
  env "${@:2}" VERBUND_DATABASE_URL="$1" VERBUND_BIND="127.0.0.1:$PORT" RUST_LOG="${LOG:-warn}" "$BIN" serve >>"$WORK/server.log" 2>&1 &
  PID=$!
  until curl -fs -o /dev/null "$BASE/readyz"; do sleep 0.05; done
}

stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$PID/status"; }

# Logs in as the office ISB; sets $cookie (browser session) and $token (API token).
login() {
  local jar="$WORK/cookies" csrf
  rm -f "$jar"
  curl -s -c "$jar" -o "$WORK/login.html" "$BASE/login"
  csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$WORK/login.html" | head -1 | sed 's/.*value="//; s/"//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -H "Origin: $BASE" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "email=isb@verbund.example" --data-urlencode "password=Verbund-Demo-2026" "$BASE/login"
  cookie=$(awk '$6 ~ /verbund/ {printf "%s=%s; ", $6, $7}' "$jar")
  csrf=$(curl -s -b "$jar" "$BASE/profile" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
  token=$(curl -s -b "$jar" -H "Origin: $BASE" --data-urlencode "_csrf=$csrf" --data-urlencode "name=bench" \
    --data-urlencode "valid_days=1" "$BASE/profile/tokens" | grep -o 'id="new-token">[^<]*' | sed 's/.*>//')
  [ -n "$token" ] || { echo "no API token" >&2; exit 1; }
}

# CPU time (user + system) the server process has used so far, in milliseconds.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$PID/stat"; }

# wrk: load KEY CONNECTIONS PATH [extra wrk args]. Records throughput, latency and the server's
# CPU time per request (over the whole run; on PostgreSQL the database's own CPU is not in it).
load() {
  local threads=$(( $2 < 2 ? 1 : 2 )) out before n auth=()
  [[ "$3" == /api/* ]] && auth=(-H "Authorization: Bearer $token") || auth=(-H "Cookie: $cookie")
  before=$(cpu_ms)
  out=$(wrk -t"$threads" -c"$2" -d"${SECONDS_PER_RUN}s" --latency "${auth[@]}" "${@:4}" "$BASE$3")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  record "$1, $2 cl." "$(printf '%8s req/s p50 %-8s p99 %-8s CPU %s ms%s' \
    "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" "$(awk -v c="$(( $(cpu_ms) - before ))" -v n="$n" 'BEGIN {printf "%.3f", c / n}')" \
    "$(awk '/Non-2xx/ {printf "  NON-2XX %s", $NF}' <<<"$out")")"
}

api() { curl -s -H "Authorization: Bearer $token" "$@"; }

# Sections a–e on one database ($1: URL).
assessment_figures() {
  start "$1"
  record "RSS after start" "$(rss)"
  login
  record "RSS after one login" "$(rss)"

  # a. Catalog imports through the API.
  local nist_id= f t org aid before
  for f in catalogs/ciso-assistant/nist-sp-800-53-rev5.yaml catalogs/oscal/NIST_SP-800-53_rev5_catalog.json; do
    if [ -f "$DATASETS/$f" ]; then
      t=$(api -o "$WORK/import.json" -w '%{time_total}' --data-binary @"$DATASETS/$f" "$BASE/api/v1/catalogs?file_name=$(basename "$f")")
      record "a. import ${f##*.}" "$(awk -v t="$t" 'BEGIN {printf "%.0f ms", t*1000}') ($(json '"%d requirements" % d["catalog"]["assessable_count"]' <"$WORK/import.json"))"
      [ -n "$nist_id" ] || nist_id=$(json 'd["catalog"]["id"]' <"$WORK/import.json")
    fi
  done
  [ -n "$nist_id" ] || { echo "NIST catalog missing: set VERBUND_DATASETS" >&2; exit 1; }

  # b. Answer every item of NIST SP 800-53 for one member, one PUT each.
  org=$(api "$BASE/api/v1/organisations?q=06433009" | json 'd["items"][0]["id"]')
  aid=$(api -H 'Content-Type: application/json' -d "{\"catalog_id\": $nist_id, \"orgs\": [$org]}" "$BASE/api/v1/assessments" | json 'd["created"][0]')
  before=$(cpu_ms)
  record "b. answers one by one" "$(python3 - "$PORT" "$token" "$aid" <<'PY'
import http.client, json, sys, time
port, token, aid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
auth = {"Authorization": "Bearer " + token}
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("GET", f"/api/v1/assessments/{aid}/answers?all=true", headers=auth)
ids = [row["id"] for row in json.loads(c.getresponse().read())["items"]]
headers = dict(auth, **{"Content-Type": "application/json"})
latencies, started = [], time.perf_counter()
for i, answer_id in enumerate(ids):
    body = json.dumps({"status": ("yes", "partial", "no")[i % 3], "owner": "IT-Abteilung"})
    t = time.perf_counter()
    c.request("PUT", f"/api/v1/answers/{answer_id}", body=body, headers=headers)
    r = c.getresponse()
    r.read()
    latencies.append(time.perf_counter() - t)
    if r.status != 200:
        sys.exit(f"PUT /api/v1/answers/{answer_id}: HTTP {r.status}")
total = time.perf_counter() - started
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000
print(f"{len(ids)} in {total:.2f} s, p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms")
PY
)"
  record "b. server CPU per PUT" "$(awk -v c="$(( $(cpu_ms) - before ))" 'BEGIN {printf "%.3f ms", c / 1189}')"

  # c. Summary; d. item list.
  load "c. GET /assessments/{id}" 1 "/api/v1/assessments/$aid"
  load "c. GET /assessments/{id}" 50 "/api/v1/assessments/$aid"
  load "d. GET answers?all=true" 50 "/api/v1/assessments/$aid/answers?all=true"
  load "d. GET answers?all=true gzip" 50 "/api/v1/assessments/$aid/answers?all=true" -H "Accept-Encoding: gzip"
  load "d. GET answers?per_page=50" 50 "/api/v1/assessments/$aid/answers?per_page=50"

  # e. No stall after the burst: one request right afterwards.
  t=$(api -o /dev/null -w '%{time_total}' "$BASE/api/v1/assessments/$aid")
  record "e. first request after the burst" "$(awk -v t="$t" 'BEGIN {printf "%.1f ms", t*1000}')"
  echo "$aid" >"$WORK/aid"
  stop
}

# Section f on one database ($1: URL).
heatmap_figures() {
  start "$1"
  login
  record "f. RSS after start ($SCALE members)" "$(rss)"
  load "f. GET /heatmap?per_page=50" 1 "/api/v1/heatmap?per_page=50"
  load "f. GET /heatmap?per_page=50" 50 "/api/v1/heatmap?per_page=50"
  load "f. GET /heatmap?sort=score" 1 "/api/v1/heatmap?per_page=50&sort=score"
  load "f. GET /heatmap?sort=topic" 1 "/api/v1/heatmap?per_page=50&sort=topic&topic=3"
  load "f. GET /heatmap (HTML page)" 1 "/heatmap"
  stop
}

echo "binary: $(du -h "$BIN" | cut -f1) ($BIN), $(nproc) cores, $(date -u +%FT%TZ)"
"$BIN" demo --reset --no-serve --db "$WORK/demo.db" >/dev/null
VERBUND_DATABASE_URL="sqlite://$WORK/demo.db" "$BIN" backup "$WORK/demo.vbk" >/dev/null

DBK=sqlite
assessment_figures "sqlite://$WORK/demo.db"
if [ "$PG" != off ]; then
  # The demo is moved to PostgreSQL the way an operator would.
  DBK=pg
  pg_empty
  VERBUND_DATABASE_URL="$PG" "$BIN" restore "$WORK/demo.vbk" >/dev/null
  assessment_figures "$PG"
fi

if [ "$SCALE" != 0 ]; then
  echo "f. generating $SCALE members × 300 requirements:"
  DBK=sqlite
  "$BIN" demo --reset --no-serve --db "$WORK/scale.db" --scale "$SCALE" 2>&1 | grep -E '^(Erzeugt|Hinweis)' | sed 's/^/   /'
  heatmap_figures "sqlite://$WORK/scale.db"
  # g. Moving it: backup of the SQLite file, restore into PostgreSQL (time and peak memory).
  /usr/bin/time -f '%e s, peak RSS %M KB' -o "$WORK/time" env VERBUND_DATABASE_URL="sqlite://$WORK/scale.db" "$BIN" backup "$WORK/scale.vbk" >/dev/null 2>&1
  record "g. backup ($SCALE members)" "$(cat "$WORK/time"), $(du -h "$WORK/scale.vbk" | cut -f1)"
  if [ "$PG" != off ]; then
    DBK=pg
    pg_empty
    /usr/bin/time -f '%e s, peak RSS %M KB' -o "$WORK/time" env VERBUND_DATABASE_URL="$PG" "$BIN" restore "$WORK/scale.vbk" >/dev/null 2>&1
    record "g. restore ($SCALE members)" "$(cat "$WORK/time")"
    # (restore vacuums and analyses by itself since 9f41f28; repeated here for older binaries)
    psql "$PG" -qc 'VACUUM (ANALYZE)' >/dev/null
    heatmap_figures "$PG"
    /usr/bin/time -f '%e s, peak RSS %M KB' -o "$WORK/time" env VERBUND_DATABASE_URL="$PG" "$BIN" backup "$WORK/scale-pg.vbk" >/dev/null 2>&1
    record "g. backup ($SCALE members)" "$(cat "$WORK/time"), $(du -h "$WORK/scale-pg.vbk" | cut -f1)"
    DBK=sqlite
    rm -f "$WORK/restored.db"
    /usr/bin/time -f '%e s, peak RSS %M KB' -o "$WORK/time" env VERBUND_DATABASE_URL="sqlite://$WORK/restored.db" "$BIN" restore "$WORK/scale-pg.vbk" >/dev/null 2>&1
    record "g. restore ($SCALE members)" "$(cat "$WORK/time")"

    # h. The plans PostgreSQL chose for one heatmap page and one page of the item list, as
    #    auto_explain reports them to the server (as notices, which sqlx logs).
    psql "$PG" -qc "ALTER DATABASE \"${PG##*/}\" SET session_preload_libraries = 'auto_explain'" \
      -c "ALTER DATABASE \"${PG##*/}\" SET auto_explain.log_min_duration = 0" \
      -c "ALTER DATABASE \"${PG##*/}\" SET auto_explain.log_analyze = on" \
      -c "ALTER DATABASE \"${PG##*/}\" SET auto_explain.log_level = notice" >/dev/null
    : >"$WORK/server.log"
    LOG="warn,sqlx::postgres::notice=info" start "$PG"
    login
    aid=$(api "$BASE/api/v1/assessments?per_page=1" | json 'd["items"][0]["id"]')
    : >"$WORK/server.log"
    api -o /dev/null "$BASE/api/v1/heatmap?per_page=50"
    api -o /dev/null "$BASE/api/v1/assessments/$aid/answers?per_page=50&q=a"
    sleep 0.5
    stop
    psql "$PG" -qc "ALTER DATABASE \"${PG##*/}\" RESET ALL" >/dev/null
    echo
    echo "h. PostgreSQL plans (auto_explain) of one heatmap page and one filtered item-list page:"
    sed -e 's/\\n/\n/g' "$WORK/server.log" | grep -E 'Query Text|Index|Seq Scan|Execution Time|Bitmap|Sort|Limit|Nested|Hash' | grep -v 'FROM api_tokens\|audit_head' | sed 's/^/   /' || echo "   (no plans logged: see $WORK/server.log)"
  fi
fi

echo
echo "Side by side (CPU = the server process's user + system time per request):"
printf '%-44s | %-58s | %s\n' "" "SQLite" "PostgreSQL"
keys=$(cut -f1 "$WORK"/figures-* | awk '!seen[$0]++')
while IFS= read -r k; do
  printf '%-44s | %-58s | %s\n' "$k" \
    "$(awk -F'\t' -v k="$k" '$1==k {v=$2} END {print v}' "$WORK/figures-sqlite" 2>/dev/null)" \
    "$(awk -F'\t' -v k="$k" '$1==k {v=$2} END {print v}' "$WORK/figures-pg" 2>/dev/null || true)"
done <<<"$keys"
