#!/usr/bin/env bash
# Measures benchmark (figures, not pass/fail), on SQLite and PostgreSQL: creating the measures
# for a member's 1,000 unmet requirements in one call (example `bench_measures`; target < 100 ms).
# Usage: bash bench/measures.sh   (needs psql; builds the release examples)
# Env: BENCH_RUNS (members timed, default 10), BENCH_PG (default
#      postgres://postgres@127.0.0.1:5432/postgres; "off": SQLite only), BENCH_EXAMPLE (a binary built before).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/verbund-target}"
if [ -z "${BENCH_EXAMPLE:-}" ]; then
  cargo build --release --locked --workspace --examples >/dev/null
fi
"${BENCH_EXAMPLE:-$CARGO_TARGET_DIR/release/examples/bench_measures}"
