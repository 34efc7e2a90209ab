#!/usr/bin/env bash
# Property-based API tests: Schemathesis (pinned, from PyPI, in a venv outside the clone) drives
# every operation of the served OpenAPI document with generated valid and invalid requests and
# runs all its checks (no 5xx, every status/content type/body as documented, invalid input
# refused, valid input accepted, auth enforced, …), once as the office ISB and once as a member
# coordinator, against the real debug binary on a fresh demo database. Any failure fails CI.
#
# Usage: bash tests/api/schemathesis.sh   (after `cargo build`; .ci/run calls it)
# Env:   VERBUND_BIN (default $CARGO_TARGET_DIR/debug/verbund), SCHEMATHESIS_EXAMPLES (per
#        operation and phase, default 30: about 10,000 requests, 1–2 minutes),
#        SCHEMATHESIS_SEED (default 2026, fixed so a CI failure reproduces),
#        SCHEMATHESIS_VENV (default ~/.cache/verbund-schemathesis).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

version=4.32.5
target="${CARGO_TARGET_DIR:-$HOME/.cache/verbund-target}"
bin="${VERBUND_BIN:-$target/debug/verbund}"
examples="${SCHEMATHESIS_EXAMPLES:-30}"
seed="${SCHEMATHESIS_SEED:-2026}"
venv="${SCHEMATHESIS_VENV:-$HOME/.cache/verbund-schemathesis}"
port=18557
base="http://127.0.0.1:$port"

if [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $version" ]; then
  echo "installing schemathesis $version"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

work=$(mktemp -d)
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

RUST_LOG=warn "$bin" demo --reset --db "$work/demo.db" --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "$base/readyz" && break; sleep 0.1; done

# An API token for a demo user, created the way a person does it: log in (form with CSRF
# token), then "API-Token erstellen" on the profile page, which shows the secret once.
token_for() {
  local jar="$work/cookies-$1" csrf token
  csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -H "Origin: $base" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "email=$1" --data-urlencode "password=Verbund-Demo-2026" "$base/login"
  csrf=$(curl -s -b "$jar" "$base/profile" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
  token=$(curl -s -b "$jar" -H "Origin: $base" --data-urlencode "_csrf=$csrf" --data-urlencode "name=schemathesis" \
    --data-urlencode "valid_days=1" "$base/profile/tokens" | grep -o 'id="new-token">[^<]*' | sed 's/.*>//')
  [ -n "$token" ] || { echo "no API token for $1" >&2; exit 1; }
  echo "$token"
}
office=$(token_for isb@verbund.example)
member=$(token_for koordination@nauheim.example)

failed=0
started=$(date +%s)
# run NAME TOKEN FILTER...: one Schemathesis run over the selected operations.
run() {
  local name=$1 token=$2
  shift 2
  echo "== schemathesis: $name"
  # From the temporary directory, where Schemathesis keeps its example database.
  (cd "$work" && "$venv/bin/schemathesis" --config-file "$repo/tests/api/schemathesis.toml" run "$base/api/openapi.json" \
    --checks all \
    --max-examples "$examples" \
    --seed "$seed" \
    --workers 1 \
    --request-timeout 90 \
    --header "Authorization: Bearer $token" \
    --report junit --report-dir "$work/report-$name" \
    "$@") 2>&1 | tee "$work/out-$name.txt" || failed=1
  # A run whose token stopped working tests nothing but 401s: that is a failure of the run.
  if [ "${name%-main}" != "$name" ] && grep -q "Authentication failed" "$work/out-$name.txt"; then
    echo "schemathesis $name: the token stopped working during the run" >&2
    failed=1
  fi
}

# Operations that can take the caller's own access away mid-run are tested last, each user's
# after all of that user's other operations: deleting a role assignment (may be the caller's
# own role: later requests would answer 403, hiding the checks), deactivating a user (the
# office could deactivate the member caller) and revoking a token (may be the one in use:
# later requests answer 401). Generated ids are small integers, so they do hit real rows.
# Signing out everywhere and changing the password revoke all the caller's API tokens by
# default: they come very last, after everything else of that user.
access='^(revoke_role|update_user|revoke_token)$'
signout='^(logout_everywhere|change_password)$'
run member-main "$member" --exclude-operation-id-regex "$access|$signout"
run office-main "$office" --exclude-operation-id-regex "$access|$signout"
run member-access "$member" --include-operation-id-regex "$access"
run member-signout "$member" --include-operation-id-regex "$signout"
run office-access "$office" --include-operation-id-regex "$access"
run office-signout "$office" --include-operation-id-regex "$signout"

if grep -E ' (ERROR|panicked)' "$work/server.log"; then
  echo "the server logged errors during the run" >&2
  failed=1
fi
echo "schemathesis: $(($(date +%s) - started)) s, $([ "$failed" = 0 ] && echo 'no failures' || echo FAILED)"
exit "$failed"
