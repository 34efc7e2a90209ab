#!/usr/bin/env bash
# Assessment benchmarks (figures, not pass/fail): catalog imports, answering every item of
# NIST SP 800-53 one request at a time, summary and item-list latency under load, a stall
# check after the burst, and the heatmap of 11,000 generated members.
# Usage: bash bench/assessments.sh   (needs: wrk, curl, python3; builds the release binary)
# Env: VERBUND_DATASETS (default ../shared/datasets), BENCH_SCALE (members, default 11000; 0 skips the heatmap),
#      BENCH_PG (a PostgreSQL URL: sections a–e run there instead of SQLite; the database is emptied),
#      BENCH_SECONDS (per wrk run, default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/verbund-target}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -p verbund >/dev/null
BIN="$CARGO_TARGET_DIR/release/verbund"
DATASETS="${VERBUND_DATASETS:-$(pwd)/../shared/datasets}"
SCALE="${BENCH_SCALE:-11000}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
WORK=$(mktemp -d)
PORT=18556
BASE="http://127.0.0.1:$PORT"
PID=
trap 'if [ -n "$PID" ]; then kill $PID 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Starts the server on a database URL and waits until it answers.
start() {
  VERBUND_DATABASE_URL="$1" VERBUND_BIND="127.0.0.1:$PORT" RUST_LOG=warn "$BIN" serve &
  PID=$!
  until curl -fs -o /dev/null "$BASE/readyz"; do sleep 0.05; done
}

stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

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

# wrk against the API: load LABEL CONNECTIONS PATH [extra wrk args]. Prints throughput,
# latency and the server's CPU time per request (over the whole run).
load() {
  local threads=$(( $2 < 2 ? 1 : 2 )) out before n
  before=$(cpu_ms)
  out=$(wrk -t"$threads" -c"$2" -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $token" "${@:4}" "$BASE$3")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  printf "%-34s %3s clients: %9s req/s  p50 %-9s p99 %-9s CPU/req %s ms  non-2xx %s\n" "$1" "$2" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" "$(awk -v c="$(( $(cpu_ms) - before ))" -v n="$n" 'BEGIN {printf "%.3f", c / n}')" \
    "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}

api() { curl -s -H "Authorization: Bearer $token" "$@"; }

echo "binary: $(du -h "$BIN" | cut -f1) ($BIN)"
"$BIN" demo --reset --no-serve --db "$WORK/demo.db" >/dev/null
if [ -n "${BENCH_PG:-}" ]; then
  # The demo is seeded on SQLite and moved to PostgreSQL the way an operator would.
  echo "database: PostgreSQL ($BENCH_PG, emptied first)"
  psql "$BENCH_PG" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null
  VERBUND_DATABASE_URL="sqlite://$WORK/demo.db" "$BIN" backup "$WORK/demo.json" >/dev/null
  VERBUND_DATABASE_URL="$BENCH_PG" "$BIN" restore "$WORK/demo.json" >/dev/null
  DB_URL="$BENCH_PG"
else
  echo "database: SQLite"
  DB_URL="sqlite://$WORK/demo.db"
fi
start "$DB_URL"
echo "resident memory after start: $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)"
login
echo "resident memory after one login: $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)"

# a. Catalog imports through the API (targets: NIST YAML < 100 ms, OSCAL < 150 ms).
nist_id=
for f in catalogs/ciso-assistant/nist-sp-800-53-rev5.yaml catalogs/oscal/NIST_SP-800-53_rev5_catalog.json; do
  if [ -f "$DATASETS/$f" ]; then
    t=$(api -o "$WORK/import.json" -w '%{time_total}' --data-binary @"$DATASETS/$f" "$BASE/api/v1/catalogs?file_name=$(basename "$f")")
    printf "a. import %-40s %5s ms (%s)\n" "$(basename "$f")" "$(awk -v t="$t" 'BEGIN {printf "%.0f", t*1000}')" \
      "$(json '"%d nodes, %d requirements" % (d["catalog"]["node_count"], d["catalog"]["assessable_count"])' <"$WORK/import.json")"
    [ -n "$nist_id" ] || nist_id=$(json 'd["catalog"]["id"]' <"$WORK/import.json")
  else
    echo "a. skipped: $DATASETS/$f missing"
  fi
done
[ -n "$nist_id" ] || { echo "NIST catalog missing: set VERBUND_DATASETS" >&2; exit 1; }

# b. Start an assessment of NIST SP 800-53 for one member, answer every item sequentially
#    (target: all of them < 2 s).
org=$(api "$BASE/api/v1/organisations?q=06433009" | json 'd["items"][0]["id"]')
aid=$(api -H 'Content-Type: application/json' -d "{\"catalog_id\": $nist_id, \"orgs\": [$org]}" "$BASE/api/v1/assessments" | json 'd["created"][0]')
before=$(cpu_ms)
python3 - "$PORT" "$token" "$aid" <<'PY'
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
print(f"b. {len(ids)} answers, one PUT each, sequential: {total:.2f} s total, p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms")
PY
echo "   server CPU for the PUTs (and the one list read): $(( $(cpu_ms) - before )) ms"

# c. Summary (target: p99 < 5 ms); d. item list (targets: full list p99 < 100 ms at 50
#    clients, 50-row page > 2,000 req/s).
load "c. GET /assessments/{id}" 1 "/api/v1/assessments/$aid"
load "c. GET /assessments/{id}" 50 "/api/v1/assessments/$aid"
load "d. GET answers?all=true" 50 "/api/v1/assessments/$aid/answers?all=true"
load "d. GET answers?all=true gzip" 50 "/api/v1/assessments/$aid/answers?all=true" -H "Accept-Encoding: gzip"
load "d. GET answers?per_page=50" 50 "/api/v1/assessments/$aid/answers?per_page=50"

# e. No stall after the burst: one request right afterwards.
t=$(api -o /dev/null -w '%{time_total}' "$BASE/api/v1/assessments/$aid")
echo "e. first request after the burst: $(awk -v t="$t" 'BEGIN {printf "%.1f ms", t*1000}')"
stop

if [ "$SCALE" = 0 ]; then exit 0; fi
# f. The heatmap of $SCALE generated members (target: < 50 ms).
echo "f. generating $SCALE members × 300 requirements:"
"$BIN" demo --reset --no-serve --db "$WORK/scale.db" --scale "$SCALE" 2>&1 | grep -E '^(Erzeugt|Hinweis)' | sed 's/^/   /'
start "sqlite://$WORK/scale.db"
login
echo "   resident memory after start: $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)"
load "f. GET /heatmap?per_page=50" 1 "/api/v1/heatmap?per_page=50"
load "f. GET /heatmap?per_page=50" 50 "/api/v1/heatmap?per_page=50"
load "f. GET /heatmap?sort=score" 1 "/api/v1/heatmap?per_page=50&sort=score"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$BASE/heatmap")
if [ "$status" = 200 ]; then
  out=$(wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" --latency -H "Cookie: $cookie" "$BASE/heatmap")
  printf "%-34s %3s clients: %9s req/s  p50 %-9s p99 %-9s\n" "f. GET /heatmap (HTML)" 1 \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
else
  echo "f. HTML page /heatmap: skipped (HTTP $status)"
fi
stop
