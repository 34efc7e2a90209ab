#!/usr/bin/env bash
# Foundation benchmarks (figures, not pass/fail): cold start to first HTTP 200, idle memory,
# page latency under 50 concurrent clients, and whether the server stalls after a burst.
# Usage: bash bench/run.sh            (needs: wrk, curl; builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/verbund-target}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -p verbund >/dev/null
BIN="$CARGO_TARGET_DIR/release/verbund"
WORK=$(mktemp -d)
PORT=18555
BASE="http://127.0.0.1:$PORT"
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
ms() { date +%s%3N; }

echo "binary: $(du -h "$BIN" | cut -f1) ($BIN)"

# 1. First start on an empty database (migrations included) until the first HTTP 200.
start=$(ms)
VERBUND_DATABASE_URL="sqlite://$WORK/empty.db" VERBUND_BIND="127.0.0.1:$PORT" RUST_LOG=warn "$BIN" serve &
PID=$!
until curl -fs -o /dev/null "$BASE/readyz"; do sleep 0.005; done
echo "cold start, empty database, to first HTTP 200: $(( $(ms) - start )) ms"
kill $PID; wait $PID 2>/dev/null || true

# 2. The demo federation, idle memory.
RUST_LOG=warn "$BIN" demo --reset --db "$WORK/demo.db" --bind "127.0.0.1:$PORT" >/dev/null &
PID=$!
until curl -fs -o /dev/null "$BASE/readyz"; do sleep 0.05; done
sleep 2
echo "idle resident memory (demo loaded): $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)"

# 3. Log in once and reuse the session for the load test.
jar="$WORK/cookies"
curl -s -c "$jar" -o "$WORK/login.html" "$BASE/login"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$WORK/login.html" | head -1 | sed 's/.*value="//; s/"//')
curl -s -b "$jar" -c "$jar" -o /dev/null -H "Origin: $BASE" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "email=isb@verbund.example" --data-urlencode "password=Verbund-Demo-2026" "$BASE/login"
cookie=$(awk '$6 ~ /verbund/ {printf "%s=%s; ", $6, $7}' "$jar")

for path in / /orgs /users /audit; do
  out=$(wrk -t2 -c50 -d10s --latency -H "Cookie: $cookie" "$BASE$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf "GET %-7s 50 clients: %8s req/s  p50 %-8s p99 %-8s non-2xx %s\n" "$path" "$rps" "$p50" "$p99" "${non2xx:-0}"
done

# 4. No stall after the burst: a single request right afterwards.
t=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$BASE/orgs")
echo "first request after the burst: $(awk -v t="$t" 'BEGIN {printf "%.1f ms", t*1000}')"
echo "memory after the burst: $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)"

# 5. Catalog imports through the public API (issue 4 targets: NIST YAML < 100 ms, OSCAL < 150 ms).
DATASETS="${VERBUND_DATASETS:-$(pwd)/../shared/datasets}"
csrf2=$(curl -s -b "$jar" "$BASE/profile" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
api_token=$(curl -s -b "$jar" -H "Origin: $BASE" --data-urlencode "_csrf=$csrf2" --data-urlencode "name=bench" --data-urlencode "valid_days=1" "$BASE/profile/tokens" \
  | grep -o 'id="new-token">[^<]*' | sed 's/.*>//')
for f in catalogs/ciso-assistant/nist-sp-800-53-rev5.yaml catalogs/oscal/NIST_SP-800-53_rev5_catalog.json; do
  if [ -f "$DATASETS/$f" ]; then
    t=$(curl -s -o "$WORK/import.json" -w '%{time_total}' -H "Authorization: Bearer $api_token" --data-binary @"$DATASETS/$f" \
      "$BASE/api/v1/catalogs?file_name=$(basename "$f")")
    printf "import %-45s %s ms (%s)\n" "$(basename "$f")" "$(awk -v t="$t" 'BEGIN {printf "%.0f", t*1000}')" "$(grep -o '"node_count":[0-9]*' "$WORK/import.json")"
  fi
done

